"""The tickets table's stream images as domain tickets: what every consumer of the tickets stream reads (triage,
automatic assignment). The item keeps the whole ticket as JSON in `doc` (`adapters.dynamo._to_model`)."""

import json
from typing import Any

from helpdesk.tickets.model import Ticket


def ticket_from_image(image: dict[str, Any] | None) -> Ticket | None:
    """The domain ticket in a stream image; None if there is none (a REMOVE's new image, an INSERT's old one) or
    the item is not a ticket."""
    doc = (image or {}).get("doc")
    if isinstance(doc, str):
        doc = json.loads(doc)
    if not isinstance(doc, dict):
        return None
    return Ticket.model_validate({**doc, "version": int((image or {}).get("version") or 0)})
