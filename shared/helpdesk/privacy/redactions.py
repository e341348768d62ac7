"""The team takes a piece of text out of a ticket: a card number, a password or an ID number a customer wrote where
it must not stay (PCI DSS forbids keeping card numbers; Zendesk calls this redaction).

It goes everywhere the ticket keeps it: the messages and notes, the subject and its renames, custom field values, the
queue's latest-message line, triage's summary and reply draft, the chat transcript the ticket came from, and (through
the reindex) the search index. A mail holding it (in its text, its HTML or its quoted history) loses its original
and its HTML copy; the redacted text stays. The similarity vector and an unpublished draft article made from the
ticket are dropped rather than rewritten (they are derived from the words). Files are not read for the text: a file
is taken out on its own (`redact_file`: a photo of an ID card). The log gets a team-only `text_redacted` event
saying who redacted how much, and the audit log the same; neither says what.

Like an erasure, the log is rewritten first and the ticket saved last, so a request that failed half-way is repeated
whole: the places already redacted no longer match, the rest do.

The same walk masks the card numbers written before a tenant masked them (`mask_written_cards`, a page of tickets a
call): a `Rewrite` names what goes (a selected text, or card numbers) and which of a mail's stored copies with it.
"""

import contextlib
import html
import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from typing import Any

from aws_lambda_powertools import Logger
from tenacity import Retrying, retry_if_exception_type, stop_after_attempt

from helpdesk.attachments.model import entry_id
from helpdesk.audit.service import AuditTrail
from helpdesk.chat.model import ChatMessage, ChatSession
from helpdesk.kernel.cards import holds_card, mask_cards
from helpdesk.kernel.clock import Clock, system_clock
from helpdesk.kernel.errors import ConcurrentUpdate, Forbidden, InvalidInput, NotFound
from helpdesk.kernel.principal import Principal, Role
from helpdesk.privacy.model import REDACTED, CardMaskingRun, RedactionReport
from helpdesk.privacy.ports import ChatTranscripts, DerivedRecords, EventLog, ObjectStore
from helpdesk.privacy.redaction import MESSAGE_TYPES, OBJECT_KEYS, stored_copies
from helpdesk.privacy.ticket_text import Substitute, event_text, replaced, ticket_text
from helpdesk.tickets.history import EventType, TicketEvent
from helpdesk.tickets.model import Ticket
from helpdesk.tickets.ports import TicketQuery, TicketRepository
from helpdesk.tickets.service import can_see

logger = Logger(child=True)

SAVE_ATTEMPTS = 5
MASKING_PAGE = 25  # tickets a call of `mask_written_cards` reads: each is a few reads (and writes) in 29 s
MAIL_READERS = 8  # original mails read at once for a quoted text (S3 GETs wait on the network, not the CPU)
ORIGINAL_DELETED = "original_deleted"  # on a mail's message whose original and HTML copy were deleted
Reindex = Callable[[str, list[str]], object]
SEPARATORS = r"[\s./-]"  # what people group the digits of a number with
NUMBER = re.compile(r"\s*\d[\d\s./-]*\s*")  # a text that is a number, grouped some way


@dataclass(frozen=True)
class TextPlan:
    """What redacting a text changes on one ticket, read before anything is written."""

    ticket: Ticket
    events: list[TicketEvent]  # rewritten
    mails: list[list[str]]  # each mail's stored copies to delete
    places: int  # in the log
    chat: "Transcript | None"
    on_ticket: tuple[Ticket, int]  # the ticket redacted, and the places in its own text
    in_triage: int  # places found (and redacted) in triage's record

    @property
    def holds(self) -> bool:
        return bool(self.events or self.chat or self.on_ticket[0] != self.ticket or self.in_triage)


@dataclass(frozen=True)
class Transcript:
    """A chat transcript's redacted messages, with the session to store them under."""

    session: ChatSession
    messages: list[ChatMessage]


