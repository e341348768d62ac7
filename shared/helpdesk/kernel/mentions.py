"""@mentions in internal notes: the handles a note names, and a team member's handle (the local part of their
directory address). The mail side mails the mentioned teammates the note; the ticket side makes them followers."""

import re

# "@ada" or "@ada.lovelace", not the "@" inside an address ("ada@acme.example"); a sentence's full stop is no part.
_MENTION = re.compile(r"(?<![\w@.+-])@([A-Za-z0-9](?:[A-Za-z0-9._+-]*[A-Za-z0-9])?)")
MAX_MENTIONS = 10  # per note: a note is no mailing list


def mentions(text: str) -> list[str]:
    """The handles a note mentions, lower-cased, in order, each once."""
    return list(dict.fromkeys(m.lower() for m in _MENTION.findall(text)))[:MAX_MENTIONS]


def handle_of(address: str) -> str:
    """A team member's handle: the local part of their directory address ("ada" for ada@acme.example)."""
    return address.split("@", 1)[0].lower()
