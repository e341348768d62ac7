"""API clients and their scopes.

A client is an OAuth 2.0 client-credentials client (a Cognito app client in AWS): it belongs to one tenant, has
a name and the scopes an admin gave it. Its tokens name the client and its scopes but no user and no tenant;
the tenant comes from the client registry (see `service.ClientDirectory`).
"""

from datetime import datetime

from pydantic import BaseModel, Field, field_validator

# Every scope a client can be given: `<area>:read` reads, `<area>:write` changes. Which route needs which is
# declared in `scopes.ROUTE_SCOPES`; a route that is not listed there is for people only.
SCOPES: dict[str, str] = {
    "tickets:read": "read tickets, their messages, events and attachments; search and export tickets",
    "tickets:write": "create tickets, add messages, change fields and status, attachments, merge, split, link",
    "kb:read": "read and search knowledge-base articles",
    "kb:write": "create, change, publish and archive knowledge-base articles",
    "sla:read": "read SLA policies, calendars and the SLA report",
    "sla:write": "create, change and delete SLA policies and calendars",
    "webhooks:read": "list webhooks and their delivery logs",
    "webhooks:write": "register and remove webhooks",
    "audit:read": "read the audit log of administration",
    "directory:read": "read the team directory: users, groups and organisations",
    "directory:write": "invite, change and disable users; create and change groups and organisations",
    "reports:read": "read the ticket and AI reports (overview, AI, as JSON or CSV)",
    "customers:read": "list customers; read the team's notes on them and the other addresses they write from",
    "customers:write": "write the team's notes on customers; link and unlink their other addresses",
}
MAX_CLIENTS = 50  # per tenant


class ApiClient(BaseModel):
    client_id: str
    tenant_id: str
    name: str
    scopes: list[str]
    created_at: datetime
    created_by: str


class NewClient(BaseModel):
    name: str = Field(min_length=1, max_length=128, pattern=r"^[\w .@+=,-]+$",
                      description="What the client is for (shown in lists and the audit log)")
    scopes: list[str] = Field(min_length=1, max_length=len(SCOPES), description="Some of: " + ", ".join(SCOPES))

    @field_validator("scopes")
    @classmethod
    def _known(cls, value: list[str]) -> list[str]:
        return known_scopes(value)


class IssuedClient(BaseModel):
    """A client as created: the only time its secret is shown."""

    client: ApiClient
    client_secret: str


def known_scopes(value: list[str]) -> list[str]:
    unknown = sorted(set(value) - set(SCOPES))
    if unknown:
        raise ValueError(f"unknown scopes {unknown}; known: {sorted(SCOPES)}")
    return sorted(set(value))
