"""The team directory of a tenant: its people (agents, admins, customers), its groups and its customers'
organisations.

A user's id is the identity provider's subject (Cognito's `sub` in AWS), the `sub` of their tokens, so a
ticket's `assignee_id` and a token's caller are the same id. Group membership is kept on the group only
(`Group.members`): a user's `groups` are read from the groups, so the two sides never disagree.
"""

import re
from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator

from helpdesk.kernel.clock import known_zone
from helpdesk.kernel.principal import Role, TicketAccess
from helpdesk.kernel.text import LANGUAGE_PATTERN, DisplayName

MAX_GROUPS_PER_TENANT = 200  # listing groups is one Query (a user's groups are read from them)
MAX_ORGANIZATIONS_PER_TENANT = 1000
MAX_MEMBERS = 500
ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$"  # group ids are what tickets carry in `group`
EMAIL_PATTERN = r"^[^@\s<>,;\"]{1,64}@[A-Za-z0-9.-]{1,252}\.[A-Za-z]{2,63}$"  # what mail can reach
DOMAIN_PATTERN = r"^(?=.{3,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$"
MAX_SIGNATURE_CHARS = 2000
MAX_CAPACITY = 1000  # unsolved tickets per member a group's automatic assignment stops at (`Group.capacity`)

Name = Field(min_length=1, max_length=200)
# The zone the times in a person's mails are in (Europe/Berlin); checked against the IANA database.
TimeZoneName = Annotated[str, Field(min_length=1, max_length=64), AfterValidator(known_zone)]
MAX_ORGANIZATION_NOTES_CHARS = 5000
# A member of a group, as a request names them: a user id (what the directory's keys hold: never empty).
MemberId = Annotated[str, Field(min_length=1, max_length=128)]


class AfterReply(StrEnum):
    """Where the console goes once an agent has sent a public reply (FreeScout's "After sending" setting): a reply
    often ends the work on a ticket, and the next one is what they open anyway."""

    STAY = "stay"  # on the ticket
    NEXT = "next"  # the next ticket of the list they opened it from (the list when there is none)
    LIST = "list"  # back to that list


class User(BaseModel):
    id: str  # the identity provider's subject
    tenant_id: str
    email: str
    name: str
    role: Role
    active: bool = True
    language: str | None = None
    time_zone: str | None = None  # IANA: the times in the mails they get (None: UTC)
    signature: str | None = None
    # Agents and admins: mail about the tickets assigned to them (`mail/notifications.py`); they may turn it off.
    notify_by_mail: bool = True
    # ... and about every new unassigned ticket in their queue (off unless they turn it on): their groups' tickets;
    # for admins and agents in no group, the tickets in no group
    notify_new_tickets: bool = False
    # Agents and admins: away (on leave, off shift) takes no tickets from a group's automatic assignment; set by
    # themselves or an admin. Tickets already theirs stay theirs.
    away: bool = False
    # Agents: every ticket of the tenant, or only their groups' and the ones assigned to them (admins see every
    # ticket). Tokens carry it from here (the pre token trigger, the local sign-in), and the APIs read it again
    # (helpdesk.directory.standing): a change reaches a signed-in agent within 30 seconds.
    ticket_access: TicketAccess = TicketAccess.ALL
    after_reply: AfterReply = AfterReply.STAY  # agents and admins, their own choice (the console reads it)
    # Agents and admins: our last notification to them bounced or was marked as spam (`mail.feedback`): when, and
    # the receiving server's words. The Team screen shows it; an admin clears it once the address is right.
    mail_bounced_at: datetime | None = None
    mail_bounce: str | None = None
    groups: list[str] = Field(default_factory=list)  # read from the groups (not stored on the user)
    organization_id: str | None = None  # customers: their company (matched by email domain)
    created_at: datetime
    updated_at: datetime
    version: int = 1

    @property
    def is_staff(self) -> bool:
        return self.role in (Role.AGENT, Role.ADMIN)