def redaction_pattern(text: str) -> re.Pattern[str]:
    """The text as written, in any case, with any white space or none between its words: a selection in the browser
    joins the lines a mail broke. A number (digits and separators only: a card, a phone, an ID) matches however it
    is grouped, "4111 1111 1111 1111" also as "4111-1111-1111-1111" or "4111111111111111", never inside a longer
    number."""
    if NUMBER.fullmatch(text):
        digits = [d for d in text if d.isdigit()]
        return re.compile(r"(?<!\d)" + f"{SEPARATORS}*".join(digits) + r"(?!\d)")
    return re.compile(r"\s*".join(re.escape(word) for word in text.split()), re.IGNORECASE)


@dataclass(frozen=True)
class Rewrite:
    """What a redaction takes out: each string rewritten (`substitute`), whether a text holds it (`found`: a mail's
    original or HTML copy, where the message does not show it), and which of such a mail's stored copies go."""

    substitute: Substitute
    found: Callable[[str], bool]
    objects: tuple[str, ...] = OBJECT_KEYS  # the original and its HTML copy
    card_numbers: bool = False  # what the report and the ticket's log say was done

    @property
    def original_goes(self) -> bool:
        return "raw_key" in self.objects


def text_rewrite(text: str) -> Rewrite:
    """A text the team selected, as `redaction_pattern` matches it, becoming `REDACTED`."""
    pattern = redaction_pattern(text)
    return Rewrite(partial(pattern.subn, REDACTED), lambda value: pattern.search(value) is not None)


# Card numbers written before the tenant masked them: masked as the setting masks new ones (`privacy.card_masking`),
# so a mail holding one loses its HTML copy (agents open that) and keeps its original.
CARD_NUMBERS = Rewrite(mask_cards, holds_card, objects=("html_key",), card_numbers=True)


