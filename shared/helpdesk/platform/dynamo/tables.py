"""Create the tables (local stack and tests). In AWS, template.yaml owns them."""

from typing import Any

from pynamodb.models import Model

from helpdesk.platform.dynamo.models import Tables


def create_tables(tables: Tables) -> None:
    """Idempotent. Streams (Meta.stream_view_type) and TTL (TTLAttribute) come from the models. A table kept from
    an older version (a local stack's saved state) gets the indexes added since, as a template update would."""
    for model in tables.all:
        if not model.exists():
            model.create_table(billing_mode="PAY_PER_REQUEST", wait=True)
        else:
            _add_missing_indexes(model)


def _add_missing_indexes(model: type[Model]) -> None:
    client: Any = model._get_connection().connection.client  # botocore's, with the process's endpoint
    name = model.Meta.table_name
    present = {gsi["IndexName"] for gsi in client.describe_table(TableName=name)["Table"].get(
        "GlobalSecondaryIndexes", [])}
    for index in model._get_schema()["global_secondary_indexes"]:
        if index["index_name"] in present:
            continue
        client.update_table(TableName=name, AttributeDefinitions=index["attribute_definitions"],
                            GlobalSecondaryIndexUpdates=[{"Create": {
                                "IndexName": index["index_name"], "KeySchema": index["key_schema"],
                                "Projection": index["projection"]}}])
