"""Business-time arithmetic on calendars: opening hours, holidays, time zones, pauses, bad input."""

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pydantic import ValidationError

from helpdesk.sla.calendar import BusinessCalendar, always_open_calendar

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "sla"


def office() -> BusinessCalendar:
    return BusinessCalendar.model_validate(json.loads((FIXTURES / "office_calendar.json").read_text()))


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def test_friday_evening_plus_one_hour_lands_on_monday_morning() -> None:
    # Friday 2026-11-20 18:30 Berlin (17:30 UTC): closed until Monday 09:00 Berlin (08:00 UTC).
    assert office().add(utc(2026, 11, 20, 17, 30), 60) == utc(2026, 11, 23, 9, 0)


def test_time_inside_hours_counts_and_rolls_over_to_the_next_day() -> None:
    # Thursday 16:00 Berlin + 2 h business = Friday 10:00 Berlin.
    assert office().add(utc(2026, 11, 19, 15, 0), 120) == utc(2026, 11, 20, 9, 0)


def test_holidays_are_closed() -> None:
    # Thursday 2026-12-24 16:00 Berlin + 2 h: the 25th is a holiday, the 26th/27th a weekend.
    assert office().add(utc(2026, 12, 24, 15, 0), 120) == utc(2026, 12, 28, 9, 0)


def test_daylight_saving_keeps_local_opening_hours() -> None:
    # Berlin leaves summer time on 2026-10-25: 17:00 local is 15:00 UTC before, 09:00 local 08:00 UTC after.
    # Friday 16:00 CEST + 2 h = 1 h on Friday and 1 h from Monday 09:00 CET = 10:00 CET = 09:00 UTC.
    assert office().add(utc(2026, 10, 23, 14, 0), 120) == utc(2026, 10, 26, 9, 0)


def test_pauses_do_not_count() -> None:
    cal = office()
    start = utc(2026, 11, 23, 8, 0)  # Monday 09:00 Berlin
    pause = (utc(2026, 11, 23, 9, 0), utc(2026, 11, 23, 11, 0))
    assert cal.add(start, 240, [pause]) == utc(2026, 11, 23, 14, 0)
    assert cal.elapsed(start, utc(2026, 11, 23, 14, 0), [pause]) == 240


def test_elapsed_skips_nights_and_weekends() -> None:
    assert office().elapsed(utc(2026, 11, 20, 15, 0), utc(2026, 11, 23, 9, 0)) == 120


def test_always_open_is_plain_wall_time() -> None:
    cal = always_open_calendar()
    assert cal.always_open
    assert cal.add(utc(2026, 11, 21, 23, 0), 90) == utc(2026, 11, 22, 0, 30)


@pytest.mark.parametrize(("change", "message"), [
    ({"timezone": "Mars/Olympus"}, "unknown time zone"),
    ({"hours": {"mon": [{"start": "09:00", "end": "12:00"}, {"start": "11:00", "end": "17:00"}]}}, "overlap"),
    ({"hours": {"mon": [{"start": "17:00", "end": "09:00"}]}}, "ends before it starts"),
    ({"hours": {"mon": [{"start": "9", "end": "17:00"}]}}, "HH:MM"),
    ({"hours": {}}, "at least one opening span"),
    ({"hours": {"funday": [{"start": "09:00", "end": "17:00"}]}}, "unknown weekday"),
])
def test_bad_calendars_are_rejected_with_a_clear_message(change: dict[str, object], message: str) -> None:
    data = {**json.loads((FIXTURES / "office_calendar.json").read_text()), **change}
    with pytest.raises(ValidationError, match=message):
        BusinessCalendar.model_validate(data)
