"""`helpdesk mail ...`: parse mail files, ingest them into the local stack, see what went out or was held."""

import json
from pathlib import Path
from typing import Annotated

import typer

mail_app = typer.Typer(help="Email tools: parse, ingest, outbox, bounce, quarantine, replay, routes.",
                       no_args_is_help=True)


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
    authenticated: Annotated[bool, typer.Option(
        help="Deliver as SES does a sender whose SPF, DKIM and DMARC pass (locally nothing checks them; an "
             "agent's mail reply to a notification needs it).")] = False,
) -> None:
    """Deliver mail files to the running local stack through the same path as SES -> email_ingest."""
    from helpdesk.local.stack import cli_container
    from helpdesk.mail.local import deliver_raw

    container = cli_container(require_stack=True)
    verdicts = dict.fromkeys(("spf", "dkim", "dmarc"), "PASS") if authenticated else None
    for path in files:
        for result in deliver_raw(container, path.read_bytes(), [to] if to else None, verdicts=verdicts):
            typer.echo(json.dumps({"file": str(path), **result}))  # one line for each tenant it is addressed to


@mail_app.command()
def outbox(limit: Annotated[int, typer.Option(min=1, max=500)] = 20,
           team: Annotated[bool, typer.Option(help="The plain mails the SLA scan sends the team instead: warnings, "
                                                   "breaches, agents' reminders.")] = False) -> None:
    """Mail the local stack sent (moto SES), newest last."""
    from helpdesk.local.stack import cli_container
    from helpdesk.mail.local import sent_messages, team_notices

    cli_container()
    for message in (team_notices() if team else sent_messages())[-limit:]:
        typer.echo(json.dumps(message, ensure_ascii=False))


@mail_app.command()
def bounce(
    ticket: Annotated[str, typer.Argument(help="The ticket: its number (T-000001) or id.")],
    tenant: Annotated[str, typer.Option(help="Tenant id.")],
    address: Annotated[str | None, typer.Option(help="Whose mail bounced (default: the requester's address).")] = None,
    complaint: Annotated[bool, typer.Option(help="A complaint (marked as spam) instead of a bounce.")] = False,
    agent: Annotated[str | None, typer.Option(
        help="A teammate's notification about it bounced instead (their user id): told in their inbox.")] = None,
) -> None:
    """Tell the local stack that its mail about a ticket bounced, as SES's event would in AWS (moto sends none):
    the ticket gets the team-only "mail did not arrive" event the console warns with; with `--agent`, the
    teammate's notification bounced, which their console inbox tells them."""
    from helpdesk.kernel.principal import system_principal
    from helpdesk.local.stack import cli_container
    from helpdesk.mail.local import report_feedback
    from helpdesk.tickets.cli import ticket_by_ref

    container = cli_container(require_stack=True)
    found = ticket_by_ref(container, system_principal(tenant), ticket)
    member = container.directory_store.get_user(tenant, agent) if agent else None
    if agent and member is None:
        raise typer.BadParameter(f"no teammate {agent} in tenant {tenant}")
    to = address or (member.email if member is not None else found.requester.email)
    if not to:
        raise typer.BadParameter("the ticket's requester has no address: give --address")
    outcome = report_feedback(container, tenant, found.id, to, complaint=complaint, agent=agent)
    typer.echo(json.dumps({"ticket": found.key, "address": to, "outcome": outcome}))


@mail_app.command()
def quarantine(
    tenant: Annotated[str, typer.Option(help="Tenant id (`_unrouted` for mail no tenant claimed).")],
    limit: Annotated[int, typer.Option(min=1, max=500)] = 50,
    search: Annotated[str, typer.Option(help="Only mail whose sender, subject, recipients, reason or delivery id hold "
                                             "every word (as the Mail screen's search; reads up to 1,000 records).")]
    = "",
) -> None:
    """Mail held back or ignored (virus, spam, auto-replies, ...), newest first."""
    from helpdesk.local.stack import cli_container
    from helpdesk.mail.admin import held_mail_matching

    words = search.casefold().split()
    records, _ = cli_container().mail_records.quarantine_page(tenant, limit, None,
                                                              held_mail_matching(words) if words else None)
    for record in records:
        typer.echo(record.model_dump_json())


