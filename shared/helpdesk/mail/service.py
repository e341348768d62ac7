"""Mail ingest: one received message becomes a new ticket, a message on its ticket, or a record saying why not.

The same code runs behind SES (functions/email_ingest), the local SMTP server and `helpdesk mail ingest`.
Exactly once: the delivery id (SES message id) is claimed with a conditional write before anything
happens; a retry after a crash finds the lease expired and completes the work without repeating it
(new tickets get an id derived from the delivery, so a second create fails instead of duplicating;
appends look for the delivery on the ticket first). The mail itself is claimed too, before anything is
created: its Message-ID and sender (or, without one, a hash of sender, date, subject and text) with a
conditional write, so the same mail delivered under several ids at once makes one ticket.

Nothing received is lost: the raw message stays in the store, and every mail that does not become a
ticket message gets a quarantine record, including mail whose processing keeps failing: the last
attempt the receiving service makes (`DELIVERY_ATTEMPTS`) writes the record before it starts (a
timeout leaves no other trace) and turns an error into the record's reason. `replay` delivers a
quarantined mail again (`helpdesk mail replay`).

Sender authentication: a mail whose SPF, DKIM and DMARC verdicts all FAIL, or whose DMARC verdict is
FAIL under a `reject` policy, never joins or reopens an existing ticket (per the tenant's setting it
opens a new ticket tagged `unverified-sender`, or is quarantined), and is never acknowledged.

Agents answer by mail: an agent's reply to a notification mail sent to them (`mail/notifications.py`) becomes
their public reply on the ticket, as if written in the console (it goes out to the customer), when the mail
comes from the directory address the notification went to and that sender is authenticated (DMARC PASS, or
SPF or DKIM PASS without a DMARC FAIL): a reply that would speak to a customer in an agent's name needs more
than the absence of failures, and without it the mail is quarantined (`agent_reply_unauthenticated`). Anyone
else's answer to a notification is a mail like any other.
"""

import contextlib
import dataclasses
import functools
import hashlib
import html
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from aws_lambda_powertools import Logger
from pydantic import BaseModel

from helpdesk.attachments.model import key_name
from helpdesk.kernel.errors import (
    ConcurrentUpdate,
    Conflict,
    Forbidden,
    InvalidAssignment,
    InvalidTransition,
    MissingRequiredFields,
    NotFound,
)
from helpdesk.kernel.principal import Principal, system_principal
from helpdesk.kernel.text import is_blank
from helpdesk.mail.blocklist import is_blocked
from helpdesk.mail.commands import MailCommands, apply_commands, read_commands
from helpdesk.mail.forwarded import (
    ForwardedMail,
    attached_forward,
    forwarded_mail,
    has_attached_mail,
    looks_forwarded,
)
from helpdesk.mail.model import Address, Attachment, ParsedMessage
from helpdesk.mail.outbound import DeliveryInProgress, MailOutbound
from helpdesk.mail.parser import parse_message
from helpdesk.mail.ports import CardMasks, MailRecords, MailSettings, MessageRecords, QuarantineRecord, RawMailStore
from helpdesk.mail.relayed import list_address, relayed_for
from helpdesk.mail.safety import automatic_reason, system_generated
from helpdesk.mail.side import SIDE_REPLY
from helpdesk.mail.threading import clean_subject, may_reply, referenced_ids, tag_matches, ticket_tag_in
from helpdesk.settings import MailSection
from helpdesk.tickets.history import ADMITTED_BY, EventType
from helpdesk.tickets.model import MAX_SUBJECT_CHARS, MAX_TEXT_BYTES, Channel, Requester, Status, Ticket, TicketLink
from helpdesk.tickets.service import CreateTicket, TicketService, UpdateTicket

logger = Logger(child=True)

DELIVERY_LEASE_SECONDS = 90  # longer than the function's timeout (60 s), shorter than Lambda's retry delays
# Attempts the receiving service makes per delivery: Lambda's asynchronous invocation of email_ingest,
# 1 + EventInvokeConfig.MaximumRetryAttempts (2) in template.yaml (a test keeps the two equal).
DELIVERY_ATTEMPTS = 3
UNVERIFIED_TAG = "unverified-sender"
# A mail encrypted to a key we do not hold (the raw mail and the encrypted part are kept): the team sees why the
# message is empty, and a trigger on the tag can ask the sender to write again without encryption.
ENCRYPTED_TAG = "encrypted"
# The customer reads it too (the portal): it says what to do to both.
ENCRYPTED_TEXT = ("(This mail is encrypted ({kind}) and cannot be read here; the encrypted part is attached. Sent "
                  "again without encryption, it can be read.)")
AUTH_VERDICTS = ("spf", "dkim", "dmarc", "dmarc_policy", "spam", "virus")
MAX_ERROR_CHARS = 500
UNROUTED_TENANT = "_unrouted"
# What an agent's mail reply records on its event: enough to find the delivery again, thread and keep the raw mail.
AGENT_REPLY_KEYS = frozenset({"delivery_id", "message_id", "raw_key", "attachments", "truncated", "defects",
                              ADMITTED_BY})
MAX_COPIED = 20  # addresses of one mail considered as new participants


@dataclass
class InboundMail:
    """One received message: where its raw bytes are and what the receiving service said about it."""

    delivery_id: str
    raw_key: str
    recipients: list[str]
    received_at: datetime  # when the receiving service got it (the edge says; no clock is read here)
    verdicts: dict[str, str] = field(default_factory=dict)  # spam, virus, spf, dkim, dmarc -> PASS/FAIL/...
    envelope_from: str | None = None  # SMTP MAIL FROM, used when the From header has no readable address
    # The admin who let a held mail in (`MailAdmin.deliver_again`): it is a person's mail whatever the spam verdict,
    # its automatic headers or the block list say; a forged sender's still never joins an existing ticket.
    admitted_by: str | None = None


def tenant_delivery_id(delivery_id: str, tenant_id: str) -> str:
    """The delivery of a mail to a tenant other than the first it is addressed to (`MailIngest.receive`)."""
    return f"{delivery_id}+{tenant_id}"


class IngestResult(BaseModel):
    status: Literal["created", "appended", "duplicate", "quarantined", "ignored"]
    delivery_id: str
    tenant_id: str | None = None
    ticket_id: str | None = None
    ticket_number: str | None = None
    reason: str | None = None


