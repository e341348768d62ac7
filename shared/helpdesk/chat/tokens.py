"""Signed chat session tokens (HS256): what lets an anonymous visitor, and only them, use their session.

The token names the tenant and the session and expires with it. Who the caller is (anonymous or a
Cognito-authenticated customer) is stored on the session when it is created, never read from the token.
"""

import hashlib
import hmac
from datetime import datetime
from typing import Any

import jwt

from helpdesk.kernel.errors import Unauthorized

ALGORITHM = "HS256"
ISSUER = "helpdesk-chat"
AUDIENCE = "helpdesk-chat"


def derived_local_secret(development_secret: str) -> str:
    """The local stack's chat key, derived from its development secret (never the same key twice)."""
    return hmac.new(development_secret.encode(), b"helpdesk-chat-session-token", hashlib.sha256).hexdigest()


def issue_session_token(secret: str, tenant_id: str, session_id: str, issued_at: datetime,
                        expires_at: datetime) -> str:
    claims: dict[str, Any] = {"sub": session_id, "tid": tenant_id, "iss": ISSUER, "aud": AUDIENCE,
                              "iat": int(issued_at.timestamp()), "exp": int(expires_at.timestamp())}
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


def verify_session_token(secret: str, token: str, now: datetime) -> tuple[str, str]:
    """(tenant_id, session_id) of a valid token; `Unauthorized` otherwise. `now` is the injected clock."""
    try:
        claims = jwt.decode(token, secret, algorithms=[ALGORITHM], audience=AUDIENCE, issuer=ISSUER,
                            options={"require": ["exp", "sub", "tid"], "verify_exp": False})
    except jwt.InvalidTokenError as exc:
        raise Unauthorized("chat session token is not valid") from exc
    if int(claims["exp"]) <= int(now.timestamp()):
        raise Unauthorized("chat session has expired: start a new one", {"reason": "expired"})
    return str(claims["tid"]), str(claims["sub"])
