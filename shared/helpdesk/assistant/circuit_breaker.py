"""Circuit breakers with a time limit per call, around the assistant's dependencies (the model, retrieval).

- Time limit: the call runs on a worker thread and the caller waits at most `timeout_s`. Client timeouts
  alone do not bound a call (a DNS lookup has none, a read timeout is per read, SDK retries multiply
  them); a call that overstays counts as a failure and is abandoned, its own client timeouts end it.
- Breaker: after `failure_threshold` failures, skip the dependency for `reset_after_s`, then let one trial
  through; its success closes the breaker, its failure opens it for another full period.
- Shared state (optional `store`, a DynamoDB item in AWS): failures are counted for the whole fleet and an
  open breaker is open in every container, so a dependency found down costs a few time limits in all
  instead of `failure_threshold` time limits in each container. The in-process state stays the fast
  path: an open breaker never asks the store, a closed one reads it at most every `refresh_s`. The store
  is advisory: when it fails, each container goes on with its own state.
"""

import contextvars
import logging
import threading
import time
from collections.abc import Callable
from enum import StrEnum
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from helpdesk.assistant.ports import BreakerStateStore, SharedBreakerState

T = TypeVar("T")
_log = logging.getLogger(__name__)


class BreakerState(StrEnum):
    CLOSED = "closed"  # calls go to the primary
    OPEN = "open"  # calls go straight to the fallback
    HALF_OPEN = "half_open"  # one trial call goes to the primary


class CallTimedOut(Exception):
    """The call did not return within its time limit (it may still be running, abandoned)."""


class Unavailable(Exception):
    """The dependency was not used or did not answer: `reason` is "open", "timeout" or the error's name."""

    def __init__(self, name: str, reason: str) -> None:
        super().__init__(f"{name} unavailable: {reason}")
        self.name = name
        self.reason = reason


def call_with_timeout[R](fn: Callable[[], R], timeout_s: float) -> R:
    """`fn()` on a daemon thread, waited for at most `timeout_s` seconds (raises CallTimedOut after).

    A thread per call (about 0.1 ms) rather than a pool: an abandoned call holds its thread until its
    client gives up, and a pool full of those would block the calls behind them."""
    if timeout_s <= 0:
        raise CallTimedOut("no time left for the call")
    outcome: list[tuple[bool, object]] = []
    done = threading.Event()
    context = contextvars.copy_context()  # the caller's context variables (log keys) follow the call

    def work() -> None:
        try:
            outcome.append((True, context.run(fn)))
        except BaseException as exc:  # handed to the caller below
            outcome.append((False, exc))
        finally:
            done.set()

    threading.Thread(target=work, name="limited-call", daemon=True).start()
    if not done.wait(timeout_s):
        raise CallTimedOut(f"no answer within {timeout_s:.2f} s")
    ok, value = outcome[0]
    if not ok:
        assert isinstance(value, BaseException)
        raise value
    return value  # type: ignore[return-value]


