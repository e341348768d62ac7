"""The ticket hook that runs the tenant's triggers on every change, in the change's own write (before the SLA hook:
a priority a trigger raises counts for the SLA at once), and marks when a person last changed the ticket (what time
triggers "since updated" wait from)."""

from datetime import datetime

from helpdesk.kernel.principal import AUTOMATIC_ACTORS
from helpdesk.tickets.history import TicketEvent
from helpdesk.tickets.model import Ticket
from helpdesk.tickets.ports import AssignmentPolicy
from helpdesk.triggers.firing import assignable_by, fire, happened
from helpdesk.triggers.ports import TriggerStore


class TriggerHook:
    """`TicketHook` implementation, registered on the TicketService by `helpdesk.bootstrap.Container.ticket_service`."""

    def __init__(self, store: TriggerStore, assignments: AssignmentPolicy | None = None) -> None:
        self.store = store
        self._assignable = assignable_by(assignments)  # a trigger that assigns asks the directory when it acts

    def before_save(self, ticket: Ticket, events: list[TicketEvent], now: datetime) -> list[TicketEvent]:
        if any(e.actor not in AUTOMATIC_ACTORS for e in events):
            ticket.touched_at = now
        # Most changes (a field, a follower, a note's files) wait for nothing: no read. A time trigger's changes may
        # set off the others, where the list reruns.
        if not happened(events, by_triggers=True):
            return []
        try:
            listing = self.store.cached(ticket.tenant_id)
        except Exception:
            # A ticket change must not fail because the triggers are unreadable (throttling, a missing grant): the
            # change is written without them, and it is said loudly.
            from helpdesk.platform.observability import logger, metrics

            logger.exception("triggers skipped", extra={"ticket_id": ticket.id})
            metrics.add_metric(name="TriggersSkipped", unit="Count", value=1)
            return []
        made = fire(listing.triggers, ticket, events, now, self._assignable, rerun=listing.rerun)
        if made:
            from helpdesk.platform.observability import metrics

            metrics.add_metric(name="TriggersFired", unit="Count",
                               value=len({e.data["trigger"]["id"] for e in made}))
        return made
