"""The local stack keeps its data: moto's state is snapshotted to the state folder and restored on start.

moto keeps every service in memory, in "backends" (plain Python objects, one per account and region)
that pickle cleanly: S3 objects even define `__getstate__` for it. So instead of replaying requests we
save the backends themselves:

- on start, before moto answers anything, `restore()` loads `<state folder>/moto-state.pickle` and puts
  the saved backends back in place;
- a background thread saves every `interval` seconds when a request may have changed something since
  the last save (`LocalMotoServer.changes`); reads and stream polling do not count;
- `close()` saves once more after the HTTP server has stopped: a clean stop (Ctrl-C, SIGTERM) loses
  nothing that was acknowledged.

A snapshot is taken while holding moto's request lock, so it is one consistent moment of every service,
and it is written to a temporary file, flushed to disk and renamed over the previous one: a crash at any
point leaves either the old or the new snapshot, never a torn one. After a SIGKILL what was acknowledged
since the last save is lost: at most `interval` plus the time a save takes (`bench/persistence.py`
measures it). While it pickles, every moto request of the stack waits, so after a save that held moto long
the next one waits long enough that moto is held at most `MAX_LOCKED_SHARE` of the time (`next_save_in`).

Stream pollers keep their position here too (`checkpoints`): it is saved in the same snapshot as the
records it points into, so a restart neither re-sends mail nor skips a record (at-least-once, like
Lambda's event source mapping).

The file is a pickle: only ever load one this stack wrote (it is created 0600 in your own state folder).
"""

import copyreg
import io
import logging
import os
import pickle
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from helpdesk.local.moto_server import LocalMotoServer

log = logging.getLogger("helpdesk.local.persistence")
# A snapshot pickles moto under its request lock: longer than this and the stack's requests and pollers
# noticeably wait for it, which the log should say.
SLOW_SNAPSHOT_S = 1.0
# The most of the time the snapshots may hold moto: a save that held it L seconds is followed by a pause of at
# least L / MAX_LOCKED_SHARE - L.
MAX_LOCKED_SHARE = 0.1

STATE_FILE = "moto-state.pickle"
FORMAT = 1
# What the local stack uses (tickets, articles, settings, mail, attachments, notifications). Other
# services start empty each time.
SERVICES = ("dynamodb", "s3", "ses", "sesv2", "sns", "sqs", "ssm")


class StateUnreadable(RuntimeError):
    """The saved state cannot be loaded (e.g. written by another moto version)."""


@dataclass
class SaveStats:
    saves: int = 0
    last_bytes: int = 0
    last_seconds: float = 0.0  # time moto was held for the snapshot plus the write
    last_locked_seconds: float = 0.0
    last_saved_at: float = 0.0


def _fresh_condition(_: threading.Condition) -> tuple[type[threading.Condition], tuple[()]]:
    return threading.Condition, ()


def next_save_in(interval: float, locked_seconds: float) -> float:
    """Seconds to the next save: the interval, or longer after a save that held moto long."""
    return max(interval, locked_seconds / MAX_LOCKED_SHARE - locked_seconds)


def _dumps(state: dict[str, Any]) -> bytes:
    """Pickle the state; an SQS queue holds a `threading.Condition` (its receive waiters), saved as a new one:
    nobody is waiting on a restored queue."""
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = {**copyreg.dispatch_table, threading.Condition: _fresh_condition}
    pickler.dump(state)
    return buffer.getvalue()


def _moto_version() -> str:
    from importlib.metadata import version

    return version("moto")


def _backends(service: str) -> Any:
    from moto.backends import get_backend

    return get_backend(service)  # type: ignore[call-overload]


def collect() -> dict[str, dict[str, dict[str, Any]]]:
    """Every persisted service's backends: {service: {account: {region: backend}}} (the live objects)."""
    out: dict[str, dict[str, dict[str, Any]]] = {}
    for service in SERVICES:
        accounts = {account: dict(regions) for account, regions in _backends(service).items() if regions}
        if accounts:
            out[service] = accounts
    return out


