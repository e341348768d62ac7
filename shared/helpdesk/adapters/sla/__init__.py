"""SLA adapters: settings, ledger and due index on DynamoDB; notifications through SNS and SES."""
