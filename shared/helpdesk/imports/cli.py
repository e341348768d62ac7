"""`helpdesk import ...`: bring a team's history over from the helpdesk it leaves, into the running local stack or
the AWS account the environment points at (as the operator CLI's other commands). Tokens are read from the
environment only: a token typed on the command line stays in the shell's history."""

import json
import sys
from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from helpdesk.imports.adapters.freescout import FreeScoutSource
    from helpdesk.imports.adapters.zammad import ZammadSource
    from helpdesk.imports.adapters.zendesk import ZendeskSource

import_app = typer.Typer(help="Bring tickets, organisations and articles over from another helpdesk.",
                         no_args_is_help=True)

ZENDESK_TOKEN = "ZENDESK_API_TOKEN"  # noqa: S105 - the variable that holds it, not a token
ZAMMAD_TOKEN = "ZAMMAD_API_TOKEN"  # noqa: S105 - the variable that holds it, not a token
FREESCOUT_KEY = "FREESCOUT_API_KEY"

Tenant = Annotated[str, typer.Option(help="The tenant to import into.")]
Since = Annotated[datetime | None, typer.Option(help="Only tickets created or changed since (UTC).")]
Limit = Annotated[int | None, typer.Option(min=1, help="Import at most this many new tickets (a trial run).")]
DryRun = Annotated[bool, typer.Option("--dry-run", help="Read and map everything, write nothing.")]
Macros = Annotated[bool, typer.Option("--macros/--no-macros",
                                      help="Also the macros and canned replies, with their actions.")]
Views = Annotated[bool, typer.Option("--views/--no-views", help="Also the saved ticket lists, as saved views.")]
Triggers = Annotated[bool, typer.Option("--triggers/--no-triggers",
                                        help="Also the triggers: those on new tickets as routing rules, those on "
                                             "changes as triggers.")]
Sla = Annotated[bool, typer.Option("--sla/--no-sla", help="Also the SLA policies and the business hours they use.")]
Articles = Annotated[bool, typer.Option("--articles/--no-articles",
                                        help="Also the help centre's articles (drafts here).")]
Publish = Annotated[bool, typer.Option(help="Publish the articles published there (you reviewed them). Without it "
                                            "they are drafts, and a live article here is not changed.")]
Check = Annotated[bool, typer.Option("--check", help="Only sign in and say as whom (and how many tickets wait), or "
                                                     "why an import would fail; import nothing.")]


@import_app.command()
def zendesk(
    tenant: Tenant,
    email: Annotated[str, typer.Option(help="A Zendesk admin's address (the API token's owner).")],
    subdomain: Annotated[str | None, typer.Option(help="The account: <subdomain>.zendesk.com.")] = None,
    url: Annotated[str | None, typer.Option(help="The account's address instead of --subdomain (a host mapping).")]
    = None,
    since: Since = None,
    limit: Limit = None,
    dry_run: DryRun = False,
    articles: Articles = True,
    publish: Publish = False,
    macros: Macros = True,
    views: Views = True,
    sla: Sla = True,
    triggers: Triggers = True,
    check: Check = False,
    token: Annotated[str | None, typer.Option(envvar=ZENDESK_TOKEN, hidden=True)] = None,
) -> None:
    """Organisations and custom ticket fields, then tickets with their conversations (public replies and internal
    notes), files, field values, requesters, assignees and groups the directory has, tags, status and dates; then the
    macros, the views, the SLA policies with their schedules, the triggers (those on new tickets as routing rules,
    those on changes as triggers) and the help centre's articles.
    Nothing is mailed and nothing is triaged; a rerun imports only what is new. The API token is read from
    ZENDESK_API_TOKEN."""
    from helpdesk.imports.adapters.zendesk import ZendeskSource

    if not token:
        raise typer.BadParameter(f"set {ZENDESK_TOKEN} to a Zendesk API token")
    if bool(subdomain) == bool(url):
        raise typer.BadParameter("give --subdomain or --url (one of them)")
    source = ZendeskSource(_checked_url(url or f"https://{subdomain}.zendesk.com"), email, token)
    if check:
        _check(source)
    _run(tenant, source, since=since, limit=limit, dry_run=dry_run, articles=articles, publish=publish,
         macros=macros, views=views, sla=sla, rules=triggers)


