"""Business-hours calendars: an IANA time zone, weekly opening hours and holidays.

All arithmetic happens on UTC instants; opening hours are turned into UTC intervals one local day at a
time through zoneinfo, so daylight-saving shifts move the hours the way a wall clock does.
"""

import re
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from typing import Annotated
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from helpdesk.kernel.clock import known_zone

Interval = tuple[datetime, datetime]

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_HHMM = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$|^24:00$")
# A calendar always opens again within a week plus its holidays; this bounds every walk.
_MAX_DAYS_AHEAD = 3 * 366

# A policy's or calendar's version is the store's to set: a copy an admin edited and sends back cannot claim one
# (the version a write builds on comes in If-Match), and echoing it is no error.
StoredVersion = Annotated[int, Field(
    description="read-only: the stored version, also the ETag that PUT and DELETE may name in If-Match (0: built "
                "in, never saved); a version sent in a request body is ignored",
    json_schema_extra={"readOnly": True})]


def _minutes(hhmm: str) -> int:
    hours, minutes = hhmm.split(":")
    return int(hours) * 60 + int(minutes)


class OpeningSpan(BaseModel):
    """One opening span of a day, "HH:MM" to "HH:MM" local time; "24:00" closes at midnight."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    start: str
    end: str

    @field_validator("start", "end")
    @classmethod
    def _hhmm(cls, value: str) -> str:
        if not _HHMM.match(value):
            raise ValueError(f"{value!r} is not a time of day as HH:MM (00:00 to 24:00)")
        return value

    @model_validator(mode="after")
    def _ordered(self) -> "OpeningSpan":
        if _minutes(self.end) <= _minutes(self.start):
            raise ValueError(f"opening span {self.start}-{self.end} ends before it starts")
        return self

    @property
    def start_minute(self) -> int:
        return _minutes(self.start)

    @property
    def end_minute(self) -> int:
        return _minutes(self.end)


class BusinessCalendar(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.-]+$")
    name: str = Field(min_length=1, max_length=200)
    timezone: str = Field(min_length=1, max_length=64)
    hours: dict[str, list[OpeningSpan]] = Field(description="weekday (mon..sun) -> opening spans")
    holidays: list[date] = Field(default_factory=list, max_length=1000)
    version: StoredVersion = 0

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        return known_zone(value)

    @field_validator("hours")
    @classmethod
    def _week(cls, value: dict[str, list[OpeningSpan]]) -> dict[str, list[OpeningSpan]]:
        unknown = sorted(set(value) - set(WEEKDAYS))
        if unknown:
            raise ValueError(f"unknown weekday(s) {unknown}; use {list(WEEKDAYS)}")
        cleaned: dict[str, list[OpeningSpan]] = {}
        for day in WEEKDAYS:
            spans = sorted(value.get(day, []), key=lambda s: s.start_minute)
            for before, after in pairwise(spans):
                if after.start_minute < before.end_minute:
                    raise ValueError(f"opening spans overlap on {day}: {before.start}-{before.end} "
                                     f"and {after.start}-{after.end}")
            if spans:
                cleaned[day] = spans
        if not cleaned:
            raise ValueError("a calendar needs at least one opening span in the week")
        return cleaned

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def always_open(self) -> bool:
        return not self.holidays and all(
            [(s.start_minute, s.end_minute) for s in self.hours.get(d, [])] == [(0, 24 * 60)] for d in WEEKDAYS)

    # -- arithmetic ------------------------------------------------------------------------

    def open_intervals(self, start: datetime) -> Iterator[Interval]:
        """The calendar's open UTC intervals from `start` on, in order, the first clipped to `start`."""
        if self.always_open:
            yield start, datetime.max.replace(tzinfo=UTC)
            return
        zone = self.zone
        holidays = set(self.holidays)
        day = start.astimezone(zone).date() - timedelta(days=1)  # a span may start the local day before
        for _ in range(_MAX_DAYS_AHEAD + 2):
            if day not in holidays:
                for span in self.hours.get(WEEKDAYS[day.weekday()], []):
                    begin = _local_instant(day, span.start_minute, zone)
                    end = _local_instant(day, span.end_minute, zone)
                    if end > start:
                        yield max(begin, start), end
            day += timedelta(days=1)

    def add(self, start: datetime, minutes: float, pauses: Iterable[Interval] = ()) -> datetime:
        """The instant `minutes` of business time after `start`, not counting `pauses`."""
        remaining = timedelta(minutes=minutes)
        for begin, end in _subtract(self.open_intervals(start), _merged(pauses)):
            if end - begin >= remaining:
                return begin + remaining
            remaining -= end - begin
        raise ValueError(f"calendar {self.id} has no business time left within {_MAX_DAYS_AHEAD} days")

    def elapsed(self, start: datetime, end: datetime, pauses: Iterable[Interval] = ()) -> float:
        """Business minutes between two instants, not counting `pauses`."""
        if end <= start:
            return 0.0
        total = timedelta()
        for begin, finish in _subtract(self.open_intervals(start), _merged(pauses)):
            if begin >= end:
                break
            total += min(finish, end) - begin
        return total.total_seconds() / 60


def _local_instant(day: date, minute: int, zone: ZoneInfo) -> datetime:
    """Local wall time `minute` after midnight of `day`, as UTC; 24:00 is the next midnight."""
    if minute >= 24 * 60:
        return _local_instant(day + timedelta(days=1), minute - 24 * 60, zone)
    local = datetime.combine(day, time(minute // 60, minute % 60), tzinfo=zone)
    return local.astimezone(UTC)


def _merged(pauses: Iterable[Interval]) -> list[Interval]:
    out: list[Interval] = []
    for begin, end in sorted(p for p in pauses if p[1] > p[0]):
        if out and begin <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((begin, end))
    return out


def _subtract(intervals: Iterable[Interval], holes: list[Interval]) -> Iterator[Interval]:
    """`intervals` (ordered) minus `holes` (ordered, merged)."""
    for begin, end in intervals:
        cursor = begin
        for hole_begin, hole_end in holes:
            if hole_end <= cursor or hole_begin >= end:
                continue
            if hole_begin > cursor:
                yield cursor, hole_begin
            cursor = max(cursor, hole_end)
            if cursor >= end:
                break
        if cursor < end:
            yield cursor, end


ALWAYS_OPEN_ID = "24x7"


def always_open_calendar() -> BusinessCalendar:
    """The calendar of a fresh tenant: open around the clock, in UTC."""
    return BusinessCalendar(id=ALWAYS_OPEN_ID, name="Around the clock", timezone="UTC",
                            hours={d: [OpeningSpan(start="00:00", end="24:00")] for d in WEEKDAYS})
