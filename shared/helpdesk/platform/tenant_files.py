"""Per-tenant state in one file each under a folder, or in memory without one: the embedded indexes' storage
(knowledge chunks, tickets) for the local stack and the evaluations.

A tenant's file is read once and kept with its modification time: another process writing it (the local stack's
API beside a CLI command) makes the next read load it again. A write goes to a temporary file in the same folder
and replaces the tenant's file in one step, so a reader never sees half of one. Inside `bulk()` writes are held
in memory and each touched tenant is written once at the end (imports, rebuilds, benchmarks).
"""

import os
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO
from urllib.parse import quote, unquote


class TenantFiles[T]:
    """`read(path)` loads a tenant's state from its file, `write(state, handle)` writes it, `empty()` is a tenant
    with nothing yet. Callers hold `lock` around a load and the store that follows it."""

    def __init__(self, root: Path | None, suffix: str, *, read: Callable[[Path], T],
                 write: Callable[[T, BinaryIO], None], empty: Callable[[], T]) -> None:
        self._root = root
        self._suffix = suffix
        self._read = read
        self._write = write
        self._empty = empty
        self._cached: dict[str, tuple[int, T]] = {}  # tenant -> (file mtime_ns, state)
        self._deferred: set[str] | None = None  # inside bulk(): the tenants written at its end
        self.lock = threading.RLock()
        if root is not None:
            root.mkdir(parents=True, exist_ok=True)

    def _path(self, tenant_id: str) -> Path | None:
        return None if self._root is None else self._root / f"{quote(tenant_id, safe='')}{self._suffix}"

    def load(self, tenant_id: str) -> T:
        path = self._path(tenant_id)
        cached = self._cached.get(tenant_id)
        if path is None or not path.exists():
            if cached is None:
                cached = (0, self._empty())
                self._cached[tenant_id] = cached
            return cached[1]
        mtime = path.stat().st_mtime_ns
        if cached is not None and cached[0] == mtime:
            return cached[1]
        state = self._read(path)
        self._cached[tenant_id] = (mtime, state)
        return state

    def store(self, tenant_id: str, state: T) -> None:
        path = self._path(tenant_id)
        if path is None or self._deferred is not None:
            if self._deferred is not None:
                self._deferred.add(tenant_id)
            self._cached[tenant_id] = (self._cached.get(tenant_id, (0, state))[0], state)
            return
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=f".tmp{self._suffix}")
        try:
            with os.fdopen(fd, "wb") as handle:
                self._write(state, handle)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        self._cached[tenant_id] = (path.stat().st_mtime_ns, state)

    @contextmanager
    def bulk(self) -> Iterator[None]:
        with self.lock:
            self._deferred = set()
            try:
                yield
            finally:
                touched, self._deferred = self._deferred or set(), None
                for tenant_id in touched:
                    self.store(tenant_id, self._cached[tenant_id][1])

    def tenants(self) -> list[str]:
        """Tenants with a file in the folder (in memory: those read or written)."""
        if self._root is None:
            return sorted(self._cached)
        return sorted(unquote(p.name.removesuffix(self._suffix)) for p in self._root.glob(f"*{self._suffix}")
                      if not p.name.endswith(f".tmp{self._suffix}"))
