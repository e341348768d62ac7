"""Zendesk's SLA policies and schedules in the terms of SLA policies and calendars here (`ZendeskSource`).

A policy's metrics are minutes per priority, each counted in business hours or not; its `filter` has `all` and `any`
conditions. A schedule's intervals are minutes since Sunday 00:00 in its time zone, a Rails name ("Eastern Time (US &
Canada)") that the account's time zone list names in IANA terms; its holidays run from a start to an end date.
"""

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from helpdesk.imports.adapters.zendesk_config import VIA_CHANNELS
from helpdesk.imports.model import SourceCalendar, SourceSlaPolicy
from helpdesk.tickets.model import Priority

PRIORITY_ORDER = ("low", "normal", "high", "urgent")
# Zendesk's metrics -> the targets here. Requester wait time stops while the ticket is pending, as the resolution
# clock here does; agent work time also while on hold, total resolution time never (both read as resolution, named).
METRICS = {"first_reply_time": "first_response", "next_reply_time": "next_response",
           "requester_wait_time": "resolution", "agent_work_time": "resolution", "total_resolution_time": "resolution"}
METRIC_NOTES = {"agent_work_time": "its agent work time is the resolution target here, which also counts on hold",
                "total_resolution_time": "its total resolution time is the resolution target here, which stops "
                                         "while the team waits for the customer"}
WEEK = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")  # Zendesk's week starts on Sunday
DAY = 24 * 60


def source_sla_policy(p: dict[str, Any], schedules: list[str]) -> SourceSlaPolicy:
    conditions = p.get("filter") or {}
    found: dict[str, Any] = {"priorities": [], "channels": [], "group_ids": [], "tags": [],
                             "conditions_unsupported": [], "targets_unsupported": []}
    for c in conditions.get("all") or []:
        _condition(found, str(c.get("field")), str(c.get("operator")), c.get("value"))
    some = conditions.get("any") or []
    if some:  # one kind of condition, any of its values: a list here; mixed kinds have no counterpart
        fields = {str(c.get("field")) for c in some}
        if len(fields) == 1 and all(str(c.get("operator")) in ("is", "includes") for c in some):
            for c in some:
                _condition(found, str(c.get("field")), str(c.get("operator")), c.get("value"))
        else:
            found["conditions_unsupported"].append("its 'any' conditions are of several kinds")
    targets: dict[Priority, dict[str, int]] = {}
    business_hours: set[bool] = set()
    notes: list[str] = found["targets_unsupported"]
    for metric in p.get("policy_metrics") or []:
        name, priority = str(metric.get("metric")), str(metric.get("priority"))
        kind = METRICS.get(name)
        if kind is None:
            if f"its {name} target has no counterpart here" not in notes:
                notes.append(f"its {name} target has no counterpart here")
            continue
        if priority not in PRIORITY_ORDER or not isinstance(metric.get("target"), int | float):
            continue
        kinds = targets.setdefault(Priority(priority), {})
        if kind == "resolution" and "resolution" in kinds and name != "requester_wait_time":
            continue  # requester wait time is the closest of the three: it wins
        kinds[kind] = int(metric["target"])
        business_hours.add(bool(metric.get("business_hours")))
        if name in METRIC_NOTES and METRIC_NOTES[name] not in notes:
            notes.append(METRIC_NOTES[name])
    if business_hours == {True, False}:
        notes.append("its targets are all counted in business hours here (there some ran around the clock)")
    calendar = schedules[0] if True in business_hours and schedules else None
    if calendar and len(schedules) > 1:
        notes.append("counted on the account's first schedule (there a trigger could choose another)")
    return SourceSlaPolicy(id=str(p["id"]), title=str(p.get("title") or p["id"]), calendar_id=calendar,
                           targets=targets, **found)


def _condition(found: dict[str, Any], field: str, operator: str, value: Any) -> None:
    """One filter condition into `found` (SourceSlaPolicy's fields), or named as having no counterpart."""
    text = "" if value is None else str(value)
    if field == "priority" and text in PRIORITY_ORDER and operator in ("is", "less_than", "greater_than"):
        at = PRIORITY_ORDER.index(text)
        chosen = {"is": PRIORITY_ORDER[at:at + 1], "less_than": PRIORITY_ORDER[:at],
                  "greater_than": PRIORITY_ORDER[at + 1:]}[operator]
        found["priorities"].extend(Priority(c) for c in chosen if Priority(c) not in found["priorities"])
    elif field == "via_id" and operator == "is" and text in VIA_CHANNELS:
        found["channels"].append(VIA_CHANNELS[text])
    elif field == "group_id" and operator == "is" and text:
        found["group_ids"].append(text)
    elif field == "current_tags" and operator == "includes" and text.split():
        found["tags"].extend(text.split())
    else:
        found["conditions_unsupported"].append(f"{field} {operator} {text}".strip())


def source_calendar(s: dict[str, Any], zones: dict[str, str], holidays: Iterable[dict[str, Any]]) -> SourceCalendar:
    zone = str(s.get("time_zone") or "")
    iana = zone if _known_zone(zone) else zones.get(zone, "")
    hours: dict[str, list[tuple[str, str]]] = {}
    for interval in s.get("intervals") or []:
        start, end = int(interval.get("start_time") or 0), int(interval.get("end_time") or 0)
        day = start // DAY
        if not 0 <= day < 7 or end <= start or end > (day + 1) * DAY:
            continue  # an interval spans no day boundary there
        hours.setdefault(WEEK[day], []).append((_hhmm(start - day * DAY), _hhmm(end - day * DAY)))
    days: list[date] = []
    for h in holidays:
        first, last = date.fromisoformat(str(h["start_date"])), date.fromisoformat(str(h["end_date"]))
        days += [first + timedelta(days=n) for n in range(min((last - first).days + 1, 366))]
    return SourceCalendar(id=str(s["id"]), name=str(s.get("name") or s["id"]), timezone=iana or "UTC", hours=hours,
                          holidays=days, unsupported=None if _known_zone(iana) else
                          f"its time zone {zone!r} has no IANA name in the account's time zone list")


def _known_zone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return bool(name)


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"
