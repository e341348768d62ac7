"""The chat widget's look per tenant (its title, greetings, colour and corner), which the widget reads before any
conversation starts. Admins set it with the AI settings (`TriageSettings.widget`, beside the widget's origins)."""

import time
from collections.abc import Callable

from helpdesk.kernel.errors import NotFound
from helpdesk.platform.timed_cache import TimedCache
from helpdesk.triage.settings import WidgetLook

# Every page view of a tenant's sites reads the look: kept a minute per warm container (as the widget origins are),
# and five minutes in browsers (the route's Cache-Control), so an admin's change shows within about six minutes.
LOOK_TTL_S = 60.0
LOOK_MAX_AGE_S = 300


class WidgetLooks:
    def __init__(self, load: Callable[[str], WidgetLook], allows_anonymous: Callable[[str], bool],
                 ttl_s: float = LOOK_TTL_S, now: Callable[[], float] = time.monotonic) -> None:
        self._load = load
        self._allows_anonymous = allows_anonymous
        self._cache: TimedCache[str, WidgetLook] = TimedCache(1000, ttl_s, timer=now)

    def of(self, tenant_id: str) -> WidgetLook:
        """The tenant's look; NotFound where the tenant has no public chat (as starting a conversation there is)."""
        if not self._allows_anonymous(tenant_id):
            raise NotFound(f"no public chat for tenant {tenant_id}")
        look = self._cache.get(tenant_id)
        if look is None:
            look = self._load(tenant_id)
            self._cache.put(tenant_id, look)
        return look