def install(services: dict[str, dict[str, dict[str, Any]]]) -> None:
    """Put saved backends in place of moto's (before moto answers any request)."""
    for service, accounts in services.items():
        backend_dict = _backends(service)
        for account, regions in accounts.items():
            account_backends = backend_dict[account]  # moto creates the per-account holder on first access
            for region, backend in regions.items():
                # Bypass moto's lazily-creating __getitem__/__setitem__: store exactly the saved object.
                dict.__setitem__(account_backends, region, backend)


@dataclass
class LocalState:
    """Snapshots of the local stack's moto under `folder`."""

    folder: Path
    server: "LocalMotoServer"
    interval: float = 2.0
    checkpoints: dict[str, str] = field(default_factory=dict)  # stream shard id -> last delivered sequence
    stats: SaveStats = field(default_factory=SaveStats)

    def __post_init__(self) -> None:
        self._saved_changes = 0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._save_lock = threading.Lock()  # one save at a time (the thread and close())

    @property
    def path(self) -> Path:
        return self.folder / STATE_FILE

    def reset(self) -> None:
        """Start empty: remove the saved state."""
        self.path.unlink(missing_ok=True)

    def restore(self) -> bool:
        """Load the saved state, if any, into moto. Call before the server answers requests."""
        if not self.path.exists():
            return False
        saved: Any = None
        try:
            with self.path.open("rb") as handle:
                saved = pickle.load(handle)  # noqa: S301 - our own file, written by save() below, mode 0600
            if not isinstance(saved, dict) or saved.get("format") != FORMAT:
                raise ValueError("not a snapshot this version of helpdesk wrote")
            install(saved["services"])
        except Exception as exc:
            written_by = saved.get("moto") if isinstance(saved, dict) else None
            detail = f" (written with moto {written_by}, this is moto {_moto_version()})" if written_by else ""
            raise StateUnreadable(f"cannot restore the local state from {self.path}{detail}: {exc!r}") from exc
        self.checkpoints.update(saved.get("checkpoints", {}))
        return True

    def save(self, *, force: bool = False) -> bool:
        """Snapshot moto now if anything may have changed since the last save (or `force`)."""
        with self._save_lock:
            started = time.perf_counter()
            with self.server.lock:
                acquired = time.perf_counter()
                changes = self.server.changes
                if changes == self._saved_changes and not force and self.path.exists():
                    return False
                payload = _dumps({"format": FORMAT, "moto": _moto_version(), "saved_at": time.time(),
                                  "services": collect(), "checkpoints": dict(self.checkpoints)})
            locked = time.perf_counter() - acquired
            if locked > SLOW_SNAPSHOT_S or acquired - started > SLOW_SNAPSHOT_S:
                log.warning("state snapshot waited %.1f s for the moto lock and held it %.1f s (%d bytes)",
                            acquired - started, locked, len(payload))
            self._write(payload)
            self._saved_changes = changes
            self.stats = SaveStats(saves=self.stats.saves + 1, last_bytes=len(payload),
                                   last_seconds=time.perf_counter() - started, last_locked_seconds=locked,
                                   last_saved_at=time.time())
            return True

    def _write(self, payload: bytes) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=".moto-state-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(payload)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(tmp, 0o600)
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        try:  # make the rename itself durable
            dir_fd = os.open(self.folder, os.O_RDONLY)
        except OSError:
            return
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)

    def start(self) -> None:
        """Save in the background every `interval` seconds while something changes."""
        for service in SERVICES:  # import moto's models now, not under the lock in the first save (1.5-5 s)
            _backends(service)
        self._thread = threading.Thread(target=self._run, name="state-snapshots", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        failed = False
        while not self._stop.wait(next_save_in(self.interval, self.stats.last_locked_seconds)):
            try:
                self.save()
                failed = False
            except Exception:
                if not failed:  # once per failure streak, not every interval
                    log.exception("saving the local state failed; retrying every %.1f s", self.interval)
                failed = True

    def close(self) -> None:
        """Stop the background saves and save a last time (after the HTTP server stopped)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=30)
        self.save()
