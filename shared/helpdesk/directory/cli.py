"""`helpdesk users ...`: invite, change and list a tenant's people (the running local stack when there is one, else the
AWS account the environment points at, with HELPDESK_DIRECTORY_USER_POOL_ID set)."""

import json
from typing import Annotated

import typer

from helpdesk.cli.operator import operator

users_app = typer.Typer(help="The team directory: a tenant's agents, admins and customers.", no_args_is_help=True)


@users_app.command()
def create(
    tenant: Annotated[str, typer.Option(help="The tenant the person works in (or is a customer of).")],
    email: Annotated[str, typer.Option(help="Their address: the invitation goes there.")],
    name: Annotated[str, typer.Option(help="Their display name (agents: the sender name of their replies).")],
    role: Annotated[str, typer.Option(help="agent, admin or customer.")] = "agent",
    group: Annotated[list[str] | None, typer.Option(help="A group id to join (repeat for more).")] = None,
    language: Annotated[str | None, typer.Option(help="Their language (en, de, pt-BR, ...).")] = None,
    ticket_access: Annotated[str, typer.Option(help="Agents: all (every ticket) or groups (their groups' tickets "
                                                    "and the ones assigned to them).")] = "all",
) -> None:
    """Invite a person and print their record as JSON."""
    from pydantic import ValidationError

    from helpdesk.directory.model import NewUser
    from helpdesk.kernel.errors import DomainError
    from helpdesk.local.stack import cli_container

    try:
        new = NewUser.model_validate({"email": email, "name": name, "role": role, "groups": group or [],
                                      "language": language, "ticket_access": ticket_access})
    except ValidationError as exc:
        raise typer.BadParameter(str(exc)) from exc
    try:
        user = cli_container().directory.create_user(operator(tenant), new)
    except DomainError as exc:
        raise typer.BadParameter(f"{exc.message} {json.dumps(exc.details)}") from exc
    typer.echo(user.model_dump_json())


@users_app.command()
def update(
    user_id: Annotated[str, typer.Argument(help="The person's id (`helpdesk users list` prints it).")],
    tenant: Annotated[str, typer.Option(help="The tenant.")],
    role: Annotated[str | None, typer.Option(help="agent, admin or customer.")] = None,
    active: Annotated[bool | None, typer.Option(
        "--active/--inactive", help="Enable or deactivate the account (its calls refused within 30 s).")] = None,
    ticket_access: Annotated[str | None, typer.Option(help="Agents: all or groups.")] = None,
    name: Annotated[str | None, typer.Option(help="Their display name.")] = None,
) -> None:
    """Change a person's role, access or whether they may sign in, as an admin would on the Team screen: what an
    operator does when no admin of the tenant can (the last one left, or was deactivated). Audited as `cli`."""
    from pydantic import ValidationError

    from helpdesk.directory.model import UserChange
    from helpdesk.kernel.errors import DomainError
    from helpdesk.local.stack import cli_container

    fields = {k: v for k, v in (("role", role), ("active", active), ("ticket_access", ticket_access),
                                ("name", name)) if v is not None}
    if not fields:
        raise typer.BadParameter("nothing to change: give --role, --active/--inactive, --ticket-access or --name")
    try:
        change = UserChange.model_validate(fields)
    except ValidationError as exc:
        raise typer.BadParameter(str(exc)) from exc
    try:
        user = cli_container().directory.update_user(operator(tenant), user_id, change)
    except DomainError as exc:
        raise typer.BadParameter(f"{exc.message} {json.dumps(exc.details)}") from exc
    typer.echo(user.model_dump_json())


@users_app.command("list")
def list_users(
    tenant: Annotated[str, typer.Option(help="The tenant.")],
    role: Annotated[str | None, typer.Option(help="Only agents, admins or customers.")] = None,
) -> None:
    """Print the tenant's people, one JSON object a line."""
    from helpdesk.kernel.principal import Role
    from helpdesk.local.stack import cli_container

    try:
        wanted = Role(role) if role else None
    except ValueError as exc:
        raise typer.BadParameter(f"role {role!r}: agent, admin or customer") from exc
    directory, cursor = cli_container().directory, None
    while True:
        page = directory.users(operator(tenant), role=wanted, limit=100, cursor=cursor)
        for user in page.items:
            typer.echo(user.model_dump_json())
        cursor = page.next_cursor
        if cursor is None:
            return
