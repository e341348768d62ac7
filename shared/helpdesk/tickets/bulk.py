"""One change applied to many tickets, each on its own: its own read, rule checks and conditional write, and
its own outcome. One ticket's refusal or conflict never stops or undoes the others; what is wrong with the
change itself (a custom field value not of its field's type) refuses the request before any ticket is written."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from helpdesk.kernel.errors import (
    Conflict,
    DomainError,
    Forbidden,
    InvalidAssignment,
    InvalidInput,
    MissingRequiredFields,
    NotFound,
    TooLarge,
)
from helpdesk.kernel.principal import Principal
from helpdesk.tickets.service import TicketService, UpdateTicket

MAX_BULK_IDS = 100  # one request stays well inside the API's 30 s timeout (one transaction per ticket)


class BulkOutcome(StrEnum):
    UPDATED = "updated"  # written, or already as asked
    CONFLICT = "conflict"  # the version moved on (the `versions` given), or the change is not allowed now
    FORBIDDEN = "forbidden"  # the caller may see the ticket but not make this change (code `invalid_assignment`:
    # the directory refuses the group or assignee for this ticket, e.g. an assignee outside the ticket's group)
    NOT_FOUND = "not_found"  # missing, or not visible to the caller
    SKIPPED = "skipped"  # left as it is on purpose (a reply to child tickets: one already solved or closed)


@dataclass(frozen=True)
class BulkResult:
    id: str
    outcome: BulkOutcome
    version: int | None = None
    number: str | None = None  # the ticket's number (T-000042), where it was read
    code: str | None = None
    message: str | None = None


def bulk_update(service: TicketService, caller: Principal, ids: Sequence[str], changes: UpdateTicket,
                versions: Mapping[str, int] | None = None) -> list[BulkResult]:
    """`versions`: the version each ticket was seen at (its ETag); a ticket changed since is a `conflict`.
    Without one a ticket is written on the version read, retried on a race like any other change."""
    if not changes.model_dump(exclude_unset=True):
        raise InvalidInput("changes is empty: name at least one field to change", {"field": "changes"})
    if len(ids) > MAX_BULK_IDS:
        raise TooLarge(f"at most {MAX_BULK_IDS} tickets at once", {"field": "ids", "limit": MAX_BULK_IDS})
    # The same values for every ticket: a bad one refuses the whole request (422) before any ticket is written.
    service.check_field_values(caller.tenant_id, changes.custom_fields)
    results: list[BulkResult] = []
    for ticket_id in dict.fromkeys(ids):  # each once, in the order given
        expected = (versions or {}).get(ticket_id)
        try:
            ticket = service.update(caller, ticket_id, changes, expected_version=expected, values_checked=True)
        except NotFound as exc:
            results.append(failed_result(ticket_id, BulkOutcome.NOT_FOUND, exc))
        except (Forbidden, InvalidAssignment, MissingRequiredFields) as exc:
            results.append(failed_result(ticket_id, BulkOutcome.FORBIDDEN, exc))
        except Conflict as exc:
            results.append(failed_result(ticket_id, BulkOutcome.CONFLICT, exc))
        else:
            results.append(BulkResult(id=ticket_id, outcome=BulkOutcome.UPDATED, version=ticket.version,
                                       number=ticket.key))
    return results


def failed_result(ticket_id: str, outcome: BulkOutcome, exc: DomainError, number: str | None = None) -> BulkResult:
    return BulkResult(id=ticket_id, outcome=outcome, number=number, code=exc.code, message=exc.message)
