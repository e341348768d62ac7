"""What every HTTP API shares: the error format, authentication, the app factory."""
