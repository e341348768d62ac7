"""Which scope each route needs from an API client: declared once per route, here.

A route that is not listed is for people only (an API client gets 403), so a new route is closed to clients
until it is listed. People's tokens are not checked against this table: their role decides, in the services.
Paths are the routes as the apps (and template.yaml) declare them.
"""

from collections.abc import Iterable

ROUTE_SCOPES: dict[tuple[str, str], str] = {
    # tickets (ticket_commands)
    ("POST", "/tickets"): "tickets:write",
    ("GET", "/tickets"): "tickets:read",
    ("GET", "/tickets/{ticket_id}"): "tickets:read",
    ("PATCH", "/tickets/{ticket_id}"): "tickets:write",
    ("POST", "/tickets/{ticket_id}/messages"): "tickets:write",
    ("GET", "/tickets/{ticket_id}/events"): "tickets:read",
    ("GET", "/tickets/{ticket_id}/events/{seq}/html"): "tickets:read",
    ("POST", "/tickets/{ticket_id}/attachments"): "tickets:write",
    ("GET", "/tickets/{ticket_id}/attachments"): "tickets:read",
    ("GET", "/tickets/{ticket_id}/attachments/{attachment_id}"): "tickets:read",
    ("GET", "/tickets/{ticket_id}/participants"): "tickets:read",
    ("PUT", "/tickets/{ticket_id}/participants"): "tickets:write",
    ("POST", "/tickets/{ticket_id}/merge"): "tickets:write",
    ("POST", "/tickets/{ticket_id}/split"): "tickets:write",
    ("POST", "/tickets/{ticket_id}/spam"): "tickets:write",
    ("POST", "/tickets/{ticket_id}/links"): "tickets:write",
    ("DELETE", "/tickets/{ticket_id}/links/{link_type}/{other_id}"): "tickets:write",
    ("GET", "/ticket-fields"): "tickets:read",  # what custom_fields' defined keys take; admins (people) define them
    # ticket search (ticket_search)
    ("GET", "/tickets/search"): "tickets:read",
    ("GET", "/tickets/export"): "tickets:read",
    # knowledge base (knowledge_api)
    ("POST", "/kb/articles"): "kb:write",
    ("GET", "/kb/articles"): "kb:read",
    ("GET", "/kb/articles/{article_id}"): "kb:read",
    ("PATCH", "/kb/articles/{article_id}"): "kb:write",
    ("POST", "/kb/articles/{article_id}/publish"): "kb:write",
    ("POST", "/kb/articles/{article_id}/archive"): "kb:write",
    ("GET", "/kb/articles/{article_id}/versions"): "kb:read",
    ("GET", "/kb/search"): "kb:read",
    ("POST", "/kb/articles/{article_id}/images"): "kb:write",
    ("POST", "/kb/articles/{article_id}/images/{image_id}/complete"): "kb:write",
    ("GET", "/kb/articles/{article_id}/images/{image_id}"): "kb:read",
    # SLA (sla_api)
    ("GET", "/sla/policies"): "sla:read",
    ("POST", "/sla/policies"): "sla:write",
    ("GET", "/sla/policies/{policy_id}"): "sla:read",
    ("PUT", "/sla/policies/{policy_id}"): "sla:write",
    ("DELETE", "/sla/policies/{policy_id}"): "sla:write",
    ("GET", "/sla/calendars"): "sla:read",
    ("POST", "/sla/calendars"): "sla:write",
    ("GET", "/sla/calendars/{calendar_id}"): "sla:read",
    ("PUT", "/sla/calendars/{calendar_id}"): "sla:write",
    ("DELETE", "/sla/calendars/{calendar_id}"): "sla:write",
    ("GET", "/reports/sla"): "sla:read",
    # reports (reports_api); the rating links (/csat/{token}) take no token at all
    ("GET", "/reports/overview"): "reports:read",
    ("GET", "/reports/ai"): "reports:read",
    # webhooks (webhooks_api)
    ("POST", "/webhooks"): "webhooks:write",
    ("GET", "/webhooks"): "webhooks:read",
    ("GET", "/webhooks/event-types"): "webhooks:read",
    ("GET", "/webhooks/{webhook_id}"): "webhooks:read",
    ("DELETE", "/webhooks/{webhook_id}"): "webhooks:write",
    ("GET", "/webhooks/{webhook_id}/deliveries"): "webhooks:read",
    # audit (audit_api)
    ("GET", "/audit"): "audit:read",
    # team directory (directory_api)
    ("GET", "/users"): "directory:read",
    ("POST", "/users"): "directory:write",
    ("GET", "/users/{user_id}"): "directory:read",
    ("PATCH", "/users/{user_id}"): "directory:write",
    ("GET", "/groups"): "directory:read",
    ("POST", "/groups"): "directory:write",
    ("GET", "/groups/{group_id}"): "directory:read",
    ("PATCH", "/groups/{group_id}"): "directory:write",
    ("GET", "/organizations"): "directory:read",
    ("POST", "/organizations"): "directory:write",
    ("GET", "/organizations/{organization_id}"): "directory:read",
    ("PATCH", "/organizations/{organization_id}"): "directory:write",
    ("DELETE", "/organizations/{organization_id}"): "directory:write",
    # customers (a CRM keeping its contacts and the helpdesk's customers as one): the list (ticket_search), the team's
    # notes and their profile (directory_api), the other addresses they write from (ticket_commands)
    ("GET", "/customers"): "customers:read",
    ("GET", "/customers/{customer_key}/profile"): "customers:read",
    ("PATCH", "/customers/{customer_key}/profile"): "customers:write",
    ("GET", "/customers/{customer_key}/notes"): "customers:read",
    ("PUT", "/customers/{customer_key}/notes"): "customers:write",
    ("GET", "/customers/{customer_key}/addresses"): "customers:read",
    ("POST", "/customers/{customer_key}/addresses"): "customers:write",
    ("DELETE", "/customers/{customer_key}/addresses/{email}"): "customers:write",
}


def required_scope(method: str, path: str) -> str | None:
    """The scope `method path` needs; None: people only."""
    return ROUTE_SCOPES.get((method.upper(), path))


def token_scopes(scope_claim: object, resource_server: str) -> frozenset[str]:
    """The scopes of a token's `scope` claim (`helpdesk/tickets:read helpdesk/tickets:write`, a string; a list
    when a library decoded it so), without the resource server's prefix; other servers' scopes are dropped."""
    items: Iterable[object]
    if isinstance(scope_claim, str):
        items = scope_claim.strip("[]").replace(",", " ").split()
    elif isinstance(scope_claim, list | tuple):
        items = scope_claim
    else:
        return frozenset()
    prefix = f"{resource_server}/"
    return frozenset(s.removeprefix(prefix) for s in map(str, items) if s.startswith(prefix))
