"""`helpdesk import ...`: bring a team's history over from the helpdesk it leaves, into the running local stack or
the AWS account the environment points at (as the operator CLI's other commands)."""

import json
import sys
from datetime import datetime
from typing import Annotated

import typer

import_app = typer.Typer(help="Bring tickets and organisations over from another helpdesk.", no_args_is_help=True)

TOKEN_VARIABLE = "ZENDESK_API_TOKEN"  # noqa: S105 - the variable that holds it, not a token


@import_app.command()
def zendesk(
    tenant: Annotated[str, typer.Option(help="The tenant to import into.")],
    email: Annotated[str, typer.Option(help="A Zendesk admin's address (the API token's owner).")],
    subdomain: Annotated[str | None, typer.Option(help="The account: <subdomain>.zendesk.com.")] = None,
    url: Annotated[str | None, typer.Option(help="The account's address instead of --subdomain (a host mapping).")]
    = None,
    since: Annotated[datetime | None, typer.Option(help="Only tickets created or changed since (UTC).")] = None,
    limit: Annotated[int | None, typer.Option(min=1, help="Import at most this many new tickets (a trial run).")]
    = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Read and map everything, write nothing.")] = False,
    articles: Annotated[bool, typer.Option("--articles/--no-articles",
                                           help="Also the help centre's articles (drafts here).")] = True,
    publish: Annotated[bool, typer.Option(help="Publish the articles published there (you reviewed them). Without "
                                               "it they are drafts, and a live article here is not changed.")] = False,
    token: Annotated[str | None, typer.Option(envvar=TOKEN_VARIABLE, hidden=True)] = None,
) -> None:
    """Organisations, then tickets with their conversations (public replies and internal notes) and files,
    requesters, assignees and groups the directory has, tags, status and dates; then the help centre's articles.
    Nothing is mailed and nothing is triaged; a rerun imports only what is new. The API token is read from
    ZENDESK_API_TOKEN (not a documented flag: a token typed on the command line stays in the shell's history)."""
    from helpdesk.imports.adapters.zendesk import ZendeskSource
    from helpdesk.imports.model import ImportReport
    from helpdesk.imports.ports import SourceUnavailable
    from helpdesk.kernel.principal import operator_principal
    from helpdesk.knowledge.importing import indexed_in_bulk
    from helpdesk.local.stack import cli_container

    if not token:
        raise typer.BadParameter(f"set {TOKEN_VARIABLE} to a Zendesk API token")
    if bool(subdomain) == bool(url):
        raise typer.BadParameter("give --subdomain or --url (one of them)")
    base = url or f"https://{subdomain}.zendesk.com"
    if not base.startswith(("https://", "http://127.0.0.1", "http://localhost")):
        raise typer.BadParameter("--url must be https:// (the API token travels with every request)")
    source = ZendeskSource(base, email, token)

    def progress(report: ImportReport) -> None:
        typer.echo(f"{report.tickets_imported} tickets imported, {report.already_imported} there already", err=True)

    container = cli_container()
    caller = operator_principal(tenant)
    try:
        report = container.ticket_import.run(caller, source, since=since, dry_run=dry_run, limit=limit,
                                             progress=progress)
        if articles:
            with indexed_in_bulk(container.knowledge_index):
                report.articles = container.article_import.run(caller, source, publish=publish, dry_run=dry_run)
    except SourceUnavailable as exc:
        typer.echo(f"stopped: {exc} (what was imported stays; run again to continue)", err=True)
        sys.exit(1)
    finally:
        source.close()
    typer.echo(json.dumps(report.model_dump(mode="json")))
