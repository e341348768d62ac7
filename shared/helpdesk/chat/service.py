"""Chat use cases: start a session, post a message and get the assistant's reply, read the transcript.

The user's message is stored before the assistant is asked, and a failing assistant still gets an
answer back to the user (with the way to a person), so no message is lost and no turn ends in a 500.

Once the chat became a ticket (a hand-over), the session and the ticket are one conversation: what the
visitor writes is added to the ticket as their public message (the assistant stays quiet unless asked
with `/ask ...`), and the ticket's public messages come back into the transcript (`ChatRelay`). From then on the
visitor may send files too (a screenshot of the error): uploaded as a customer's to the ticket
(`AttachmentService`), named in their message; before it nobody would read them (the assistant reads text).
"""

import hashlib
import hmac
import re
import secrets
import uuid
from collections.abc import Callable, Sequence
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from helpdesk.assistant.ports import HistoryTurn
from helpdesk.assistant.sentences import say
from helpdesk.assistant.service import ChatCaller, TurnReply, TurnRequest
from helpdesk.chat.feedback import RatedAnswer, rate_answer
from helpdesk.chat.identity import VisitorIdentity
from helpdesk.chat.model import ChatMessage, ChatSession, RateLimited, message_seq
from helpdesk.chat.ports import ChatStore, CodeMailer, IntentRagClient, IntentRagUnavailable
from helpdesk.chat.relay import ChatRelay
from helpdesk.chat.tokens import issue_session_token, verify_session_token
from helpdesk.kernel.clock import Clock, system_clock
from helpdesk.kernel.errors import Gone, InvalidInput, InvalidTransition, NotFound
from helpdesk.kernel.i18n import Language
from helpdesk.kernel.principal import Principal, Role, system_principal
from helpdesk.platform.observability import logger
from helpdesk.settings import ChatSection
from helpdesk.tickets.model import (
    AiContext,
    Channel,
    Requester,
    Ticket,
    TicketLink,
    VisitedPage,
    email_key,
    pages_visited,
)
from helpdesk.tickets.service import CreateTicket, TicketService

if TYPE_CHECKING:
    from helpdesk.attachments.model import UploadGrant
    from helpdesk.attachments.service import AttachmentService, Download

ASK_COMMAND = "/ask"
VERIFY_COMMAND = "/verify"
MAX_CODE_ATTEMPTS = 5
CODE_RESEND_S = 60  # one code mail a minute per conversation: the address is a stranger's until proven
_CODE = re.compile(r"^\s*(?:/verify\s+)?(\d{6})\s*$")



class StartedSession(BaseModel):
    id: str
    token: str
    expires_at: str
    kind: str
    # Whether anyone may read the tenant's published articles without signing in: where the widget's citations
    # link (the public article page, else the portal's help centre behind sign-in).
    help_center_public: bool = False


class PostedReply(BaseModel):
    message_id: str
    reply_id: str | None  # None: after a hand-over the assistant stays quiet (see `notice`)
    reply: str | None
    intent: str | None
    confidence: float | None
    citations: list[dict[str, Any]]
    actions: list[str]
    ticket: dict[str, Any] | None
    degraded: bool = False
    handed_over: bool = False  # the message went to the ticket, for a person to answer
    notice: str | None = None  # what happened to the message, in words for the visitor
    # When the team answers at the latest: the ticket's SLA deadline for the next answer (first or next
    # response; ISO 8601), so a visitor outside business hours knows it is Monday morning, not a minute.
    answer_by: str | None = None
    # The conversation's language (of the five the chat speaks; None until one could be told): the language the
    # reply and the notice are in, so a widget's own words (its buttons, its box) can follow the visitor's.
    language: Language | None = None


class InvalidCode(InvalidInput):
    code = "invalid_code"


