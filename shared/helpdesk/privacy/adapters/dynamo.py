"""Privacy's reads and writes on the three tables.

  tickets       tenant partition (`tenant_id`), filtered on the stored document containing the address;
                `by_requester` for tickets the address opened; `by_status` `<tenant>#closed` for retention
  ticket_events an event rewritten in place (`ticket_key` / `seq`: it must exist)
  meta          `TENANT#<t>#PRIVACY`  `ERASURE#<subject hash>` (an erasure) and `SETTINGS` (retention period)
                `PRIVACYRETENTION`    `<tenant>`, value = days: the tenants the retention scan visits
                `CHAT#<t>#<session>`  the chat transcript (layout of `helpdesk.chat.adapters.dynamo`)
                `TENANT#<t>#TRIAGE`, `TENANT#<t>#TICKETVEC`  through triage's stores
                `TENANT#<t>#MAILQ`, `TENANT#<t>#MAILQID`  quarantined mail naming the person
"""

from collections.abc import Iterator
from datetime import datetime
from typing import TYPE_CHECKING, Any

from pynamodb.expressions.operand import Path
from tenacity import Retrying, retry_if_exception_type, stop_after_attempt

from helpdesk.chat.adapters.dynamo import DynamoChatStore
from helpdesk.chat.model import ChatMessage, ChatSession
from helpdesk.kernel.errors import ConcurrentUpdate
from helpdesk.platform.dynamo.models import TicketModel
from helpdesk.platform.dynamo.tenant_document import TenantDocument
from helpdesk.privacy.model import Erasure, PrivacySettings
from helpdesk.privacy.ports import Change
from helpdesk.tickets.history import TicketEvent
from helpdesk.tickets.model import Status, Ticket, email_key

if TYPE_CHECKING:
    from helpdesk.knowledge.ports import ArticleRepository
    from helpdesk.platform.dynamo.models import Tables
    from helpdesk.triage.ports import TicketVectors, TriageStore

RETENTION_PK = "PRIVACYRETENTION"


def _ticket(model: TicketModel) -> Ticket:
    return Ticket.model_validate({**model.doc, "version": int(model.version or 0)})


class DynamoPersonTickets:
    def __init__(self, tables: "Tables") -> None:
        self._tables = tables

    def mentioning(self, tenant_id: str, email: str) -> list[Ticket]:
        address = email.strip().lower()
        tickets = self._tables.tickets
        found: dict[str, Ticket] = {}
        for model in tickets.by_requester.query(f"{tenant_id}#{email_key(address)}"):
            found[model.ticket_id] = _ticket(model)
        # The document is stored as JSON text: `contains` finds the address as participant, copied or written
        # anywhere in the ticket, reading this tenant's partition only.
        for model in tickets.query(tenant_id, filter_condition=Path("doc").contains(address)):
            found.setdefault(model.ticket_id, _ticket(model))
        return sorted(found.values(), key=lambda t: t.number)

    def closed_before(self, tenant_id: str, cutoff: datetime) -> Iterator[Ticket]:
        tickets = self._tables.tickets
        closed = f"{tenant_id}#{Status.CLOSED}"
        for model in tickets.by_status.query(closed, filter_condition=tickets.updated_at < cutoff):
            yield _ticket(model)


class DynamoEventLog:
    def __init__(self, tables: "Tables") -> None:
        self._events = tables.ticket_events

    def rewrite(self, events: list[TicketEvent]) -> None:
        model = self._events
        for event in events:
            model(f"{event.tenant_id}#{event.ticket_id}", event.seq, type=event.type.value, actor=event.actor,
                  at=event.at, data=event.data, internal=event.internal or None).save(condition=model.seq.exists())


class DynamoChatTranscripts:
    def __init__(self, tables: "Tables") -> None:
        self._tables = tables
        self._store = DynamoChatStore(tables)

    def get(self, tenant_id: str, session_id: str) -> tuple[ChatSession, list[ChatMessage]] | None:
        session = self._store.get_session(tenant_id, session_id)
        if session is None:
            return None
        return session, self._store.messages(tenant_id, session_id, limit=10_000)

    def rewrite(self, session: ChatSession, messages: list[ChatMessage]) -> None:
        self._store.save_state(session)
        self._store.drop_code(session)
        meta = self._tables.meta
        pk = f"CHAT#{session.tenant_id}#{session.id}"
        for message in messages:
            meta(pk, f"MSG#{message.seq:08d}").update(actions=[meta.data.set(message.model_dump(mode="json"))],
                                                      condition=meta.pk.exists())


