"""Mail going out: an agent's public reply on an email ticket (or on a chat ticket whose visitor is no
longer in the chat), and the acknowledgement of a new one.

Every outbound mail carries the ticket tag in its subject, In-Reply-To/References naming the
customer's mails and a Thread-Index (Outlook groups by it), so their client threads it and their answer
finds the ticket again; its own Message-ID is stored for the same reason. The requester is the To, the
ticket's other participants are copied (Cc); the reply's attachments go with it, and the previous public
message is quoted below it. Sending is exactly once per ticket event (a delivery record keyed by the
event), because stream batches are retried.
"""

import base64
import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from email.headerregistry import Address as HeaderAddress
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime
from typing import Any

from aws_lambda_powertools import Logger

from helpdesk.kernel.clock import Clock, system_clock
from helpdesk.kernel.i18n import language_of, phrase
from helpdesk.kernel.principal import AUTOMATIC_ACTORS, Principal, system_principal
from helpdesk.kernel.text import without_controls
from helpdesk.mail.html_part import html_part
from helpdesk.mail.message_tags import ticket_tags
from helpdesk.mail.ports import LiveConversations, MailRecords, MailSender, MailSettings
from helpdesk.mail.receipts import receipt_for, render_receipt
from helpdesk.mail.side import side_message_id, side_thread
from helpdesk.mail.side_contacts import MAIL_TO
from helpdesk.mail.threading import MAX_REFERENCES, clean_subject, tagged_subject, ticket_tag
from helpdesk.settings import MailSection
from helpdesk.tickets.history import EventType, TicketEvent, written_in_markdown
from helpdesk.tickets.language import ChosenLanguage, customer_language
from helpdesk.tickets.model import Channel, Status, Ticket, format_number
from helpdesk.tickets.service import TicketService

logger = Logger(child=True)

SEND_LEASE_SECONDS = 60  # longer than the function's timeout (30 s)
# Files carried by one reply, in raw bytes: base64 grows them by a third and SES takes 10 MB per raw
# message (SendRawEmail). What does not fit is named in the mail and stays downloadable on the ticket.
MAX_ATTACHED_BYTES = 7 * 1024 * 1024
MAX_QUOTED_CHARS = 4000
_FILETIME_EPOCH_OFFSET = 11_644_473_600  # seconds from 1601-01-01 (Windows FILETIME) to 1970-01-01


class DeliveryInProgress(Exception):
    """Another attempt holds the lease of this delivery (inbound mail or outbound reply): raised so Lambda
    or the stream retries later instead of treating the delivery as done."""


def claimed(records: MailRecords, delivery_id: str, what: str) -> bool:
    """Whether this attempt may send the mail `delivery_id` (stream batches are retried): False when it was sent
    before; `DeliveryInProgress` (the record is retried later) while another attempt holds the claim."""
    if records.claim_delivery(delivery_id, SEND_LEASE_SECONDS) is not None:
        return True
    if records.delivery_result(delivery_id) is not None:
        return False
    raise DeliveryInProgress(f"{what} {delivery_id} is being sent by another attempt")


@dataclass
class ThreadContext:
    """What the ticket's history says about its mail thread."""

    message_ids: list[str] = field(default_factory=list)  # oldest first
    last_customer_message_id: str | None = None
    support_address: str | None = None  # the address the customer wrote to
    public: list[TicketEvent] = field(default_factory=list)  # the public messages, oldest first


def team_address(settings: MailSettings, wrote_to: str | None, deployment: str) -> str:
    """The address the team's mail about a ticket comes from: the tenant's own support address when they set one,
    else the one the customer wrote to (a thread stays with one address), else the deployment's."""
    return settings.support_address or wrote_to or deployment


def thread_context(events: list[TicketEvent]) -> ThreadContext:
    ctx = ThreadContext()
    for event in events:
        if event.type in (EventType.CREATED, EventType.PUBLIC_MESSAGE):
            ctx.public.append(event)
        if event.data.get("channel") != Channel.EMAIL.value or event.type == EventType.INTERNAL_NOTE:
            continue  # a side conversation's answer (`helpdesk.mail.side`) is not the customer's thread
        mid = event.data.get("message_id")
        if isinstance(mid, str) and mid and mid not in ctx.message_ids:
            ctx.message_ids.append(mid)
            if event.data.get("direction") == "inbound":
                ctx.last_customer_message_id = mid
        to_address = event.data.get("to_address")
        if isinstance(to_address, str) and to_address:
            ctx.support_address = to_address
    return ctx


