"""One source of "now", so tests and scans can inject a clock."""

from collections.abc import Callable
from datetime import UTC, datetime

_now: Callable[[], datetime] = lambda: datetime.now(UTC)  # noqa: E731


def utcnow() -> datetime:
    return _now()


def set_clock(now: Callable[[], datetime] | None) -> None:
    """Replace the clock (tests, `--now`); `None` restores the wall clock."""
    global _now
    _now = now or (lambda: datetime.now(UTC))
