"""API clients for integrations: machine-to-machine clients with scopes (OAuth 2.0 client credentials)."""