class MailIngest:
    def __init__(self, tickets: TicketService, store: RawMailStore, records: MailRecords,
                 outbound: MailOutbound, config: MailSection,
                 agent: Callable[[str, str], Principal | None] | None = None,
                 agent_at: Callable[[str, str], Principal | None] | None = None,
                 cards: CardMasks | None = None) -> None:
        self.tickets, self.store, self.records, self.outbound, self.config = tickets, store, records, outbound, config
        self._cards = cards  # the tenant's card masking: a mail holding a card keeps no HTML copy
        self._agent = agent  # (tenant, user id) -> an active agent or admin, as the console's caller would be
        self._agent_at = agent_at  # (tenant, address) -> the active agent or admin with that directory address

    def receive(self, mail: InboundMail) -> list[IngestResult]:
        """A mail as the receiving service got it: ingested once for each tenant of this deployment it is addressed
        to (a customer writing to two of an MSP's clients' support addresses reaches both), the first under the
        receiving service's delivery id, each other as a delivery of its own (`tenant_delivery_id`) on a copy of the
        raw mail of its own, so one tenant's erasure or retention never deletes what the other received. One
        tenant's failure does not hold the others' up: it is raised after them, and the retry finds theirs done."""
        addressed = self._addressed(mail.recipients)
        deliveries: list[Callable[[], InboundMail]] = [
            lambda: mail, *(functools.partial(self._copy_for, mail, tenant_id, addresses)
                            for tenant_id, addresses in addressed[1:])]
        results: list[IngestResult] = []
        failure: Exception | None = None
        for delivery in deliveries:
            try:
                results.append(self.ingest(delivery()))
            except Exception as exc:  # raised below, once the other tenants have their mail
                failure = failure or exc
        if failure is not None:
            raise failure
        return results

    def _copy_for(self, mail: InboundMail, tenant_id: str, addresses: list[str]) -> InboundMail:
        """The mail as delivered to one more tenant: only its addresses as recipients, its own raw copy, made unless
        that delivery is done (a retry must not bring back a copy the tenant has erased since; when the raw mail is
        missing there is nothing to copy: ingest records that as for any mail). A copy the store refuses leaves the
        tenant reading the original: its mail is not lost for a copy (the tenants then share the raw mail)."""
        delivery_id = tenant_delivery_id(mail.delivery_id, tenant_id)
        raw_key = f"{self.config.inbound_prefix}tenants/{tenant_id}/{mail.delivery_id}"
        if self.records.delivery_result(delivery_id) is None:
            try:
                self.store.copy_raw(mail.raw_key, raw_key)
            except KeyError:
                pass
            except Exception:
                logger.exception("raw mail not copied for a tenant: it reads the original",
                                 extra={"delivery_id": delivery_id, "tenant_id": tenant_id})
                raw_key = mail.raw_key
        return dataclasses.replace(mail, delivery_id=delivery_id, raw_key=raw_key, recipients=addresses)

    def ingest(self, mail: InboundMail) -> IngestResult:
        claim = self.records.claim_delivery(mail.delivery_id, DELIVERY_LEASE_SECONDS)
        if claim is None:
            previous = self.records.delivery_result(mail.delivery_id)
            if previous is not None:
                return IngestResult.model_validate({**previous, "status": "duplicate"})
            raise DeliveryInProgress(f"delivery {mail.delivery_id} is being processed by another attempt")
        attempt = self.records.delivery_attempts(mail.delivery_id) if claim == "retry" else 1
        held = self._hold_last_attempt(mail, attempt) if attempt >= DELIVERY_ATTEMPTS else None
        try:
            result = self._process(mail, retry=claim == "retry")
        except Exception as exc:
            if held is None:
                self.records.release_delivery(mail.delivery_id)  # the retry may go ahead at once, as a retry
                raise
            logger.exception("mail failed on its last attempt", extra={"delivery_id": mail.delivery_id})
            result = self._quarantine(mail, held.tenant_id, "failed", None, {
                "error": f"{type(exc).__name__}: {exc}"[:MAX_ERROR_CHARS], "attempts": attempt})
        else:
            if held is not None and result.status in ("created", "appended", "duplicate"):
                self.records.quarantine(held.model_copy(update={"resolution": result.model_dump(mode="json")}))
        self.records.complete_delivery(mail.delivery_id, result.model_dump(mode="json"))
        logger.info("mail ingested", extra={"delivery_id": mail.delivery_id, "status": result.status,
                                            "tenant_id": result.tenant_id, "ticket": result.ticket_number,
                                            "reason": result.reason})
        return result

    def replay(self, tenant_id: str, delivery_id: str, admitted_by: str | None = None) -> IngestResult:
        """Deliver a quarantined mail again, as the receiving service did (same delivery id, so anything an
        earlier attempt wrote is found, not repeated); a replay that makes it a ticket message is noted on
        the record. `admitted_by`: the admin who let it in (`InboundMail.admitted_by`)."""
        record = self.records.quarantined_record(tenant_id, delivery_id)
        if record is None:
            raise NotFound(f"no quarantined mail {delivery_id} for tenant {tenant_id}")
        if not self.records.reset_delivery(delivery_id):
            raise Conflict(f"delivery {delivery_id} is being processed right now")
        verdicts = record.details.get("verdicts")
        result = self.ingest(InboundMail(
            delivery_id=record.delivery_id, raw_key=record.raw_key,
            recipients=record.recipients or list(record.details.get("recipients") or []),
            received_at=record.received_at, envelope_from=record.envelope_from,
            verdicts={str(k): str(v) for k, v in verdicts.items()} if isinstance(verdicts, dict) else {},
            admitted_by=admitted_by))
        if result.status in ("created", "appended", "duplicate"):
            admitted = {"admitted_by": admitted_by} if admitted_by else {}
            self.records.quarantine(record.model_copy(update={"resolution": {**result.model_dump(mode="json"),
                                                                             "replayed": True, **admitted}}))
        return result

    # -- steps -----------------------------------------------------------------------------

    def _process(self, mail: InboundMail, retry: bool) -> IngestResult:
        tenant_id, to_address = self._route(mail.recipients)
        try:
            size = self.store.size(mail.raw_key)
        except KeyError:
            return self._quarantine(mail, tenant_id or UNROUTED_TENANT, "raw_missing", None)
        if size > self.config.max_raw_bytes:
            return self._quarantine(mail, tenant_id or UNROUTED_TENANT, "too_large", None,
                                    {"size": size, "limit": self.config.max_raw_bytes})
        parsed = self._parse(self.store.get_raw(mail.raw_key))
        if size == 0 or "empty message" in parsed.defects:
            return self._quarantine(mail, tenant_id or UNROUTED_TENANT, "empty", parsed)
        if tenant_id is None:
            return self._quarantine(mail, UNROUTED_TENANT, "unknown_recipient", parsed,
                                    {"recipients": mail.recipients})
        if mail.verdicts.get("virus") == "FAIL":
            return self._quarantine(mail, tenant_id, "virus", parsed)
        settings = self.records.settings(tenant_id)
        admitted = mail.admitted_by is not None
        spam = mail.verdicts.get("spam") == "FAIL" and not admitted
        if spam and settings.spam_action == "quarantine":
            return self._quarantine(mail, tenant_id, "spam", parsed)
        relayed = relayed_for(parsed, lambda email: self._ours(tenant_id, settings, to_address, email))
        team_list = self._team_list(tenant_id, settings, to_address, parsed)
        automatic = automatic_reason(parsed, relayed=relayed is not None, team_list=team_list)
        wanted = settings.system_mail == "ticket" and system_generated(parsed, team_list)  # alerts the team works on
        if automatic is not None and not admitted and not wanted:
            return self._quarantine(mail, tenant_id, "automatic", parsed, {"why": automatic}, kind="ignored")
        if parsed.from_ is None and mail.envelope_from and "@" in mail.envelope_from:
            parsed.from_ = Address(email=mail.envelope_from.strip().lower())
            parsed.defects.append("From header unreadable: sender taken from the envelope")
        if parsed.from_ is None:
            return self._quarantine(mail, tenant_id, "no_sender", parsed, {"defects": parsed.defects[:20]})
        if not admitted and any(is_blocked(a.email, settings.blocked_senders)
                                for a in (parsed.from_, *([relayed] if relayed else []))):
            return self._quarantine(mail, tenant_id, "blocked_sender", parsed, kind="ignored")
        # no receipt for an automatic mail let in (an admin, the system mail setting): a machine must not be answered
        # by one (RFC 3834)
        if automatic is not None:
            settings = settings.model_copy(update={"acknowledge_new": False})
        return self._deliver(mail, parsed, tenant_id, to_address, settings, spam, retry, relayed)

    def _deliver(self, mail: InboundMail, parsed: ParsedMessage, tenant_id: str, to_address: str | None,
                 settings: MailSettings, spam: bool, retry: bool, relayed: Address | None) -> IngestResult:
        """A person's mail for a tenant: a message on the ticket it answers, or a new ticket (`relayed`'s, the
        person it was sent for, when the tenant lets Reply-To name the requester and the sender is not forged)."""
        caller = system_principal(tenant_id, "email")
        if parsed.message_id:
            known = self.records.ticket_for_message_id(tenant_id, parsed.message_id)
            if known is not None and not retry:  # the same mail again (e.g. sent to two of our addresses)
                return IngestResult(status="duplicate", delivery_id=mail.delivery_id, tenant_id=tenant_id,
                                    ticket_id=known, reason="message-id already on a ticket")
        referenced = ReferencedRecords(self.records, tenant_id, referenced_ids(parsed))
        answered = self._notification_answered(caller, parsed, referenced)
        # never in an agent's name unvouched, unless an admin let the held mail in (they vouch for it)
        if answered is not None and not sender_authenticated(mail.verdicts) and mail.admitted_by is None:
            return self._quarantine(mail, tenant_id, "agent_reply_unauthenticated", parsed,
                                    {"ticket": answered[0].key, "agent": answered[1].user_id})
        side = self._side_answered(caller, parsed, referenced) if answered is None else None
        # the tickets the mail answers, read once for the thread and for a teammate's reply-all
        candidates = self._answered_tickets(caller, parsed, referenced) if answered is None and side is None else []
        ticket = (answered[0] if answered is not None else side if side is not None
                  else self._thread(caller, parsed, candidates))
        unverified = sender_unverified(mail.verdicts)
        if ticket is not None and unverified:  # a forged sender must not write into someone's conversation
            if settings.unauthenticated_reply == "quarantine" and mail.admitted_by is None:
                return self._quarantine(mail, tenant_id, "unauthenticated_reply", parsed, {"ticket": ticket.key})
            ticket, side = None, None
        holder = self.records.claim_message(tenant_id, mail_key(parsed), mail.delivery_id)
        if holder != mail.delivery_id:  # the same mail, delivered under another id, got here first
            return IngestResult(status="duplicate", delivery_id=mail.delivery_id, tenant_id=tenant_id,
                                ticket_id=self.records.ticket_for_message_id(tenant_id, parsed.message_id)
                                if parsed.message_id else None,
                                reason=f"the same mail arrived as delivery {holder}")
        if answered is not None:
            return self._append_agent_reply(mail, parsed, *answered, to_address, retry)
        if side is not None:
            return self._append_side_reply(mail, parsed, side, to_address, retry)
        group = settings.address_groups.get(to_address or "")  # the team this address is for ("billing@")
        agent = self._vouched_agent(caller, parsed, mail.verdicts)
        on_thread = self._open_one(caller, candidates) if agent is not None else None
        if agent is not None and on_thread is not None:  # a teammate's reply-all from their own mail, copied to us
            return self._append_agent_mail(mail, parsed, on_thread, agent, to_address, retry)
        if ticket is not None:
            return self._append(caller, mail, parsed, ticket, to_address, retry, group)
        forward = self._forwarded_by_agent(parsed) if agent is not None else None
        if agent is not None and forward is not None:
            return self._create_forwarded(caller, mail, parsed, agent, forward, to_address,
                                          settings.acknowledge_new, group)
        customer = self._written_to(caller, parsed, to_address, settings) if agent is not None else None
        if agent is not None and customer is not None:
            return self._create_for_recipient(caller, mail, parsed, agent, customer, to_address, group)
        # A contact form's mail answers nothing of ours: a reply to our mail is its sender's, whatever its Reply-To;
        # unless the sender is our own address (the team's group rewrote the person's to its own).
        assert parsed.from_ is not None
        if (relayed is not None and settings.reply_to_requester and not unverified
                and (self._ours(tenant_id, settings, to_address, parsed.from_.email)
                     or (ticket_tag_in(parsed.subject) is None and not referenced.known()))):
            sent_by, parsed = parsed.from_, parsed.model_copy(update={"from_": relayed})
            return self._create(caller, mail, parsed, to_address, spam, settings.acknowledge_new, group=group,
                                sent_by=sent_by)
        return self._create(caller, mail, parsed, to_address, spam, settings.acknowledge_new and not unverified,
                            unverified=unverified, group=group)

    def _route(self, recipients: list[str]) -> tuple[str | None, str | None]:
        """The tenant owning the first recipient we know (its address, else its domain), else the configured
        default tenant."""
        addressed = self._addressed(recipients)
        if addressed:
            return addressed[0][0], addressed[0][1][0]
        if self.config.default_tenant:
            return self.config.default_tenant, recipients[0].strip().lower() if recipients else None
        return None, None

    def _addressed(self, recipients: list[str]) -> list[tuple[str, list[str]]]:
        """Each tenant owning a recipient (its address, else its domain) with its recipients, in the mail's order."""
        addressed: dict[str, list[str]] = {}
        for address in dict.fromkeys(r.strip().lower() for r in recipients):
            tenant = self.records.tenant_for_address(address) or self.records.domain_owner(address.rsplit("@", 1)[-1])
            if tenant:
                addressed.setdefault(tenant, []).append(address)
        return list(addressed.items())

    def _thread(self, caller: Principal, parsed: ParsedMessage, candidates: list[Ticket]) -> Ticket | None:
        """The ticket this mail answers, if the sender may write to it (the end of its merge chain): an open one
        first; a closed one makes `_append` open a follow-up that links to it."""
        assert parsed.from_ is not None
        # A merged ticket's thread goes on where it was merged into (its requester is a participant there).
        allowed = [self.tickets.follow_merges(caller, t) for t in candidates
                   if may_reply(t, parsed.from_.email) or self._sent_it(caller, t, parsed.from_.email)]
        return next((t for t in allowed if t.status != Status.CLOSED), allowed[0] if allowed else None)

    def _answered_tickets(self, caller: Principal, parsed: ParsedMessage,
                          referenced: "ReferencedRecords") -> list[Ticket]:
        """The tickets this mail answers, whoever sent it: by its subject's coded tag, then its referenced mails."""
        candidates: list[Ticket] = []
        tag = ticket_tag_in(parsed.subject)
        if tag is not None and tag.code is not None:  # a bare number is a guess: only a coded tag counts
            with contextlib.suppress(NotFound):
                tagged = self.tickets.get_by_number(caller, tag.number)
                if tag_matches(tag, tagged, self.records.tag_key(caller.tenant_id)):
                    candidates.append(tagged)
        for known in referenced:
            if known.ticket_id is not None:
                try:
                    candidates.append(self.tickets.get(caller, known.ticket_id))
                except NotFound:
                    continue
        return candidates

    def _sent_it(self, caller: Principal, ticket: Ticket, sender: str) -> bool:
        """Whether `sender` sent the mail that opened the ticket for the person in its Reply-To (`sent_by`): Jana
        writing from her own address with her team's in Reply-To opens the team's ticket, and her answers to it,
        from her address again, belong there, though she is not copied on its replies. Never one of our own
        addresses: a group of ours sends everyone's mail it rewrote (`mail/relayed.py`)."""
        if self._ours(caller.tenant_id, self.records.settings(caller.tenant_id), None, sender):
            return False
        events = self.tickets.events(caller, ticket.id)
        return bool(events) and str(events[0].data.get("sent_by") or "").lower() == sender.lower()

    def _notification_answered(self, caller: Principal, parsed: ParsedMessage,
                               referenced: "ReferencedRecords") -> tuple[Ticket, Principal, bool] | None:
        """The ticket, the agent and whether their reply is an internal note (answering a mention), when this mail
        is from an agent and answers a notification that was sent to them (the ticket at the end of its merge
        chain)."""
        assert parsed.from_ is not None
        if self._agent is None:
            return None
        for known in referenced:
            notified = known.agent
            if notified is None:
                continue
            agent = self._agent(caller.tenant_id, notified.agent_id)
            if agent is None or (agent.email or "").lower() != parsed.from_.email.lower():
                return None  # left the team, or someone else answering a mail forwarded to them
            try:
                ticket = self.tickets.follow_merges(caller, self.tickets.get(caller, notified.ticket_id))
            except NotFound:  # erased since
                return None
            return ticket, agent, notified.internal
        return None

    def _side_answered(self, caller: Principal, parsed: ParsedMessage,
                       referenced: "ReferencedRecords") -> Ticket | None:
        """The ticket of the side conversation this mail answers (`helpdesk.mail.side`), when it comes from one of
        the ticket's side contacts (the ticket at the end of its merge chain, which took them in)."""
        assert parsed.from_ is not None
        sender = parsed.from_.email.lower()
        for known in referenced:
            side = known.side
            if side is None:
                continue
            try:
                ticket = self.tickets.get(caller, side.ticket_id)
            except NotFound:  # erased since
                return None
            if sender not in {*ticket.side_contacts, *side.addresses}:
                return None  # someone the mail was forwarded to, or an erased contact: a mail like any other
            return self.tickets.follow_merges(caller, ticket)
        return None

    def _append_side_reply(self, mail: InboundMail, parsed: ParsedMessage, ticket: Ticket,
                           to_address: str | None, retry: bool) -> IngestResult:
        """An answer in a side conversation: an internal note on the ticket in the sender's name (the customer never
        sees it; a ticket on hold, waiting for it, opens again), its Message-ID remembered with the conversation, so
        the next mail of the chain threads in too.
        A closed ticket takes no note: the mail is held with the reason (the team reopens or follows up)."""
        assert parsed.from_ is not None
        caller = system_principal(ticket.tenant_id, "email")
        if retry and self._appended_before(caller, mail, ticket):
            self._remember_side(caller.tenant_id, parsed, ticket.id)
            return self._done("appended", mail, ticket)
        body, meta = self._message(caller.tenant_id, ticket.id, mail, parsed, to_address)
        meta |= {SIDE_REPLY: True, "author_name": parsed.from_.name or parsed.from_.email}
        try:
            ticket, _ = self.tickets.add_message(caller, ticket.id, body, public=False, meta=meta, as_customer=False,
                                                 ends_hold=True)
        except InvalidTransition as refused:
            return self._quarantine(mail, caller.tenant_id, "side_reply_refused", parsed,
                                    {"ticket": ticket.key, "why": str(refused)[:200]})
        self._remember_side(caller.tenant_id, parsed, ticket.id)
        return self._done("appended", mail, ticket)

    def _appended_before(self, caller: Principal, mail: InboundMail, ticket: Ticket) -> bool:
        """Whether an earlier attempt of this delivery wrote its message on the ticket already (a retry after a
        crash finds it instead of writing it twice)."""
        return any(e.data.get("delivery_id") == mail.delivery_id for e in self.tickets.events(caller, ticket.id))

    def _remember_side(self, tenant_id: str, parsed: ParsedMessage, ticket_id: str) -> None:
        self._remember(tenant_id, parsed, ticket_id)
        if parsed.message_id:
            self.records.remember_side_mail(tenant_id, parsed.message_id, ticket_id)

    def _parse(self, raw: bytes) -> ParsedMessage:
        return parse_message(raw, max_attachment_bytes=self.config.max_attachment_bytes)

    def _forwarded_by_agent(self, parsed: ParsedMessage) -> ForwardedMail | None:
        """The customer's message, when this new mail from a teammate (`_vouched_agent`) forwards a customer's mail
        to us (`helpdesk.mail.forwarded`): the ticket and its receipt go to the customer in the agent's name."""
        assert parsed.from_ is not None
        if not (looks_forwarded(parsed.subject, parsed.text) or has_attached_mail(parsed)):
            return None
        forward = forwarded_mail(parsed.subject, parsed.text) or attached_forward(parsed, self._parse)
        if forward is None or forward.sender.email.lower() == parsed.from_.email.lower():
            return None
        return forward

    def _vouched_agent(self, caller: Principal, parsed: ParsedMessage, verdicts: dict[str, str]) -> Principal | None:
        """The active agent or admin whose directory address sent this mail, when the receiving service vouches for
        the sender (DMARC PASS, or SPF or DKIM PASS without a DMARC FAIL): a mail that puts words or a ticket in a
        teammate's name needs more than the absence of failures (forwards, a teammate's own mail to a customer)."""
        assert parsed.from_ is not None
        if self._agent_at is None or not sender_authenticated(verdicts):
            return None
        return self._agent_at(caller.tenant_id, parsed.from_.email)

    def _open_one(self, caller: Principal, candidates: list[Ticket]) -> Ticket | None:
        """Of the tickets a teammate's reply-all answers, the first that is not closed (the end of its merge chain):
        their mail goes on it whoever its participants are."""
        return next((t for t in (self.tickets.follow_merges(caller, c) for c in candidates)
                     if t.status != Status.CLOSED), None)

    def _append_agent_mail(self, mail: InboundMail, parsed: ParsedMessage, ticket: Ticket, agent: Principal,
                           to_address: str | None, retry: bool) -> IngestResult:
        """The agent's mail as their public message on the ticket, kept as mail (`channel`): the customer has it
        already, so email_send sends nothing. Refused (no longer theirs to see, closed meanwhile): held, as an
        agent's refused mail reply is."""
        caller = system_principal(ticket.tenant_id, "email")
        if retry and self._appended_before(caller, mail, ticket):
            self._remember(caller.tenant_id, parsed, ticket.id)
            return self._done("appended", mail, ticket)
        body, meta = self._message(caller.tenant_id, ticket.id, mail, parsed, to_address)
        meta |= {"written_by_agent": agent.user_id, "author_name": agent.name or agent.email or agent.user_id}
        try:
            ticket, _ = self.tickets.add_message(
                agent, ticket.id, body, public=True, meta=meta,
                add_participants=self._copied(caller.tenant_id, parsed, to_address))
        except (InvalidTransition, Forbidden, NotFound) as refused:
            return self._quarantine(mail, caller.tenant_id, "agent_reply_refused", parsed,
                                    {"ticket": ticket.key, "agent": agent.user_id, "why": str(refused)[:200]})
        self._remember(caller.tenant_id, parsed, ticket.id)
        return self._done("appended", mail, ticket)

    def _written_to(self, caller: Principal, parsed: ParsedMessage, to_address: str | None,
                    settings: MailSettings) -> Address | None:
        """The customer, when this new mail from a teammate (`_vouched_agent`) is written to a customer from their
        own mail with a support address copied (or blind-copied) to keep the conversation (Zammad's and Zendesk's
        "an agent CCs the helpdesk"): the first address in To, else Cc, that is neither ours nor a teammate's."""
        assert parsed.from_ is not None
        teammate = self._agent_at
        assert teammate is not None  # `_vouched_agent` found the sender with it
        for address in [*parsed.to, *parsed.cc][:MAX_COPIED]:
            email = address.email.strip().lower()
            if (email and email != parsed.from_.email.lower()
                    and not self._ours(caller.tenant_id, settings, to_address, email)
                    and teammate(caller.tenant_id, email) is None):
                return address
        return None

    def _create_for_recipient(self, caller: Principal, mail: InboundMail, parsed: ParsedMessage, agent: Principal,
                              customer: Address, to_address: str | None, group: str | None) -> IngestResult:
        """The customer's ticket, opened by the agent with their mail as its first message (already delivered to the
        customer: no receipt, nothing mailed again), then pending: the team waits for the customer, whose answer
        to the mail threads in (its Message-ID is the ticket's). Other people copied, not teammates, are
        participants."""
        ticket_id = hashlib.sha256(f"{caller.tenant_id}#{mail.delivery_id}".encode()).hexdigest()[:32]
        body, meta = self._message(caller.tenant_id, ticket_id, mail, parsed, to_address)
        meta |= {"written_by_agent": agent.user_id, "author_name": agent.name or agent.email or agent.user_id}
        email = customer.email.strip().lower()
        copied = [a for a in self._copied(caller.tenant_id, parsed, to_address) if a != email]
        subject = clean_subject(parsed.subject)[:MAX_SUBJECT_CHARS]
        cmd = CreateTicket(subject="(no subject)" if is_blank(subject) else subject, description=body,
                           channel=Channel.EMAIL, requester=Requester(id=f"email:{email}", email=email,
                                                                      name=customer.name),
                           tags=["email"], id=ticket_id, event_data=meta, group=group, participants=copied,
                           description_by_team=True)
        try:
            ticket = self.tickets.create(agent, cmd)
        except ConcurrentUpdate:  # an earlier attempt of this delivery created it before it crashed
            ticket = self.tickets.get(caller, ticket_id)
        except (Forbidden, InvalidAssignment):  # the address's group is not one the agent may open tickets in
            ticket = self.tickets.create(agent, cmd.model_copy(update={"group": None}))
        self._remember(caller.tenant_id, parsed, ticket.id)
        if ticket.status == Status.NEW:
            # the agent's own choice stands: not theirs to see any more (its group), or changed meanwhile
            with contextlib.suppress(ConcurrentUpdate, InvalidTransition, Forbidden, NotFound):
                ticket = self.tickets.update(agent, ticket.id, UpdateTicket(status=Status.PENDING))
        return self._done("created", mail, ticket)

    def _create_forwarded(self, caller: Principal, mail: InboundMail, parsed: ParsedMessage, agent: Principal,
                          forward: ForwardedMail, to_address: str | None, acknowledge: bool,
                          group: str | None) -> IngestResult:
        """The forwarded message as the customer's ticket (their address, their subject and words; the receipt goes
        to them, so they can answer into it), and what the agent wrote above it as the agent's internal note. The
        raw mail is the agent's forward (kept, as every mail); the event names who forwarded it."""
        original = parsed.model_copy(update={
            "from_": forward.sender, "subject": forward.subject or parsed.subject, "text": forward.body,
            "reply_text": forward.body, "to": [], "cc": []})
        result = self._create(caller, mail, original, to_address, False, acknowledge, group=group,
                              forwarded_by=agent.user_id)
        if forward.note and result.ticket_id is not None:
            ticket_id = result.ticket_id
            if not any(e.type == EventType.INTERNAL_NOTE and e.data.get("delivery_id") == mail.delivery_id
                       for e in self.tickets.events(caller, ticket_id)):  # a retry wrote it already
                # in the agent's name, written as mail ingest (an agent limited to other groups may not see it)
                self.tickets.add_message(caller, ticket_id, forward.note, public=False, as_customer=False,
                                         meta={"delivery_id": mail.delivery_id, "via": "forward",
                                               "forwarded_by": agent.user_id,
                                               "author_name": agent.name or agent.email or agent.user_id})
        return result

    def _append_agent_reply(self, mail: InboundMail, parsed: ParsedMessage, ticket: Ticket, agent: Principal,
                            internal: bool, to_address: str | None, retry: bool) -> IngestResult:
        """The agent's words, without the quoted notification, as their public reply: mailed to the customer by
        email_send as a reply from the console is (so no `channel`: that marks mail that came from the
        customer); answering a mention (`internal`), as an internal note the customer never sees. The mail's HTML
        is not kept for display: the reply is the agent's text. Commands at its top (`mail.commands`) change the
        ticket as the console's reply box would."""
        caller = system_principal(ticket.tenant_id, "email")
        if retry and self._appended_before(caller, mail, ticket):  # the changes may not have followed: again
            apply_commands(self.tickets, self._agent_at, agent, ticket.id, read_commands(_visible_text(parsed))[0],
                           None, [])
            self._remember(caller.tenant_id, parsed, ticket.id)
            return self._done("appended", mail, ticket)
        body, meta = self._message(caller.tenant_id, ticket.id, mail, parsed, to_address, keep_html=False)
        commands, body = read_commands(body)
        # what the customer may see on the event: not the agent's own address, the notification's subject, ...
        meta = {key: value for key, value in meta.items() if key in AGENT_REPLY_KEYS} | {"via": "mail_reply"}
        refusals = [f"{line}: not a value it takes" for line in commands.refused]
        try:
            if body:
                ticket = self._answer(agent, ticket, body, not (internal or commands.internal), meta, commands,
                                      refusals)
        except (InvalidTransition, Forbidden, NotFound) as refused:  # closed, or no longer theirs to see
            return self._quarantine(mail, caller.tenant_id, "agent_reply_refused", parsed,
                                    {"ticket": ticket.key, "agent": agent.user_id, "why": str(refused)[:200]})
        # no words, only commands: the status goes with the other changes
        apply_commands(self.tickets, self._agent_at, agent, ticket.id, commands, None if body else commands.status,
                       refusals)
        self._remember(caller.tenant_id, parsed, ticket.id)
        return self._done("appended", mail, ticket)

    def _answer(self, agent: Principal, ticket: Ticket, body: str, public: bool, meta: dict[str, Any],
                commands: MailCommands, refusals: list[str]) -> Ticket:
        """The answer on the ticket, with its `#status` in the same write (as "send and set pending" is); a status
        the ticket cannot take (a field solving requires) is refused and the answer written without it."""
        def write(status: Status | None) -> Ticket:
            # answering a mention: teammates the answer @mentions in turn follow the ticket, as from the console
            return self.tickets.add_message(agent, ticket.id, body, public=public, meta=meta, follow_mentions=True,
                                            status=status)[0]
        if commands.status is None:
            return write(None)
        try:
            return write(commands.status)
        except (InvalidTransition, MissingRequiredFields) as refused:
            refusals.append(f"#status {commands.status.value}: {refused}")
            return write(None)

    def _append(self, caller: Principal, mail: InboundMail, parsed: ParsedMessage, ticket: Ticket,
                to_address: str | None, retry: bool, group: str | None = None) -> IngestResult:
        """`group`: where a follow-up of a closed ticket opens (the address's group)."""
        if retry and self._appended_before(caller, mail, ticket):
            self._remember(caller.tenant_id, parsed, ticket.id)
            return self._done("appended", mail, ticket)
        if ticket.status == Status.CLOSED:
            return self._create(caller, mail, parsed, to_address, False, False, follow_up_of=ticket, group=group)
        body, meta = self._message(caller.tenant_id, ticket.id, mail, parsed, to_address)
        try:
            ticket, _ = self.tickets.add_message(caller, ticket.id, body, public=True, meta=meta, as_customer=True,
                                                 add_participants=self._copied(caller.tenant_id, parsed, to_address))
        except InvalidTransition:  # closed between the lookup and the write: start a follow-up
            return self._create(caller, mail, parsed, to_address, False, False, follow_up_of=ticket)
        self._remember(caller.tenant_id, parsed, ticket.id)
        return self._done("appended", mail, ticket)

    def _create(self, caller: Principal, mail: InboundMail, parsed: ParsedMessage, to_address: str | None,
                spam: bool, acknowledge: bool, follow_up_of: Ticket | None = None,
                unverified: bool = False, group: str | None = None, forwarded_by: str | None = None,
                sent_by: Address | None = None) -> IngestResult:
        """`forwarded_by`: the agent whose forward this is (`parsed` is then the customer's message read out of it);
        `sent_by`: the sender of a mail sent for someone else (`parsed` then names that person as its sender)."""
        assert parsed.from_ is not None
        ticket_id = hashlib.sha256(f"{caller.tenant_id}#{mail.delivery_id}".encode()).hexdigest()[:32]
        body, meta = self._message(caller.tenant_id, ticket_id, mail, parsed, to_address)
        if unverified:
            meta["sender_unverified"] = True
        if forwarded_by is not None:
            meta["forwarded_by"] = forwarded_by
        if sent_by is not None:  # the contact form's own address, kept beside the visitor's
            meta["sent_by"] = sent_by.email
        requester = Requester(id=f"email:{parsed.from_.email.lower()}", email=parsed.from_.email.lower(),
                              name=parsed.from_.name)
        subject = clean_subject(parsed.subject)[:MAX_SUBJECT_CHARS]
        subject = "(no subject)" if is_blank(subject) else subject  # zero-width characters only too
        # a forged sender does not get to copy people into the conversation either
        copied = [] if unverified else self._copied(caller.tenant_id, parsed, to_address)
        links: list[TicketLink] = []
        if follow_up_of is not None:  # a reply to a closed ticket: its people stay on the follow-up
            copied = [*follow_up_of.participants, *copied]
            links = [TicketLink(type="follow_up", ticket_id=follow_up_of.id)]
        cmd = CreateTicket(subject=subject, description=body, channel=Channel.EMAIL, requester=requester,
                           tags=["email", *(["spam"] if spam else []), *([UNVERIFIED_TAG] if unverified else []),
                                 *([ENCRYPTED_TAG] if parsed.encrypted else [])],
                           id=ticket_id, event_data=meta, group=group,
                           participants=copied, links=links)
        try:
            ticket = self.tickets.create(caller, cmd)
        except ConcurrentUpdate:  # an earlier attempt of this delivery created it before it crashed
            ticket = self.tickets.get(caller, ticket_id)
            self._remember(caller.tenant_id, parsed, ticket.id)
            return self._done("created", mail, ticket)
        self._remember(caller.tenant_id, parsed, ticket.id)
        if acknowledge and to_address:
            try:
                # a forward's Message-ID is the agent's mail, which the customer never saw
                self.outbound.acknowledge(ticket, requester.email or "", to_address,
                                          parsed.message_id if forwarded_by is None else None)
            except Exception:  # the ticket exists; a lost receipt must not make SES redeliver the mail
                logger.exception("acknowledgement not sent", extra={"ticket": ticket.key})
        return self._done("created", mail, ticket)

    # -- helpers ---------------------------------------------------------------------------

    def _message(self, tenant_id: str, ticket_id: str, mail: InboundMail, parsed: ParsedMessage,
                 to_address: str | None, *, keep_html: bool = True) -> tuple[str, dict[str, Any]]:
        """The message body (the visible reply) and what the ticket history records about the mail, its files stored
        beside the ticket, and its HTML (`keep_html`: not for an agent's reply, whose text is what counts)."""
        attachments = self._store_attachments(tenant_id, ticket_id, mail.delivery_id, parsed.attachments)
        body = _visible_text(parsed) or (
            ENCRYPTED_TEXT.format(kind=parsed.encrypted) if parsed.encrypted else "(no text)")
        encoded = body.encode("utf-8")
        truncated = len(encoded) > MAX_TEXT_BYTES
        if truncated:
            body = encoded[:MAX_TEXT_BYTES - 200].decode("utf-8", errors="ignore") + "\n\n[truncated: the full " \
                "message is kept with the original mail]"
        assert parsed.from_ is not None
        meta: dict[str, Any] = {
            "channel": Channel.EMAIL.value,
            "direction": "inbound",
            "delivery_id": mail.delivery_id,
            "message_id": parsed.message_id,
            "from": parsed.from_.email,
            "from_name": parsed.from_.name,
            "to": [a.email for a in parsed.to][:50],
            "cc": [a.email for a in parsed.cc][:50],
            "to_address": to_address,
            "subject": parsed.subject[:MAX_SUBJECT_CHARS],
            "raw_key": mail.raw_key,
            "attachments": attachments,
            "auth": {k: v for k, v in mail.verdicts.items() if k in AUTH_VERDICTS},
        }
        if truncated:
            meta["truncated"] = {"original_bytes": len(encoded), "kept_bytes": MAX_TEXT_BYTES}
        if mail.admitted_by is not None:  # held back first, then let in by this admin (the team sees it)
            meta[ADMITTED_BY] = mail.admitted_by
        if parsed.defects:
            meta["defects"] = parsed.defects[:20]
        if keep_html and not (self._cards is not None and self._cards.holds_masked(
                tenant_id, parsed.subject, parsed.text, html.unescape(parsed.html or ""))):
            self._store_html(tenant_id, ticket_id, mail.delivery_id, parsed, meta)
        return body, meta

    def _copied(self, tenant_id: str, parsed: ParsedMessage, to_address: str | None) -> list[str]:
        """The people the sender copied (To and Cc besides us): they become participants, so their replies
        thread into the ticket and replies go to them too. Our own addresses (any tenant's) never do, nor teammates
        (a customer copying their account manager): their mail on the ticket is the team's (`_agent_on_thread`),
        and they follow a ticket in the console."""
        sender = parsed.from_.email.lower() if parsed.from_ else ""
        settings = self.records.settings(tenant_id)
        copied: list[str] = []
        for address in [*parsed.to, *parsed.cc][:MAX_COPIED]:
            email = address.email.strip().lower()
            if not email or email == sender or email in copied or self._ours(tenant_id, settings, to_address, email):
                continue
            if self._agent_at is not None and self._agent_at(tenant_id, email) is not None:
                continue
            copied.append(email)
        return copied

    def _team_list(self, tenant_id: str, settings: MailSettings, to_address: str | None,
                   parsed: ParsedMessage) -> bool:
        """Whether the mail came through a list of the tenant's own: posted to one of our addresses, or to an
        address on a domain the tenant owns (a Google Group as its support address)."""
        posted = list_address(parsed)
        return posted is not None and (self._ours(tenant_id, settings, to_address, posted)
                                       or self.records.domain_owner(posted.rsplit("@", 1)[-1]) == tenant_id)

    def _ours(self, tenant_id: str, settings: MailSettings, to_address: str | None, email: str) -> bool:
        """Whether `email` is one of our own addresses: the one this mail came to, the deployment's or the tenant's
        support address, or any tenant's inbound address."""
        email = email.strip().lower()
        ours = {to_address or "", self.config.support_address.lower(), (settings.support_address or "").lower()}
        return email in ours or self.records.tenant_for_address(email) is not None

    def _store_html(self, tenant_id: str, ticket_id: str, delivery_id: str, parsed: ParsedMessage,
                    meta: dict[str, Any]) -> None:
        """The sanitised HTML beside the attachments (it can be large; the event names its key), so agents
        can see the mail as it was written, inline images included."""
        if not parsed.html:
            return
        key = f"tickets/{tenant_id}/{ticket_id}/{delivery_id}/body.html"
        self.store.put_attachment(key, parsed.html.encode("utf-8"), "text/html")
        meta["html_key"] = key

    def _store_attachments(self, tenant_id: str, ticket_id: str, delivery_id: str,
                           attachments: list[Attachment]) -> list[dict[str, Any]]:
        listed: list[dict[str, Any]] = []
        for index, attachment in enumerate(attachments[:100]):
            entry = attachment.model_dump(mode="json", exclude={"content"})
            if attachment.content is not None:
                entry["sha256"] = hashlib.sha256(attachment.content).hexdigest()
                name = key_name(attachment.filename)
                key = f"tickets/{tenant_id}/{ticket_id}/{delivery_id}/{index:03d}-{name}"
                self.store.put_attachment(key, attachment.content, attachment.content_type)
                entry["key"] = key
            listed.append(entry)
        if len(attachments) > 100:
            listed.append({"dropped": f"{len(attachments) - 100} more attachments; the raw message keeps them"})
        return listed

    def _remember(self, tenant_id: str, parsed: ParsedMessage, ticket_id: str) -> None:
        if parsed.message_id:
            self.records.remember_message_id(tenant_id, parsed.message_id, ticket_id)

    def _done(self, status: Literal["created", "appended"], mail: InboundMail, ticket: Ticket) -> IngestResult:
        return IngestResult(status=status, delivery_id=mail.delivery_id, tenant_id=ticket.tenant_id,
                            ticket_id=ticket.id, ticket_number=ticket.key)

    def _quarantine(self, mail: InboundMail, tenant_id: str, reason: str, parsed: ParsedMessage | None,
                    details: dict[str, Any] | None = None,
                    kind: Literal["quarantined", "ignored"] = "quarantined") -> IngestResult:
        self.records.quarantine(self._record(mail, tenant_id, reason, parsed, details, kind))
        status: Literal["quarantined", "ignored"] = kind
        return IngestResult(status=status, delivery_id=mail.delivery_id, tenant_id=tenant_id, reason=reason)

    def _record(self, mail: InboundMail, tenant_id: str, reason: str, parsed: ParsedMessage | None,
                details: dict[str, Any] | None = None,
                kind: Literal["quarantined", "ignored"] = "quarantined") -> QuarantineRecord:
        return QuarantineRecord(
            delivery_id=mail.delivery_id, tenant_id=tenant_id, reason=reason, kind=kind, raw_key=mail.raw_key,
            sender=parsed.from_.email if parsed and parsed.from_ else None,
            subject=self._subject_kept(tenant_id, parsed.subject[:MAX_SUBJECT_CHARS]) if parsed else None,
            received_at=mail.received_at, details={**(details or {}), "verdicts": mail.verdicts},
            recipients=mail.recipients[:50], envelope_from=(mail.envelope_from or "")[:320] or None,
        )

    def _subject_kept(self, tenant_id: str, subject: str) -> str:
        return self._cards.masked(tenant_id, subject) if self._cards is not None else subject

    def _hold_last_attempt(self, mail: InboundMail, attempt: int) -> QuarantineRecord:
        """Before the last attempt: the quarantine record it leaves if it dies without a word (timeout, out
        of memory). It becomes the failure's record, or notes how the mail was resolved."""
        record = self._record(mail, self._route(mail.recipients)[0] or UNROUTED_TENANT, "failing", None,
                              {"attempts": attempt, "note": "earlier attempts failed; this was the last one"})
        self.records.quarantine(record)
        return record