@import_app.command()
def zammad(
    tenant: Tenant,
    url: Annotated[str, typer.Option(help="The Zammad system's address (https://support.example.com).")],
    since: Since = None,
    limit: Limit = None,
    dry_run: DryRun = False,
    articles: Articles = True,
    publish: Publish = False,
    macros: Macros = True,
    views: Views = True,
    sla: Sla = True,
    triggers: Triggers = True,
    check: Check = False,
    token: Annotated[str | None, typer.Option(envvar=ZAMMAD_TOKEN, hidden=True)] = None,
) -> None:
    """Organisations and custom ticket attributes, then tickets with their articles (public ones and internal notes,
    without Zammad's own automatic mails), files, time accounting, attribute values, customers, owners and groups the
    directory has, tags, state and dates; then text modules, macros, overviews (as saved views), SLAs with their
    calendars, the triggers (those on new tickets as routing rules, those on changes as triggers) and the knowledge
    base's answers (as articles).
    Nothing is mailed and nothing is triaged; a rerun imports only what is new.
    The access token (an admin's, Profile > Token Access) is read from ZAMMAD_API_TOKEN."""
    from helpdesk.imports.adapters.zammad import ZammadSource

    if not token:
        raise typer.BadParameter(f"set {ZAMMAD_TOKEN} to a Zammad access token")
    source = ZammadSource(_checked_url(url), token)
    if check:
        _check(source)
    _run(tenant, source, since=since, limit=limit, dry_run=dry_run, articles=articles, publish=publish,
         macros=macros, views=views, sla=sla, rules=triggers)


@import_app.command()
def freescout(
    tenant: Tenant,
    url: Annotated[str, typer.Option(help="The FreeScout system's address (https://support.example.com).")],
    since: Since = None,
    limit: Limit = None,
    dry_run: DryRun = False,
    check: Check = False,
    key: Annotated[str | None, typer.Option(envvar=FREESCOUT_KEY, hidden=True)] = None,
) -> None:
    """Customers (their companies as organisations), then conversations (active, pending and closed; spam stays)
    with their threads (customers' messages, replies and notes, HTML as text; status lines and drafts left out),
    files, Cc's, customers, assignees and mailboxes (as groups) the directory has, tags, status and dates, and the
    custom fields of its Custom Fields module.
    Nothing is mailed and nothing is triaged; a rerun imports only what is new. FreeScout's API comes with its API &
    Webhooks module; the key (Manage > API & Webhooks) is read from FREESCOUT_API_KEY."""
    from helpdesk.imports.adapters.freescout import FreeScoutSource

    if not key:
        raise typer.BadParameter(f"set {FREESCOUT_KEY} to a FreeScout API key")
    source = FreeScoutSource(_checked_url(url), key)
    if check:
        _check(source)
    _run(tenant, source, since=since, limit=limit, dry_run=dry_run, articles=False, publish=False, macros=False,
         views=False, sla=False, rules=False)


def _checked_url(url: str) -> str:
    if not url.startswith(("https://", "http://127.0.0.1", "http://localhost")):
        raise typer.BadParameter("--url must be https:// (the token travels with every request)")
    return url


def _check(source: "ZendeskSource | ZammadSource | FreeScoutSource") -> None:
    """Print the connection check as JSON and end: 0 when an import could run, 1 when not (the problem on stderr)."""
    from helpdesk.imports.job_service import connection_check

    try:
        checked = connection_check(source)
    finally:
        source.close()
    typer.echo(checked.model_dump_json())
    if not checked.ok:
        typer.echo(f"not ready: {checked.problem}", err=True)
    sys.exit(0 if checked.ok else 1)


def _run(tenant: str, source: "ZendeskSource | ZammadSource | FreeScoutSource", *, since: datetime | None,
         limit: int | None, dry_run: bool, articles: bool, publish: bool, macros: bool, views: bool, sla: bool,
         rules: bool) -> None:
    from helpdesk.imports.jobs import ImportOptions
    from helpdesk.imports.model import ImportReport
    from helpdesk.imports.ports import SourceUnavailable
    from helpdesk.kernel.principal import operator_principal
    from helpdesk.local.stack import cli_container

    def progress(report: ImportReport) -> None:
        typer.echo(f"{report.tickets_imported} tickets imported, {report.already_imported} there already", err=True)

    options = ImportOptions(since=since, limit=limit, dry_run=dry_run, articles=articles, publish=publish,
                            macros=macros, views=views, sla=sla, triggers=rules)
    container = cli_container()
    try:
        report = container.importers.run(operator_principal(tenant), source, options, progress)
    except SourceUnavailable as exc:
        typer.echo(f"stopped: {exc} (what was imported stays; run again to continue)", err=True)
        sys.exit(1)
    finally:
        source.close()
    typer.echo(json.dumps(report.model_dump(mode="json")))
