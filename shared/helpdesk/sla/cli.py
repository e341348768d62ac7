"""`helpdesk sla ...`: run the SLA scan by hand against the configured store."""

import json
import sys
from datetime import UTC, datetime
from typing import Annotated

import typer

sla_app = typer.Typer(help="SLA tools: run the scan.", no_args_is_help=True)

SUMMARY_KEYS = ("examined", "warned", "breached", "escalated", "closed", "reminded", "resolved", "unnotified",
                "reminders_sent", "time_triggers")


def _instant(text: str | None) -> datetime | None:
    if text is None:
        return None
    try:
        value = datetime.fromisoformat(text)
    except ValueError as exc:
        raise typer.BadParameter(f"{text!r} is not an ISO-8601 date and time (e.g. 2026-11-23T09:00:00Z)") from exc
    return value if value.tzinfo else value.replace(tzinfo=UTC)  # a bare time is read as UTC


@sla_app.command()
def scan(
    now: Annotated[str | None, typer.Option(help="Scan as if it were this instant (ISO-8601; default: now).")] = None,
    max_tickets: Annotated[int, typer.Option(min=1, max=5000, help="Due tickets to handle in this pass.")] = 500,
) -> None:
    """Run one round of what the scheduled sla_scan function runs (the SLA scan, the agents' reminders due, the time
    triggers' sweeps) and print {"examined", "warned", "breached", "escalated", "closed", "reminded", "resolved",
    "unnotified", "reminders_sent", "time_triggers"} as JSON ("reminded" / "resolved": pending tickets whose customer
    was reminded / which were resolved for want of a reply; "unnotified": warnings and breaches recorded without a
    notification, for want of a channel or recipient; "reminders_sent": the agents' reminders due by then, mailed;
    "time_triggers": the time triggers' sweeps due by then: {"tenants", "examined", "acted", "errors",
    "unfinished"}).

    Uses the running local stack when there is one, else the AWS account the environment points at.
    """
    at = _instant(now)
    from helpdesk.local.stack import cli_container

    container = cli_container()
    done = container.scheduled_round.run(at, max_tickets)
    summary = done.as_dict()
    typer.echo(json.dumps({k: summary[k] for k in SUMMARY_KEYS}))
    if done.errors:
        print(f"sla scan: {done.errors} ticket(s) failed; see the log", file=sys.stderr)
        raise typer.Exit(1)
