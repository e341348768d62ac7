"""`helpdesk tickets ...`: rebuild the ticket search index from DynamoDB (the running local stack's, or the
AWS account the environment points at)."""

import json
from typing import Annotated

import typer

tickets_app = typer.Typer(help="Ticket tools: rebuild the search index.", no_args_is_help=True)


@tickets_app.command()
def reindex(tenant: Annotated[str | None, typer.Option(help="Only this tenant (default: every tenant).")] = None
            ) -> None:
    """Index every stored ticket again (with its messages) and drop what the index holds beyond them."""
    from helpdesk.local.stack import cli_container

    counts = cli_container().ticket_indexer.reindex(tenant)
    typer.echo(json.dumps({"indexed": counts}))
