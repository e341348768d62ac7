"""Where "now" comes from: services take a `Clock` in their constructor; there is no global clock."""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

Clock = Callable[[], datetime]
"""Anything that answers "now" (aware, UTC). Services take one as `clock=`; the default is `system_clock`."""


def system_clock() -> datetime:
    """The wall clock, timezone-aware UTC."""
    return datetime.now(UTC)


class FixedClock:
    """A clock that stands still until told otherwise (tests, `--now`): `set(dt)` or `advance(delta)`."""

    def __init__(self, now: datetime | None = None) -> None:
        self.now = now if now is not None else system_clock()

    def __call__(self) -> datetime:
        return self.now

    def set(self, now: datetime) -> None:
        self.now = now

    def advance(self, delta: timedelta) -> None:
        self.now = self.now + delta
