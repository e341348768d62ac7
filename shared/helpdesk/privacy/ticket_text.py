"""Where a ticket keeps what people wrote, walked with a `Substitute`: the redaction (a text the team takes out,
`privacy.redactions`) and the card masking (`privacy.card_masking`) rewrite the same places.

The places: a message's words and its files' names, a rename's or a field change's values (in the log); the subject,
description, custom field values and the rating's comment (on the ticket), and the copies of them (the queue's
latest-message line, the AI summary). Addresses, ids and keys are not text: rewriting an address a customer wrote
would unthread their mail.
"""

from collections.abc import Callable
from typing import Any

from helpdesk.privacy.redaction import MESSAGE_TYPES, TEXT_CHANGE_TYPES
from helpdesk.tickets.history import TicketEvent
from helpdesk.tickets.model import Ticket

MESSAGE_TEXT_KEYS = ("body", "subject", "comment")  # a message's own words; addresses and ids are not text

Substitute = Callable[[str], tuple[str, int]]  # a string rewritten, and how many places in it were


def replaced(value: Any, substitute: Substitute) -> tuple[Any, int]:
    """`value` (JSON-like) with each of its strings rewritten, and how many places were."""
    if isinstance(value, str):
        return substitute(value)
    if isinstance(value, dict):
        pairs = {k: replaced(v, substitute) for k, v in value.items()}
        return {k: v for k, (v, _) in pairs.items()}, sum(n for _, n in pairs.values())
    if isinstance(value, list):
        items = [replaced(v, substitute) for v in value]
        return [v for v, _ in items], sum(n for _, n in items)
    return value, 0


def event_text(event: TicketEvent, substitute: Substitute) -> tuple[dict[str, Any], int]:
    """The event's data with its text rewritten (module doc), and the places."""
    data, count = dict(event.data), 0
    if event.type in MESSAGE_TYPES:
        keys: tuple[str, ...] = MESSAGE_TEXT_KEYS
        files = []
        for entry in data.get("attachments") or []:
            if isinstance(entry, dict) and isinstance(entry.get("filename"), str):
                name, n = substitute(entry["filename"])
                entry, count = {**entry, "filename": name}, count + n
            files.append(entry)
        if "attachments" in data:
            data["attachments"] = files
    elif event.type in TEXT_CHANGE_TYPES:
        keys = ("from", "to")
    else:
        return data, 0
    for key in keys:
        if key in data:
            data[key], n = replaced(data[key], substitute)
            count += n
    return data, count


def ticket_text(ticket: Ticket, substitute: Substitute) -> tuple[Ticket, int]:
    """A copy of the ticket with its text rewritten, and the places in what people wrote (subject, description,
    custom field values, the rating's comment); the copies (the latest message line, the AI summary) are rewritten
    uncounted."""
    out = ticket.model_copy(deep=True)
    out.subject, on_subject = substitute(out.subject)
    out.description, on_description = replaced(out.description, substitute)
    out.custom_fields, on_fields = replaced(out.custom_fields, substitute)
    places = on_subject + on_description + on_fields
    if out.csat is not None and out.csat.comment:
        comment, on_comment = substitute(out.csat.comment)
        out.csat, places = out.csat.model_copy(update={"comment": comment}), places + on_comment
    if out.latest_message is not None:
        out.latest_message = out.latest_message.model_copy(
            update={"text": substitute(out.latest_message.text)[0]})
    if out.ai.summary:
        out.ai = out.ai.model_copy(update={"summary": substitute(out.ai.summary)[0]})
    return out, places
