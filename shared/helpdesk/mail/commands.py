"""Commands an agent writes at the top of a mailed answer to a notification, to change the ticket as the console's
reply box would (Zendesk's "Mail API"): one per line, before the answer's first words.

    #status pending        open, pending, on-hold, solved
    #priority high         low, normal, high, urgent
    #assignee me           or a teammate's address or @handle (as a note mentions them)
    #group billing         the group's id, as the console's Group field names it
    #tags vip refund       added to the ticket's tags
    #note                  the answer is an internal note (also `#public false`)

The first line that is not a command ends them, and they are taken out of the text. A line naming a command with
a value it does not take (`#status done`) is refused: nothing of it applies, and the team's note on the ticket says
so. A line starting with `#` that names no command ("#1 is the cause") is the answer's text. Only an answer to a
notification reads commands: its sender is a teammate the receiving service vouched for, writing to us alone; a
reply-all from an agent's own mail reached the customer as it was written.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from aws_lambda_powertools import Logger

from helpdesk.kernel.errors import (
    Forbidden,
    InvalidAssignment,
    InvalidFieldValue,
    InvalidInput,
    InvalidTransition,
    MissingRequiredFields,
    NotFound,
)
from helpdesk.kernel.principal import Principal, system_principal
from helpdesk.kernel.text import normalise_tags
from helpdesk.tickets.model import Priority, Status
from helpdesk.tickets.service import TicketService, UpdateTicket

logger = Logger(child=True)

COMMAND = re.compile(r"#(?P<name>[a-z_-]+)(?:[ \t]+(?P<value>.*?))?[ \t]*", re.IGNORECASE)
STATUSES = {"open": Status.OPEN, "pending": Status.PENDING, "on-hold": Status.ON_HOLD, "on_hold": Status.ON_HOLD,
            "hold": Status.ON_HOLD, "solved": Status.RESOLVED, "resolved": Status.RESOLVED}
NAMES = frozenset({"status", "priority", "assignee", "group", "tags", "note", "public"})
MAX_COMMANDS = 10  # more lines than there are commands: the rest is text
# What a command may be refused for: the change is not the agent's to make, or the ticket cannot take it.
REFUSED = (InvalidInput, InvalidAssignment, InvalidFieldValue, MissingRequiredFields, InvalidTransition, Forbidden,
           NotFound)


@dataclass(frozen=True)
class MailCommands:
    status: Status | None = None
    priority: Priority | None = None
    assignee: str | None = None  # "me", a teammate's address, or "@" and their handle
    group: str | None = None
    add_tags: tuple[str, ...] = ()
    internal: bool = False
    refused: tuple[str, ...] = field(default=())  # the lines that named a command with a value it does not take


def read_commands(text: str) -> tuple[MailCommands, str]:
    """The commands at the top of `text`, and the text after them."""
    lines = text.split("\n")
    found: dict[str, object] = {}
    refused: list[str] = []
    at = 0
    while at < len(lines) and len(found) + len(refused) < MAX_COMMANDS:
        line = lines[at].strip()
        if not line:
            at += 1
            continue
        match = COMMAND.fullmatch(line)
        if match is None or match["name"].lower() not in NAMES:
            break
        name, value = match["name"].lower(), (match["value"] or "").strip()
        read = _value(name, value)
        if read is None:
            refused.append(line)
        else:
            found[name] = read
        at += 1
    if not found and not refused:
        return MailCommands(), text
    status, priority, tags = found.get("status"), found.get("priority"), found.get("tags")
    commands = MailCommands(
        status=status if isinstance(status, Status) else None,
        priority=priority if isinstance(priority, Priority) else None,
        assignee=str(found["assignee"]) if "assignee" in found else None,
        group=str(found["group"]) if "group" in found else None,
        add_tags=tags if isinstance(tags, tuple) else (),
        internal=found.get("note") is True or found.get("public") is False,
        refused=tuple(refused))
    return commands, "\n".join(lines[at:]).strip()


def _value(name: str, value: str) -> object | None:
    """The command's value read, or None when it does not take `value`."""
    lowered = value.lower()
    if name == "status":
        return STATUSES.get(lowered)
    if name == "priority":
        return Priority(lowered) if lowered in {p.value for p in Priority} else None
    if name == "assignee":
        return lowered if re.fullmatch(r"me|[^@\s]+@[^@\s]+|@[a-z0-9][a-z0-9._+-]*", lowered) else None
    if name == "group":
        return value if re.fullmatch(r"[\w.-]{1,100}", value) else None
    if name == "tags":
        tags = normalise_tags(value.replace(",", " ").split())
        return tags or None
    if name == "note":
        return True if not value else None
    return {"false": False, "true": True}.get(lowered)  # public


def apply_commands(tickets: TicketService, agent_at: Callable[[str, str], Principal | None] | None, agent: Principal,
                   ticket_id: str, commands: MailCommands, status: Status | None, refusals: list[str]) -> None:
    """The ticket changed as the commands say (`status`: when it did not go with the answer), in the agent's name,
    so what they may not do is refused; what was refused (`refusals`, added to) is said in a team note, where the
    agent looks next."""
    assignee = _teammate(tickets, agent_at, agent, commands.assignee, refusals) if commands.assignee else None
    wanted: list[tuple[str, object, str]] = [  # the field, its value (None: not asked), the line that asked
        ("status", status, f"#status {status.value if status else ''}"),
        ("priority", commands.priority, f"#priority {commands.priority.value if commands.priority else ''}"),
        ("assignee_id", assignee, f"#assignee {commands.assignee}"),
        ("group", commands.group, f"#group {commands.group}"),
        ("add_tags", list(commands.add_tags) or None, f"#tags {' '.join(commands.add_tags)}")]
    asked = [(name, value, line) for name, value, line in wanted if value is not None]  # null would clear a field
    if asked:
        try:
            tickets.update(agent, ticket_id, UpdateTicket(**{name: value for name, value, _ in asked}))
        except REFUSED as refused:
            refusals.append(f"{', '.join(line for _, _, line in asked)}: {refused}")
    if not refusals:
        return
    try:
        tickets.add_message(system_principal(agent.tenant_id, "email"), ticket_id,
                            "Mail commands not applied:\n" + "\n".join(f"- {r}" for r in refusals), public=False)
    except InvalidTransition:  # closed meanwhile: nowhere to say it
        logger.warning("mail commands refused on a closed ticket", extra={"ticket_id": ticket_id})


def _teammate(tickets: TicketService, agent_at: Callable[[str, str], Principal | None] | None, agent: Principal,
              named: str, refusals: list[str]) -> str | None:
    """The user id `#assignee` names: the agent ("me"), the active teammate with that address, or with that handle
    (as a note's @mention finds them); None, said in `refusals`, when there is none."""
    if named == "me":
        return agent.user_id
    if named.startswith("@"):
        found = tickets.assignments.mentioned_staff(agent.tenant_id, [named[1:]]) if tickets.assignments else []
        if found:
            return found[0]
    else:
        teammate = agent_at(agent.tenant_id, named) if agent_at is not None else None
        if teammate is not None:
            return teammate.user_id
    refusals.append(f"#assignee {named}: no active teammate has this {'handle' if named[0] == '@' else 'address'}")
    return None

