"""Create the tables (local stack and tests). In AWS, template.yaml owns them."""

from helpdesk.platform.dynamo.models import Tables


def create_tables(tables: Tables) -> None:
    """Idempotent. Streams (Meta.stream_view_type) and TTL (TTLAttribute) come from the models."""
    for model in tables.all:
        if not model.exists():
            model.create_table(billing_mode="PAY_PER_REQUEST", wait=True)
