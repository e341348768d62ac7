"""Keep the local stack's DynamoDB streams flowing after a failed transaction.

moto undoes a failed `TransactWriteItems` by putting back deep copies of the tables it touched, stream shard
included. Every shard iterator handed out before (each stream poller holds one) keeps reading the old shard
object, which no write reaches again: triage, search, mail and summaries stopped for good after the first
failed conditional write (a concurrent update, an idempotent retry), which is what the search e2e test's
intermittent "no hit in 60 s" was. The live shard is kept instead, without the records of the writes rolled back.
"""

from typing import Any

_PATCHED = "_helpdesk_keeps_streams"


def keep_streams_across_rollbacks() -> None:
    """Patch moto's transaction so a rolled-back table keeps its live stream shard (idempotent)."""
    from moto.dynamodb.models import DynamoDBBackend

    original = DynamoDBBackend.transact_write_items
    if getattr(original, _PATCHED, False):
        return

    def transact_write_items(self: DynamoDBBackend, transact_items: list[dict[str, Any]]) -> None:
        live = {name: (table.stream_shard, len(table.stream_shard.items))
                for name, table in self.tables.items() if table.stream_shard is not None}
        try:
            original(self, transact_items)
        finally:
            for name, (shard, length) in live.items():
                table = self.tables.get(name)
                if table is not None and table.stream_shard is not shard:  # put back from a copy: rolled back
                    del shard.items[length:]
                    shard.table = table
                    table.stream_shard = shard

    setattr(transact_write_items, _PATCHED, True)
    DynamoDBBackend.transact_write_items = transact_write_items  # type: ignore[method-assign]
