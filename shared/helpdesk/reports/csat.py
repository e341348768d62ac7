"""Customer satisfaction: a signed, expiring link mailed when a ticket is resolved, and the rating it records.

The token (HS256, PyJWT) names the tenant and the ticket and expires after `csat_link_days`; nothing else
about the customer is in it, and it is the only credential the rating routes take (no sign-in: one click from
the mail). A forged or altered token is 401, an expired one 410, a ticket that no longer exists 404. A second
rating replaces the first (the log keeps both: `csat_rated` events say what they replaced).
"""

import hashlib
import hmac
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import jwt

from helpdesk.kernel.clock import Clock, system_clock
from helpdesk.kernel.errors import Forbidden, Gone, InvalidTransition, NotFound, Unauthorized
from helpdesk.kernel.principal import Principal, system_principal
from helpdesk.reports.model import CsatInput, CsatView
from helpdesk.tickets.history import TicketEvent
from helpdesk.tickets.model import Status, Ticket

if TYPE_CHECKING:
    from helpdesk.tickets.service import TicketService

ALGORITHM = "HS256"
ISSUER = "helpdesk-csat"
AUDIENCE = "helpdesk-csat"
MAX_TOKEN_CHARS = 1024


def derived_local_secret(development_secret: str) -> str:
    """The local stack's CSAT key, derived from its development secret (never the same key as another use)."""
    return hmac.new(development_secret.encode(), b"helpdesk-csat-link", hashlib.sha256).hexdigest()


class CsatLinks:
    """Issues and checks rating tokens; `secret` is read when first needed (SSM in AWS), never logged."""

    def __init__(self, secret: Callable[[], str], portal_url: str, valid_days: int, clock: Clock = system_clock):
        self._secret = secret
        self._portal_url = portal_url.rstrip("/")
        self._valid = timedelta(days=valid_days)
        self._clock = clock

    def token(self, tenant_id: str, ticket_id: str) -> str:
        now = self._clock()
        claims: dict[str, Any] = {"tid": tenant_id, "sub": ticket_id, "iss": ISSUER, "aud": AUDIENCE,
                                  "iat": int(now.timestamp()), "exp": int((now + self._valid).timestamp())}
        return jwt.encode(claims, self._secret(), algorithm=ALGORITHM)

    def link(self, tenant_id: str, ticket_id: str) -> str:
        """The rating page in the portal (hash-routed: the token stays out of every server's access log);
        the mail adds `?rating=good` / `?rating=bad` for the one click."""
        return f"{self._portal_url}/#/csat/{self.token(tenant_id, ticket_id)}"

    def verify(self, token: str) -> tuple[str, str, datetime]:
        """(tenant_id, ticket_id, expires_at) of a valid token; 401 when forged, 410 when expired."""
        if len(token) > MAX_TOKEN_CHARS:
            raise Unauthorized("the rating link is not valid", {"reason": "invalid"})
        try:
            claims = jwt.decode(token, self._secret(), algorithms=[ALGORITHM], audience=AUDIENCE, issuer=ISSUER,
                                options={"require": ["exp", "sub", "tid"], "verify_exp": False})
        except jwt.InvalidTokenError as exc:
            raise Unauthorized("the rating link is not valid", {"reason": "invalid"}) from exc
        expires_at = datetime.fromtimestamp(int(claims["exp"]), tz=self._clock().tzinfo)
        if int(claims["exp"]) <= int(self._clock().timestamp()):
            raise Gone("the rating link has expired", {"reason": "expired"})
        return str(claims["tid"]), str(claims["sub"]), expires_at


class CsatService:
    def __init__(self, tickets: "TicketService", links: CsatLinks, clock: Clock = system_clock) -> None:
        self._tickets = tickets
        self.links = links
        self._clock = clock

    def show(self, token: str) -> CsatView:
        tenant_id, ticket_id, expires_at = self.links.verify(token)
        return csat_view(self._ticket(tenant_id, ticket_id), expires_at)

    def rate(self, token: str, body: CsatInput) -> CsatView:
        tenant_id, ticket_id, expires_at = self.links.verify(token)
        ticket = self._ticket(tenant_id, ticket_id)
        comment = (body.comment or "").strip() or None

        def change(current: Ticket) -> list[TicketEvent]:
            return current.rate(body.rating, comment, current.requester.id, self._clock())

        ticket = self._tickets.apply_system_change(system_principal(tenant_id), ticket.id, change)
        return csat_view(ticket, expires_at)

    def rate_signed_in(self, caller: Principal, ticket_id: str, body: CsatInput) -> Ticket:
        """The portal's rating buttons: the signed-in requester rates their resolved (or closed) ticket."""
        if caller.is_staff:
            raise Forbidden("customers rate the help they got; agents do not rate tickets")
        ticket = self._tickets.get(caller, ticket_id)  # theirs, or 404 like any ticket they may not see
        if not self._tickets.asked_by(caller, ticket):
            raise Forbidden("the customer who asked rates the help (a colleague's ticket is theirs to rate)")
        if ticket.status not in (Status.RESOLVED, Status.CLOSED):
            raise InvalidTransition("a ticket is rated once it is resolved", {"status": ticket.status.value})
        comment = (body.comment or "").strip() or None
        return self._tickets.apply_system_change(
            caller, ticket.id, lambda current: current.rate(body.rating, comment, caller.user_id, self._clock()))

    def _ticket(self, tenant_id: str, ticket_id: str) -> Ticket:
        try:
            return self._tickets.get(system_principal(tenant_id), ticket_id)
        except NotFound as exc:
            raise NotFound("the ticket of this rating link no longer exists") from exc


def csat_view(ticket: Ticket, expires_at: datetime | None = None) -> CsatView:
    """What the rating page shows of `ticket`; `expires_at`: the link's (none for the signed-in route)."""
    csat = ticket.csat
    return CsatView(ticket=ticket.key, subject=ticket.subject, rating=csat.rating if csat else None,
                    comment=csat.comment if csat else None, rated_at=csat.at if csat else None,
                    expires_at=expires_at)
