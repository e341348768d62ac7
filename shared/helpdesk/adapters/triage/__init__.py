"""Triage stores on DynamoDB (the Meta table)."""
