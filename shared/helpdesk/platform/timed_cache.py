"""What a warm Lambda keeps a few seconds (a person's directory record, an API client, a tenant's widget origins):
a cachetools `TTLCache` behind a lock, since its caches are not thread-safe and the local stack's apps serve from a
thread pool."""

import threading
import time
from collections.abc import Callable, Hashable

from cachetools import TTLCache


class TimedCache[K: Hashable, V]:
    def __init__(self, maxsize: int, ttl_s: float, timer: Callable[[], float] = time.monotonic) -> None:
        self._cache: TTLCache[K, V] = TTLCache(maxsize, ttl_s, timer=timer)
        self._lock = threading.Lock()

    def get(self, key: K) -> V | None:
        with self._lock:
            return self._cache.get(key)

    def put(self, key: K, value: V) -> None:
        with self._lock:
            self._cache[key] = value

    def pop(self, key: K) -> None:
        with self._lock:
            self._cache.pop(key, None)
