"""The message tags a mail about a ticket is sent with (`MailSender.send_raw(tags=...)`): SES hands them back with
its bounces and complaints (`helpdesk.mail.feedback`). A tag value may hold only letters, digits, "_" and "-", and
tenant ids may hold "." too, so both ids travel base64url-encoded."""

import base64
import binascii

TENANT_TAG = "helpdesk-tenant"
TICKET_TAG = "helpdesk-ticket"
AGENT_TAG = "helpdesk-agent"  # a teammate's notification: their bounce is theirs to hear of, not the ticket's


def ticket_tags(tenant_id: str, ticket_id: str) -> dict[str, str]:
    return {TENANT_TAG: _encoded(tenant_id), TICKET_TAG: _encoded(ticket_id)}


def agent_tags(tenant_id: str, ticket_id: str, user_id: str) -> dict[str, str]:
    """A notification to a teammate about the ticket."""
    return {**ticket_tags(tenant_id, ticket_id), AGENT_TAG: _encoded(user_id)}


def _encoded(value: str) -> str:
    return base64.urlsafe_b64encode(value.encode()).decode().rstrip("=")


def decoded(values: list[str] | None) -> str | None:
    """A tag's value as SES reports it (a list) decoded; None when absent or not ours."""
    if not values:
        return None
    value = values[0]
    try:
        return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
