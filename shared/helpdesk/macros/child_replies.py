"""One reply to a ticket and to every ticket linked to it as a `child`: Zendesk's problem and its incidents.

Fifty customers write about the same outage; an agent links their tickets to one problem ticket and, when it is
fixed, answers once. The reply is a macro template (`{{ requester.first_name }}`), rendered for each ticket on its
own, so every customer is greeted by their own name, and it goes out as that ticket's own message (its mail, its
language's quote line, its rating mail when solved). Each child is written on its own, as a bulk change is: one
child's refusal never stops or undoes the others, and the reply on the problem itself is written first, so a
failure among the children never loses what the agent wrote."""

from dataclasses import dataclass
from typing import Any

from helpdesk.kernel.errors import (
    DomainError,
    Forbidden,
    InvalidAssignment,
    InvalidInput,
    MissingRequiredFields,
    NotFound,
    TooLarge,
)
from helpdesk.kernel.principal import Principal
from helpdesk.kernel.text import stored_size
from helpdesk.macros.rendering import check_template, render
from helpdesk.macros.service import placeholders
from helpdesk.tickets.bulk import BulkOutcome, BulkResult, failed_result
from helpdesk.tickets.history import PARENT_ID, PARENT_NUMBER, REQUEST_ID, EventType, TicketEvent
from helpdesk.tickets.model import MAX_TEXT_BYTES, Status, Ticket
from helpdesk.tickets.service import TicketService

MESSAGE_TYPES = (EventType.PUBLIC_MESSAGE, EventType.INTERNAL_NOTE)


@dataclass(frozen=True)
class ChildReply:
    """The message written on the ticket itself, and one outcome per child (in the order they were linked)."""

    ticket: Ticket
    event: TicketEvent
    children: list[BulkResult]


class ChildReplies:
    def __init__(self, tickets: TicketService) -> None:
        self.tickets = tickets

    def reply(self, caller: Principal, ticket_id: str, body: str, *, public: bool,
              status: Status | None = None, request: str | None = None,
              meta: dict[str, Any] | None = None) -> ChildReply:
        """`body` (a template) on `ticket_id` and on each of its child tickets, with `status` set on each in the
        same write. A child already closed, or already solved when `status` solves, is `skipped`: its customer
        has had their answer and a second one would reopen nothing but the noise.

        `request` (`web.idempotency.request_id`: the caller's Idempotency-Key) is recorded on every message written.
        One request writes one message per ticket, one after the other, so an attempt can time out half-way; a retry
        with the same key after the idempotency record's in-progress window finds the problem's message already
        there and writes only on the children the first attempt did not reach (each found reads `updated`).
        `meta`: what every message written records besides (`tickets.history.MESSAGE_FORMAT`)."""
        if not caller.is_staff:
            raise Forbidden("only agents and admins answer a ticket's child tickets")
        check_template(body, "body")  # a template that cannot render refuses the request before anything is written
        ticket = self.tickets.get(caller, ticket_id)
        stamp = {**(meta or {}), **({REQUEST_ID: request} if request else {})}
        earlier = self._written(caller, ticket.id, request)
        if earlier is not None:  # this request's retry: the problem has its message
            event = earlier
        else:
            ticket, event = self.tickets.add_message(caller, ticket.id, _rendered(body, ticket, caller), public,
                                                     meta=stamp or None, status=status, follow_mentions=True)
        children = list(dict.fromkeys(link.ticket_id for link in ticket.links if link.type == "child"))
        sent_with = {PARENT_ID: ticket.id, PARENT_NUMBER: ticket.key, **stamp}  # on each child's: whence it came
        return ChildReply(ticket=ticket, event=event,
                          children=[self._reply_to_child(caller, child_id, body, public, status, sent_with,
                                                         request if earlier is not None else None)
                                    for child_id in children])

    def _written(self, caller: Principal, ticket_id: str, request: str | None) -> TicketEvent | None:
        """The message `request` wrote on the ticket, if it did (read only for a request that names itself)."""
        if not request:
            return None
        return next((e for e in reversed(self.tickets.events(caller, ticket_id))
                     if e.type in MESSAGE_TYPES and e.data.get(REQUEST_ID) == request), None)

    def _reply_to_child(self, caller: Principal, child_id: str, body: str, public: bool,
                        status: Status | None, sent_with: dict[str, Any], retried: str | None) -> BulkResult:
        """`retried`: the request whose earlier attempt may have written on this child already."""
        number: str | None = None
        try:
            child = self.tickets.get(caller, child_id)
            number = child.key
            if self._written(caller, child.id, retried) is not None:
                return BulkResult(id=child.id, outcome=BulkOutcome.UPDATED, version=child.version, number=number)
            skipped = _why_skipped(child, status)
            if skipped:
                return BulkResult(id=child.id, outcome=BulkOutcome.SKIPPED, version=child.version, number=number,
                                  code=skipped[0], message=skipped[1])
            child, _ = self.tickets.add_message(caller, child.id, _rendered(body, child, caller), public,
                                                meta=sent_with, status=status)
        except NotFound as exc:
            return failed_result(child_id, BulkOutcome.NOT_FOUND, exc)
        except (Forbidden, InvalidAssignment, MissingRequiredFields) as exc:
            return failed_result(child_id, BulkOutcome.FORBIDDEN, exc, number)
        except DomainError as exc:  # closed meanwhile, a move its status cannot make, a greeting rendering to nothing
            return failed_result(child_id, BulkOutcome.CONFLICT, exc, number)
        return BulkResult(id=child.id, outcome=BulkOutcome.UPDATED, version=child.version, number=number)


def _why_skipped(child: Ticket, status: Status | None) -> tuple[str, str] | None:
    if child.status == Status.CLOSED:
        return "closed", f"ticket {child.key} is closed: a closed ticket takes no more messages"
    if status == Status.RESOLVED and child.status == Status.RESOLVED:
        return "already_resolved", f"ticket {child.key} is solved already"
    return None


def _rendered(body: str, ticket: Ticket, caller: Principal) -> str:
    text = render(body, placeholders(ticket, caller)).strip()
    if not text:
        raise InvalidInput("body renders to nothing for this ticket", {"field": "body", "ticket_id": ticket.id})
    if stored_size(text) > MAX_TEXT_BYTES:
        raise TooLarge(f"body renders to more than {MAX_TEXT_BYTES} bytes", {"field": "body"})
    return text
