"""Map JWT claims (Cognito ID token shape) to a Principal. The same claim names are used by the
Cognito user pool in AWS and by `helpdesk token` locally, so there is one mapping."""

from typing import Any

from pydantic import ValidationError

from helpdesk.kernel.errors import Unauthorized
from helpdesk.kernel.principal import Principal

ROLE_CLAIM = "custom:role"
TENANT_CLAIM = "custom:tenant_id"
GROUPS_CLAIM = "cognito:groups"
# Which tickets an agent may open (`TicketAccess`): the team directory's setting, which the pre token trigger adds
# (helpdesk.web.token_claims) beside the directory's groups.
TICKET_ACCESS_CLAIM = "helpdesk:ticket_access"


def principal_from_claims(claims: dict[str, Any]) -> Principal:
    try:
        return Principal(
            user_id=str(claims["sub"]),
            tenant_id=str(claims[TENANT_CLAIM]),
            role=claims[ROLE_CLAIM],
            email=claims.get("email"),
            email_verified=_true(claims.get("email_verified")),
            name=claims.get("name"),
            groups=_groups(claims.get(GROUPS_CLAIM)),
            ticket_access=claims.get(TICKET_ACCESS_CLAIM),
        )
    except (KeyError, ValidationError) as exc:
        raise Unauthorized("token lacks a valid subject, tenant or role") from exc


def issued_at(claims: dict[str, Any]) -> float | None:
    """When the token was issued (`iat`, seconds since the epoch; API Gateway passes it on as a string)."""
    try:
        return float(claims["iat"])
    except (KeyError, TypeError, ValueError):
        return None


def is_client_token(claims: dict[str, Any]) -> bool:
    """An API client's access token (OAuth client credentials): it names a client and no user (a person's
    access token has `username`, an ID token has `token_use` id). helpdesk.clients maps it to a principal."""
    return (claims.get("token_use") == "access" and "client_id" in claims
            and "username" not in claims and "cognito:username" not in claims)


def _true(value: Any) -> bool:
    """Cognito puts a boolean in the token; API Gateway passes claims on as strings ("true")."""
    return value is True or (isinstance(value, str) and value.strip().lower() == "true")


def _groups(value: Any) -> tuple[str, ...]:
    """Cognito sends a list in the token but API Gateway flattens it to "[a b]" in the claims."""
    if value is None:
        return ()
    if isinstance(value, str):
        value = value.strip("[]").replace(",", " ").split()
    return tuple(sorted({str(g).strip() for g in value if str(g).strip()}))
