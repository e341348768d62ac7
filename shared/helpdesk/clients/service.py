"""API clients: admins create, list and delete them (`ClientAdmin`); every API turns a client's token into a
principal of the client's tenant, after checking the route's scope (`ClientDirectory`)."""

import time
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from helpdesk.clients.model import MAX_CLIENTS, ApiClient, IssuedClient, NewClient
from helpdesk.clients.ports import AppClients, Audience, ClientRegistry
from helpdesk.clients.scopes import required_scope, token_scopes
from helpdesk.kernel.clock import Clock, system_clock
from helpdesk.kernel.errors import Conflict, Forbidden, NotFound, Unauthorized
from helpdesk.kernel.principal import Principal, Role
from helpdesk.platform.timed_cache import TimedCache

if TYPE_CHECKING:
    from helpdesk.audit.service import AuditTrail

CACHE_SECONDS = 300.0  # a deleted client's tokens stop working within this (or when they expire, if sooner)
MAX_CACHED_CLIENTS = 1024


class ClientAdmin:
    """`/clients` and `helpdesk client`: a tenant's admins manage its API clients."""

    def __init__(self, registry: ClientRegistry, app_clients: AppClients, *, audience: Audience | None = None,
                 clock: Clock = system_clock, audit: "AuditTrail | None" = None) -> None:
        self._registry, self._app_clients, self._audience = registry, app_clients, audience
        self._clock, self._audit = clock, audit

    def create(self, caller: Principal, new: NewClient) -> IssuedClient:
        _admin(caller)
        if len(self._registry.of_tenant(caller.tenant_id)) >= MAX_CLIENTS:
            raise Conflict(f"a tenant has at most {MAX_CLIENTS} API clients: delete one first")
        client_id, secret = self._app_clients.create(f"{caller.tenant_id} {new.name}"[:128], new.scopes)
        client = ApiClient(client_id=client_id, tenant_id=caller.tenant_id, name=new.name, scopes=new.scopes,
                           created_at=self._clock(), created_by=caller.user_id)
        try:
            self._registry.put(client)
            if self._audience is not None:  # every client: repairs a list a stack update reset
                self._audience.add(client_id, *self._registry.all_ids())
        except Exception:
            self._app_clients.delete(client_id)  # no client that can get tokens without a tenant
            self._registry.delete(client)
            raise
        if self._audit:
            self._audit.record(caller, "client", client_id, None, client)
        return IssuedClient(client=client, client_secret=secret)

    def sync_audience(self) -> list[str]:
        """Operators (`helpdesk client sync`, after a deploy that changed the authorizer): accept every
        registered client's tokens again. Returns their ids."""
        ids = self._registry.all_ids()
        if self._audience is not None and ids:
            self._audience.add(*ids)
        return ids

    def listed(self, caller: Principal) -> list[ApiClient]:
        _admin(caller)
        return sorted(self._registry.of_tenant(caller.tenant_id), key=lambda c: c.created_at)

    def get(self, caller: Principal, client_id: str) -> ApiClient:
        _admin(caller)
        found = self._registry.get(client_id)
        if found is None or found.tenant_id != caller.tenant_id:
            raise NotFound("no such API client")
        return found

    def delete(self, caller: Principal, client_id: str) -> None:
        client = self.get(caller, client_id)
        self._app_clients.delete(client_id)  # first: no new tokens
        self._registry.delete(client)
        if self._audience is not None:
            self._audience.remove(client_id)  # the API refuses its tokens at once
            self._audience.add(*self._registry.all_ids())
        if self._audit:
            self._audit.record(caller, "client", client_id, client, None)


def _admin(caller: Principal) -> None:
    # A client never manages clients, whatever its scopes: the routes are not in ROUTE_SCOPES either.
    if caller.role != Role.ADMIN or caller.scopes is not None:
        raise Forbidden("only admins manage API clients")


class ClientDirectory:
    """Client tokens to principals: the route's scope must be in the token, and the client in the registry.

    The registry is read once per client and kept `CACHE_SECONDS` in this process (a warm Lambda serves many
    requests of the same few clients); unknown clients are not cached.
    """

    def __init__(self, registry: ClientRegistry, *, resource_server: str,
                 monotonic: Callable[[], float] = time.monotonic, cache_seconds: float = CACHE_SECONDS) -> None:
        self._registry, self._resource_server = registry, resource_server
        self._cache: TimedCache[str, ApiClient] = TimedCache(MAX_CACHED_CLIENTS, cache_seconds, timer=monotonic)

    def principal(self, claims: Mapping[str, Any], method: str, route: str | None) -> Principal:
        client_id = str(claims.get("client_id") or "")
        granted = token_scopes(claims.get("scope"), self._resource_server)
        needed = required_scope(method, route) if route else None
        if needed is None:
            raise Forbidden("this route is for people, not API clients", {"route": f"{method} {route}"})
        if needed not in granted:
            raise Forbidden(f"this route needs the scope {self._resource_server}/{needed}",
                            {"required_scope": f"{self._resource_server}/{needed}",
                             "granted_scopes": sorted(f"{self._resource_server}/{s}" for s in granted)})
        client = self._client(client_id)
        if client is None:
            raise Unauthorized("unknown API client (deleted?)")
        return Principal(user_id=client.client_id, tenant_id=client.tenant_id, role=Role.ADMIN, name=client.name,
                         scopes=tuple(sorted(granted)))

    def _client(self, client_id: str) -> ApiClient | None:
        if not client_id:
            return None
        cached = self._cache.get(client_id)
        if cached is not None:
            return cached
        client = self._registry.get(client_id)
        if client is not None:
            self._cache.put(client_id, client)
        return client
