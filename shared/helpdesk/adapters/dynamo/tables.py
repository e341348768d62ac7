"""Create the tables (local stack and tests). In AWS, template.yaml owns them."""

from pynamodb.models import Model

from helpdesk.adapters.dynamo.models import ALL_MODELS


def create_tables(models: tuple[type[Model], ...] = ALL_MODELS) -> None:
    """Idempotent. Streams (Meta.stream_view_type) and TTL (TTLAttribute) come from the models."""
    for model in models:
        if not model.exists():
            model.create_table(billing_mode="PAY_PER_REQUEST", wait=True)
