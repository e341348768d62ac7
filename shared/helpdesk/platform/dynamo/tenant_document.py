"""One settings document per tenant in the meta table (the AI settings, the ticket categories), versioned so that
two admins saving at once cannot overwrite each other unseen:

  pk `TENANT#<tenant>`   sk `<document>`   data: the document   value: its version (the write condition)

(a capability whose items share a partition of their own names it: pk `TENANT#<tenant>#<partition>`).

Version 0 is "never saved" (or cleared: a cleared document is deleted). A document saved before it had a version
reads as version 1.
"""

from typing import TYPE_CHECKING, Any

from pynamodb.exceptions import DeleteError, PutError

from helpdesk.kernel.errors import ConcurrentUpdate

if TYPE_CHECKING:
    from pynamodb.expressions.condition import Condition

    from helpdesk.platform.dynamo.models import Tables

_ATTEMPTS = 5  # a save without an expected version retries a race this often before answering 409


class TenantDocument:
    def __init__(self, tables: "Tables", sk: str, partition: str = "") -> None:
        self._tables, self._sk = tables, sk
        self._suffix = f"#{partition}" if partition else ""

    def _pk(self, tenant_id: str) -> str:
        return f"TENANT#{tenant_id}{self._suffix}"

    def read(self, tenant_id: str) -> tuple[dict[str, Any] | None, int]:
        """The document and its version; (None, 0) when there is none."""
        try:
            item = self._tables.meta.get(self._pk(tenant_id), self._sk, consistent_read=True)
        except self._tables.meta.DoesNotExist:
            return None, 0
        return dict(item.data or {}), int(item.value or 1)

    def write(self, tenant_id: str, data: dict[str, Any] | None, expected_version: int | None = None) -> int:
        """Save `data` (None: delete the document) and return its new version (0 once deleted). With
        `expected_version`, only if the stored one is still at it: `ConcurrentUpdate` otherwise."""
        for _ in range(_ATTEMPTS):
            current = self.read(tenant_id)[1] if expected_version is None else expected_version
            try:
                return self._write(tenant_id, data, current)
            except ConcurrentUpdate:
                if expected_version is not None:
                    raise
        raise ConcurrentUpdate("saved by someone else at the same moment: try again", {"document": self._sk})

    def _write(self, tenant_id: str, data: dict[str, Any] | None, expected: int) -> int:
        meta = self._tables.meta
        item = meta(pk=self._pk(tenant_id), sk=self._sk)
        try:
            if data is None:  # at version 0 the condition holds only while nothing is stored: a no-op
                item.delete(condition=self._at(expected))
                return 0
            item.data, item.value = data, expected + 1
            item.save(condition=self._at(expected))
            return expected + 1
        except (PutError, DeleteError) as exc:
            if exc.cause_response_code == "ConditionalCheckFailedException":
                raise ConcurrentUpdate("it changed since it was read: read it again",
                                       {"document": self._sk, "expected_version": expected}) from exc
            raise

    def _at(self, version: int) -> "Condition":
        meta = self._tables.meta
        if version == 0:
            return meta.pk.does_not_exist()
        if version == 1:  # saved before documents had versions: no `value` yet
            legacy: Condition = meta.pk.exists() & (meta.value.does_not_exist() | (meta.value == 1))
            return legacy
        condition: Condition = meta.value == version
        return condition