class ChatService:
    def __init__(self, store: ChatStore, assistant: IntentRagClient, settings: ChatSection, secret: str, *,
                 clock: Clock = system_clock, tickets: TicketService | None = None,
                 attachments: "AttachmentService | None" = None, codes: CodeMailer | None = None,
                 public_help_center: Callable[[str], bool] = lambda tenant_id: False) -> None:
        self._store = store
        self._assistant = assistant
        self._settings = settings
        self._secret = secret
        self._clock = clock
        self._tickets = tickets
        self._relay = ChatRelay(store, tickets) if tickets is not None else None
        self._attachments = attachments
        self._codes = codes
        self._public_help_center = public_help_center

    # -- sessions ---------------------------------------------------------------------------

    def start_anonymous(self, tenant_id: str) -> StartedSession:
        if not self._settings.allows_anonymous(tenant_id):
            raise NotFound(f"no public chat for tenant {tenant_id}")
        return self._start(ChatCaller(tenant_id=tenant_id, kind="anonymous"),
                           timedelta(hours=self._settings.anonymous_ttl_hours))

    def start_identified(self, tenant_id: str, visitor: VisitorIdentity) -> StartedSession:
        """A visitor the tenant's site signed in (`chat.identity`): the customer with that verified address, as if
        they had signed in to the portal."""
        if not self._settings.allows_anonymous(tenant_id):
            raise NotFound(f"no public chat for tenant {tenant_id}")
        caller = ChatCaller(tenant_id=tenant_id, kind="customer", user_id=email_key(visitor.email), email=visitor.email,
                            email_verified=True, name=visitor.name)
        return self._start(caller, timedelta(hours=self._settings.customer_ttl_hours))

    def start_customer(self, principal: Principal) -> StartedSession:
        caller = ChatCaller(tenant_id=principal.tenant_id, kind="customer", user_id=principal.user_id,
                            email=principal.email, email_verified=principal.email_verified, name=principal.name)
        return self._start(caller, timedelta(hours=self._settings.customer_ttl_hours))

    def _start(self, caller: ChatCaller, ttl: timedelta) -> StartedSession:
        now = self._clock()
        session = ChatSession(id=uuid.uuid4().hex, tenant_id=caller.tenant_id, caller=caller, created_at=now,
                              expires_at=now + ttl)
        self._store.add_session(session)
        token = issue_session_token(self._secret, session.tenant_id, session.id, now, session.expires_at)
        return StartedSession(id=session.id, token=token, expires_at=session.expires_at.isoformat(),
                              kind=caller.kind, help_center_public=self._public_help_center(caller.tenant_id))

    def session_for(self, token: str, session_id: str) -> ChatSession:
        """The session a valid token opens; another session's id answers like a missing one."""
        now = self._clock()
        tenant_id, token_session = verify_session_token(self._secret, token, now)
        if token_session != session_id:
            raise NotFound("chat session not found")
        session = self._store.get_session(tenant_id, session_id)
        if session is None:
            raise NotFound("chat session not found")
        if session.ended_at is not None or session.expires_at <= now:  # TTL deletion lags: checked here too
            raise Gone("this chat has ended: replies to its ticket come by mail",
                       {"reason": "ended" if session.ended_at else "expired", "ticket_id": session.ticket_id})
        return session

    def end(self, session: ChatSession) -> ChatSession:
        """The visitor closed the chat: the session expires now, and later replies on its ticket go by mail."""
        now = self._clock()
        session.ended_at = now
        session.expires_at = min(session.expires_at, now)
        self._store.save_state(session)
        return session

    # -- messages ---------------------------------------------------------------------------

    def post(self, session: ChatSession, text: str, attachment_ids: Sequence[str] = (),
             page: VisitedPage | None = None) -> PostedReply:
        """The visitor's message: to the assistant, or after the hand-over to the ticket (with `attachment_ids`,
        their uploads, `request_upload`). `page`: the page of the site they wrote it from, which the ticket a
        hand-over opens names for the team."""
        if attachment_ids and (not session.ticket_id or _after_command(text, ASK_COMMAND) is not None):
            raise InvalidInput("files go to the person who answers: once a person has the conversation, and not with "
                               f"{ASK_COMMAND}", {"attachment_ids": list(attachment_ids)})
        self._check_rate(session)
        history = self._store.messages(session.tenant_id, session.id, limit=self._settings.max_messages)
        if len(history) >= self._settings.max_messages:
            raise RateLimited(3600, "this conversation has reached its message limit: start a new one")
        self._store.touch(session, self._clock())
        if page is not None:  # kept with the state the assistant saves (or a follow-up ticket's)
            session.state = session.state.model_copy(update={"pages": pages_visited(session.state.pages, page)})
        if session.ticket_id and self._tickets is not None:  # handed over: a person answers now
            code = _CODE.match(text)
            if code and not attachment_ids and self._store.code(session.tenant_id, session.id) is not None:
                return self._verify_in_chat(session, code.group(1))
            question = _after_command(text, ASK_COMMAND)
            if question is None:
                return self._forward(session, text, attachment_ids)
            text = question
        user_message = self._store.append(session, ChatMessage(id="", session_id=session.id, seq=0, role="user",
                                                               text=text, at=self._clock()))
        assert user_message is not None
        keep = self._settings.history_turns
        turns = [HistoryTurn(role="assistant" if m.role == "agent" else m.role, text=m.text, helpful=m.helpful)
                 for m in history][-keep:] if keep else []
        # the words as stored (a tenant that masks card numbers: masked), so no card reaches the model either
        turn = TurnRequest(conversation_id=session.id, message_id=user_message.id, text=user_message.text,
                           caller=session.caller, history=turns, state=session.state)
        try:
            reply: TurnReply | None = self._assistant.reply(turn)
        except IntentRagUnavailable as exc:
            logger.warning("assistant unavailable", extra={"session_id": session.id, "error": str(exc)})
            reply = None
        meta: dict[str, Any] = {"degraded": True}
        if reply is not None:
            meta = reply.model_dump(mode="json", include={"intent", "confidence", "citations", "actions", "ticket",
                                                          "decision"})
            logger.info("chat turn", extra={"session_id": session.id, "message_id": user_message.id,
                                            "decision": meta["decision"], "actions": reply.actions})
        # No language identification here (the chat intake function stays light): the conversation's so far.
        text_out = reply.reply if reply else say("unavailable", session.state.language)
        if reply is not None:
            session.state = reply.state
            self._store.save_state(session)
            text_out += self._after_new_ticket(session, reply)
        stored = self._store.append(session, ChatMessage(id="", session_id=session.id, seq=0, role="assistant",
                                                         text=text_out, at=self._clock(), meta=meta))
        assert stored is not None
        answer = stored
        opened = reply.ticket if reply is not None and "ticket_created" in reply.actions else None
        return PostedReply(message_id=user_message.id, reply_id=answer.id, reply=answer.text,
                           intent=reply.intent if reply else None, confidence=reply.confidence if reply else None,
                           citations=meta.get("citations") or [], actions=reply.actions if reply else [],
                           ticket=meta.get("ticket"), degraded=reply is None,
                           answer_by=self._answer_by(session.tenant_id, opened.id) if opened else None,
                           language=session.state.language)

    def _check_rate(self, session: ChatSession) -> None:
        now = self._clock()
        window = int(now.timestamp()) // 60
        count = self._store.hit_rate_limit(session, window, now + timedelta(minutes=5))
        if count > self._settings.rate_per_minute:
            raise RateLimited(60 - int(now.timestamp()) % 60,
                              f"too many messages: at most {self._settings.rate_per_minute} a minute")

    def transcript(self, session: ChatSession) -> list[ChatMessage]:
        self._store.touch(session, self._clock())
        return self._store.messages(session.tenant_id, session.id, limit=self._settings.max_messages * 2)

    def seq_of(self, session: ChatSession, message_id: str) -> int:
        """The place of a message of this session (for `?after=`); an id from elsewhere is a 400."""
        seq = message_seq(message_id)
        if seq is not None:
            found = self._store.message_at(session.tenant_id, session.id, seq)
            if found is not None and found.id == message_id:
                return seq
        else:  # ids made before they carried their place
            for message in self._store.messages(session.tenant_id, session.id, limit=self._settings.max_messages * 2):
                if message.id == message_id:
                    return message.seq
        raise InvalidInput(f"message {message_id} is not in this conversation", {"after": message_id[:80]})

    def rate(self, session: ChatSession, message_id: str, helpful: bool) -> RatedAnswer:
        """"Did this answer your question?" (`chat/feedback.py`)."""
        try:
            seq = self.seq_of(session, message_id)
        except InvalidInput as exc:
            raise NotFound(exc.message) from exc
        return rate_answer(self._store, session, seq, message_id, helpful, self._clock())

    def messages_after(self, session: ChatSession, after_seq: int, limit: int = 100) -> list[ChatMessage]:
        """The messages after `after_seq`, oldest first; fetching counts as the visitor being here."""
        self._store.touch(session, self._clock())
        return self._store.messages(session.tenant_id, session.id, limit=limit, after_seq=after_seq)

    # -- after a hand-over ------------------------------------------------------------------

    def _forward(self, session: ChatSession, text: str, attachment_ids: Sequence[str] = ()) -> PostedReply:
        """The visitor's message, as their public message on the ticket; it reaches the transcript in the
        ticket's order through the relay (which this call runs at once)."""
        assert self._tickets is not None
        assert self._relay is not None
        meta = {"channel": Channel.CHAT.value, "chat_session_id": session.id}
        ticket_id = self._conversation_ticket(session)
        writer = self._requester(session, ticket_id)
        try:
            if attachment_ids:
                ticket, event = self._uploads().post_message(writer, ticket_id, text, True, attachment_ids, meta=meta)
            else:
                ticket, event = self._tickets.add_message(writer, ticket_id, text,
                                                          public=True, meta=meta, as_customer=True)
        except InvalidTransition:  # the ticket was closed: this message opens a follow-up that links to it
            if attachment_ids:  # the files were uploaded to the closed ticket: the visitor sends them again
                raise
            return self._follow_up(session, ticket_id, text)
        written = self._relay.sync(session, ticket.id, through=event.seq)
        mine = next((m for m in written if m.meta.get("ticket_seq") == event.seq), None) or next(
            (m for m in reversed(self._store.messages(session.tenant_id, session.id,
                                                      limit=self._settings.max_messages * 2))
             if m.meta.get("ticket_seq") == event.seq and m.meta.get("ticket_id") == ticket.id), None)
        return self._handed_over_reply(session, ticket, mine.id if mine else "")

    def _conversation_ticket(self, session: ChatSession) -> str:
        """The ticket the conversation goes on in: the hand-over's, or the one it was merged into since when that
        is the same requester's (their duplicate; into someone else's ticket the chat would relay that person's
        conversation, so the closed source's rule applies instead: a follow-up)."""
        assert self._tickets is not None
        ticket_id = session.ticket_id
        assert ticket_id is not None
        system = system_principal(session.tenant_id)
        source = self._tickets.get(system, ticket_id)
        current = self._tickets.follow_merges(system, source)
        if current.id != ticket_id and current.requester.key == source.requester.key:
            if current.id not in session.state.ticket_ids:  # (each message and upload comes here)
                session.state.ticket_ids = [*session.state.ticket_ids, current.id][-50:]
                self._store.save_state(session)
            return current.id
        return ticket_id

    def request_upload(self, session: ChatSession, filename: str, content_type: str, size: int) -> "UploadGrant":
        """A presigned upload of one file to the conversation's ticket, as its requester (named in their next
        message). Only once a person has the conversation; counted with the visitor's messages."""
        if not session.ticket_id or self._tickets is None:
            raise InvalidTransition("files go to the person who answers: ask for a person first",
                                    {"reason": "not_handed_over"})
        self._check_rate(session)
        ticket_id = self._conversation_ticket(session)
        return self._uploads().request_upload(self._requester(session, ticket_id), ticket_id, filename, content_type,
                                              size)

    def _uploads(self) -> "AttachmentService":
        if self._attachments is None:  # a deployment without an attachment bucket
            raise InvalidTransition("this chat takes no files", {"reason": "no_attachment_store"})
        return self._attachments

    def _follow_up(self, session: ChatSession, closed_id: str, text: str) -> PostedReply:
        assert self._tickets is not None
        system = system_principal(session.tenant_id, "ai")
        closed = self._tickets.get(system, closed_id)
        cmd = CreateTicket(subject=_follow_up_subject(closed.subject), description=text, channel=Channel.CHAT,
                           requester=closed.requester, tags=["chat", "follow_up"],
                           participants=[p for p in closed.participants if p != (closed.requester.email or "")],
                           links=[TicketLink(type="follow_up", ticket_id=closed.id)],
                           ai=AiContext(conversation_id=session.id, summary=f"Follow-up of {closed.key} from chat.",
                                        pages=list(session.state.pages)))
        ticket = self._tickets.create(system, cmd)
        session.state.ticket_ids = [*session.state.ticket_ids, ticket.id][-50:]
        self._store.save_state(session)
        # The message is the new ticket's description (its created event): the transcript gets it directly.
        mine = self._store.append(session, ChatMessage(
            id="", session_id=session.id, seq=0, role="user", text=text, at=self._clock(),
            meta={"ticket_id": ticket.id, "ticket_seq": 0, "channel": Channel.CHAT.value}))
        return self._handed_over_reply(session, ticket, mine.id if mine else "",
                                       lead=say("follow_up_opened", session.state.language, closed=closed.key,
                                                number=ticket.key))

    def _handed_over_reply(self, session: ChatSession, ticket: Ticket, message_id: str, lead: str = "") -> PostedReply:
        language = session.state.language
        where = say("here_or_mail" if ticket.requester.email else "here", language)
        sent = say("sent_to_team", language, number=ticket.key, where=where, command=ASK_COMMAND)
        notice = f"{lead} {sent}" if lead else sent
        return PostedReply(message_id=message_id, reply_id=None, reply=None, intent=None, confidence=None,
                           citations=[], actions=["forwarded_to_ticket"],
                           ticket={"id": ticket.id, "number": ticket.key, "status": ticket.status.value},
                           handed_over=True, notice=notice, answer_by=answer_deadline(ticket), language=language)

    def _answer_by(self, tenant_id: str, ticket_id: str) -> str | None:
        if self._tickets is None:
            return None
        try:
            return answer_deadline(self._tickets.get(system_principal(tenant_id), ticket_id))
        except NotFound:
            return None

    def _requester(self, session: ChatSession, ticket_id: str) -> Principal:
        """Who writes on the ticket: the signed-in customer, or the anonymous visitor as its requester
        (this session holds the ticket, which is all an unverified visitor may reach)."""
        principal = session.caller.principal()
        if principal is not None:
            return principal
        assert self._tickets is not None
        ticket = self._tickets.get(system_principal(session.tenant_id), ticket_id)
        return Principal(user_id=ticket.requester.id, tenant_id=session.tenant_id, role=Role.CUSTOMER,
                         email=ticket.requester.email, name=ticket.requester.name)

    # -- attachments ------------------------------------------------------------------------

    def attachment(self, session: ChatSession, attachment_id: str) -> "Download":
        """A file of a public message on this conversation's tickets (never an internal note's)."""
        if self._attachments is None:
            raise NotFound(f"attachment {attachment_id} not found")
        for ticket_id in reversed(session.state.ticket_ids):
            try:
                return self._attachments.download(system_principal(session.tenant_id), ticket_id, attachment_id,
                                                  public_only=True)
            except NotFound:
                continue
        raise NotFound(f"attachment {attachment_id} not found")

    # -- proving the e-mail address ---------------------------------------------------------

    def _after_new_ticket(self, session: ChatSession, reply: TurnReply) -> str:
        """An anonymous visitor's new ticket: mail a code to the address they gave (what they add to the reply)."""
        email = reply.state.email
        if (reply.ticket is None or "ticket_created" not in reply.actions or session.caller.kind != "anonymous"
                or not email or session.verified_email == email.lower() or self._codes is None):
            return ""
        try:
            self.send_code(session, ticket_number=reply.ticket.number)
        except Exception:  # the ticket exists; a lost code can be asked for again
            logger.exception("verification code not sent", extra={"session_id": session.id})
            return ""
        return "\n\n" + say("code_sent", session.state.language, email=email)

    def send_code(self, session: ChatSession, ticket_number: str | None = None) -> dict[str, Any]:
        """Mail a one-time code to the address the visitor gave; a new code replaces the previous one."""
        email = (session.state.email or "").lower()
        if session.caller.kind != "anonymous" or not email:
            raise InvalidInput("this conversation has no address to confirm", {"kind": session.caller.kind})
        if self._codes is None:
            raise InvalidInput("e-mail confirmation is not available here")
        now, ttl = self._clock(), timedelta(minutes=self._settings.verification_code_ttl_minutes)
        pending = self._store.code(session.tenant_id, session.id)
        if pending is not None and pending[2] - ttl > now - timedelta(seconds=CODE_RESEND_S):
            wait = int((pending[2] - ttl - now).total_seconds()) + CODE_RESEND_S
            raise RateLimited(max(wait, 1), f"a code was just sent: ask again in {max(wait, 1)} s")
        code = f"{secrets.randbelow(1_000_000):06d}"
        expires = now + ttl
        self._store.put_code(session, email, self._code_hash(session, code), expires)
        self._codes.send_code(session.tenant_id, email, code, ticket_number, session.state.language)
        return {"email": email, "expires_at": expires.isoformat()}

    def verify_email(self, session: ChatSession, code: str) -> dict[str, Any]:
        """Confirm the address with the code mailed to it: the conversation's tickets become that address's,
        so the customer signed in with it sees them."""
        pending = self._store.code(session.tenant_id, session.id)
        if pending is None or pending[2] <= self._clock():
            raise InvalidCode("no code is waiting for this conversation: ask for a new one", {"reason": "no_code"})
        email, expected, _, failed = pending
        if failed >= MAX_CODE_ATTEMPTS:
            raise RateLimited(60, "too many wrong codes: ask for a new one")
        if not hmac.compare_digest(expected, self._code_hash(session, code.strip())):
            self._store.count_failed_code(session)
            raise InvalidCode("that code is not right", {"attempts_left": MAX_CODE_ATTEMPTS - failed - 1})
        self._store.drop_code(session)
        session.verified_email = email
        self._store.save_state(session)
        if self._tickets is not None:
            system = system_principal(session.tenant_id)
            for ticket_id in session.state.ticket_ids:
                self._tickets.apply_system_change(system, ticket_id, lambda t: _verified_requester(t, email,
                                                                                                   self._clock()))
        return {"email": email, "verified": True, "ticket_ids": list(session.state.ticket_ids)}

    def _verify_in_chat(self, session: ChatSession, code: str) -> PostedReply:
        try:
            done = self.verify_email(session, code)
            notice = say("email_confirmed", session.state.language, email=done["email"])
        except InvalidCode as exc:  # told in the visitor's language: the API's message is for integrations
            left = exc.details.get("attempts_left")
            notice = (say("code_wrong", session.state.language, left=str(left)) if left is not None
                      else say("code_expired", session.state.language))
        except RateLimited:
            notice = say("code_attempts_used", session.state.language)
        return PostedReply(message_id="", reply_id=None, reply=None, intent=None, confidence=None, citations=[],
                           actions=["verify_email"], ticket=None, handed_over=True, notice=notice,
                           language=session.state.language)

    def _code_hash(self, session: ChatSession, code: str) -> str:
        return hmac.new(self._secret.encode(), f"{session.tenant_id}:{session.id}:{code}".encode(),
                        hashlib.sha256).hexdigest()


def _verified_requester(ticket: Ticket, email: str, at: Any) -> list[Any]:
    if ticket.requester.email_verified and (ticket.requester.email or "").lower() == email:
        return []
    requester = Requester(id=email_key(email), email=email, name=ticket.requester.name, email_verified=True)
    return ticket.set_field("requester", requester, "system", at)


def _after_command(text: str, command: str) -> str | None:
    """`/ask how do I ...` -> `how do I ...`; None when the text is not that command."""
    stripped = text.strip()
    if not stripped.lower().startswith(command):
        return None
    rest = stripped[len(command):]
    if rest and not rest[0].isspace():
        return None
    return rest.strip() or None


def _follow_up_subject(subject: str) -> str:
    return subject if subject.lower().startswith("follow-up:") else f"Follow-up: {subject}"[:500]


def answer_deadline(ticket: Ticket) -> str | None:
    """When the team answers at the latest (the ticket's SLA), as the chat's replies carry it."""
    due = ticket.sla.answer_due() if ticket.sla is not None else None
    return due.isoformat() if due is not None else None