@mail_app.command()
def replay(
    delivery_ids: Annotated[list[str] | None, typer.Argument(help="Delivery ids from `helpdesk mail quarantine`.")]
    = None,
    tenant: Annotated[str, typer.Option(help="Tenant whose quarantine holds them (`_unrouted` for mail no "
                                             "tenant claimed).")] = "",
    reason: Annotated[str | None, typer.Option(help="Instead of ids: every unresolved record with this reason "
                                                    "(e.g. failed, unknown_recipient).")] = None,
    limit: Annotated[int, typer.Option(min=1, max=500, help="With --reason: how many records to look at.")] = 50,
) -> None:
    """Deliver quarantined mail again once the cause is fixed, as SES did: one JSON line per mail. The same
    delivery id is used, so what an earlier attempt wrote is found instead of repeated."""
    if not tenant:
        raise typer.BadParameter("name the tenant (--tenant)")
    if not delivery_ids and not reason:
        raise typer.BadParameter("name delivery ids, or --reason to replay every unresolved record with it")
    from helpdesk.kernel.errors import DomainError
    from helpdesk.local.stack import cli_container

    container = cli_container()
    ids = list(delivery_ids or [])
    if not ids:
        ids = [r.delivery_id for r in container.mail_records.quarantined(tenant, limit)
               if r.reason == reason and r.resolution is None]
    failed = False
    for delivery_id in ids:
        try:
            result = container.mail_ingest.replay(tenant, delivery_id)
        except DomainError as exc:
            failed = True
            typer.echo(json.dumps({"delivery_id": delivery_id, "error": exc.code, "message": exc.message}))
            continue
        typer.echo(result.model_dump_json())
    if failed:
        raise typer.Exit(1)


@mail_app.command()
def route(
    address: Annotated[str, typer.Argument(help="Inbound address, e.g. support@acme.example.")],
    tenant: Annotated[str, typer.Option(help="Tenant that owns mail sent to it.")],
    force: Annotated[bool, typer.Option(help="Take the address from the tenant that has it.")] = False,
) -> None:
    """Send mail for ADDRESS to TENANT (the operator's assignment, no verification mail)."""
    if "@" not in address or any(c.isspace() for c in address):
        raise typer.BadParameter(f"{address!r} is not an e-mail address")
    from helpdesk.local.stack import cli_container

    records = cli_container().mail_records
    address = address.strip().lower()
    owner = records.tenant_for_address(address)
    if owner not in (None, tenant) and not force:
        raise typer.BadParameter(f"{address} belongs to tenant {owner}; --force to move it")
    records.set_inbound_address(address, tenant)
    if owner not in (None, tenant):
        _forget_moved_address(str(owner), address)
    typer.echo(json.dumps({"address": address, "tenant_id": tenant, "previous_tenant_id": owner}))


def _forget_moved_address(previous: str, address: str) -> None:
    """The tenant an address was taken from no longer routes its mail to a group (its next mail settings save
    would otherwise be refused for naming an address it does not have); audited under the operator. Its support
    address is left for its admins to change, and said."""
    from helpdesk.kernel.principal import operator_principal
    from helpdesk.local.stack import cli_container
    from helpdesk.mail.admin import change_mail_settings, without_address_group

    container = cli_container()
    settings = change_mail_settings(container.mail_records, operator_principal(previous),
                                    lambda current: without_address_group(current, address), container.audit_trail)
    if settings.support_address == address:
        typer.echo(f"warning: {address} is still tenant {previous}'s support address (replies are sent from it): "
                   "its admins choose another one in the mail settings", err=True)


@mail_app.command()
def domain(
    name: Annotated[str, typer.Argument(help="A domain verified in SES, e.g. acme.example.")],
    tenant: Annotated[str, typer.Option(help="Tenant whose addresses it holds.")],
) -> None:
    """Register a domain to TENANT: its admins may then route any address in it without a verification
    mail, and mail to its addresses goes to TENANT. The domain must be verified in SES (its DNS proves who
    controls it), and no other tenant may have it."""
    import boto3

    from helpdesk.local.stack import cli_container

    name = name.strip().lower().rstrip(".")
    if "." not in name or "@" in name or any(c.isspace() for c in name):
        raise typer.BadParameter(f"{name!r} is not a domain")
    container = cli_container()
    attributes = boto3.client("ses").get_identity_verification_attributes(Identities=[name])
    verification = attributes["VerificationAttributes"].get(name)
    status = verification["VerificationStatus"] if verification else None
    if status != "Success":
        raise typer.BadParameter(f"{name} is not verified in SES (status: {status or 'unknown'})")
    owner = container.mail_records.register_domain(name, tenant)
    if owner != tenant:
        raise typer.BadParameter(f"{name} is registered to tenant {owner}")
    typer.echo(json.dumps({"domain": name, "tenant_id": tenant}))
