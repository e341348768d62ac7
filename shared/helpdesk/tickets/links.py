"""Merging tickets and linking them: both ends are written, each under its own version check, in an order
that makes a retried request finish what an interrupted one started (every step is idempotent).

A merge closes the source first (its `merged_into` is the commit point: from then on mail and chat on its
thread follow the chain), then the target takes the source's people and a `merged_from` link; its events view
shows the source's messages from the source's own log (nothing is copied, so each log stays the truth about
its own ticket)."""

import contextlib
import hashlib
from datetime import datetime

from helpdesk.kernel.errors import ConcurrentUpdate, Forbidden, InvalidInput, InvalidTransition, NotFound
from helpdesk.kernel.principal import Principal
from helpdesk.tickets.history import EventType, TicketEvent
from helpdesk.tickets.model import INVERSE_LINK, AgentLinkType, Requester, Status, Ticket, TicketLink, email_key
from helpdesk.tickets.service import CreateTicket, TicketService


def merge(service: TicketService, caller: Principal, source_id: str, into_id: str) -> tuple[Ticket, Ticket]:
    """Merge `source_id` into `into_id`; returns (source, target). Agents and admins only."""
    if not caller.is_staff:
        raise Forbidden("only agents and admins merge tickets")
    source = service.get(caller, source_id)
    target = service.get(caller, into_id)  # another tenant's ticket is a 404 like a missing one
    if source.id == target.id:
        raise InvalidInput("a ticket cannot be merged into itself", {"into": into_id})
    if source.merged_into != target.id:
        _check_target(target)

        def open_target() -> Ticket:
            # Read on each attempt and written against: the source is closed only while the target is still
            # the open ticket checked here. Two opposite merges racing (A into B, B into A) cannot both pass:
            # each one's transaction checks the version of the ticket the other one writes.
            current = service.get(caller, target.id)
            _check_target(current)
            return current

        def close(ticket: Ticket, now: datetime) -> list[TicketEvent]:
            return ticket.merge_into(target, caller.user_id, now)

        source, _ = service.run_change(caller, source.id, close, guard=open_target)
    target, _ = service.run_change(caller, target.id, lambda t, now: t.absorb(source, caller.user_id, now))
    return source, target


def _check_target(target: Ticket) -> None:
    """Only an open, unmerged ticket takes a merge. The source is closed by the merge, so a chain only ever
    ends in an open ticket and cannot loop back (a ticket merged into the source is closed and refused)."""
    if target.merged_into is not None or target.status == Status.CLOSED:
        raise InvalidTransition(f"ticket {target.key} is closed (merged or done); merge into an open ticket",
                                {"into": target.id, "status": target.status.value, "merged_into": target.merged_into})


def link(service: TicketService, caller: Principal, ticket_id: str, type_: AgentLinkType,
         other_id: str) -> Ticket:
    """Link two tickets both ways (`parent` here is `child` there); linking again changes nothing."""
    if not caller.is_staff:
        raise Forbidden("only agents and admins link tickets")
    if ticket_id == other_id:
        raise InvalidInput("a ticket cannot be linked to itself", {"ticket_id": other_id})
    ticket, other = service.get(caller, ticket_id), service.get(caller, other_id)
    if ticket.id == other.id:
        raise InvalidInput("a ticket cannot be linked to itself", {"ticket_id": other_id})
    inverse = TicketLink(type=INVERSE_LINK[type_], ticket_id=ticket.id)
    service.run_change(caller, other.id, lambda t, now: t.link(inverse, caller.user_id, now))
    here = TicketLink(type=type_, ticket_id=other.id)
    ticket, _ = service.run_change(caller, ticket.id, lambda t, now: t.link(here, caller.user_id, now))
    return ticket


def unlink(service: TicketService, caller: Principal, ticket_id: str, type_: AgentLinkType,
           other_id: str) -> Ticket:
    """Remove a link and its inverse; a link that is not there is already removed (no error, no event)."""
    if not caller.is_staff:
        raise Forbidden("only agents and admins unlink tickets")
    ticket = service.get(caller, ticket_id)
    try:
        other = service.get(caller, other_id)
    except NotFound:
        other = None
    if other is not None:
        inverse = TicketLink(type=INVERSE_LINK[type_], ticket_id=ticket.id)
        service.run_change(caller, other.id, lambda t, now: t.unlink(inverse, caller.user_id, now))
    here = TicketLink(type=type_, ticket_id=other_id)
    ticket, _ = service.run_change(caller, ticket.id, lambda t, now: t.unlink(here, caller.user_id, now))
    return ticket


def split(service: TicketService, caller: Principal, ticket_id: str, event_seq: int) -> Ticket:
    """Open a new ticket from one customer message of `ticket_id` (its author as requester: a mail's sender,
    else the requester; the same group and channel), linked `related` both ways. The new ticket's id derives
    from the message, so a retry returns the same ticket."""
    if not caller.is_staff:
        raise Forbidden("only agents and admins split tickets")
    source = service.get(caller, ticket_id)
    event = next((e for e in service.events(caller, source.id) if e.seq == event_seq), None)
    if event is None or event.type != EventType.PUBLIC_MESSAGE or not event.data.get("from_customer"):
        raise InvalidInput("event_seq must name a customer's message on this ticket", {"event_seq": event_seq})
    requester = source.requester
    sender = str(event.data.get("from") or "").strip().lower()  # a mail from a participant: they asked it
    if sender and sender != (requester.email or "").lower():
        requester = Requester(id=email_key(sender), email=sender, name=event.data.get("from_name") or None)
    new_id = hashlib.sha256(f"{source.tenant_id}#{source.id}#{event_seq}".encode()).hexdigest()[:32]
    opening: dict[str, object] = {"split_from": source.id, "split_from_number": source.key, "split_seq": event_seq}
    files = [f for f in event.data.get("attachments") or [] if isinstance(f, dict)]
    if files:  # the message's files (a screenshot of the other problem) open the new ticket with it
        opening["attachments"] = files
    cmd = CreateTicket(subject=f"{source.subject} (split from {source.key})"[:500], description=str(event.data["body"]),
                       priority=source.priority, channel=source.channel, group=source.group,
                       requester=requester, id=new_id,
                       participants=[p for p in source.participants if p != (requester.email or "")],
                       event_data=opening)
    with contextlib.suppress(ConcurrentUpdate):  # a retry: the ticket exists already; the links are made below
        service.create(caller, cmd)
    return link(service, caller, new_id, "related", source.id)