def _visible_text(parsed: ParsedMessage) -> str:
    """What a mail says: its reply without the quoted history, else its whole text (a retry reads the same)."""
    return parsed.reply_text.strip() or parsed.text.strip()


def sender_unverified(verdicts: dict[str, str]) -> bool:
    """SPF, DKIM and DMARC all FAIL, or DMARC FAIL where the sender's domain asks receivers to reject."""
    spf, dkim, dmarc = (verdicts.get(name, "").upper() for name in ("spf", "dkim", "dmarc"))
    reject = verdicts.get("dmarc_policy", "").upper() == "REJECT"
    return (spf == dkim == dmarc == "FAIL") or (dmarc == "FAIL" and reject)


def sender_authenticated(verdicts: dict[str, str]) -> bool:
    """The receiving service vouches for the sender: DMARC PASS, or SPF or DKIM PASS where DMARC did not FAIL
    (a domain without a DMARC record)."""
    spf, dkim, dmarc = (verdicts.get(name, "").upper() for name in ("spf", "dkim", "dmarc"))
    return dmarc == "PASS" or (dmarc != "FAIL" and "PASS" in (spf, dkim))


def mail_key(parsed: ParsedMessage) -> str:
    """One received mail's identity: its Message-ID and sender, or without a Message-ID a hash of sender,
    date, subject and text (the sender is part of it so nobody can claim another's Message-ID first)."""
    sender = parsed.from_.email.lower() if parsed.from_ else ""
    if parsed.message_id:
        basis = f"id\n{parsed.message_id}\n{sender}"
    else:
        basis = "\n".join(("content", sender, parsed.date.isoformat() if parsed.date else "", parsed.subject,
                           parsed.text))
    return hashlib.sha256(basis.encode("utf-8", "surrogatepass")).hexdigest()


class ReferencedRecords:
    """The Message-ID records a mail being ingested answers (`referenced_ids`: In-Reply-To, then References), most
    specific first, each read once (`MailRecords.message_records`) however many of ingest's questions ask: a
    notification's, a side conversation's, the thread's."""

    def __init__(self, records: MailRecords, tenant_id: str, message_ids: list[str]) -> None:
        self._records, self._tenant_id, self._ids = records, tenant_id, message_ids
        self._read: dict[str, MessageRecords] = {}

    def __iter__(self) -> Iterator[MessageRecords]:
        for mid in self._ids:
            if mid not in self._read:  # read as far as a question needs, not ahead
                self._read[mid] = self._records.message_records(self._tenant_id, mid)
            yield self._read[mid]

    def known(self) -> bool:
        """Whether the mail answers any mail of ours (a ticket's, a notification, a side conversation's)."""
        return any(r.ticket_id or r.agent or r.side for r in self)
