"""Audit entries in the Meta table: `TENANT#<t>#AUDIT` / `<time>#<id>`, newest first by a reverse Query.
Kept without expiry: an audit trail outlives the settings it describes."""

from helpdesk.audit.model import AuditEntry, AuditPage
from helpdesk.platform.dynamo.cursor import decode_cursor, encode_cursor
from helpdesk.platform.dynamo.models import Tables


def _pk(tenant_id: str) -> str:
    return f"TENANT#{tenant_id}#AUDIT"


class DynamoAuditStore:
    def __init__(self, tables: Tables) -> None:
        self._meta = tables.meta

    def append(self, entry: AuditEntry) -> None:
        sk = f"{entry.at.isoformat()}#{entry.id}"
        self._meta(_pk(entry.tenant_id), sk, data=entry.model_dump(mode="json")).save()

    def page(self, tenant_id: str, *, kind: str | None, limit: int, cursor: str | None) -> AuditPage:
        pk = _pk(tenant_id)
        start = decode_cursor(cursor, {"pk": pk}, {"pk", "sk"})
        items: list[AuditEntry] = []
        last: dict[str, dict[str, str]] | None = start
        while True:  # a kind filter may leave a page short: read on until it is full or the log ends
            results = self._meta.query(pk, scan_index_forward=False, limit=limit, last_evaluated_key=last)
            for item in results:
                entry = AuditEntry.model_validate(item.data)
                if kind is None or entry.kind == kind:
                    items.append(entry)
                    if len(items) == limit:
                        return AuditPage(items=items, next_cursor=encode_cursor(
                            {"pk": {"S": pk}, "sk": {"S": item.sk}}))
            last = results.last_evaluated_key
            if not last:
                return AuditPage(items=items, next_cursor=None)
