"""`helpdesk privacy ...`: a person's export or erasure, the retention scan and the masking of card numbers written
before, run by an operator against the running local stack (or the AWS account the environment points at).
Recorded in the tenant's audit log as `operator:<login name>` of whoever ran it."""

import json
from typing import Annotated

import typer

from helpdesk.kernel.principal import operator_principal

privacy_app = typer.Typer(help="Privacy: export or erase a person's data, apply the retention period, mask cards.",
                          no_args_is_help=True)
Tenant = Annotated[str, typer.Option(help="The tenant the person belongs to.")]
Email = Annotated[str, typer.Option(help="The person's e-mail address.")]


def _address(email: str) -> str:
    from pydantic import ValidationError

    from helpdesk.privacy.model import PersonRequest

    try:
        return PersonRequest(email=email).email
    except ValidationError as exc:
        raise typer.BadParameter(f"not an e-mail address: {email!r}", param_hint="--email") from exc


@privacy_app.command()
def export(tenant: Tenant, email: Email) -> None:
    """Write everything about the person to a JSON archive; prints its download link."""
    from helpdesk.local.stack import cli_container

    address = _address(email)
    typer.echo(cli_container().privacy.export(operator_principal(tenant), address).model_dump_json())


@privacy_app.command()
def erase(tenant: Tenant, email: Email) -> None:
    """Take the person out of every ticket, event, chat, index and stored file of the tenant."""
    from helpdesk.local.stack import cli_container

    address = _address(email)
    typer.echo(cli_container().privacy.erase(operator_principal(tenant), address).model_dump_json())


@privacy_app.command()
def retention() -> None:
    """Apply every tenant's retention period now (the scheduled scan does it daily)."""
    from helpdesk.local.stack import cli_container

    typer.echo(json.dumps(cli_container().privacy.apply_retention().model_dump()))


@privacy_app.command("mask-cards")
def mask_cards(tenant: Annotated[str, typer.Option(help="The tenant whose tickets are read.")]) -> None:
    """Mask the card numbers written before the tenant masked them, in every ticket: one JSON line per page of
    tickets read (as `POST /privacy/card-masking` pages them), until the last."""
    from helpdesk.local.stack import cli_container

    redactions, operator = cli_container().ticket_redactions, operator_principal(tenant)
    cursor: str | None = None
    while True:
        run = redactions.mask_written_cards(operator, cursor)
        typer.echo(run.model_dump_json(exclude={"next_cursor"}))
        if run.next_cursor is None:
            return
        cursor = run.next_cursor
