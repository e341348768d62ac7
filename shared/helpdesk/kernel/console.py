"""Addresses in the agent console that mails to agents point to."""

from urllib.parse import quote


def console_ticket_link(console_url: str, ticket_id: str) -> str:
    """A ticket in the agent console (`<console>/#/t/<id>`); the console keeps the page through sign-in."""
    return f"{console_url.rstrip('/')}/#/t/{quote(ticket_id, safe='')}"
