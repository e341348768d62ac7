"""`helpdesk mail ...`: parse mail files, ingest them into the local stack, see what went out or was held."""

import json
from pathlib import Path
from typing import Annotated

import typer

mail_app = typer.Typer(help="Email tools: parse, ingest, outbox, quarantine.", no_args_is_help=True)


@mail_app.command()
def parse(files: Annotated[list[Path], typer.Argument(help="Raw .eml files.")]) -> None:
    """Print one JSON object per file (no stack needed): headers, text, visible reply, attachments."""
    from helpdesk.mail.parser import parse_message

    for path in files:
        try:
            raw = path.read_bytes()
        except OSError as exc:
            typer.echo(json.dumps({"file": str(path), "error": f"cannot read: {exc.strerror or exc}"}))
            continue
        if not raw.strip():
            typer.echo(json.dumps({"file": str(path), "error": "empty file: no message to parse"}))
            continue
        try:
            summary = parse_message(raw).summary()
        except Exception as exc:  # parse_message does not raise; this keeps the one-line-per-file promise
            typer.echo(json.dumps({"file": str(path), "error": f"{type(exc).__name__}: {exc}"}))
            continue
        typer.echo(json.dumps({"file": str(path), **summary}, ensure_ascii=False))


@mail_app.command()
def ingest(
    files: Annotated[list[Path], typer.Argument(help="Raw .eml files.")],
    to: Annotated[str | None, typer.Option(help="Recipient (default: the mail's To, else the support address).")]
    = None,
) -> None:
    """Deliver mail files to the running local stack through the same path as SES -> email_ingest."""
    from helpdesk.local.stack import cli_container
    from helpdesk.mail.local import deliver_raw

    container = cli_container(require_stack=True)
    for path in files:
        result = deliver_raw(container, path.read_bytes(), [to] if to else None)
        typer.echo(json.dumps({"file": str(path), **result}))


@mail_app.command()
def outbox(limit: Annotated[int, typer.Option(min=1, max=500)] = 20) -> None:
    """Mail the local stack sent (moto SES), newest last."""
    from helpdesk.local.stack import cli_container
    from helpdesk.mail.local import sent_messages

    cli_container()
    for message in sent_messages()[-limit:]:
        typer.echo(json.dumps(message, ensure_ascii=False))


@mail_app.command()
def quarantine(
    tenant: Annotated[str, typer.Option(help="Tenant id (`_unrouted` for mail no tenant claimed).")],
    limit: Annotated[int, typer.Option(min=1, max=500)] = 50,
) -> None:
    """Mail held back or ignored (virus, spam, auto-replies, ...), newest first."""
    from helpdesk.local.stack import cli_container

    for record in cli_container().mail_records.quarantined(tenant, limit):
        typer.echo(record.model_dump_json())


@mail_app.command()
def route(
    address: Annotated[str, typer.Argument(help="Inbound address, e.g. support@acme.example.")],
    tenant: Annotated[str, typer.Option(help="Tenant that owns mail sent to it.")],
) -> None:
    """Send mail for ADDRESS to TENANT (an INBOUND record in the Meta table)."""
    if "@" not in address or any(c.isspace() for c in address):
        raise typer.BadParameter(f"{address!r} is not an e-mail address")
    from helpdesk.local.stack import cli_container

    cli_container().mail_records.set_inbound_address(address.strip().lower(), tenant)
    typer.echo(json.dumps({"address": address.strip().lower(), "tenant_id": tenant}))
