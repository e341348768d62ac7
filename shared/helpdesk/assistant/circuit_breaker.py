"""A circuit breaker around the model: after repeated failures, skip it for a while and use the
fallback, so a struggling API costs one timeout per reset period instead of one per chat turn."""

import threading
import time
from collections.abc import Callable
from enum import StrEnum
from typing import TypeVar

T = TypeVar("T")


class BreakerState(StrEnum):
    CLOSED = "closed"  # calls go to the primary
    OPEN = "open"  # calls go straight to the fallback
    HALF_OPEN = "half_open"  # one trial call goes to the primary


class CircuitBreaker:
    def __init__(self, failure_threshold: int = 3, reset_after_s: float = 60.0,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        self.failure_threshold = failure_threshold
        self.reset_after_s = reset_after_s
        self._monotonic = monotonic
        self._failures = 0
        self._opened_at: float | None = None
        self._trial_running = False
        self._lock = threading.Lock()

    @property
    def state(self) -> BreakerState:
        with self._lock:
            return self._state()

    def _state(self) -> BreakerState:
        if self._opened_at is None:
            return BreakerState.CLOSED
        if self._monotonic() - self._opened_at >= self.reset_after_s:
            return BreakerState.HALF_OPEN
        return BreakerState.OPEN

    def allow(self) -> bool:
        """May this call try the primary? In half-open state only one trial at a time may."""
        with self._lock:
            state = self._state()
            if state == BreakerState.CLOSED:
                return True
            if state == BreakerState.HALF_OPEN and not self._trial_running:
                self._trial_running = True
                return True
            return False

    def record_success(self) -> None:
        with self._lock:
            self._failures = 0
            self._opened_at = None
            self._trial_running = False

    def record_failure(self) -> None:
        with self._lock:
            self._trial_running = False
            self._failures += 1
            if self._opened_at is not None or self._failures >= self.failure_threshold:
                self._opened_at = self._monotonic()  # (re)open: a failed trial waits a full period again

    def call(self, primary: Callable[[], T], fallback: Callable[[], T],
             is_failure: Callable[[BaseException], bool]) -> tuple[T, bool]:
        """Run `primary` if allowed, else or on a counted failure `fallback`. Returns (result, fell_back)."""
        if not self.allow():
            return fallback(), True
        try:
            result = primary()
        except Exception as exc:
            if not is_failure(exc):
                with self._lock:  # not the model's fault (our bug): neither trip nor heal, re-raise
                    self._trial_running = False
                raise
            self.record_failure()
            return fallback(), True
        self.record_success()
        return result, False
