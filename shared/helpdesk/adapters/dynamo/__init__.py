"""DynamoDB adapters (PynamoDB). Table names come from the environment."""
