"""Triage records on the Meta table (tenant first in every key):

  pk `TENANT#<tenant>#TRIAGE`     sk `<ticket id>`                  the TriageResult (value: revision)
  pk `TENANT#<tenant>`            sk `TRIAGE#settings`              the tenant's TriageSettings
  pk `TENANT#<tenant>#TICKETVEC`  sk `<created iso>#<ticket id>`    open tickets' vectors (TTL 90 days)

The vector list is read newest first with one Query, bounded by `limit`: similar tickets are looked
for among a tenant's recent open tickets, never by scanning the tickets table.
"""

import base64
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from pynamodb.exceptions import PutError

from helpdesk.kernel.errors import ConcurrentUpdate
from helpdesk.platform.dynamo.tenant_document import TenantDocument
from helpdesk.triage.model import TriageResult
from helpdesk.triage.ports import TicketVector
from helpdesk.triage.settings import TriageSettings

if TYPE_CHECKING:
    from helpdesk.platform.dynamo.models import Tables


VECTOR_TTL = timedelta(days=90)


def _result_pk(tenant_id: str) -> str:
    return f"TENANT#{tenant_id}#TRIAGE"


def _vectors_pk(tenant_id: str) -> str:
    return f"TENANT#{tenant_id}#TICKETVEC"


class DynamoTriageStore:
    def __init__(self, tables: "Tables") -> None:
        self._tables = tables

    def get(self, tenant_id: str, ticket_id: str) -> TriageResult | None:
        try:
            item = self._tables.meta.get(_result_pk(tenant_id), ticket_id, consistent_read=True)
        except self._tables.meta.DoesNotExist:
            return None
        return TriageResult.model_validate({**(item.data or {}), "revision": int(item.value or 0)})

    def save(self, result: TriageResult) -> TriageResult:
        expected = result.revision
        stored = result.model_copy(update={"revision": expected + 1})
        item = self._tables.meta(pk=_result_pk(result.tenant_id), sk=result.ticket_id, value=expected + 1,
                         data=stored.model_dump(mode="json", exclude={"revision"}))
        condition = self._tables.meta.pk.does_not_exist() if expected == 0 else self._tables.meta.value == expected
        try:
            item.save(condition=condition)
        except PutError as exc:
            if exc.cause_response_code == "ConditionalCheckFailedException":
                raise ConcurrentUpdate("the triage record changed; read it again",
                                       {"ticket_id": result.ticket_id, "revision": expected}) from exc
            raise
        return stored


class DynamoTriageSettingsStore:
    def __init__(self, tables: "Tables") -> None:
        self._document = TenantDocument(tables, "TRIAGE#settings")

    def get(self, tenant_id: str) -> TriageSettings:
        return self.get_versioned(tenant_id)[0]

    def get_versioned(self, tenant_id: str) -> tuple[TriageSettings, int]:
        data, version = self._document.read(tenant_id)
        return TriageSettings.model_validate(data or {}), version

    def put(self, tenant_id: str, settings: TriageSettings, expected_version: int | None = None) -> int:
        return self._document.write(tenant_id, settings.model_dump(mode="json"), expected_version)


class DynamoTicketVectors:
    """Vectors as float16 (half the bytes; cosine changes in the 3rd decimal), base64 in the JSON."""

    def __init__(self, tables: "Tables") -> None:
        self._tables = tables

    def add(self, tenant_id: str, item: TicketVector) -> None:
        import numpy as np

        raw = np.asarray(item.vector, dtype=np.float16).tobytes()
        self._tables.meta(
            pk=_vectors_pk(tenant_id), sk=_vector_sk(item.created_at, item.ticket_id),
            data={"v": base64.b64encode(raw).decode("ascii"), "number": item.number, "subject": item.subject[:200],
                  "requester_id": item.requester_id, "created_at": item.created_at.isoformat()},
            expires_at=item.created_at + VECTOR_TTL,
        ).save()

    def remove(self, tenant_id: str, ticket_id: str, created_at: datetime) -> None:
        self._tables.meta(pk=_vectors_pk(tenant_id), sk=_vector_sk(created_at, ticket_id)).delete()

    def recent(self, tenant_id: str, limit: int) -> list[TicketVector]:
        import numpy as np

        out: list[TicketVector] = []
        for item in self._tables.meta.query(_vectors_pk(tenant_id), scan_index_forward=False, limit=limit):
            data = item.data or {}
            vector = np.frombuffer(base64.b64decode(data["v"]), dtype=np.float16).astype(np.float32)
            out.append(TicketVector(ticket_id=item.sk.rpartition("#")[2], number=data.get("number", ""),
                                    subject=data.get("subject", ""), requester_id=data.get("requester_id", ""),
                                    created_at=datetime.fromisoformat(data["created_at"]), vector=vector))
        return out


def _vector_sk(created_at: datetime, ticket_id: str) -> str:
    return f"{created_at.isoformat()}#{ticket_id}"
