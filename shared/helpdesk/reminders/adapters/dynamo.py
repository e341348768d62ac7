"""Reminders in the meta table.

- `TENANT#<t>#REMINDER` / `<user id>#<ticket id>`: an agent's reminder (their list is one Query of their prefix);
- `REMINDERS#DUE` / `<at, UTC ISO>#<tenant>#<user id>#<ticket id>`: the ones not sent yet, in time order across
  tenants, so the scan reads what is due with one Query. Both written in one transaction.
"""

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from pynamodb.connection import Connection
from pynamodb.transactions import TransactWrite

from helpdesk.reminders.model import MAX_REMINDERS_PER_AGENT, Reminder

if TYPE_CHECKING:
    from helpdesk.platform.dynamo.models import Tables

DUE_PK = "REMINDERS#DUE"


def _pk(tenant_id: str) -> str:
    return f"TENANT#{tenant_id}#REMINDER"


def _sk(user_id: str, ticket_id: str) -> str:
    return f"{user_id}#{ticket_id}"


def _due_sk(reminder: Reminder) -> str:
    at = reminder.at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return f"{at}#{reminder.tenant_id}#{reminder.user_id}#{reminder.ticket_id}"


class DynamoReminders:
    def __init__(self, tables: "Tables") -> None:
        self._tables = tables
        self._connection = Connection(region=tables.meta.Meta.region)

    def get(self, tenant_id: str, user_id: str, ticket_id: str) -> Reminder | None:
        meta = self._tables.meta
        try:
            item = meta.get(_pk(tenant_id), _sk(user_id, ticket_id), consistent_read=True)
        except meta.DoesNotExist:
            return None
        return Reminder.model_validate(item.data)

    def put(self, reminder: Reminder, replaces: Reminder | None) -> None:
        meta = self._tables.meta
        with TransactWrite(connection=self._connection) as tx:
            tx.save(meta(_pk(reminder.tenant_id), _sk(reminder.user_id, reminder.ticket_id),
                         data=reminder.model_dump(mode="json")))
            if replaces is not None and replaces.sent_at is None and _due_sk(replaces) != _due_sk(reminder):
                tx.delete(meta(DUE_PK, _due_sk(replaces)))
            tx.save(meta(DUE_PK, _due_sk(reminder), data=reminder.model_dump(mode="json")))

    def delete(self, reminder: Reminder) -> None:
        meta = self._tables.meta
        with TransactWrite(connection=self._connection) as tx:
            tx.delete(meta(_pk(reminder.tenant_id), _sk(reminder.user_id, reminder.ticket_id)))
            if reminder.sent_at is None:
                tx.delete(meta(DUE_PK, _due_sk(reminder)))

    def of_user(self, tenant_id: str, user_id: str) -> list[Reminder]:
        meta = self._tables.meta
        items = meta.query(_pk(tenant_id), meta.sk.startswith(f"{user_id}#"), limit=MAX_REMINDERS_PER_AGENT + 1,
                           consistent_read=True)
        return [Reminder.model_validate(i.data) for i in items]

    def due(self, now: datetime, limit: int) -> list[Reminder]:
        meta = self._tables.meta
        until = now.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ") + "#~"
        return [Reminder.model_validate(i.data) for i in meta.query(DUE_PK, meta.sk <= until, limit=limit)]

    def mark_sent(self, reminder: Reminder, sent_at: datetime) -> None:
        meta = self._tables.meta
        sent = reminder.model_copy(update={"sent_at": sent_at})
        with TransactWrite(connection=self._connection) as tx:
            tx.save(meta(_pk(reminder.tenant_id), _sk(reminder.user_id, reminder.ticket_id),
                         data=sent.model_dump(mode="json")))
            # only while it is still due at that time: one the agent moved or removed meanwhile is left as they set it
            tx.delete(meta(DUE_PK, _due_sk(reminder)), condition=meta.pk.exists())