class TicketRedactions:
    def __init__(self, tickets: TicketRepository, log: EventLog, chats: ChatTranscripts, derived: DerivedRecords,
                 objects: ObjectStore, audit: AuditTrail, *, reindex: Reindex | None = None,
                 clock: Clock = system_clock) -> None:
        self._tickets, self._log, self._chats, self._derived = tickets, log, chats, derived
        self._objects, self._audit, self._reindex, self._clock = objects, audit, reindex, clock

    def redact(self, caller: Principal, ticket_id: str, text: str) -> RedactionReport:
        """Take `text` out of the ticket everywhere it is kept (module doc), and out of the tickets merged into it
        (their messages show on it). 400 when none of them nor triage's records of them holds it (nothing changes
        then): a repeat finishes what an earlier request left."""
        rewrite = text_rewrite(text)
        plans = [self._text_plan(ticket, rewrite) for ticket in self._open_with_merged(caller, ticket_id)]
        if not any(plan.holds for plan in plans):
            raise InvalidInput("the ticket does not hold this text", {"ticket_id": ticket_id})
        total = _total(ticket_id, [self._redact_text(caller, plan, rewrite) for plan in plans if plan.holds])
        if not plans[0].holds:  # found only in the tickets merged into it: the target's history, where it was done
            self._note(caller, plans[0].ticket, total)
        return total

    def mask_written_cards(self, caller: Principal, cursor: str | None = None) -> CardMaskingRun:
        """A page of the tenant's tickets (`MASKING_PAGE`, newest first) with the card numbers written before the
        tenant masked them masked as new ones are (`CARD_NUMBERS`): each ticket holding one is redacted of them, its
        log noting it as a redaction's does. Admins only (it reads every ticket); `next_cursor` goes on."""
        if caller.role != Role.ADMIN:
            raise Forbidden("only admins mask the card numbers of every ticket")
        page = self._tickets.query(TicketQuery(tenant_id=caller.tenant_id, limit=MASKING_PAGE, cursor=cursor))
        plans = [self._text_plan(ticket, CARD_NUMBERS) for ticket in page.items]
        reports = [self._redact_text(caller, plan, CARD_NUMBERS) for plan in plans if plan.holds]
        run = CardMaskingRun(tickets_read=len(page.items), tickets_masked=len(reports),
                             places=sum(r.places for r in reports),
                             events_rewritten=sum(r.events_redacted for r in reports),
                             html_copies_deleted=sum(r.html_copies_deleted for r in reports),
                             chat_messages=sum(r.chat_messages for r in reports), next_cursor=page.next_cursor)
        logger.info("written card numbers masked", extra=run.model_dump(exclude={"next_cursor"}))
        return run

    def _text_plan(self, ticket: Ticket, rewrite: Rewrite) -> "TextPlan":
        """What redacting the text changes on one ticket (triage's record is redacted here already: written back as
        it was when it holds nothing)."""
        events, doomed, places = self._redacted_events(ticket, rewrite)
        return TextPlan(ticket=ticket, events=events, mails=doomed, places=places,
                        chat=self._chat_changed(ticket, lambda message: _message_text(message, rewrite)),
                        on_ticket=ticket_text(ticket, rewrite.substitute),
                        in_triage=self._redact_triage(ticket, rewrite))

    def _redact_text(self, caller: Principal, plan: "TextPlan", rewrite: Rewrite) -> RedactionReport:
        ticket = plan.ticket
        self._log.rewrite(plan.events)
        for keys in plan.mails:  # every stored version of each
            for key in keys:
                self._objects.delete(key)
        if plan.chat is not None:
            self._chats.rewrite(plan.chat.session, plan.chat.messages)
        self._derived.drop_vector(ticket.tenant_id, ticket.id, ticket.created_at)  # triage's record: in the plan
        drafts = self._derived.drop_draft_article(ticket.tenant_id, ticket.id)
        # places in the ticket as the team reads it: a chat ticket's messages are copies of its transcript's
        report = RedactionReport(ticket_id=ticket.id, places=plan.places + plan.on_ticket[1],
                                 events_redacted=len(plan.events),
                                 mails_deleted=len(plan.mails) if rewrite.original_goes else 0,
                                 html_copies_deleted=0 if rewrite.original_goes else len(plan.mails),
                                 chat_messages=len(plan.chat.messages) if plan.chat else 0,
                                 draft_article_deleted=drafts, card_numbers=rewrite.card_numbers)
        self._finish(caller, ticket, report, lambda current: ticket_text(current, rewrite.substitute)[0])
        # Triage reading the new ticket meanwhile may have saved its record after the pass above, and checked the
        # ticket's text (its own guard) before the save: this pass finds that record. Triage saving later sees the
        # text changed and forgets what it made of it.
        self._forget_derived(ticket, rewrite)
        return report

    def _forget_derived(self, ticket: Ticket, rewrite: Rewrite) -> None:
        """Triage's record redacted, the similarity vector dropped (made from the words)."""
        self._redact_triage(ticket, rewrite)
        self._derived.drop_vector(ticket.tenant_id, ticket.id, ticket.created_at)

    def _redact_triage(self, ticket: Ticket, rewrite: Rewrite) -> int:
        """Triage's record of the ticket redacted (written back as it was when it holds nothing); the places found."""
        found: list[int] = []

        def change(record: dict[str, Any]) -> dict[str, Any]:
            cleaned, places = replaced(record, rewrite.substitute)
            found.append(places)
            return cleaned  # type: ignore[no-any-return]  # the record's JSON, redacted
        self._derived.rewrite_triage(ticket.tenant_id, ticket.id, change)
        return sum(found)

    def redact_file(self, caller: Principal, ticket_id: str, file_id: str) -> RedactionReport:
        """Take a file out of the ticket (a photo of an ID card): its stored object goes (every version), its entry
        on the message is renamed `[redacted]` and no longer offered; a mailed file is inside its original mail,
        which goes too with its HTML copy. A file of a ticket merged into this one (shown here) goes from there. 404
        when none of them has such a file."""
        target, *merged = self._open_with_merged(caller, ticket_id)
        for ticket in (target, *merged):
            with contextlib.suppress(NotFound):
                report = self._redact_file(caller, ticket, file_id)
                if ticket is not target:  # a file of a ticket merged into it: the target's history says so too
                    self._note(caller, target, report.model_copy(update={"ticket_id": target.id}))
                return report.model_copy(update={"ticket_id": target.id})
        raise NotFound(f"no file {file_id} on ticket {ticket_id}")

    def _redact_file(self, caller: Principal, ticket: Ticket, file_id: str) -> RedactionReport:
        changed: list[TicketEvent] = []
        files: list[str] = []
        mails: list[list[str]] = []
        for event in self._tickets.events(ticket.tenant_id, ticket.id):
            entries = event.data.get("attachments") if event.type in MESSAGE_TYPES else None
            entries = entries if isinstance(entries, list) else []
            hits = [e for e in entries if _is_file(e, file_id)]
            if not hits:
                continue
            files += [str(e["key"]) for e in hits]
            data = {**event.data, "attachments": [_redacted_file(e) if _is_file(e, file_id) else e for e in entries]}
            stored = stored_copies(data)
            if stored:
                mails.append(stored)
                data = _copies_deleted(data, OBJECT_KEYS)
            changed.append(event.model_copy(update={"data": data}))
        if not changed:
            raise NotFound(f"no file {file_id} on ticket {ticket.id}")
        self._log.rewrite(changed)
        for key in [*files, *(key for keys in mails for key in keys)]:
            self._objects.delete(key)
        chat = self._chat_changed(ticket, lambda message: _message_without_file(message, file_id))
        if chat is not None:
            self._chats.rewrite(chat.session, chat.messages)
        report = RedactionReport(ticket_id=ticket.id, places=0, events_redacted=len(changed), mails_deleted=len(mails),
                                 chat_messages=len(chat.messages) if chat else 0, draft_article_deleted=False,
                                 files_deleted=len(files))
        self._finish(caller, ticket, report, lambda current: current)
        return report

    def _open_with_merged(self, caller: Principal, ticket_id: str) -> list[Ticket]:
        """The ticket, then the tickets merged into it that the caller may open (their messages show on it)."""
        if not caller.is_staff:
            raise Forbidden("only the team redacts tickets")
        ticket = self._tickets.get(caller.tenant_id, ticket_id)
        if ticket is None or not can_see(caller, ticket):
            raise NotFound(f"ticket {ticket_id} not found")
        merged = ticket.merged_from
        sources = self._tickets.get_many(caller.tenant_id, merged) if merged else []
        return [ticket, *(source for source in sources if can_see(caller, source))]

    def _finish(self, caller: Principal, ticket: Ticket, report: RedactionReport,
                cleaned: Callable[[Ticket], Ticket]) -> None:
        """Save the ticket (`cleaned` of it as read then) with the log's note, refresh the index, audit."""
        self._note(caller, ticket, report, cleaned)
        if self._reindex is not None:
            self._reindex(ticket.tenant_id, [ticket.id])
        self._audit.record(caller, "ticket.redact", ticket.id, None, report.model_dump(mode="json"))
        logger.info("ticket redacted", extra=report.model_dump(mode="json"))

    def _note(self, caller: Principal, ticket: Ticket, report: RedactionReport,
              cleaned: Callable[[Ticket], Ticket] = lambda ticket: ticket) -> None:
        """The ticket saved (`cleaned` of it as read then) with the team-only note of what was redacted."""
        note = TicketEvent(ticket_id=ticket.id, tenant_id=ticket.tenant_id, type=EventType.TEXT_REDACTED,
                           actor=caller.user_id, at=self._clock(), internal=True,
                           data=report.model_dump(mode="json", exclude={"ticket_id"}))
        for attempt in Retrying(retry=retry_if_exception_type(ConcurrentUpdate),
                                stop=stop_after_attempt(SAVE_ATTEMPTS), reraise=True):
            with attempt:
                self._tickets.save(cleaned(self._tickets.get(ticket.tenant_id, ticket.id) or ticket), [note])

    def _redacted_events(self, ticket: Ticket,
                         rewrite: Rewrite) -> tuple[list[TicketEvent], list[list[str]], int]:
        """The events whose text changed (or whose mail held the text), the stored objects of each mail to delete (its
        original and HTML copy), and the places redacted in the log."""
        events = self._tickets.events(ticket.tenant_id, ticket.id)
        texts = [event_text(event, rewrite.substitute) for event in events]
        # the mails whose message does not show the text are read for it, several at once (a long thread's mails)
        unshown = [i for i, (data, count) in enumerate(texts) if not count and stored_copies(data, rewrite.objects)]
        with ThreadPoolExecutor(max_workers=MAIL_READERS) as readers:
            holds = readers.map(lambda i: self._mail_holds(texts[i][0], rewrite), unshown)
            holding = {i for i, held in zip(unshown, holds, strict=True) if held}
        changed: list[TicketEvent] = []
        doomed: list[list[str]] = []
        places = 0
        for i, (event, (data, count)) in enumerate(zip(events, texts, strict=True)):
            stored = stored_copies(data, rewrite.objects)
            if stored and (count or i in holding):
                doomed.append(stored)
                data = _copies_deleted(data, rewrite.objects)
            if data != event.data:
                changed.append(event.model_copy(update={"data": data}))
                places += count
        return changed, doomed, places

    def _mail_holds(self, data: dict[str, Any], rewrite: Rewrite) -> bool:
        """Whether the original mail or its HTML copy holds the text where the message does not (a quoted earlier
        message, the part the visible reply left out)."""
        from helpdesk.mail.parser import parse_message  # only when a ticket has mail to read

        raw_key = data.get("raw_key") if rewrite.original_goes else None
        html_key = data.get("html_key") if "html_key" in rewrite.objects else None
        if isinstance(raw_key, str) and (raw := self._objects.read(raw_key)) is not None:
            parsed = parse_message(raw)
            if rewrite.found("\n".join((parsed.subject, parsed.text, html.unescape(parsed.html or "")))):
                return True
        if isinstance(html_key, str) and (stored := self._objects.read(html_key)) is not None:
            return rewrite.found(html.unescape(stored.decode("utf-8", errors="replace")))
        return False

    def _chat_changed(self, ticket: Ticket, change: Callable[[ChatMessage], ChatMessage | None]) -> Transcript | None:
        """The chat the ticket came from with the messages `change` rewrote (None: the message stays as it is)."""
        found = self._chats.get(ticket.tenant_id, ticket.ai.conversation_id) if ticket.ai.conversation_id else None
        if found is None:
            return None
        session, messages = found
        changed = [rewritten for rewritten in map(change, messages) if rewritten is not None]
        return Transcript(session, changed) if changed else None


