"""Serverless AI helpdesk: the shared domain layer under every Lambda function."""
