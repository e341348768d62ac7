"""Set, list and clear one's reminders; send the due ones (the scheduled scan)."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from helpdesk.kernel.clock import Clock, system_clock
from helpdesk.kernel.errors import Conflict, Forbidden, InvalidInput, NotFound
from helpdesk.kernel.principal import Principal
from helpdesk.platform.observability import logger
from helpdesk.reminders.model import (
    MAX_DUE_PER_RUN,
    MAX_REMINDER_AHEAD,
    MAX_REMINDERS_PER_AGENT,
    MIN_REMINDER_AHEAD,
    Reminder,
    ReminderView,
)
from helpdesk.reminders.ports import ReminderMailer, ReminderStore
from helpdesk.tickets.service import TicketService


@dataclass(frozen=True)
class Recipient:
    """An active teammate as a reminder reaches them: their address and language, and themselves as a caller (with
    their groups), so a ticket they may no longer open is not mailed to them."""

    address: str
    language: str | None
    caller: Principal


# (tenant id, user id) -> the teammate, or None for someone deactivated or gone.
RecipientOf = Callable[[str, str], Recipient | None]


class Reminders:
    def __init__(self, store: ReminderStore, tickets: TicketService, mailer: ReminderMailer | None,
                 recipient: RecipientOf, *, clock: Clock = system_clock) -> None:
        self._store, self._tickets, self._mailer = store, tickets, mailer
        self._recipient, self._clock = recipient, clock

    def put(self, caller: Principal, ticket_id: str, at_time: datetime) -> ReminderView:
        """The caller's reminder of a ticket they may see, at `at_time` (a later call moves it)."""
        _staff(caller)
        if self._mailer is None:  # a reminder nobody would send is worse than none
            raise Conflict("reminders are off: the stack has no sender for them (the SlaMailFrom parameter)")
        ticket = self._tickets.get(caller, ticket_id)  # NotFound for a ticket the caller may not see
        now = self._clock()
        if not now + MIN_REMINDER_AHEAD <= at_time <= now + MAX_REMINDER_AHEAD:
            raise InvalidInput("a reminder is at least a minute and at most a year ahead", {"field": "at"})
        before = self._store.get(caller.tenant_id, caller.user_id, ticket.id)
        if before is None and len(self._store.of_user(caller.tenant_id, caller.user_id)) >= MAX_REMINDERS_PER_AGENT:
            raise Conflict(f"at most {MAX_REMINDERS_PER_AGENT} reminders each: remove some first")
        reminder = Reminder(tenant_id=caller.tenant_id, user_id=caller.user_id, ticket_id=ticket.id, number=ticket.key,
                            at=at_time, created_at=now)
        self._store.put(reminder, before)
        return ReminderView.of(reminder)

    def clear(self, caller: Principal, ticket_id: str) -> None:
        _staff(caller)
        found = self._store.get(caller.tenant_id, caller.user_id, ticket_id)
        if found is None:
            raise NotFound("no reminder of yours on this ticket")
        self._store.delete(found)

    def mine(self, caller: Principal) -> list[ReminderView]:
        """The caller's reminders: the ones to come first (soonest first), then the sent ones (latest first)."""
        _staff(caller)
        reminders = self._store.of_user(caller.tenant_id, caller.user_id)
        upcoming = sorted((r for r in reminders if r.sent_at is None), key=lambda r: r.at)
        sent = sorted((r for r in reminders if r.sent_at is not None), key=lambda r: r.at, reverse=True)
        return [ReminderView.of(r) for r in [*upcoming, *sent]]

    def send_due(self, now: datetime | None = None) -> int:
        """Mail every reminder due by `now` (the scheduled scan's time; default: the clock's) to its agent; how many
        were sent. A reminder whose ticket is gone, whose agent was deactivated, or whose agent may no longer open the
        ticket (moved to a group they are not in) is dropped unsent."""
        if self._mailer is None:
            return 0
        now = now if now is not None else self._clock()
        sent = 0
        for reminder in self._store.due(now, MAX_DUE_PER_RUN):
            try:
                if self._send(reminder):
                    sent += 1
                    self._store.mark_sent(reminder, now)
                else:
                    self._store.delete(reminder)
            except Exception as exc:  # one failed send must not stop the others: the next scan tries it again
                logger.warning("reminder not sent", extra={"ticket_id": reminder.ticket_id,
                                                           "error": type(exc).__name__})
        return sent

    def _send(self, reminder: Reminder) -> bool:
        agent = self._recipient(reminder.tenant_id, reminder.user_id)
        if agent is None:
            return False
        try:
            ticket = self._tickets.get(agent.caller, reminder.ticket_id)  # as they would open it now
        except NotFound:
            return False
        assert self._mailer is not None
        self._mailer.remind(agent.address, agent.language, ticket)
        return True


def _staff(caller: Principal) -> None:
    if not caller.is_staff:
        raise Forbidden("reminders are the team's")
