"""The receipt of a new mail ticket in the team's own words: per language, with placeholders for the ticket.

Admins write it (`MailSettings.receipts`); the line telling the customer how to add to the ticket and the
signature still follow it, so threading never depends on what an admin wrote. Placeholders are `{number}`,
`{subject}` and `{name}` only, checked when the settings are saved: `str.format` would also read attributes
and items (`{number.__class__}`), so anything else is refused there rather than rendered.
"""

from string import Formatter
from typing import TYPE_CHECKING, Annotated

from pydantic import AfterValidator

from helpdesk.kernel.i18n import Language

if TYPE_CHECKING:
    from helpdesk.tickets.model import Ticket

RECEIPT_PLACEHOLDERS = ("number", "subject", "name")
MAX_RECEIPT_CHARS = 2000


def check_receipt(text: str) -> str:
    """The text as it is saved (trimmed); ValueError naming what is wrong: an unknown placeholder, a format spec,
    an unclosed brace."""
    text = text.strip()
    if len(text) > MAX_RECEIPT_CHARS:
        raise ValueError(f"a receipt is at most {MAX_RECEIPT_CHARS} characters")
    try:
        fields = list(Formatter().parse(text))
    except ValueError as exc:  # "{" without "}": literal braces are written twice, {{ and }}
        raise ValueError(f"{exc}; write a literal brace twice ({{{{ or }}}})") from exc
    for _, name, spec, conversion in fields:
        if name is None:
            continue
        if name not in RECEIPT_PLACEHOLDERS or spec or conversion:
            shown = "{" + name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "") + "}"
            raise ValueError(f"unknown placeholder {shown}: use "
                             + ", ".join("{" + p + "}" for p in RECEIPT_PLACEHOLDERS))
    return text


# A receipt as the API takes it: checked (and trimmed) when it is saved.
ReceiptText = Annotated[str, AfterValidator(check_receipt)]


def receipt_for(receipts: dict[Language, str], language: str) -> str | None:
    """The team's text in the customer's language, else in English, else None (the built-in text)."""
    by_language = {str(code): text for code, text in receipts.items()}
    return by_language.get(language) or by_language.get("en") or None


def render_receipt(text: str, ticket: "Ticket") -> str:
    """The text with the ticket's number, subject and the requester's name (their address without one)."""
    name = ticket.requester.name or ticket.requester.email or ""
    return text.format_map({"number": ticket.key, "subject": ticket.subject, "name": name})