def _message_text(message: ChatMessage, rewrite: Rewrite) -> ChatMessage | None:
    """A chat message with the text redacted in its words and what it carries (a copied message's files' names)."""
    text, on_text = rewrite.substitute(message.text)
    meta, on_meta = replaced(message.meta, rewrite.substitute)
    return message.model_copy(update={"text": text, "meta": meta}) if on_text or on_meta else None


def _message_without_file(message: ChatMessage, file_id: str) -> ChatMessage | None:
    """A chat message copied from the ticket that showed the file, without it."""
    entries = message.meta.get("attachments")
    if not isinstance(entries, list) or not any(isinstance(e, dict) and e.get("id") == file_id for e in entries):
        return None
    kept = [_redacted_file(e) if isinstance(e, dict) and e.get("id") == file_id else e for e in entries]
    return message.model_copy(update={"meta": {**message.meta, "attachments": kept}})


def _total(ticket_id: str, reports: list[RedactionReport]) -> RedactionReport:
    """One answer for a ticket and the tickets merged into it."""
    return RedactionReport(ticket_id=ticket_id, places=sum(r.places for r in reports),
                           events_redacted=sum(r.events_redacted for r in reports),
                           mails_deleted=sum(r.mails_deleted for r in reports),
                           chat_messages=sum(r.chat_messages for r in reports),
                           draft_article_deleted=any(r.draft_article_deleted for r in reports),
                           files_deleted=sum(r.files_deleted for r in reports))


def _copies_deleted(data: dict[str, Any], objects: tuple[str, ...]) -> dict[str, Any]:
    """A mail's event data once its stored copies (`objects`) are deleted: it names them no more, and says so when
    the original went."""
    return {k: v for k, v in data.items() if k not in objects} | (
        {ORIGINAL_DELETED: True} if "raw_key" in objects else {})


def _is_file(entry: Any, file_id: str) -> bool:
    return isinstance(entry, dict) and isinstance(entry.get("key"), str) and entry_id(entry) == file_id


def _redacted_file(entry: dict[str, Any]) -> dict[str, Any]:
    """A file's entry once redacted: no name, no key or id to fetch it by (it is no longer offered), its size and
    type kept (the log's shape)."""
    return {k: v for k, v in entry.items() if k not in ("key", "id", "content_id", "sha256")} | {
        "filename": REDACTED, "deleted": True}
