"""The timesheet: the time the team logged in a range (`time_logged` events, read by month from their index),
summed per agent, organisation, group and ticket, with every entry as a line. Unlike the overview, which sums the
totals of the tickets created in its range, this counts the work by when it was done: what a team bills a
customer for in a month, or how an agent's week went."""

from collections import defaultdict
from collections.abc import Callable
from datetime import datetime

from helpdesk.reports.model import NONE_KEY, TimeEntry, TimeReport, TimeRow
from helpdesk.tickets.history import TicketEvent


def time_entry(event: TicketEvent) -> TimeEntry:
    data = event.data
    return TimeEntry(at=event.at, agent=event.actor, ticket_id=event.ticket_id, ticket=str(data.get("number", "")),
                     organization_id=data.get("organization_id"), group=data.get("group"),
                     minutes=int(data.get("minutes", 0)))


def rows(lines: list[TimeEntry], key: Callable[[TimeEntry], str | None]) -> list[TimeRow]:
    """One row per key, the most time first (then by key)."""
    minutes: dict[str, int] = defaultdict(int)
    entries: dict[str, int] = defaultdict(int)
    for line in lines:
        name = key(line) or NONE_KEY
        minutes[name] += line.minutes
        entries[name] += 1
    return [TimeRow(key=name, minutes=minutes[name], entries=entries[name])
            for name in sorted(minutes, key=lambda n: (-minutes[n], n))]


def timesheet(since: datetime, until: datetime, lines: list[TimeEntry], truncated: bool,
              filters: dict[str, str]) -> TimeReport:
    """The report over `lines` (in time order): sums, breakdowns and the lines themselves."""
    return TimeReport(
        since=since, until=until, filters=filters, truncated=truncated,
        minutes=sum(line.minutes for line in lines), entries=len(lines),
        by_agent=rows(lines, lambda line: line.agent),
        by_organization=rows(lines, lambda line: line.organization_id),
        by_group=rows(lines, lambda line: line.group),
        by_ticket=rows(lines, lambda line: line.ticket),
        lines=lines)
