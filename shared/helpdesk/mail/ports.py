"""Ports of the mail capability: where raw mail lives, how mail goes out, and the mail records."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal, Protocol

from pydantic import BaseModel, Field, field_validator

from helpdesk.kernel.i18n import Language
from helpdesk.mail.receipts import ReceiptText

if TYPE_CHECKING:
    from helpdesk.tickets.model import Ticket


class MailSettings(BaseModel):
    """Per-tenant mail settings (Meta table; defaults when the tenant has none)."""

    support_address: str | None = None  # From of outbound mail; else the address the mail came to
    from_name: str = "Support"
    # answer a new request with its number: a mail ticket, and one a customer opens in the portal or by API
    acknowledge_new: bool = True
    spam_action: Literal["quarantine", "tag"] = "quarantine"
    # A mail whose sender authentication failed (SPF, DKIM and DMARC all FAIL, or DMARC FAIL under a reject
    # policy) never joins an existing ticket: it opens a new ticket tagged `unverified-sender`, or is held.
    unauthenticated_reply: Literal["new_ticket", "quarantine"] = "new_ticket"
    # A new mail sent for someone else (a website's contact form: its own address in From, the visitor's in
    # Reply-To) opens the ticket for the Reply-To address (`mail/relayed.py`); off, for the From address.
    reply_to_requester: bool = True
    # Mail a system generated (`Auto-Submitted: auto-generated`: monitoring alerts, a shop's order notices): ignored
    # (kept in the quarantine, an admin lets it in), or a ticket that is never answered automatically (no receipt).
    # Out-of-office replies, bounces and list mail are ignored either way.
    system_mail: Literal["ignore", "ticket"] = "ignore"
    # Addresses and domains whose mail is kept but ignored (`mail/blocklist.py`), normalised by `blocked_entry`.
    blocked_senders: list[str] = Field(default_factory=list)
    # One of the tenant's inbound addresses -> the group a new ticket mailed to it opens in ("billing@" to
    # Billing), as a team with several support addresses splits its mail. Triage then leaves the group alone.
    address_groups: dict[str, str] = Field(default_factory=dict)
    # The receipt of a new mail ticket in the team's words, per language (`mail/receipts.py`: placeholders
    # {number}, {subject}, {name}); a language without one gets the English text, else the built-in one.
    receipts: dict[Language, ReceiptText] = Field(default_factory=dict)

    @field_validator("receipts")
    @classmethod
    def _without_empty(cls, value: dict[Language, str]) -> dict[Language, str]:
        return {language: text for language, text in value.items() if text}  # an emptied one is gone


class QuarantineRecord(BaseModel):
    """A received mail that did not become a ticket message, and why. Admins list these."""

    delivery_id: str
    tenant_id: str
    reason: str  # virus, spam, auto_reply, no_sender, too_large, unknown_recipient, closed...
    kind: Literal["quarantined", "ignored"] = "quarantined"
    raw_key: str
    sender: str | None = None
    subject: str | None = None
    received_at: datetime
    details: dict[str, Any] = Field(default_factory=dict)
    # What `helpdesk mail replay` needs to deliver it again as SES did.
    recipients: list[str] = Field(default_factory=list)
    envelope_from: str | None = None
    resolution: dict[str, Any] | None = None  # set when a replay made it a ticket message


class AddressVerification(BaseModel):
    """A tenant's pending claim on an inbound address: the code mailed to it (hashed), until it is typed in."""

    tenant_id: str
    address: str
    code_sha256: str
    sent_at: datetime
    expires_at: datetime
    attempts: int = 0  # wrong codes typed so far


class InboundAddress(BaseModel):
    """An address (or, `@domain`, a whole domain) whose mail routes to the tenant, as the tenant lists them."""

    address: str
    verified_by: str  # code (mailed to it), domain (the tenant owns its domain), operator (`helpdesk mail route`)


class CardMasks(Protocol):
    """The tenant's card masking (`helpdesk.privacy.card_masking`), as mail ingest asks it."""

    def holds_masked(self, tenant_id: str, *texts: str) -> bool:
        """The tenant masks card numbers and a text holds one (the mail's HTML copy is not kept)."""
        ...

    def masked(self, tenant_id: str, text: str) -> str: ...