class NewUser(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: str = Field(max_length=254, pattern=EMAIL_PATTERN)
    name: DisplayName = Name
    role: Role
    groups: list[str] = Field(default_factory=list, max_length=MAX_GROUPS_PER_TENANT)
    language: str | None = Field(default=None, pattern=LANGUAGE_PATTERN)
    time_zone: TimeZoneName | None = None
    signature: str | None = Field(default=None, max_length=MAX_SIGNATURE_CHARS)
    notify_by_mail: bool = True
    ticket_access: TicketAccess = TicketAccess.ALL

    @field_validator("email")
    @classmethod
    def _lower(cls, value: str) -> str:
        return value.strip().lower()


class UserChange(BaseModel):
    """PATCH /users/{id}: only the fields sent change; `active` false disables the account, true enables it."""

    model_config = ConfigDict(extra="forbid")

    name: DisplayName | None = Field(default=None, min_length=1, max_length=200)
    role: Role | None = None
    groups: list[str] | None = Field(default=None, max_length=MAX_GROUPS_PER_TENANT)
    language: str | None = Field(default=None, pattern=LANGUAGE_PATTERN)
    time_zone: TimeZoneName | None = None
    signature: str | None = Field(default=None, max_length=MAX_SIGNATURE_CHARS)
    active: bool | None = None
    notify_by_mail: bool | None = None
    notify_new_tickets: bool | None = None
    away: bool | None = None
    ticket_access: TicketAccess | None = None
    mail_bounced_at: None = Field(default=None, description="null clears the mark of a bounced notification (the "
                                                            "address is right again)")


class ProfileChange(BaseModel):
    """PATCH /users/me: what agents and admins change of their own record (the rest is an admin's)."""

    model_config = ConfigDict(extra="forbid")

    language: str | None = Field(default=None, pattern=LANGUAGE_PATTERN)
    time_zone: TimeZoneName | None = None
    signature: str | None = Field(default=None, max_length=MAX_SIGNATURE_CHARS)
    notify_by_mail: bool | None = None
    notify_new_tickets: bool | None = None
    away: bool | None = None
    after_reply: AfterReply | None = None


class AssignmentMethod(StrEnum):
    """How a group's automatic assignment picks the member (`directory.rotation`)."""

    ROUND_ROBIN = "round_robin"  # the next member in turn
    LEAST_BUSY = "least_busy"  # the member with the fewest unsolved tickets (new, open, pending); ties in turn


CAPACITY_DOC = ("Automatic assignment gives a member no more tickets while they have this many unsolved (new, open, "
                "pending) ones; with everyone there tickets wait in the queue")


class Group(BaseModel):
    id: str
    tenant_id: str
    name: str
    description: str = ""
    members: list[str] = Field(default_factory=list)  # user ids: the one record of membership
    # A ticket that comes to wait unassigned in this group goes to its members in turn (`directory.rotation`)
    auto_assign: bool = False
    assignment: AssignmentMethod = AssignmentMethod.ROUND_ROBIN
    # At most this many unsolved tickets per member from automatic assignment (None: no limit; groups stored before
    # read so): a member at capacity is skipped, and with everyone there the ticket waits in the queue
    capacity: int | None = None
    created_at: datetime
    updated_at: datetime
    version: int = 1


class NewGroup(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str | None = Field(default=None, pattern=ID_PATTERN,
                           description="What tickets carry in `group`; by default made from the name")
    name: DisplayName = Name
    description: str = Field(default="", max_length=2000)
    members: list[MemberId] = Field(default_factory=list, max_length=MAX_MEMBERS)
    auto_assign: bool = Field(default=False, description="New and reopened unassigned tickets of the group go "
                                                          "to its members in turn (those not away)")
    assignment: AssignmentMethod = Field(default=AssignmentMethod.ROUND_ROBIN,
                                         description="round_robin: the next member in turn; least_busy: the member "
                                                     "with the fewest unsolved tickets (ties in turn)")
    capacity: int | None = Field(default=None, ge=1, le=MAX_CAPACITY,
                                 description=f"{CAPACITY_DOC}. Absent or null: no limit")


class GroupChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: DisplayName | None = Field(default=None, min_length=1, max_length=200)
    description: str | None = Field(default=None, max_length=2000)
    members: list[MemberId] | None = Field(default=None, max_length=MAX_MEMBERS)
    auto_assign: bool | None = None
    assignment: AssignmentMethod | None = None
    capacity: int | None = Field(default=None, ge=1, le=MAX_CAPACITY,
                                 description=f"{CAPACITY_DOC}. Null: no limit; absent: unchanged")


class Organization(BaseModel):
    id: str
    tenant_id: str
    name: str
    domains: list[str] = Field(default_factory=list)
    # Its people (customers whose verified address is at one of its domains) see each other's tickets in the portal
    # and answer on them, as Zammad's "shared organization" and Zendesk's "users can view all org tickets". Off: each
    # customer sees their own tickets only.
    shared_tickets: bool = False
    # What the team knows about the company (its plan, whom to call about renewals), shown beside its tickets; team
    # only, as the organisation is. Agents keep it; admins change the rest.
    notes: str = ""
    created_at: datetime
    updated_at: datetime
    version: int = 1


def _domains(value: list[str] | None) -> list[str] | None:
    if value is None:
        return None
    cleaned = sorted({d.strip().lower().rstrip(".") for d in value})
    bad = [d for d in cleaned if not re.fullmatch(DOMAIN_PATTERN, d)]
    if bad:
        raise ValueError(f"not mail domains: {bad}")
    return cleaned


class NewOrganization(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: DisplayName = Name
    domains: list[str] = Field(default_factory=list, max_length=50)
    shared_tickets: bool = False
    notes: str = Field(default="", max_length=MAX_ORGANIZATION_NOTES_CHARS)

    @field_validator("notes")
    @classmethod
    def _notes(cls, value: str) -> str:
        return value.strip()

    @field_validator("domains")
    @classmethod
    def _clean(cls, value: list[str]) -> list[str]:
        return _domains(value) or []


class OrganizationChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: DisplayName | None = Field(default=None, min_length=1, max_length=200)
    domains: list[str] | None = Field(default=None, max_length=50)
    shared_tickets: bool | None = None
    notes: str | None = Field(default=None, max_length=MAX_ORGANIZATION_NOTES_CHARS,
                              description="agents may change the notes alone; the other fields are the admins'")

    @field_validator("notes")
    @classmethod
    def _notes(cls, value: str | None) -> str | None:
        return value.strip() if value is not None else None

    @field_validator("domains")
    @classmethod
    def _clean(cls, value: list[str] | None) -> list[str] | None:
        return _domains(value)


# A customer as tickets know them across channels (`Requester.key`: `email:<address>`, else their id).
CustomerKey = Annotated[str, Field(min_length=3, max_length=320, pattern=r"^\S+$")]


class CustomerNotes(BaseModel):
    """What the team knows about one customer (prefers a call, the contact for renewals), on their page beside their
    tickets; team only. Kept per tenant under the customer's key; `version` 0 while nothing was written."""

    tenant_id: str
    id: str  # the customer's key
    notes: str = ""
    updated_at: datetime | None = None
    updated_by: str | None = None
    version: int = 0


class CustomerNotesChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    notes: str = Field(max_length=MAX_ORGANIZATION_NOTES_CHARS)

    @field_validator("notes")
    @classmethod
    def _notes(cls, value: str) -> str:
        return value.strip()


class UserPage(BaseModel):
    items: list[User]
    next_cursor: str | None = None


def slug(name: str) -> str:
    """A group id from its name: `Billing & Invoices` -> `billing-invoices`."""
    text = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:64].strip("-")
    return text or "group"
