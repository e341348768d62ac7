"""Who is calling: the identity every service call is checked against."""

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

TENANT_ID_PATTERN = r"^[A-Za-z0-9_.-]+$"


class Role(StrEnum):
    CUSTOMER = "customer"
    AGENT = "agent"
    ADMIN = "admin"


class TicketAccess(StrEnum):
    """Which of the tenant's tickets an agent may open (the team directory's `User.ticket_access`)."""

    ALL = "all"  # every ticket
    GROUPS = "groups"  # the tickets of their groups and the ones assigned to them


ME = "me"  # a user id in a filter, a path or a saved view that means whoever calls (`Principal.resolve`)

# What an agent limited to their groups who is in none is limited to: a group no ticket can be in (group ids start
# with a letter or digit), so they see only the tickets assigned to them instead of every ticket.
IN_NO_GROUP = "-in-no-group"


class Principal(BaseModel):
    model_config = ConfigDict(frozen=True)

    user_id: str = Field(min_length=1, max_length=256)
    # Letters, digits and `_.-` only: tenant ids become parts of keys (`TENANT#<t>#SLA`) whose prefixes the
    # IAM policies grant; a `#` in an id could name another kind of record.
    tenant_id: str = Field(min_length=1, max_length=128, pattern=TENANT_ID_PATTERN)
    role: Role
    email: str | None = None
    # The identity provider checked that the caller controls `email` (Cognito's `email_verified` claim):
    # only then does a customer see the tickets opened for that address by mail, chat or an agent.
    email_verified: bool = False
    name: str | None = None
    groups: tuple[str, ...] = ()  # the groups they are a member of
    # None (a token that does not say, as tokens had it before the team directory decided): limited to `groups`
    # when there are any. The pre token trigger and the local sign-in put the directory's setting in the token.
    ticket_access: TicketAccess | None = None
    # A customer whose verified address the team linked to another customer's (one person, several addresses):
    # that customer's key, so they see the tickets of all their addresses. Read from the directory by the tickets'
    # services (`helpdesk.tickets.customer_links`), never from the token.
    linked_to: str | None = None
    # An API client (client-credentials token): the scopes its token carries, which the route was checked
    # against (helpdesk.clients.scopes). None: a person, whose role decides.
    scopes: tuple[str, ...] | None = None

    @property
    def is_staff(self) -> bool:
        return self.role in (Role.AGENT, Role.ADMIN)

    def resolve(self, user_id: str) -> str:
        """A user id as a filter, a path or a saved view names it: `me` is the caller."""
        return self.user_id if user_id == ME else user_id

    @property
    def limited_to(self) -> tuple[str, ...] | None:
        """The groups whose tickets this agent may open besides the ones assigned to them; None: every ticket of
        the tenant (admins, agents with access to all; customers are limited to their own by other rules)."""
        if self.role != Role.AGENT:
            return None
        access = self.ticket_access or (TicketAccess.GROUPS if self.groups else TicketAccess.ALL)
        if access == TicketAccess.ALL:
            return None
        return self.groups or (IN_NO_GROUP,)


SYSTEM_ACTORS = frozenset({"system", "ai", "email", "sla", "trigger"})
# Who changes tickets on their own judgement or clock (the SLA scan, triggers, triage's AI), unlike "email" and "system"
# (the plumbing that writes for a person: their mail, their chat, their rating): their changes are not someone
# touching the ticket, and their replies are mailed marked automatic (RFC 3834).
AUTOMATIC_ACTORS = frozenset({"sla", "trigger", "ai"})


def system_principal(tenant_id: str, actor: str = "system") -> Principal:
    """An internal caller (SLA scan, triage, mail ingest) acting with admin rights inside one tenant."""
    if actor not in SYSTEM_ACTORS:
        raise ValueError(f"unknown system actor {actor!r}")
    return Principal(user_id=actor, tenant_id=tenant_id, role=Role.ADMIN)


def operator_principal(tenant_id: str) -> Principal:
    """A person running a `helpdesk` command (privacy erasure, publishing imported articles) with admin rights
    inside one tenant, recorded in the audit log by their login name: such acts are a person's, not the system's."""
    import getpass

    try:
        login = getpass.getuser()
    except OSError:  # no login name in the environment (a bare container): still an operator, not the system
        login = "unknown"
    return Principal(user_id=f"operator:{login}", tenant_id=tenant_id, role=Role.ADMIN)