class RawMailStore(Protocol):
    def get_raw(self, key: str) -> bytes:
        """The raw message stored by SES (or the local SMTP server); raises KeyError when missing."""
        ...

    def size(self, key: str) -> int: ...

    def put_raw(self, key: str, data: bytes) -> None: ...

    def copy_raw(self, source: str, key: str) -> None:
        """A copy of the raw message under another key (in the store, not through this process); raises KeyError
        when the source is missing."""
        ...

    def put_attachment(self, key: str, data: bytes, content_type: str) -> None: ...


class TeammateBounces(Protocol):
    """Marks a teammate whose notification bounced or was marked as spam (the team directory in production,
    `helpdesk.directory.service.TeammateBounces`): the Team screen shows it until an admin clears it."""

    def note(self, tenant_id: str, user_id: str, at: datetime, why: str) -> None: ...


class MailRedelivery(Protocol):
    """How an admin's "deliver again" reaches mail ingest (`adapters/redelivery.py`): an asynchronous invoke of the
    email_ingest function in AWS (the mail admin API writes no ticket itself), a direct call in the local process."""

    def deliver_again(self, tenant_id: str, delivery_id: str, admitted_by: str) -> None: ...


class MailSender(Protocol):
    def send_raw(self, source: str, destinations: list[str], raw: bytes,
                 tags: Mapping[str, str] | None = None) -> str:
        """Send a complete MIME message; returns the provider's message id. `tags` travel with the message and
        come back with what the provider later says of it (`helpdesk.mail.feedback`: a bounce, a complaint)."""
        ...


@dataclass(frozen=True)
class NotifiedAgent:
    """A notification mail's ticket and agent (`MailRecords.remember_notification`)."""

    ticket_id: str
    agent_id: str
    internal: bool = False  # a mention in an internal note: the agent's mail reply is a note too


@dataclass(frozen=True)
class SideThread:
    """A side conversation's mail (`MailRecords.remember_side_mail`): the ticket it belongs to. Only answers from the
    ticket's side contacts thread in, as internal notes."""

    ticket_id: str
    # The people it is with, as records written before tickets kept their side contacts (2026-12-04) name them.
    addresses: tuple[str, ...] = ()


@dataclass(frozen=True)
class MessageRecords:
    """What a Message-ID is known as (`MailRecords.message_records`): a mail of a ticket's thread, a notification
    to an agent, a side conversation's mail; any, several or none of them."""

    ticket_id: str | None = None
    agent: NotifiedAgent | None = None
    side: SideThread | None = None


