"""`helpdesk triage ...`: look at a ticket's triage, or triage it again, against the running local stack."""

import json
import os
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from helpdesk.domain.ticket import Ticket

triage_app = typer.Typer(help="Triage tools: show a ticket's triage, preview it again.", no_args_is_help=True)

Tenant = Annotated[str, typer.Option(help="Tenant id.")]
TicketRef = Annotated[str, typer.Argument(help="Ticket id or number (T-000123).")]


def _ticket(ref: str, tenant: str) -> "Ticket":
    from helpdesk.bootstrap import ticket_service
    from helpdesk.domain.principal import system_principal
    from helpdesk.domain.ticket import parse_number

    caller = system_principal(tenant, "ai")
    number = parse_number(ref)
    return ticket_service().get_by_number(caller, number) if number else ticket_service().get(caller, ref)


@triage_app.command()
def show(ref: TicketRef, tenant: Tenant = "acme") -> None:
    """Print the ticket's triage record (what `GET /tickets/{id}/assist` returns) as JSON."""
    os.environ.setdefault("POWERTOOLS_LOG_LEVEL", "WARNING")
    from helpdesk.local.stack import use_local_stack

    use_local_stack(required=False)  # before any adapter import: PynamoDB reads endpoints at import
    from helpdesk.domain.errors import NotFound
    from helpdesk.triage.wiring import triage

    try:
        ticket = _ticket(ref, tenant)
    except NotFound as exc:
        raise typer.BadParameter(f"no ticket {ref} in tenant {tenant}") from exc
    result = triage().store.get(tenant, ticket.id)
    if result is None:
        typer.echo(json.dumps({"ticket": ticket.key, "status": "pending"}))
        raise typer.Exit(1)
    typer.echo(result.model_dump_json(indent=2, exclude={"revision", "auto_apply_done"}))


@triage_app.command()
def preview(ref: TicketRef, tenant: Tenant = "acme") -> None:
    """Compute the ticket's triage again from its current text and print it; nothing is stored or applied."""
    os.environ.setdefault("POWERTOOLS_LOG_LEVEL", "WARNING")
    from helpdesk.local.stack import use_local_stack

    use_local_stack(required=False)
    from helpdesk.domain.errors import NotFound
    from helpdesk.triage.wiring import triage

    try:
        ticket = _ticket(ref, tenant)
    except NotFound as exc:
        raise typer.BadParameter(f"no ticket {ref} in tenant {tenant}") from exc
    engine = triage()
    result, _ = engine.compute(ticket, engine.settings.get(tenant))
    typer.echo(result.model_dump_json(indent=2, exclude={"revision", "auto_apply_done", "tenant_id"}))