def new_message_id(ticket: Ticket, sender_address: str) -> str:
    domain = sender_address.rsplit("@", 1)[-1] or "helpdesk.invalid"
    return f"{format_number(ticket.number)}.{secrets.token_hex(8)}@{domain}"


def thread_index(ticket: Ticket, sent: int, at: datetime) -> str:
    """Outlook's Thread-Index (MS-OXOMSG PidTagConversationIndex): a 22-byte header naming the conversation
    (reserved byte, the top 5 bytes of the ticket's creation FILETIME, a GUID from the ticket id) and one
    5-byte child block per reply (time since the header, a sequence nibble), base64-encoded."""
    created = int((ticket.created_at.timestamp() + _FILETIME_EPOCH_OFFSET) * 10_000_000)
    try:
        guid = bytes.fromhex(ticket.id[:32]).ljust(16, b"\0")[:16]
    except ValueError:
        guid = hashlib.md5(ticket.id.encode(), usedforsecurity=False).digest()
    header = b"\x01" + created.to_bytes(8, "big")[:5] + guid
    now = int((at.timestamp() + _FILETIME_EPOCH_OFFSET) * 10_000_000)
    delta = max(now - (created >> 24 << 24), 0)
    child = (((delta >> 18) & 0x7FFFFFFF) << 8 | (sent & 0x0F)).to_bytes(5, "big")
    return base64.b64encode(header + child).decode()


def quote(text: str, at: datetime, name: str, language: str = "en") -> str:
    """`On <date>, <name> wrote:` (in `language`) and the message, `> `-quoted, cut at `MAX_QUOTED_CHARS`."""
    text = text.strip()
    if len(text) > MAX_QUOTED_CHARS:
        text = text[:MAX_QUOTED_CHARS].rstrip() + " [...]"
    quoted = "\n".join(f"> {line}" if line else ">" for line in text.splitlines())
    # RFC 2822's date names English days and months; other languages get numbers their readers know.
    date = format_datetime(at) if language_of(language) == "en" else at.strftime(_QUOTE_DATES[language_of(language)])
    return phrase("wrote", language, date=date, name=name) + f"\n{quoted}\n"


_QUOTE_DATES = {"de": "%d.%m.%Y um %H:%M %Z", "es": "%d/%m/%Y a las %H:%M %Z", "fr": "%d/%m/%Y à %H:%M %Z",
                "pt": "%d/%m/%Y às %H:%M %Z"}


UNFOLDED = SMTP.clone(max_line_length=998)


def markdown_lead(data: dict[str, Any]) -> str | None:
    """The text a mail of this message begins with (`_note_and_files`), when its writer wrote it in Markdown."""
    return str(data.get("body", "")).rstrip() if written_in_markdown(data) else None


def compose(*, from_address: str, from_name: str, to: list[str], subject: str, body: str, message_id: str,
            in_reply_to: str | None, references: list[str], date: datetime, auto_submitted: bool = False,
            cc: list[str] | None = None, attachments: list[tuple[str, str, bytes]] | None = None,
            thread: tuple[str, str] | None = None, accent: str | None = None,
            markdown_lead: str | None = None) -> bytes:
    """A MIME message dated `date`, its text as plain text and as HTML (`html_part`), with `attachments`
    (filename, content type, bytes) and `thread` = (Thread-Topic, Thread-Index); `accent`: the team's colour in the
    HTML; `markdown_lead`: the message `body` begins with, written in Markdown (`html_part`). Header values go
    through the email package, which refuses CR/LF in them; control characters a message
    was stored with (a NUL sent through the API) would go out raw, which mail does not allow, so they become
    spaces."""
    subject, body = without_controls(subject), without_controls(body)
    markdown_lead = without_controls(markdown_lead) if markdown_lead else None
    msg = EmailMessage(policy=SMTP)
    msg["From"] = HeaderAddress(display_name=from_name, addr_spec=from_address)
    msg["To"] = ", ".join(to)
    if cc:
        msg["Cc"] = ", ".join(cc)
    msg["Subject"] = subject
    msg["Date"] = format_datetime(date)
    msg["Message-ID"] = f"<{message_id}>"
    if in_reply_to:
        msg["In-Reply-To"] = f"<{in_reply_to}>"
    if references:
        msg["References"] = " ".join(f"<{r}>" for r in references[-MAX_REFERENCES:])
    if thread is not None:
        msg["Thread-Topic"], msg["Thread-Index"] = thread
    if auto_submitted:
        msg["Auto-Submitted"] = "auto-replied"  # RFC 3834: other robots must not answer this
        msg["X-Auto-Response-Suppress"] = "All"
    msg.set_content(body)
    # the same words as mail programs show HTML mail
    msg.add_alternative(html_part(body, accent, markdown_lead), subtype="html")
    for filename, content_type, content in attachments or []:
        maintype, _, subtype = content_type.partition("/")
        if not subtype:
            maintype, subtype = "application", "octet-stream"
        msg.add_attachment(content, maintype=maintype, subtype=subtype, filename=filename)
    # Header lines unfolded up to RFC 5322's 998 (its 78 is a SHOULD): folded at 78, CPython moves a subject that
    # just overflows the first line whole onto a continuation line, and readers see it begin with a space. Bodies
    # are as encoded above (quoted-printable past 78).
    return msg.as_bytes(policy=UNFOLDED)


