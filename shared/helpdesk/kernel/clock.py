"""Where "now" comes from: services take a `Clock` in their constructor; there is no global clock."""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

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


def known_zone(value: str) -> str:
    """An IANA time zone name as given (Europe/Berlin); ValueError naming it otherwise (a validator's message)."""
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown time zone {value!r} (use an IANA name like Europe/Berlin)") from exc
    return value


def wall_time(at: datetime, zone: str | None = None) -> str:
    """A time as a mail says it: "2026-12-07 09:00 Europe/Berlin" in the reader's zone, "... UTC" without one."""
    if zone:
        with_zone = at.astimezone(ZoneInfo(zone))
        return f"{with_zone:%Y-%m-%d %H:%M} {zone}"
    return f"{at.astimezone(UTC):%Y-%m-%d %H:%M} UTC"
