"""What privacy requests produce: an export's download, an erasure's record, a tenant's retention setting.

Nothing here names the person in clear beyond the request itself: an erasure is remembered by a hash of the
tenant and the address (`subject_hash`), so a repeated request finds its earlier run (and its pseudonym)
without the address being stored again.
"""

import hashlib
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

ERASED = "[erased]"  # what replaces the person's text and identifiers
REMOVED = "[removed: retention period ended]"  # what replaces a closed ticket's content after the retention period
MAX_RETENTION_DAYS = 3650
REDACTED = "[redacted]"  # what replaces a text the team took out of a ticket (`privacy.redactions`)
MIN_REDACTED_CHARS = 3  # shorter would take parts of words out of everything
MAX_REDACTED_CHARS = 1000


class PersonRequest(BaseModel):
    """`POST /privacy/export` and `POST /privacy/erase`."""

    model_config = ConfigDict(extra="forbid")

    # The address as mail and chat record it; not checked beyond its shape: an address that no longer exists
    # must still be erasable.
    email: str = Field(min_length=3, max_length=320, pattern=r"^[^@\s]+@[^@\s]+$")


def normalised(email: str) -> str:
    return email.strip().lower()


def subject_hash(tenant_id: str, email: str) -> str:
    return hashlib.sha256(f"{tenant_id}\n{normalised(email)}".encode()).hexdigest()[:32]


class ExportLink(BaseModel):
    id: str
    url: str  # a presigned GET of the JSON archive
    expires_in: int
    tickets: int
    events: int
    chats: int
    attachments: int


class Erasure(BaseModel):
    """One person's erasure in one tenant: kept (without the address) so a repeated request is recognised."""

    id: str
    tenant_id: str
    subject_hash: str
    pseudonym: str  # what the person is called from now on (requester id, event actor)
    requested_by: str
    first_at: datetime
    last_at: datetime
    runs: int = 1
    ticket_ids: list[str] = Field(default_factory=list)
    chat_sessions: int = 0
    events_redacted: int = 0
    objects_deleted: int = 0
    drafts_deleted: int = 0


class ErasureReport(BaseModel):
    id: str
    pseudonym: str
    tickets: int  # erased by this request
    events_redacted: int
    chat_sessions: int
    objects_deleted: int
    drafts_deleted: int = 0  # the knowledge loop's unpublished draft articles made from their tickets
    notes_deleted: bool = False  # the team's notes on the person (their customer page)
    profile_deleted: bool = False  # the person's name, phone and language (their profile)
    already_erased: bool  # an earlier request erased this person; this one found what was left, if anything
    remaining: int = 0  # tickets left for the next request (one request works through at most 100)
    # The person's other addresses the team had linked to this one, erased with it (each its own erasure, whose
    # counts are added to these); an erased linked address is also taken off its customer.
    linked_addresses: int = 0


class PrivacySettings(BaseModel):
    """`retention_days`: closed tickets' content is removed that many days after they were closed (None: kept).
    `mask_card_numbers`: card numbers in what is written from then on show only their last four digits
    (`privacy.card_masking`)."""

    model_config = ConfigDict(extra="forbid")

    retention_days: int | None = Field(default=None, ge=1, le=MAX_RETENTION_DAYS)
    mask_card_numbers: bool = False


class RetentionRun(BaseModel):
    tenants: int = 0
    tickets: int = 0
    events_redacted: int = 0
    objects_deleted: int = 0


class RedactionRequest(BaseModel):
    """`POST /privacy/redactions`: a text to take out of a ticket, as the team sees it there (any case, any white
    space between its words), or one of its files (`file_id`, the id the ticket's events give it)."""

    model_config = ConfigDict(extra="forbid")

    ticket_id: str = Field(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9_-]+$")
    text: str | None = Field(default=None, min_length=1, max_length=MAX_REDACTED_CHARS)
    file_id: str | None = Field(default=None, min_length=1, max_length=200, pattern=r"^[A-Za-z0-9_.-]+$")

    @field_validator("text")
    @classmethod
    def _long_enough(cls, value: str | None) -> str | None:
        if value is not None and len("".join(value.split())) < MIN_REDACTED_CHARS:
            raise ValueError(f"at least {MIN_REDACTED_CHARS} characters besides white space")
        return value

    @model_validator(mode="after")
    def _one_thing(self) -> "RedactionRequest":
        if (self.text is None) == (self.file_id is None):
            raise ValueError("name either a text or a file_id")
        return self


class RedactionReport(BaseModel):
    ticket_id: str
    places: int  # where the text was replaced in what people wrote: messages, notes, subject, fields, a rating
    events_redacted: int  # messages and changes rewritten in the ticket's log
    mails_deleted: int  # messages whose original mail held it: the mail and its HTML copy deleted, every version
    chat_messages: int
    draft_article_deleted: bool  # the knowledge loop's unpublished draft made from the ticket
    files_deleted: int = 0  # a file redacted: its stored object, every version
    # the card numbers written before masking was on (`POST /privacy/card-masking`): masked, not `[redacted]`, and a
    # mail holding one loses only its HTML copy (its original stays)
    card_numbers: bool = False
    html_copies_deleted: int = 0


class CardMaskingRequest(BaseModel):
    """`POST /privacy/card-masking`: the card numbers written before the tenant masked them, masked now, a page of
    tickets per call; `cursor` (the last answer's `next_cursor`) goes on where it stopped."""

    model_config = ConfigDict(extra="forbid")

    cursor: str | None = Field(default=None, min_length=1, max_length=2000)


class CardMaskingRun(BaseModel):
    tickets_read: int
    tickets_masked: int  # tickets that held a card number somewhere
    places: int  # card numbers masked in what people wrote
    events_rewritten: int
    html_copies_deleted: int  # mails holding a card lose their HTML copy (their original stays, as new mail's does)
    chat_messages: int
    next_cursor: str | None  # None: every ticket of the tenant was read
