"""The local stack: moto as the AWS backend, the Lambda FastAPI apps on uvicorn, no account, no Docker."""
