"""What the `helpdesk` commands share about tickets: one named on the command line (no command group of its own)."""

from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from helpdesk.bootstrap import Container
    from helpdesk.kernel.principal import Principal
    from helpdesk.tickets.model import Ticket


def ticket_by_ref(container: "Container", caller: "Principal", ref: str) -> "Ticket":
    """The ticket `ref` names (its number, T-000123, or its id) in the caller's tenant; a clear error, not a
    traceback, when there is none."""
    from helpdesk.kernel.errors import NotFound
    from helpdesk.tickets.model import parse_number

    number = parse_number(ref)
    tickets = container.ticket_service
    try:
        return tickets.get_by_number(caller, number) if number else tickets.get(caller, ref)
    except NotFound as exc:
        raise typer.BadParameter(f"no ticket {ref} in tenant {caller.tenant_id}") from exc
