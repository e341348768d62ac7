"""The ticket hook: recompute the SLA of every ticket on every change, in the same write."""

from collections.abc import Callable
from datetime import datetime

from helpdesk.sla.calendar import BusinessCalendar
from helpdesk.sla.engine import SlaUpdate, recompute
from helpdesk.sla.policy import DEFAULT_POLICY_ID, SlaPolicy
from helpdesk.sla.ports import SlaSettings, SlaSettingsStore
from helpdesk.tickets.history import EventType, TicketEvent
from helpdesk.tickets.model import Ticket
from helpdesk.tickets.sla_state import SlaTarget

FinishedSink = Callable[[Ticket, SlaTarget], None]


def choose_policy(ticket: Ticket, settings: SlaSettings) -> tuple[SlaPolicy, BusinessCalendar]:
    """The ticket's policy: the one chosen when its SLA began, unless a rule (a policy with conditions) matches
    its state now. A change that merely stops matching its policy (an escalation raising the priority or
    moving it to another group) keeps it, instead of dropping the ticket to the catch-all default on another
    calendar. A deleted policy falls back to the match (and `refresh` logs it)."""
    matched, calendar = settings.resolve(ticket.priority.value, ticket.channel.value, ticket.group, ticket.tags)
    current = ticket.sla.policy_id if ticket.sla is not None else None
    if matched.id != DEFAULT_POLICY_ID or current is None or current == matched.id:
        return matched, calendar
    kept = next((p for p in settings.policies if p.id == current), None)
    if kept is None:
        return matched, calendar
    return kept, settings.calendar(kept.calendar_id)


def business_time(store: SlaSettingsStore) -> Callable[[Ticket, datetime, float], datetime]:
    """The instant some business minutes after a time in the ticket's business hours: its policy's calendar, as its
    SLA clocks count them (`triggers.ports.BusinessTime`; ValueError when the calendar has none ahead)."""

    def add(ticket: Ticket, start: datetime, minutes: float) -> datetime:
        return choose_policy(ticket, store.load(ticket.tenant_id))[1].add(start, minutes)

    return add


def refresh(ticket: Ticket, events: list[TicketEvent], store: SlaSettingsStore,
            now: datetime) -> tuple[SlaUpdate, list[TicketEvent]]:
    """Pick the policy, recompute the clocks as of `now`, and say so in the log when the ticket's policy is gone."""
    settings = store.load(ticket.tenant_id)
    policy, calendar = choose_policy(ticket, settings)
    extra: list[TicketEvent] = []
    before = ticket.sla
    if before is not None and before.policy_id != policy.id and not settings.has_policy(before.policy_id) \
            and before.policy_id != "default":
        extra.append(TicketEvent(ticket_id=ticket.id, tenant_id=ticket.tenant_id, type=EventType.SLA, actor="sla",
                                 at=now, data={"kind": "policy_fallback", "missing_policy": before.policy_id,
                                               "policy": policy.id}))
    update = recompute(ticket, events, policy, calendar, now)
    ticket.sla = update.sla
    return update, extra


class SlaHook:
    """`TicketHook` implementation, registered on the TicketService by `helpdesk.bootstrap.Container.ticket_service`."""

    def __init__(self, store: SlaSettingsStore, on_finished: FinishedSink | None = None) -> None:
        self.store = store
        self.on_finished = on_finished

    def before_save(self, ticket: Ticket, events: list[TicketEvent], now: datetime) -> list[TicketEvent]:
        try:
            update, extra = refresh(ticket, events, self.store, now)
        except Exception:
            # A ticket change must not fail because SLA settings are unreadable (throttling, a missing
            # IAM grant): keep the last SLA state, say so loudly; the next change or scan catches up.
            from helpdesk.platform.observability import logger, metrics

            logger.exception("sla recompute skipped", extra={"ticket_id": ticket.id})
            metrics.add_metric(name="SlaRecomputeSkipped", unit="Count", value=1)
            return []
        if self.on_finished is not None:
            for target in update.finished:
                self.on_finished(ticket, target)
        return extra
