"""`helpdesk client ...`: create, list and delete a tenant's API clients (the running local stack when there is
one, else the AWS account the environment points at, with HELPDESK_CLIENTS_USER_POOL_ID set)."""

import json
from typing import Annotated

import typer

from helpdesk.cli.operator import operator

client_app = typer.Typer(help="API clients for integrations (OAuth 2.0 client credentials).", no_args_is_help=True)


@client_app.command()
def create(
    tenant: Annotated[str, typer.Option(help="The tenant the client works in.")],
    scopes: Annotated[list[str], typer.Option(
        help="Scopes, comma- or space-separated or the option repeated: tickets:read,tickets:write.")],
    name: Annotated[str, typer.Option(help="What the client is for.")] = "integration",
) -> None:
    """Create a client and print its id and secret as JSON (the secret is shown only here)."""
    from pydantic import ValidationError

    from helpdesk.clients.model import NewClient
    from helpdesk.local.stack import cli_container

    try:
        new = NewClient(name=name, scopes=" ".join(scopes).replace(",", " ").split())
    except ValidationError as exc:
        raise typer.BadParameter(str(exc)) from exc
    issued = cli_container().client_admin.create(operator(tenant), new)
    typer.echo(json.dumps({"client_id": issued.client.client_id, "client_secret": issued.client_secret,
                           "tenant_id": issued.client.tenant_id, "scopes": issued.client.scopes}))


@client_app.command("list")
def list_clients(tenant: Annotated[str, typer.Option(help="The tenant.")]) -> None:
    """Print the tenant's clients, one JSON object a line (no secrets)."""
    from helpdesk.local.stack import cli_container

    for client in cli_container().client_admin.listed(operator(tenant)):
        typer.echo(client.model_dump_json())


@client_app.command()
def delete(
    client_id: Annotated[str, typer.Argument(help="The client's id.")],
    tenant: Annotated[str, typer.Option(help="The client's tenant.")],
) -> None:
    """Delete a client: it gets no new tokens, and its tokens stop working within five minutes."""
    from helpdesk.kernel.errors import NotFound
    from helpdesk.local.stack import cli_container

    try:
        cli_container().client_admin.delete(operator(tenant), client_id)
    except NotFound as exc:
        raise typer.BadParameter(f"no client {client_id!r} in tenant {tenant!r}") from exc


@client_app.command()
def sync() -> None:
    """Put every registered client back into the HTTP API authorizer's audience (AWS; after a deploy that
    changed the authorizer, which resets the audience to the template's list). Prints the client ids."""
    from helpdesk.local.stack import cli_container

    for client_id in cli_container().client_admin.sync_audience():
        typer.echo(client_id)