class MailOutbound:
    def __init__(self, tickets: TicketService, records: MailRecords, sender: MailSender, config: MailSection, *,
                 clock: Clock = system_clock, live: LiveConversations | None = None,
                 read_file: Callable[[str], bytes] | None = None,
                 agents: Callable[[str, str], tuple[str, str | None] | None] | None = None,
                 csat_link: Callable[[str, str], str] | None = None, languages: ChosenLanguage | None = None,
                 accent: Callable[[str], str | None] | None = None) -> None:
        self.tickets, self.records, self.sender, self.config = tickets, records, sender, config
        self._accent = accent  # tenant -> the team's colour (the widget's accent) for the mails' HTML
        self._languages = languages  # the language a customer's profile sets; None: each mail follows the ticket
        self._agents = agents  # (tenant, user id) -> an active agent's (display name, signature) from the directory
        self._clock = clock
        self._csat_link = csat_link  # (tenant, ticket) -> the rating page; None: no rating mail
        self._live = live  # chat tickets: mail only when the visitor is not in the chat
        self._read_file = read_file  # attachment bytes by storage key

    def _team_colour(self, tenant_id: str) -> str | None:
        """The team's colour for a mail's HTML; none where it could not be read (logged): the mail goes out all the
        same."""
        if self._accent is None:
            return None
        try:
            return self._accent(tenant_id)
        except Exception:
            logger.warning("could not read the team's colour; the mail goes out without it",
                           extra={"tenant_id": tenant_id}, exc_info=True)
            return None

    def send_reply(self, tenant_id: str, ticket_id: str, seq: int, event_type: str,
                   data: dict[str, Any], actor: str | None = None) -> str | None:
        """Mail one appended ticket event to the customer when it is an agent's public reply: on an email ticket,
        a chat ticket whose visitor has left the chat, or a ticket opened in the portal or through the API for a
        requester whose address is theirs (verified): they learn of the answer without watching the portal, and
        answer by mail into the same ticket. Returns the Message-ID sent, or None when the event is not for mail
        (or already sent)."""
        if event_type == EventType.STATUS_CHANGED.value:
            return self.send_csat(tenant_id, ticket_id, seq, data, actor)
        if event_type == EventType.CREATED.value:
            return self.send_receipt(tenant_id, ticket_id, data)
        if event_type == EventType.INTERNAL_NOTE.value:
            return self.send_side_mail(tenant_id, ticket_id, seq, data, actor) if data.get(MAIL_TO) else None
        if event_type != EventType.PUBLIC_MESSAGE.value or data.get("from_customer") or data.get("channel"):
            return None  # notes, customers' own messages, and messages that came in by mail
        caller = system_principal(tenant_id, "email")
        ticket = self.tickets.get(caller, ticket_id)
        if ticket.channel == Channel.CHAT:
            if self._live is not None and self._live.reading_live(ticket):
                return None  # the visitor reads it in the chat
        elif ticket.channel != Channel.EMAIL and not ticket.requester.email_verified:
            return None  # an address nobody proved is theirs gets no conversation mailed to it
        recipients = self._recipients(ticket)
        if not recipients:
            return None
        delivery_id = f"OUT#{tenant_id}#{ticket_id}#{seq}"
        if not claimed(self.records, delivery_id, "reply"):
            return None  # sent before: a retried batch
        try:
            return self._send(caller, ticket, delivery_id, data, actor)
        except Exception:
            self.records.release_delivery(delivery_id)
            raise

    def send_receipt(self, tenant_id: str, ticket_id: str, data: dict[str, Any]) -> str | None:
        """The receipt of a request a customer opened themselves in the portal or through the API, as a new mail
        ticket gets one (`acknowledge`: its number, the team's text, how to add to it by mail), once per ticket,
        to an address that is theirs (verified). Mail tickets get theirs from ingest; chat visitors are told the
        number in the chat; a ticket an agent opens, for someone or for themselves, is the agent's to announce."""
        if data.get("channel") not in (Channel.API.value, Channel.WEB.value) or not data.get("by_customer"):
            return None  # told by the created event itself: no read for every other new ticket
        ticket = self.tickets.get(system_principal(tenant_id, "email"), ticket_id)
        address = _verified_address(ticket)
        if address is None:
            return None
        settings = self.records.settings(tenant_id)
        if not settings.acknowledge_new:
            return None
        # `acknowledge` remembers the Message-ID itself (ingest's receipts too)
        return self._once(f"RECEIPT#{tenant_id}#{ticket_id}", "receipt", ticket, lambda: (
            self.acknowledge(ticket, address, self.config.support_address, None, settings), None), remember=False)

    def send_csat(self, tenant_id: str, ticket_id: str, seq: int, data: dict[str, Any],
                  actor: str | None = None) -> str | None:
        """The one-click rating mail when a ticket becomes resolved (any channel, to a verified requester
        address): exactly once per status event, like replies. Not when the customer marked it solved in the
        portal themselves: the portal asks them for the rating there and then; nor when whoever solved it is its
        requester (an agent's own ticket, a problem ticket an agent opened for an outage): nobody to ask."""
        csat_link = self._csat_link
        if csat_link is None or data.get("to") != Status.RESOLVED.value or data.get("by_customer"):
            return None
        ticket = self.tickets.get(system_principal(tenant_id, "email"), ticket_id)
        address = _verified_address(ticket)
        if address is None or actor == ticket.requester.id:
            return None  # nobody to ask, an address a chat visitor only typed, or the requester solved it

        def send() -> tuple[str, str | None]:
            settings = self.records.settings(tenant_id)
            from_address = team_address(settings, None, self.config.support_address)
            message_id = new_message_id(ticket, from_address)
            link = csat_link(tenant_id, ticket_id)
            subject, language = clean_subject(ticket.subject), customer_language(ticket, self._languages)
            # The page the link opens speaks the mail's language too (`lang`).
            body = (phrase("rate_us", language, number=ticket.key, subject=f" ({subject})" if subject else "",
                           good=f"{link}?rating=good&lang={language}", bad=f"{link}?rating=bad&lang={language}")
                    + f"\n\n-- \n{settings.from_name}\n")
            raw = compose(from_address=from_address, from_name=settings.from_name, to=[address],
                          subject=tagged_subject(ticket, self.records.tag_key(tenant_id)), body=body,
                          message_id=message_id, in_reply_to=None, references=[], date=self._clock(),
                          auto_submitted=True, accent=self._team_colour(tenant_id))
            return message_id, self.sender.send_raw(from_address, [address], raw,
                                                    ticket_tags(tenant_id, ticket_id))

        return self._once(f"CSAT#{tenant_id}#{ticket_id}#{seq}", "rating mail", ticket, send, remember=True)

    def send_side_mail(self, tenant_id: str, ticket_id: str, seq: int, data: dict[str, Any],
                       actor: str | None = None) -> str | None:
        """An internal note mailed to people outside the ticket (`helpdesk.mail.side`), once per note: from the
        team's address in the agent's name, with the note's files and their signature, threaded after the
        conversation's earlier mails with those addresses. Its Message-ID is remembered with the ticket before it
        is sent, so their answer, however quick, finds the ticket."""
        addresses = [str(a) for a in data.get(MAIL_TO) or [] if isinstance(a, str) and "@" in a]
        if not addresses:
            return None
        caller = system_principal(tenant_id, "email")
        ticket = self.tickets.get(caller, ticket_id)

        def send() -> tuple[str, str | None]:
            events = [e for e in self.tickets.events(caller, ticket_id) if e.seq < seq]
            ctx = thread_context(events)
            settings = self.records.settings(tenant_id)
            from_address = team_address(settings, ctx.support_address, self.config.support_address)
            key = self.records.tag_key(tenant_id)
            message_id = side_message_id(ticket, seq, key, from_address)
            earlier = side_thread(events, addresses, lambda s: side_message_id(ticket, s, key, from_address))
            agent = self._agents(tenant_id, actor) if self._agents is not None and actor else None
            body, files = self._note_and_files(ticket, data, signature=agent[1] if agent is not None else None,
                                               side=True)
            raw = compose(from_address=from_address, from_name=agent[0] if agent is not None else settings.from_name,
                          to=addresses, subject=f"[{ticket.key}] {clean_subject(ticket.subject) or '(no subject)'}",
                          body=body, message_id=message_id, in_reply_to=earlier[-1] if earlier else None,
                          references=earlier, date=self._clock(), attachments=files,
                          accent=self._team_colour(tenant_id), markdown_lead=markdown_lead(data))
            self.records.remember_side_mail(tenant_id, message_id, ticket_id)
            return message_id, self.sender.send_raw(from_address, addresses, raw, ticket_tags(tenant_id, ticket_id))

        return self._once(f"SIDE#{tenant_id}#{ticket_id}#{seq}", "side mail", ticket, send, remember=False)

    def _once(self, delivery_id: str, what: str, ticket: Ticket, send: Callable[[], tuple[str, str | None]], *,
              remember: bool) -> str | None:
        """`send` (it returns the Message-ID and the provider's id) once per delivery record: claimed first, so a
        retried batch sends nothing; released if sending fails, so the retry sends it; recorded after, where a
        failure is logged and never sends a second mail (nor logs the mail: a rating link is a credential)."""
        if not claimed(self.records, delivery_id, what):
            return None  # sent before: a retried batch
        try:
            message_id, provider_id = send()
        except Exception:
            self.records.release_delivery(delivery_id)
            raise
        try:
            self.records.complete_delivery(delivery_id, {"message_id": message_id, "provider_id": provider_id,
                                                         "tenant_id": ticket.tenant_id, "ticket_id": ticket.id})
            if remember:
                self.records.remember_message_id(ticket.tenant_id, message_id, ticket.id)
        except Exception:
            logger.exception(f"{what} sent but not recorded", extra={"ticket": ticket.key})
        return message_id

    def _send(self, caller: Principal, ticket: Ticket, delivery_id: str, data: dict[str, Any],
              actor: str | None = None) -> str:
        tenant_id, ticket_id = ticket.tenant_id, ticket.id
        recipients = self._recipients(ticket)
        seq = int(delivery_id.rsplit("#", 1)[-1])
        ctx = thread_context([e for e in self.tickets.events(caller, ticket_id) if e.seq < seq])
        settings = self.records.settings(tenant_id)
        from_address = team_address(settings, ctx.support_address, self.config.support_address)
        message_id = new_message_id(ticket, from_address)
        now = self._clock()
        agent = self._agents(tenant_id, actor) if self._agents is not None and actor else None
        from_name = agent[0] if agent is not None else settings.from_name  # the agent who answers, by name
        body, files = self._body_and_files(ticket, ctx, data, signature=agent[1] if agent is not None else None)
        sent_before = sum(1 for e in ctx.public if not e.data.get("from_customer") and e.type != EventType.CREATED)
        raw = compose(
            from_address=from_address, from_name=from_name, to=recipients[:1], cc=recipients[1:],
            subject=tagged_subject(ticket, self.records.tag_key(tenant_id)), body=body, message_id=message_id,
            in_reply_to=ctx.last_customer_message_id or (ctx.message_ids[-1] if ctx.message_ids else None),
            references=ctx.message_ids, date=now, attachments=files,
            thread=(clean_subject(ticket.subject) or "(no subject)", thread_index(ticket, sent_before + 1, now)),
            auto_submitted=actor in AUTOMATIC_ACTORS,  # a trigger's or the SLA's reply: autoresponders stay quiet
            accent=self._team_colour(tenant_id), markdown_lead=markdown_lead(data),
        )
        provider_id = self.sender.send_raw(from_address, recipients, raw, ticket_tags(tenant_id, ticket_id))
        try:  # sent: from here on a failure must not lead to sending it again
            self.records.complete_delivery(delivery_id, {"message_id": message_id, "provider_id": provider_id,
                                                         "tenant_id": tenant_id, "ticket_id": ticket_id})
            self.records.remember_message_id(tenant_id, message_id, ticket_id)
        except Exception:
            logger.exception("reply sent but not recorded", extra={"ticket": ticket.key, "message_id": message_id})
        return message_id

    def _body_and_files(self, ticket: Ticket, ctx: ThreadContext, data: dict[str, Any],
                        signature: str | None = None) -> tuple[str, list[tuple[str, str, bytes]]]:
        """The reply, the files that fit in one mail, a line for those that do not, and the quoted previous
        public message."""
        language = customer_language(ticket, self._languages)  # one read of the profile for the whole reply
        body, files = self._note_and_files(ticket, data, signature, language=language)
        if ctx.public:
            previous = ctx.public[-1]
            data = previous.data
            if data.get("from_customer", previous.type == EventType.CREATED):
                who = data.get("from_name") or data.get("from") or ticket.requester.name or ticket.requester.email
            else:
                who = data.get("author_name") or "Support"
            text = ticket.description if previous.type == EventType.CREATED else str(previous.data.get("body") or "")
            body += "\n" + quote(text, previous.at, str(who or "you"), language)
        return body, files

    def _note_and_files(self, ticket: Ticket, data: dict[str, Any], signature: str | None = None,
                        side: bool = False, language: str = "en") -> tuple[str, list[tuple[str, str, bytes]]]:
        """The message's text, the files that fit in one mail, a line for those that do not (for the customer, in
        their `language`: where they are kept; `side`, for someone outside the ticket, who cannot open it: that they
        were left out), and the signature."""
        body = str(data.get("body", "")).rstrip() + "\n"
        files: list[tuple[str, str, bytes]] = []
        left_out: list[str] = []
        budget = MAX_ATTACHED_BYTES
        for entry in data.get("attachments") or []:
            if not isinstance(entry, dict) or not isinstance(entry.get("key"), str):
                continue
            name, size = str(entry.get("filename") or "attachment"), int(entry.get("size") or 0)
            if self._read_file is None or size > budget:
                left_out.append(name)
                continue
            files.append((name, str(entry.get("content_type") or "application/octet-stream"),
                          self._read_file(entry["key"])))
            budget -= size
        if left_out and side:
            body += "\n" + phrase("left_out_of_mail", "en", files=", ".join(left_out)) + "\n"
        elif left_out:
            body += "\n" + phrase("kept_on_ticket", language, ticket=ticket.key,
                                   files=", ".join(left_out)) + "\n"
        if signature and signature.strip():
            body += "\n-- \n" + signature.strip() + "\n"  # RFC 3676's delimiter: mail clients fold it away
        return body, files

    def acknowledge(self, ticket: Ticket, to_address: str, support_address: str,
                    customer_message_id: str | None, settings: MailSettings | None = None) -> str:
        """The receipt of a new ticket, with its number; marked automatic so robots stay quiet. `settings`: the
        tenant's mail settings when the caller read them already."""
        settings = settings or self.records.settings(ticket.tenant_id)
        from_address = team_address(settings, support_address, self.config.support_address)
        message_id = new_message_id(ticket, from_address)
        key = self.records.tag_key(ticket.tenant_id)
        language = customer_language(ticket, self._languages)
        own = receipt_for(settings.receipts, language)
        body = ((render_receipt(own, ticket) if own else phrase("received", language, number=ticket.key)) + "\n"
                + phrase("reply_to_add", language, tag=ticket_tag(ticket, key)) + f"\n\n-- \n{settings.from_name}\n")
        raw = compose(from_address=from_address, from_name=settings.from_name, to=[to_address],
                      subject=tagged_subject(ticket, key, reply=customer_message_id is not None), body=body,
                      message_id=message_id,
                      in_reply_to=customer_message_id,
                      references=[customer_message_id] if customer_message_id else [], date=self._clock(),
                      auto_submitted=True, accent=self._team_colour(ticket.tenant_id))
        self.sender.send_raw(from_address, [to_address], raw, ticket_tags(ticket.tenant_id, ticket.id))
        self.records.remember_message_id(ticket.tenant_id, message_id, ticket.id)
        return message_id

    def _recipients(self, ticket: Ticket) -> list[str]:
        found: list[str] = []
        for address in [ticket.requester.email or "", *ticket.participants]:
            address = address.strip().lower()
            if address and "@" in address and address not in found:
                found.append(address)
        return found


def _verified_address(ticket: Ticket) -> str | None:
    """The requester's address when it is theirs (verified): where a receipt or a rating mail may go."""
    address = ticket.requester.email
    return address if address and "@" in address and ticket.requester.email_verified else None
