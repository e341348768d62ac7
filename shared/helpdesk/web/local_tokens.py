"""Local development tokens: HS256, signed with a secret kept in `.helpdesk/`, never in code."""

from datetime import datetime, timedelta
from typing import Any

import jwt

from helpdesk.kernel.clock import system_clock
from helpdesk.kernel.errors import Unauthorized
from helpdesk.kernel.principal import Principal
from helpdesk.web.claims import GROUPS_CLAIM, ROLE_CLAIM, TENANT_CLAIM, TICKET_ACCESS_CLAIM

ALGORITHM = "HS256"


def issue_token(principal: Principal, secret: str, issuer: str, audience: str,
                ttl: timedelta = timedelta(hours=12), *, now: datetime | None = None) -> str:
    """A signed token valid from `now` (default: the wall clock, which PyJWT checks it against) for `ttl`."""
    now = now if now is not None else system_clock()
    claims: dict[str, Any] = {
        "sub": principal.user_id,
        ROLE_CLAIM: principal.role.value,
        TENANT_CLAIM: principal.tenant_id,
        "iss": issuer,
        "aud": audience,
        "iat": int(now.timestamp()),
        "exp": int((now + ttl).timestamp()),
        "token_use": "id",
    }
    if principal.email:
        claims["email"] = principal.email
        claims["email_verified"] = principal.email_verified
    if principal.name:
        claims["name"] = principal.name
    if principal.groups:
        claims[GROUPS_CLAIM] = list(principal.groups)
    if principal.ticket_access is not None:
        claims[TICKET_ACCESS_CLAIM] = principal.ticket_access.value
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


def verify_token(token: str, secret: str, issuer: str, audience: str) -> dict[str, Any]:
    try:
        claims: dict[str, Any] = jwt.decode(
            token, secret, algorithms=[ALGORITHM], audience=audience, issuer=issuer,
            options={"require": ["exp", "sub", "aud", "iss"]},
        )
    except jwt.ExpiredSignatureError as exc:
        raise Unauthorized("token has expired") from exc
    except jwt.InvalidAudienceError as exc:
        raise Unauthorized("token is not meant for this API (audience)") from exc
    except jwt.InvalidTokenError as exc:
        raise Unauthorized(f"token is not valid: {exc}") from exc
    return claims
