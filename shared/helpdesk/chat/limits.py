"""Abuse limits of the public chat beyond one session: per client IP and per tenant, on starting
sessions and on turns, counted in fixed windows in the Meta table (so every container sees the same
count). Each turn can cost a model call, so these bound what one visitor, or a crowd aimed at one
tenant, can spend; the HTTP API's route throttling and the functions' reserved concurrency bound the
whole stack (template.yaml).

A limit that is reached answers 429 with Retry-After (`RateLimited`); nothing is stored for the
refused request. IP addresses are kept only as a keyed hash, and every counter expires with its window.
"""

import hashlib
import hmac
from dataclasses import dataclass
from typing import Literal, Protocol

from helpdesk.chat.model import RateLimited
from helpdesk.kernel.clock import Clock, system_clock
from helpdesk.settings import ChatSection

Action = Literal["session", "turn"]


class WindowCounter(Protocol):
    """Fixed-window counters shared by every container."""

    def hit(self, tenant_id: str, key: str, window: str, ttl_s: int) -> int:
        """Count one event for `key` in `window`; the window's count so far, this one included."""
        ...


@dataclass(frozen=True)
class Limit:
    action: Action
    scope: Literal["ip", "tenant"]
    count: int
    window_s: int

    def describe(self) -> str:
        per = {60: "a minute", 3600: "an hour"}.get(self.window_s, f"per {self.window_s} s")
        what = "new chats" if self.action == "session" else "chat messages"
        who = "from your network" if self.scope == "ip" else "for this help desk"
        return f"too many {what} {who}: at most {self.count} {per}"


def limits_of(settings: ChatSection) -> list[Limit]:
    return [
        Limit("session", "ip", settings.sessions_per_ip_per_hour, 3600),
        Limit("session", "tenant", settings.sessions_per_tenant_per_minute, 60),
        Limit("turn", "ip", settings.turns_per_ip_per_minute, 60),
        Limit("turn", "tenant", settings.turns_per_tenant_per_minute, 60),
    ]


class ChatLimits:
    def __init__(self, counter: WindowCounter, settings: ChatSection, secret: str, *,
                 clock: Clock = system_clock) -> None:
        self._counter = counter
        self._settings = settings
        self._limits = limits_of(settings)
        self._secret = secret.encode()
        self._clock = clock

    def session_started(self, tenant_id: str, client_ip: str | None) -> None:
        """Before a session is made: raises `RateLimited` when the caller's IP or the tenant is over its limit."""
        self._check("session", tenant_id, client_ip)

    def turn(self, tenant_id: str, client_ip: str | None) -> None:
        """Before a message is taken: raises `RateLimited` when the IP or the tenant is over its limit."""
        self._check("turn", tenant_id, client_ip)

    def _check(self, action: Action, tenant_id: str, client_ip: str | None) -> None:
        now = int(self._clock().timestamp())
        for limit in self._limits:
            if limit.action != action or limit.count <= 0:
                continue
            if limit.scope == "ip":
                if not client_ip:
                    continue  # no address (an internal call): the tenant limit still applies
                key = f"ip:{self._hash(client_ip)}"
            else:
                key = "tenant"
            window = now // limit.window_s
            count = self._counter.hit(tenant_id, key, f"{action}#{limit.window_s}#{window}",
                                      ttl_s=limit.window_s * 2)
            if count > limit.count:
                retry = limit.window_s - now % limit.window_s
                raise RateLimited(retry, limit.describe())

    def _hash(self, ip: str) -> str:
        """A keyed hash: the table never holds an address, and the key cannot be brute-forced back to one."""
        return hmac.new(self._secret, ip.strip().encode(), hashlib.sha256).hexdigest()[:32]
