"""Taking a person (erasure) or a closed ticket's content (retention) out of a ticket and its event log.

The log keeps its shape: every event stays with its type, sequence, time and keys; what the person wrote
becomes `ERASED` and every string naming them (their address, their name, their user id) has it replaced.
Files and original mails the person sent are listed for deletion; their entries stay, renamed, so the
history still says that a file was there.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from helpdesk.privacy.model import ERASED, normalised
from helpdesk.tickets.history import EventType, TicketEvent
from helpdesk.tickets.model import Requester, Ticket, email_key

# Keys of an event's data holding stored objects (the original mail, its HTML) to delete with the content.
OBJECT_KEYS = ("raw_key", "html_key")
# Keys of a mail event's data naming people; their values go with the person or the content.
ADDRESS_KEYS = ("from", "from_name", "to", "cc")
# Events with a person's own text: messages, and the comment of a satisfaction rating (always the requester's).
MESSAGE_TYPES = frozenset({EventType.CREATED, EventType.PUBLIC_MESSAGE, EventType.INTERNAL_NOTE, EventType.CSAT_RATED})
# Changes whose values are the ticket's text: a renamed subject, custom field values. Retention takes their
# values with the ticket's; erasure of the requester takes a renamed subject with the subject.
TEXT_CHANGE_TYPES = frozenset({EventType.SUBJECT_CHANGED, EventType.FIELDS_CHANGED})
MIN_NAME_CHARS = 3  # a shorter name would replace parts of unrelated words
MIN_ID_CHARS = 8  # user ids shorter than this (test ids, `u1`) are matched as actors only, never inside text


@dataclass(frozen=True)
class Person:
    """Who is erased: their address, and the names and ids tickets know them by (gathered as tickets are read)."""

    email: str
    names: frozenset[str] = frozenset()
    user_ids: frozenset[str] = frozenset()

    @classmethod
    def of(cls, email: str, tickets: Iterable[Ticket]) -> "Person":
        address = normalised(email)
        names: set[str] = set()
        ids: set[str] = set()
        for ticket in tickets:
            if is_requester(ticket, address):
                ids.add(ticket.requester.id)
                if ticket.requester.name and len(ticket.requester.name.strip()) >= MIN_NAME_CHARS:
                    names.add(ticket.requester.name.strip())
        return cls(email=address, names=frozenset(names), user_ids=frozenset(ids - {""}))

    @property
    def pattern(self) -> re.Pattern[str]:
        """Whole matches only: erasing `ann@x.org` leaves `joann@x.org` alone, and `Ann Lee` leaves `Ann Leeds`."""
        ids = {i for i in self.user_ids if len(i) >= MIN_ID_CHARS}
        needles = sorted({self.email, *self.names, *ids}, key=len, reverse=True)
        return re.compile(_EDGE_BEFORE + "(?:" + "|".join(re.escape(n) for n in needles) + ")" + _EDGE_AFTER,
                          re.IGNORECASE)


# Neither a letter, digit nor a character an address or id continues with may touch a match.
_EDGE_BEFORE = r"(?<![\w.+@-])"
_EDGE_AFTER = r"(?![\w@-]|\.\w)"


def mentions(ticket: Ticket, address: str) -> bool:
    """Whether the ticket names the address as a whole (the store's `contains` also finds `joann@` for `ann@`)."""
    return is_requester(ticket, address) or bool(Person(email=address).pattern.search(ticket.model_dump_json()))


def is_requester(ticket: Ticket, address: str) -> bool:
    requester = ticket.requester
    return (requester.email or "").strip().lower() == address or requester.key == email_key(address)


def role_on(ticket: Ticket, address: str) -> str:
    """What the person is on the ticket, as an export and an erasure's tombstone name it."""
    if is_requester(ticket, address):
        return "requester"
    if address in ticket.side_contacts:
        return "side_contact"  # someone outside the ticket the team mailed a note to (a supplier)
    return "participant"  # copied on it, or named in it


def scrub(value: Any, pattern: re.Pattern[str]) -> Any:
    """`value` (JSON-like) with every match of `pattern` in its strings replaced; keys are left alone."""
    if isinstance(value, str):
        return pattern.sub(ERASED, value)
    if isinstance(value, dict):
        return {k: scrub(v, pattern) for k, v in value.items()}
    if isinstance(value, list):
        return [scrub(v, pattern) for v in value]
    return value


def replace_exact(value: Any, old: frozenset[str], new: str) -> Any:
    """`value` with every string that is exactly one of `old` (a user id in `requester_id`, say) set to `new`."""
    if isinstance(value, str):
        return new if value in old else value
    if isinstance(value, dict):
        return {k: replace_exact(v, old, new) for k, v in value.items()}
    if isinstance(value, list):
        return [replace_exact(v, old, new) for v in value]
    return value


@dataclass
class Redacted:
    """The result of redacting one ticket's log: the events that changed and the stored objects to delete."""

    events: list[TicketEvent] = field(default_factory=list)
    object_keys: list[str] = field(default_factory=list)


def stored_copies(data: dict[str, Any], objects: tuple[str, ...] = OBJECT_KEYS) -> list[str]:
    """The keys of a mail's stored copies its event names (`objects`: of the original and its HTML)."""
    return [str(data[key]) for key in objects if isinstance(data.get(key), str)]


def strip_content(data: dict[str, Any], marker: str) -> tuple[dict[str, Any], list[str]]:
    """A message's data without its content: body, subject, addresses, files (listed for deletion)."""
    keys = stored_copies(data)
    out = dict(data)
    for name in ("body", "subject", "comment"):
        if isinstance(out.get(name), str):
            out[name] = marker
    for name in ADDRESS_KEYS:
        if name in out:
            out[name] = [] if isinstance(out[name], list) else None
    files = []
    for entry in out.get("attachments") or []:
        if isinstance(entry, dict):
            if isinstance(entry.get("key"), str):
                keys.append(entry["key"])
            entry = {**entry, "filename": marker, "deleted": True}
        files.append(entry)
    if "attachments" in out:
        out["attachments"] = files
    return out, keys


def strip_changed_text(data: dict[str, Any], marker: str) -> dict[str, Any]:
    """A text change without its values: a subject becomes `marker`, each custom field's value too (the field
    names stay: they are the tenant's form, not anyone's words)."""
    def stripped(value: Any) -> Any:
        if isinstance(value, dict):
            return {key: marker for key in value}
        return marker if isinstance(value, str) else value
    return {**data, **{key: stripped(data[key]) for key in ("from", "to") if key in data}}


def authored_by(event: TicketEvent, person: Person, requester: bool) -> bool:
    """Whether the person wrote this message: their own account, their address on a mail, or the requester's
    side of a ticket they opened (mail ingest posts the requester's replies as a system caller)."""
    if event.type not in MESSAGE_TYPES:
        return False
    if event.actor in person.user_ids:
        return True
    if str(event.data.get("from") or "").strip().lower() == person.email:
        return True
    return requester and (event.type in (EventType.CREATED, EventType.CSAT_RATED)
                          or event.data.get("from_customer") is True)


def erase_from_log(events: list[TicketEvent], person: Person, *, requester: bool, pseudonym: str) -> Redacted:
    pattern = person.pattern
    out = Redacted()
    for event in events:
        data = dict(event.data)
        if authored_by(event, person, requester):
            data, keys = strip_content(data, ERASED)
            data.pop("author_name", None)  # the name a mail was signed with (a side conversation's answer)
            out.object_keys += keys
        elif requester and event.type == EventType.SUBJECT_CHANGED:  # their ticket's subject, as renamed
            data = strip_changed_text(data, ERASED)
        data = scrub(replace_exact(data, person.user_ids, pseudonym), pattern)
        actor = pseudonym if event.actor in person.user_ids else scrub(event.actor, pattern)
        if data != event.data or actor != event.actor:
            out.events.append(event.model_copy(update={"data": data, "actor": actor}))
    return out


def erase_from_ticket(ticket: Ticket, person: Person, pseudonym: str) -> Ticket:
    """The ticket without the person: as requester they become `pseudonym` and their text goes; as a
    participant or a side conversation's contact they leave the list; any other mention (custom fields, AI
    summary) is replaced."""
    erased = ticket.model_copy(deep=True)
    if is_requester(ticket, person.email):
        erased.requester = Requester(id=pseudonym, email=None, name=None, email_verified=False)
        erased.subject, erased.description = ERASED, ERASED
        erased.ai = erased.ai.model_copy(update={"summary": None})  # made from their words, not only naming them
        if erased.csat is not None and erased.csat.comment:
            erased.csat = erased.csat.model_copy(update={"comment": ERASED})
        if erased.latest_message is not None and erased.latest_message.from_customer:  # their words, as in the log
            erased.latest_message = erased.latest_message.model_copy(update={"text": ERASED})
    erased.participants = [p for p in erased.participants if p.strip().lower() != person.email]
    erased.side_contacts = [a for a in erased.side_contacts if a != person.email]  # a supplier mailed on the side
    doc = scrub(erased.model_dump(mode="json", exclude={"version"}), person.pattern)
    return Ticket.model_validate({**doc, "version": ticket.version})


def remove_content(ticket: Ticket, events: list[TicketEvent], marker: str) -> tuple[Ticket, Redacted]:
    """A closed ticket past its retention period: its text and files go, its facts (who, when, status) stay."""
    stripped = ticket.model_copy(deep=True)
    stripped.subject, stripped.description = marker, marker
    stripped.custom_fields = {}
    stripped.ai = stripped.ai.model_copy(update={"summary": None})
    if stripped.csat is not None and stripped.csat.comment:
        stripped.csat = stripped.csat.model_copy(update={"comment": marker})
    if stripped.latest_message is not None:
        stripped.latest_message = stripped.latest_message.model_copy(update={"text": marker})
    out = Redacted()
    for event in events:
        if event.type in TEXT_CHANGE_TYPES:
            data = strip_changed_text(event.data, marker)
        elif event.type in MESSAGE_TYPES:
            data, keys = strip_content(event.data, marker)
            out.object_keys += keys
        else:
            continue
        if data != event.data:
            out.events.append(event.model_copy(update={"data": data}))
    return stripped, out


def strip_triage(record: dict[str, Any], marker: str) -> dict[str, Any]:
    """A triage record (as JSON) without what it says about the ticket's text: the summary, the reply draft,
    the resolution summary. Its fields (category, priority, who decided what) stay."""
    out = dict(record)
    if isinstance(out.get("summary"), dict):
        out["summary"] = {**out["summary"], "value": marker, "detail": {}, "reasons": [], "previous": None}
    if isinstance(out.get("reply"), dict):
        out["reply"] = {**out["reply"], "text": marker}
    if isinstance(out.get("resolution"), dict):
        out["resolution"] = {**out["resolution"], "summary": marker}
    return out
