"""Signed-in visitors in the chat widget. A tenant's site knows who its signed-in user is; it signs that with a key
the tenant's admins create here (a JWT, HS256, naming the key in `kid`: `email`, optional `name`, and `exp` at most a
day ahead), and the widget starts its conversation with the token. The chat then knows the visitor as the customer
with that verified address: no address to type, no code to confirm, and the tickets it opens are theirs in the portal.
Without a token the chat is anonymous, as before; a token that does not verify is refused, never half-trusted."""

import secrets
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import jwt
from pydantic import BaseModel, Field

from helpdesk.kernel.clock import Clock, system_clock
from helpdesk.kernel.errors import Conflict, Forbidden, NotFound, Unauthorized
from helpdesk.kernel.principal import Principal, Role
from helpdesk.kernel.text import collapsed, is_email_address

if TYPE_CHECKING:
    from helpdesk.audit.service import AuditTrail
    from helpdesk.chat.ports import IdentityKeyStore

MAX_IDENTITY_KEYS = 2  # the one in use and the next: a site rotates without a moment where tokens fail
MAX_TOKEN_LIFETIME = timedelta(hours=24)  # a token copied from a page works for at most a day
MAX_TOKEN_CHARS = 4096
LEEWAY = timedelta(seconds=60)  # the site's clock and ours
ALGORITHM = "HS256"


class IdentityKeyView(BaseModel):
    """A key as admins list it: never its secret."""

    kid: str
    created_at: datetime
    created_by: str


class IdentityKey(BaseModel):
    """As stored: `id` is the key's `kid`."""

    tenant_id: str
    id: str
    secret: str
    created_at: datetime
    created_by: str
    version: int = 1

    def view(self) -> IdentityKeyView:
        return IdentityKeyView(kid=self.id, created_at=self.created_at, created_by=self.created_by)


class IssuedIdentityKey(BaseModel):
    key: IdentityKeyView
    secret: str = Field(description="shown once: the site's server signs its visitors' tokens with it")


class VisitorIdentity(BaseModel):
    email: str
    name: str | None = None


def _admin(caller: Principal) -> None:
    if caller.role != Role.ADMIN:
        raise Forbidden("only admins manage the widget's identity keys")


class IdentityKeys:
    def __init__(self, store: "IdentityKeyStore", *, clock: Clock = system_clock, audit: "AuditTrail | None" = None,
                 new_secret: Callable[[], str] = lambda: secrets.token_urlsafe(48)) -> None:
        self._store, self._clock, self._audit, self._new_secret = store, clock, audit, new_secret

    def listed(self, caller: Principal) -> list[IdentityKeyView]:
        _admin(caller)
        return [k.view() for k in sorted(self._store.keys(caller.tenant_id), key=lambda k: k.created_at)]

    def create(self, caller: Principal) -> IssuedIdentityKey:
        _admin(caller)
        if len(self._store.keys(caller.tenant_id)) >= MAX_IDENTITY_KEYS:
            raise Conflict(f"a tenant has at most {MAX_IDENTITY_KEYS} identity keys: delete the old one first")
        key = IdentityKey(tenant_id=caller.tenant_id, id=uuid.uuid4().hex[:16], secret=self._new_secret(),
                          created_at=self._clock(), created_by=caller.user_id)
        self._store.add(key)
        if self._audit:
            self._audit.record(caller, "chat.identity_key", key.id, None, key.view())
        return IssuedIdentityKey(key=key.view(), secret=key.secret)

    def delete(self, caller: Principal, kid: str) -> None:
        """Tokens signed with it stop working at once (each conversation start reads the keys)."""
        _admin(caller)
        found = next((k for k in self._store.keys(caller.tenant_id) if k.id == kid), None)
        if found is None:
            raise NotFound("no such identity key")
        self._store.delete(caller.tenant_id, kid)
        if self._audit:
            self._audit.record(caller, "chat.identity_key", kid, found.view(), None)

    def verify(self, tenant_id: str, token: str) -> VisitorIdentity:
        """Who the tenant's site says the visitor is; Unauthorized naming why not (`details.reason`)."""
        def refuse(reason: str, message: str) -> Unauthorized:
            return Unauthorized(f"the visitor's identity token is not accepted: {message}", {"reason": reason})

        try:
            kid = jwt.get_unverified_header(token).get("kid")
        except jwt.InvalidTokenError as exc:
            raise refuse("malformed", "not a JWT") from exc
        key = next((k for k in self._store.keys(tenant_id) if k.id == kid), None) if isinstance(kid, str) else None
        if key is None:
            raise refuse("unknown_key", "its kid names none of the tenant's identity keys")
        now = self._clock()
        try:  # its expiry is checked on the service's clock below, not the library's
            claims: dict[str, Any] = jwt.decode(token, key.secret, algorithms=[ALGORITHM],
                                                options={"require": ["exp", "email"], "verify_exp": False})
        except jwt.InvalidTokenError as exc:
            raise refuse("invalid", str(exc)) from exc
        try:
            expires = datetime.fromtimestamp(float(claims["exp"]), now.tzinfo)
        except (TypeError, ValueError, OverflowError) as exc:
            raise refuse("invalid", "`exp` is not a time") from exc
        if expires + LEEWAY <= now:
            raise refuse("expired", "it has expired")
        if expires - now > MAX_TOKEN_LIFETIME + LEEWAY:
            raise refuse("too_long", "it must expire within a day")
        email, name = claims.get("email"), claims.get("name")
        if not isinstance(email, str) or not is_email_address(email.strip()):
            raise refuse("invalid", "`email` is not an e-mail address")
        address = email.strip().lower()
        shown = collapsed(name)[:200] if isinstance(name, str) else ""
        return VisitorIdentity(email=address, name=shown or None)
