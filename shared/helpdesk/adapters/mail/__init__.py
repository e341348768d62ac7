"""Mail adapters: raw mail in S3, sending with SES, mail records in the Meta table."""
