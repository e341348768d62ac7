"""`helpdesk triage ...`: look at a ticket's triage, or triage it again, against the running local stack."""

import json
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from helpdesk.bootstrap import Container
    from helpdesk.tickets.model import Ticket

triage_app = typer.Typer(help="Triage tools: show a ticket's triage, preview it again.", no_args_is_help=True)

Tenant = Annotated[str, typer.Option(help="Tenant id.")]
TicketRef = Annotated[str, typer.Argument(help="Ticket id or number (T-000123).")]


def _ticket(container: "Container", ref: str, tenant: str) -> "Ticket":
    from helpdesk.kernel.principal import system_principal
    from helpdesk.tickets.cli import ticket_by_ref

    return ticket_by_ref(container, system_principal(tenant, "ai"), ref)


@triage_app.command()
def show(ref: TicketRef, tenant: Tenant = "acme") -> None:
    """Print the ticket's triage record (what `GET /tickets/{id}/assist` returns) as JSON."""
    from helpdesk.local.stack import cli_container

    container = cli_container()
    ticket = _ticket(container, ref, tenant)
    result = container.triage.store.get(tenant, ticket.id)
    if result is None:
        typer.echo(json.dumps({"ticket": ticket.key, "status": "pending"}))
        raise typer.Exit(1)
    typer.echo(result.model_dump_json(indent=2, exclude={"revision", "auto_apply_done"}))


@triage_app.command()
def preview(ref: TicketRef, tenant: Tenant = "acme") -> None:
    """Compute the ticket's triage again from its current text and print it; nothing is stored or applied."""
    from helpdesk.local.stack import cli_container

    container = cli_container()
    ticket = _ticket(container, ref, tenant)
    engine = container.triage
    result, _ = engine.compute(ticket, engine.settings.get(tenant))
    typer.echo(result.model_dump_json(indent=2, exclude={"revision", "auto_apply_done", "tenant_id"}))
