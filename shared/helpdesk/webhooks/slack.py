"""The built-in Slack target: a Slack incoming webhook gets a short message for SLA warnings and breaches and for
new urgent tickets (created urgent, or raised to urgent), nothing else. Slack authenticates the sender by the
secret URL itself, so there is no signature, and the URL is never shown again after it was registered."""

from typing import Any
from urllib.parse import urlsplit

SLACK_TYPES = ["ticket.created", "ticket.priority_changed", "ticket.sla_warning", "ticket.sla_breached"]


def worth_a_message(detail: dict[str, Any]) -> bool:
    data = detail.get("data") or {}
    kind = detail.get("type")
    if kind in ("ticket.sla_warning", "ticket.sla_breached"):
        return True
    if kind == "ticket.created":
        return data.get("priority") == "urgent"
    return kind == "ticket.priority_changed" and data.get("to") == "urgent"


def message(detail: dict[str, Any]) -> dict[str, str]:
    data = detail.get("data") or {}
    ticket = data.get("number") or detail.get("ticket_id")
    what = {
        "ticket.sla_warning": f":warning: SLA warning on ticket {ticket}: {data.get('target', 'a target')} is due soon",
        "ticket.sla_breached": f":rotating_light: SLA breached on ticket {ticket}: {data.get('target', 'a target')}",
        "ticket.created": f":fire: New urgent ticket {ticket}: {data.get('subject', '')}".rstrip(": "),
        "ticket.priority_changed": f":fire: Ticket {ticket} is now urgent",
    }[str(detail.get("type"))]
    return {"text": f"{what} (tenant {detail.get('tenant_id')})"}


def masked(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.hostname}/…"
