"""Staff as the team directory has them now, at every API call, not as their token had them when it was issued.

An ID token lives an hour (Cognito's default) and API Gateway's JWT authorizer cannot know that the directory
changed since it was issued: an agent an admin deactivated, demoted or limited to their groups kept their old
rights until the token expired. Each API reads the caller's record and the tenant's groups at most once per
`recheck_s` per warm container, and again whenever the token is newer than what it read (so a fresh sign-in sees a
change at once). The reads go through the directory's own store, so the local stack does the same.

A person the directory does not know keeps what their token says (as at sign-in: they are enrolled at their next
one). API clients are not people: helpdesk.clients checks them.
"""

from collections.abc import Callable, Hashable

from helpdesk.directory.model import Group, User
from helpdesk.directory.ports import DirectoryStore
from helpdesk.directory.service import in_standing
from helpdesk.kernel.clock import Clock, system_clock
from helpdesk.kernel.principal import Principal
from helpdesk.platform.timed_cache import TimedCache

RECHECK_S = 30.0  # how stale a warm container's view of a person may get (HELPDESK_STAFF_RECHECK_S)
MAX_PEOPLE = 4096  # people kept per container; a few KB each
MAX_TENANTS = 512


class StaffStanding:
    def __init__(self, store: DirectoryStore, *, recheck_s: float = RECHECK_S, clock: Clock = system_clock) -> None:
        self._store = store
        self._clock = clock  # the container's clock: tests move it past `recheck_s`
        # (when it was read, what was read): a token issued after the read is newer than it
        self._users: TimedCache[tuple[str, str], tuple[float, User | None]] = TimedCache(MAX_PEOPLE, recheck_s,
                                                                                          timer=self._now)
        self._groups: TimedCache[str, tuple[float, list[Group]]] = TimedCache(MAX_TENANTS, recheck_s,
                                                                              timer=self._now)

    def __call__(self, person: Principal, *, issued_at: float | None = None) -> Principal:
        """The person with the directory's role, groups and ticket access; Unauthorized if they were deactivated.
        `issued_at`: when their token was issued (its `iat`), None if it does not say."""
        if not person.is_staff:
            return person
        tenant_id = person.tenant_id
        user = self._read(self._users, (tenant_id, person.user_id), issued_at,
                          lambda: self._store.get_user(tenant_id, person.user_id))
        if user is None:
            return person
        groups = self._read(self._groups, tenant_id, issued_at, lambda: self._store.list_groups(tenant_id))
        return in_standing(person, user, groups)

    def _now(self) -> float:
        return self._clock().timestamp()

    def _read[K: Hashable, V](self, cache: TimedCache[K, tuple[float, V]], key: K, issued_at: float | None,
                              load: Callable[[], V]) -> V:
        hit = cache.get(key)
        # `iat` is whole seconds: a token issued in the second of the read may be the newer one
        if hit is not None and (issued_at is None or issued_at < int(hit[0])):
            return hit[1]
        read_at = self._now()
        value = load()
        cache.put(key, (read_at, value))
        return value