class DynamoQuarantinedMail:
    """Quarantined mail (`TENANT#<t>#MAILQ` / `<received at>#<delivery id>`, pointer `TENANT#<t>#MAILQID`),
    the layout of `helpdesk.mail.adapters.dynamo`."""

    def __init__(self, tables: "Tables") -> None:
        self._meta = tables.meta

    def mentioning(self, tenant_id: str, email: str) -> list[dict[str, Any]]:
        items = self._meta.query(f"TENANT#{tenant_id}#MAILQ", filter_condition=Path("data").contains(email))
        return [{**(item.data or {}), "_sk": item.sk} for item in items]

    def remove(self, tenant_id: str, record: dict[str, Any]) -> None:
        self._meta(f"TENANT#{tenant_id}#MAILQ", str(record["_sk"])).delete()
        self._meta(f"TENANT#{tenant_id}#MAILQID", str(record.get("delivery_id", ""))).delete()


class TriageDerivedRecords:
    """`DerivedRecords` on triage's own stores (its record and its vectors keep their layouts) and the knowledge
    base, where the knowledge loop's draft from a ticket has an id derived from the ticket's."""

    def __init__(self, store: "TriageStore", vectors: "TicketVectors", articles: "ArticleRepository") -> None:
        self._store, self._vectors, self._articles = store, vectors, articles

    def rewrite_triage(self, tenant_id: str, ticket_id: str, change: Change) -> bool:
        from helpdesk.triage.model import TriageResult

        for attempt in Retrying(retry=retry_if_exception_type(ConcurrentUpdate), stop=stop_after_attempt(5),
                                reraise=True):
            with attempt:
                result = self._store.get(tenant_id, ticket_id)
                if result is None:
                    return False
                changed = change(result.model_dump(mode="json", exclude={"revision"}))
                self._store.save(TriageResult.model_validate({**changed, "revision": result.revision}))
        return True

    def drop_vector(self, tenant_id: str, ticket_id: str, created_at: datetime) -> None:
        self._vectors.remove(tenant_id, ticket_id, created_at)

    def drop_draft_article(self, tenant_id: str, ticket_id: str) -> bool:
        from helpdesk.triage.drafts import draft_article_id

        return self._articles.delete_draft(tenant_id, draft_article_id(ticket_id))


class DynamoPrivacyStore:
    def __init__(self, tables: "Tables") -> None:
        self._meta = tables.meta
        self._settings = TenantDocument(tables, "SETTINGS", partition="PRIVACY")  # pk as `_pk`

    @staticmethod
    def _pk(tenant_id: str) -> str:
        return f"TENANT#{tenant_id}#PRIVACY"

    def erasure(self, tenant_id: str, subject_hash: str) -> Erasure | None:
        try:
            item = self._meta.get(self._pk(tenant_id), f"ERASURE#{subject_hash}", consistent_read=True)
        except self._meta.DoesNotExist:
            return None
        return Erasure.model_validate(item.data)

    def put_erasure(self, erasure: Erasure) -> None:
        self._meta(self._pk(erasure.tenant_id), f"ERASURE#{erasure.subject_hash}",
                   data=erasure.model_dump(mode="json")).save()

    def settings(self, tenant_id: str) -> tuple[PrivacySettings, int]:
        data, version = self._settings.read(tenant_id)
        return PrivacySettings.model_validate(data or {}), version

    def put_settings(self, tenant_id: str, settings: PrivacySettings, expected_version: int | None = None) -> int:
        version = self._settings.write(tenant_id, settings.model_dump(mode="json"), expected_version)
        # the scan's list of tenants with a period, written after the settings: a failure here leaves the
        # settings saved and the next save (or the same one repeated) brings the list in line
        if settings.retention_days is None:
            self._meta(RETENTION_PK, tenant_id).delete()
        else:
            self._meta(RETENTION_PK, tenant_id, value=settings.retention_days).save()
        return version

    def retention_tenants(self) -> list[tuple[str, int]]:
        return [(item.sk, int(item.value or 0)) for item in self._meta.query(RETENTION_PK) if item.value]