class CircuitBreaker:
    def __init__(self, failure_threshold: int = 3, reset_after_s: float = 60.0,
                 monotonic: Callable[[], float] = time.monotonic, *, name: str = "dependency",
                 store: "BreakerStateStore | None" = None, wall: Callable[[], float] = time.time,
                 refresh_s: float = 2.0, failure_window_s: float = 60.0, trial_s: float = 10.0) -> None:
        self.failure_threshold = failure_threshold
        self.reset_after_s = reset_after_s
        self.name = name
        self.store = store
        self.refresh_s = refresh_s
        self.failure_window_s = failure_window_s
        self.trial_s = trial_s  # how long a claimed trial keeps the others away (at least the call's limit)
        self._monotonic = monotonic
        self._wall = wall
        self._failures = 0
        self._open_until: float | None = None  # monotonic; None: closed
        self._trial_running = False
        self._shared_checked_at: float | None = None
        self._lock = threading.Lock()

    @property
    def state(self) -> BreakerState:
        with self._lock:
            return self._state()

    def _state(self) -> BreakerState:
        if self._open_until is None:
            return BreakerState.CLOSED
        if self._monotonic() >= self._open_until:
            return BreakerState.HALF_OPEN
        return BreakerState.OPEN

    def allow(self) -> bool:
        """May this call try the primary? In half-open state only one trial at a time may (in the whole
        fleet, with a store)."""
        with self._lock:
            state = self._state()
            if state == BreakerState.OPEN or (state == BreakerState.HALF_OPEN and self._trial_running):
                return False
            if state == BreakerState.HALF_OPEN:
                self._trial_running = True
            now = self._monotonic()
            refresh = (state == BreakerState.CLOSED and self.store is not None
                       and (self._shared_checked_at is None or now - self._shared_checked_at >= self.refresh_s))
        if state == BreakerState.HALF_OPEN:
            return self._claim_trial()
        if refresh:
            return not self._adopt(self._read_shared())
        return True

    def record_success(self) -> None:
        with self._lock:
            was_open = self._open_until is not None
            self._failures = 0
            self._open_until = None
            self._trial_running = False
        if was_open:  # a trial succeeded: back for everyone
            self._shared(lambda store: store.close(self.name))

    def record_failure(self) -> None:
        with self._lock:
            self._trial_running = False
            self._failures += 1
            trip = self._open_until is not None or self._failures >= self.failure_threshold
            counted = self._open_until is None  # a failed trial is not a new failure for the fleet's count
        if not trip and counted and self.store is not None:
            fleet = self._shared(lambda store: store.add_failure(self.name, self._wall(), self.failure_window_s))
            trip = isinstance(fleet, int) and fleet >= self.failure_threshold
        if trip:
            with self._lock:
                # (re)open: a failed trial waits a full period again
                self._open_until = self._monotonic() + self.reset_after_s
            until = self._wall() + self.reset_after_s
            self._shared(lambda store: store.open(self.name, until))

    def run(self, primary: Callable[[], T], *, is_failure: Callable[[BaseException], bool] = lambda _exc: True,
            timeout_s: float | None = None) -> T:
        """`primary()` if the breaker allows it, within `timeout_s`; raises `Unavailable` when it was skipped,
        overstayed or failed (a counted failure). Errors that are not the dependency's fault (our bugs:
        `is_failure` says False) propagate unchanged and neither trip nor heal the breaker."""
        if not self.allow():
            raise Unavailable(self.name, "open")
        try:
            result = primary() if timeout_s is None else call_with_timeout(primary, timeout_s)
        except CallTimedOut as exc:
            self.record_failure()
            raise Unavailable(self.name, "timeout") from exc
        except Exception as exc:
            if not is_failure(exc):
                with self._lock:
                    self._trial_running = False
                raise
            self.record_failure()
            raise Unavailable(self.name, type(exc).__name__) from exc
        self.record_success()
        return result

    def call(self, primary: Callable[[], T], fallback: Callable[[], T],
             is_failure: Callable[[BaseException], bool], timeout_s: float | None = None) -> tuple[T, bool]:
        """Run `primary` if allowed, else or on a counted failure `fallback`. Returns (result, fell_back)."""
        try:
            return self.run(primary, is_failure=is_failure, timeout_s=timeout_s), False
        except Unavailable:
            return fallback(), True

    # -- the shared state ---------------------------------------------------------------------

    def _shared(self, action: "Callable[[BreakerStateStore], T]") -> T | None:
        if self.store is None:
            return None
        try:
            return action(self.store)
        except Exception as exc:  # advisory: a store outage must never fail or slow down the call itself
            # The standard library's logger: this module sits under the chat model, which must not load
            # Powertools (the AWS SDK) even lazily; Lambda's root handler prints warnings all the same.
            _log.warning("breaker state store failed: %s %s", self.name, type(exc).__name__)
            return None

    def _read_shared(self) -> "SharedBreakerState | None":
        state = self._shared(lambda store: store.read(self.name))
        with self._lock:
            self._shared_checked_at = self._monotonic()
        return state

    def _adopt(self, shared: "SharedBreakerState | None") -> bool:
        """Open this container's breaker for as long as the shared state says; True if it is open."""
        if shared is None:
            return False
        left = shared.open_until - self._wall()
        if left <= 0:
            return False
        with self._lock:
            self._open_until = self._monotonic() + left
            self._trial_running = False
        return True

    def _claim_trial(self) -> bool:
        if self.store is None:
            return True
        now = self._wall()
        claimed = self._shared(lambda store: store.claim_trial(self.name, now, now + self.trial_s))
        if claimed is False:  # another container is trying it: wait for its verdict
            with self._lock:
                self._trial_running = False
            if not self._adopt(self._read_shared()):
                with self._lock:
                    self._open_until = self._monotonic() + min(self.trial_s, self.reset_after_s)
            return False
        return True  # claimed, or the store failed (each container for itself then)