class MailRecords(Protocol):
    """Small keyed mail records: deliveries (idempotency), Message-ID lookups, routing, quarantine."""

    def claim_delivery(self, delivery_id: str, lease_seconds: int) -> Literal["new", "retry"] | None:
        """May this caller process the delivery? "new" the first time, "retry" when an earlier attempt's
        lease ran out (it may have written part of its work), None when it was completed or another attempt
        holds a live lease."""
        ...

    def complete_delivery(self, delivery_id: str, result: dict[str, Any]) -> None: ...

    def release_delivery(self, delivery_id: str) -> None:
        """End this attempt's lease early (it failed): the next attempt may claim it as a retry."""
        ...

    def delivery_result(self, delivery_id: str) -> dict[str, Any] | None: ...

    def tenant_for_address(self, address: str) -> str | None: ...

    def set_inbound_address(self, address: str, tenant_id: str) -> None: ...

    def settings(self, tenant_id: str) -> MailSettings: ...

    def settings_versioned(self, tenant_id: str) -> tuple[MailSettings, int]: ...

    def put_settings(self, tenant_id: str, settings: MailSettings, expected_version: int | None = None) -> int:
        """Save and return the new version; with `expected_version`, only if no one saved since
        (`ConcurrentUpdate` otherwise)."""
        ...

    def ticket_for_message_id(self, tenant_id: str, message_id: str) -> str | None: ...

    def remember_message_id(self, tenant_id: str, message_id: str, ticket_id: str) -> None: ...

    def remember_notification(self, tenant_id: str, message_id: str, ticket_id: str, agent_id: str,
                              internal: bool = False) -> None:
        """A notification mail's Message-ID, with the ticket it told of and the agent it went to: that agent's
        mail reply to it is theirs on the ticket (`MailIngest`), a public reply or, answering a mention in an
        internal note (`internal`), an internal note. Kept apart from the ticket's own thread, so nobody else's
        mail threads in through it."""

    def message_records(self, tenant_id: str, message_id: str) -> MessageRecords:
        """Everything a Message-ID is known as, in one read (a reply names up to a few dozen IDs, each asked
        whether it is the thread's, a notification's or a side conversation's)."""

    def remember_side_mail(self, tenant_id: str, message_id: str, ticket_id: str) -> None:
        """A side conversation's Message-ID (the team's mail to someone outside the ticket, or their answer) with its
        ticket: a side contact's mail answering it becomes an internal note on the ticket (`MailIngest`). Kept apart
        from the ticket's own thread, as notifications are; no address (the ticket keeps those, where erasure
        reaches them)."""

    def quarantine(self, record: QuarantineRecord) -> None: ...

    def quarantined(self, tenant_id: str, limit: int = 50) -> list[QuarantineRecord]:
        """The newest held mail (`quarantine_page`'s first page)."""
        ...

    def quarantine_page(self, tenant_id: str, limit: int = 50, cursor: str | None = None,
                        matching: Callable[[QuarantineRecord], bool] | None = None,
                        ) -> tuple[list[QuarantineRecord], str | None]:
        """Held mail, newest first, from `cursor` (the last page's next one); with the cursor of the page after.
        `matching`: only the records it accepts, from a bounded number read (fewer than `limit`, even none, with a
        cursor: the search goes on from there)."""
        ...

    def quarantined_record(self, tenant_id: str, delivery_id: str) -> QuarantineRecord | None: ...

    def delivery_attempts(self, delivery_id: str) -> int:
        """How many attempts have claimed the delivery so far (this one included)."""
        ...

    def reset_delivery(self, delivery_id: str) -> bool:
        """Make a finished or failed delivery claimable again, as a retry with no attempts counted (replay);
        False while an attempt holds a live lease."""
        ...

    def claim_message(self, tenant_id: str, key: str, delivery_id: str) -> str:
        """Claim one received mail (its identity key) for a delivery, with a conditional write; returns the
        delivery that holds it: this one, or another that claimed it first and finished or is still at it
        (a holder whose attempts failed and stopped is taken over)."""
        ...

    def tag_key(self, tenant_id: str) -> bytes:
        """The tenant's secret for ticket tags in subjects (made on first use, never changed)."""
        ...

    def claim_inbound_address(self, address: str, tenant_id: str, verified_by: str) -> str:
        """Route an unowned address to the tenant; returns its owner (this tenant, or the one that had it)."""
        ...

    def domain_owner(self, domain: str) -> str | None: ...

    def register_domain(self, domain: str, tenant_id: str) -> str:
        """Register a (SES-verified) domain to the tenant unless another has it; returns its owner."""
        ...

    def address_verification(self, tenant_id: str, address: str) -> AddressVerification | None: ...

    def put_address_verification(self, verification: AddressVerification) -> None: ...

    def delete_address_verification(self, tenant_id: str, address: str) -> None: ...

    def inbound_addresses(self, tenant_id: str) -> list[InboundAddress]:
        """The addresses and domains routed to the tenant (kept beside each route, which is keyed by address)."""
        ...

    def pending_verifications(self, tenant_id: str) -> list[AddressVerification]: ...

    def release_inbound_address(self, tenant_id: str, address: str) -> None:
        """Stop routing the address to the tenant (mail to it is then unknown_recipient)."""
        ...


class LiveConversations(Protocol):
    """Whether a customer is following a ticket live somewhere other than mail (a chat session they keep
    fetching): an agent's reply then reaches them there, and is mailed only when it would not."""

    def reading_live(self, ticket: "Ticket") -> bool: ...
