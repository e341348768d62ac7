"""Events out: every ticket event on an EventBridge bus (a versioned detail schema), and signed webhooks."""
