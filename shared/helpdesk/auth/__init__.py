"""Identity: token claims to `Principal`, and the local development tokens."""
