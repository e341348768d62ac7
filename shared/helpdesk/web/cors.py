"""CORS answered by our apps, not by the HTTP API: API Gateway's CorsConfiguration is one static list of
origins, and an embedded chat widget needs each tenant's own. So the HttpApi has no CorsConfiguration,
an `OPTIONS` route sends preflights to the apps, and every app answers them and sets the CORS headers:
the static origins (template parameter `CorsOrigin`, `HELPDESK_CORS_ORIGINS`) everywhere, and on the
chat API also the origins the request's tenant lists in its widget settings."""

import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import parse_qs

from helpdesk.platform.timed_cache import TimedCache

ALLOW_METHODS = ("GET", "POST", "PATCH", "PUT", "DELETE", "OPTIONS")
# `idempotency-key`: the web clients send one with every POST (and send it again when an answer was lost)
ALLOW_HEADERS = ("authorization", "content-type", "if-match", "idempotency-key")
EXPOSE_HEADERS = ("etag", "retry-after", "location", "idempotent-replayed")
MAX_AGE_S = 600

Scope = MutableMapping[str, Any]
ASGIApp = Callable[[Scope, Any, Any], Awaitable[None]]
# The origins allowed for one request besides the static ones (the chat API: its tenant's widget origins).
ExtraOrigins = Callable[[Scope], frozenset[str]]


def header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers") or []:
        if key.lower() == name:
            return bytes(value).decode("latin-1")
    return None


def query_value(scope: Scope, name: str) -> str | None:
    values = parse_qs(bytes(scope.get("query_string") or b"").decode("latin-1")).get(name)
    return values[0] if values else None


class CorsMiddleware:
    """Answers preflights (204; without CORS headers when the origin, method or a header is refused, so the
    browser blocks the call) and sets the CORS headers of every response, replacing any a route set."""

    def __init__(self, app: ASGIApp, *, origins: Callable[[], tuple[str, ...]],
                 extra: ExtraOrigins | None = None) -> None:
        self.app, self.origins, self.tenant_origins = app, origins, extra

    def allowed(self, scope: Scope, origin: str | None) -> str | None:
        if not origin:
            return None
        static = self.origins()
        if origin in static:
            return origin
        if self.tenant_origins is not None and origin in self.tenant_origins(scope):
            return origin
        return "*" if "*" in static else None

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        origin = header(scope, b"origin")
        requested = header(scope, b"access-control-request-method")
        if scope["method"] == "OPTIONS" and origin and requested:
            await self._preflight(scope, send, origin, requested)
            return
        allowed = self.allowed(scope, origin)
        cors = [] if allowed is None else [(b"access-control-allow-origin", allowed.encode()),
                                           (b"access-control-expose-headers", ",".join(EXPOSE_HEADERS).encode())]
        if allowed not in (None, "*"):
            cors.append((b"vary", b"Origin"))

        async def with_cors(message: Any) -> None:
            if message["type"] == "http.response.start":
                kept = [(k, v) for k, v in message.get("headers", [])
                        if not bytes(k).lower().startswith(b"access-control-")]
                message = {**message, "headers": kept + cors}
            await send(message)

        await self.app(scope, receive, with_cors)

    async def _preflight(self, scope: Scope, send: Any, origin: str, method: str) -> None:
        wanted = [h.strip().lower() for h in (header(scope, b"access-control-request-headers") or "").split(",")
                  if h.strip()]
        allowed = self.allowed(scope, origin)
        headers: list[tuple[bytes, bytes]] = [(b"vary", b"Origin")]
        if allowed is not None and method.upper() in ALLOW_METHODS and all(h in ALLOW_HEADERS for h in wanted):
            headers += [(b"access-control-allow-origin", allowed.encode()),
                        (b"access-control-allow-methods", ",".join(ALLOW_METHODS).encode()),
                        (b"access-control-max-age", str(MAX_AGE_S).encode())]
            if wanted:
                headers.append((b"access-control-allow-headers", ",".join(wanted).encode()))
        await send({"type": "http.response.start", "status": 204, "headers": headers})
        await send({"type": "http.response.body", "body": b""})


class TenantOrigins:
    """A tenant's extra allowed origins, read through `load` and kept `ttl_s` seconds per tenant (every
    preflight and call would otherwise read the tenant's settings)."""

    def __init__(self, load: Callable[[str], list[str]], ttl_s: float = 60.0,
                 now: Callable[[], float] = time.monotonic) -> None:
        self._load = load
        self._cache: TimedCache[str, frozenset[str]] = TimedCache(1000, ttl_s, timer=now)

    def __call__(self, tenant_id: str) -> frozenset[str]:
        hit = self._cache.get(tenant_id)
        if hit is not None:
            return hit
        origins = frozenset(self._load(tenant_id))
        self._cache.put(tenant_id, origins)
        return origins
