"""What reminders need from the outside: where they are kept (with an index of the due ones across tenants) and who
mails them."""

from datetime import datetime
from typing import Protocol

from helpdesk.reminders.model import Reminder
from helpdesk.tickets.model import Ticket


class ReminderStore(Protocol):
    def get(self, tenant_id: str, user_id: str, ticket_id: str) -> Reminder | None: ...

    def put(self, reminder: Reminder, replaces: Reminder | None) -> None:
        """Write it and its place in the due index (the one it `replaces` leaves the index)."""
        ...

    def delete(self, reminder: Reminder) -> None: ...

    def of_user(self, tenant_id: str, user_id: str) -> list[Reminder]: ...

    def due(self, now: datetime, limit: int) -> list[Reminder]:
        """Reminders of every tenant due by `now` and not sent, the earliest first."""
        ...

    def mark_sent(self, reminder: Reminder, sent_at: datetime) -> None:
        """Out of the due index; the agent's record says when it was sent."""
        ...


class ReminderMailer(Protocol):
    def remind(self, address: str, language: str | None, ticket: Ticket) -> None:
        """Mail the agent at `address`, in their language, that the ticket's reminder is due."""
        ...
