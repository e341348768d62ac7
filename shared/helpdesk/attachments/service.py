"""Attachment use cases: ask for an upload, attach uploads to a message, list and download.

Who may download a file is decided by the message it belongs to, read from the ticket's history: whoever
may see that message (a customer never gets an internal note's files); an upload no message took yet is
its uploader's (and the team's). The history is the one source of truth, so a crash between writing the
message and updating the upload's record can only ever hide a file, never show one.
"""

import uuid
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from aws_lambda_powertools import Logger
from pydantic import BaseModel, Field

from helpdesk.attachments.model import (
    ALLOWED_TYPES,
    SNIFF_BYTES,
    AttachmentRecord,
    AttachmentView,
    UploadGrant,
    check_declared,
    entry_id,
    key_name,
    looks_executable,
)
from helpdesk.attachments.ports import AttachmentBlobs, AttachmentRecords, MalwareScanner
from helpdesk.kernel.clock import Clock, system_clock
from helpdesk.kernel.errors import (
    Conflict,
    Forbidden,
    InvalidInput,
    InvalidTransition,
    NotFound,
    TooLarge,
    UnsupportedType,
)
from helpdesk.kernel.principal import Principal
from helpdesk.settings import AttachmentsSection
from helpdesk.tickets.history import EventType, TicketEvent
from helpdesk.tickets.model import Status, Ticket
from helpdesk.tickets.service import TicketService

logger = Logger(child=True)

PUBLIC_EVENT_TYPES = frozenset({EventType.CREATED, EventType.PUBLIC_MESSAGE})


class UnknownAttachment(InvalidInput):
    code = "unknown_attachment"


class AttachmentInfected(Conflict):
    code = "attachment_infected"


class Download(AttachmentView):
    url: str
    expires_in: int


class MailHtml(BaseModel):
    """A received mail's sanitised HTML, its `cid:` images pointing at short-lived download URLs."""

    seq: int
    html: str
    inline: list[Download] = Field(default_factory=list)


class AttachmentService:
    def __init__(self, tickets: TicketService, records: AttachmentRecords, blobs: AttachmentBlobs,
                 scanner: MalwareScanner, settings: AttachmentsSection, *, clock: Clock = system_clock) -> None:
        self._tickets, self._records, self._blobs, self._scanner = tickets, records, blobs, scanner
        self._settings = settings
        self._clock = clock

    # -- upload ----------------------------------------------------------------------------

    def request_upload(self, caller: Principal, ticket_id: str, filename: str, content_type: str,
                       size: int) -> UploadGrant:
        ticket = self._tickets.get(caller, ticket_id)
        if ticket.status == Status.CLOSED:
            raise InvalidTransition("a closed ticket takes no more files", {"status": ticket.status.value})
        kind = check_declared(filename, content_type, size, self._settings.max_bytes)
        now = self._clock()
        attachment_id = uuid.uuid4().hex
        name = key_name(filename)
        record = AttachmentRecord(
            id=attachment_id, tenant_id=ticket.tenant_id, ticket_id=ticket.id, filename=filename.strip(),
            content_type=kind, size=size, key=f"tickets/{ticket.tenant_id}/{ticket.id}/uploads/{attachment_id}/{name}",
            uploaded_by=caller.user_id, created_at=now)
        self._records.add(record)
        expiry = self._settings.upload_expiry_s
        upload = self._blobs.presign_upload(record.key, kind, size, expiry)
        return UploadGrant(attachment_id=attachment_id, upload=upload, max_bytes=size,
                           expires_at=(now + timedelta(seconds=expiry)).isoformat())

    def post_message(self, caller: Principal, ticket_id: str, body: str, public: bool,
                     attachment_ids: Sequence[str] = (), *,
                     meta: dict[str, Any] | None = None, status: Status | None = None,
                     follow_mentions: bool = False) -> tuple[Ticket, TicketEvent]:
        """A message with the caller's uploads attached. Every file is checked (uploaded, its size, not an
        executable, hashed, scanned) before the message is written, so a refused file writes nothing. `meta`: what
        the message records besides (an AI draft's model and citations); `status`: the ticket's status after it
        and `follow_mentions` as `TicketService.add_message` takes them."""
        if not attachment_ids:
            return self._tickets.add_message(caller, ticket_id, body, public, meta=meta, status=status,
                                             follow_mentions=follow_mentions)
        if len(attachment_ids) > self._settings.max_files:
            raise TooLarge(f"a message takes at most {self._settings.max_files} files",
                           {"count": len(attachment_ids), "limit": self._settings.max_files})
        if len(set(attachment_ids)) != len(attachment_ids):
            raise InvalidInput("an attachment id is listed twice", {"attachment_ids": list(attachment_ids)})
        if not public and not caller.is_staff:
            raise Forbidden("only agents write internal notes")
        ticket = self._tickets.get(caller, ticket_id)
        records = [self._checked(caller, ticket, attachment_id) for attachment_id in attachment_ids]
        entries = [r.model_dump(mode="json", include={"id", "filename", "content_type", "size", "sha256", "scan",
                                                      "key"}) for r in records]
        ticket, event = self._tickets.add_message(caller, ticket.id, body, public,
                                                  meta={**(meta or {}), "attachments": entries}, status=status,
                                                  follow_mentions=follow_mentions)
        for record in records:
            record.status, record.message_seq, record.public = "attached", event.seq, public
            try:
                self._records.mark_attached(record)
            except Exception:  # the history already says where the file belongs; the record is a convenience
                logger.exception("attachment record not updated", extra={"attachment_id": record.id})
        return ticket, event

    def _checked(self, caller: Principal, ticket: Ticket, attachment_id: str) -> AttachmentRecord:
        record = self._records.get(ticket.tenant_id, ticket.id, attachment_id)
        if record is None or record.uploaded_by != caller.user_id:
            raise UnknownAttachment(f"attachment {attachment_id} is not an upload of yours on this ticket",
                                    {"attachment_id": attachment_id})
        if record.status != "pending":
            raise Conflict(f"attachment {attachment_id} is already on a message", {"attachment_id": attachment_id})
        stored = self._blobs.size(record.key)
        if stored is None:
            raise Conflict(f"attachment {attachment_id} has not been uploaded yet",
                           {"attachment_id": attachment_id, "reason": "not_uploaded"})
        if stored != record.size or stored > self._settings.max_bytes:
            self._blobs.delete(record.key)
            raise TooLarge(f"attachment {attachment_id} is not the size it was declared with: upload it again",
                           {"attachment_id": attachment_id, "declared": record.size, "stored": stored})
        if looks_executable(self._blobs.head_bytes(record.key, SNIFF_BYTES)):
            self._blobs.delete(record.key)
            raise UnsupportedType(f"attachment {attachment_id} is an executable program: not accepted",
                                  {"attachment_id": attachment_id})
        record.sha256 = self._blobs.sha256(record.key)
        record.scan = self._scanner.verdict(record.key)
        if record.scan == "infected":
            raise AttachmentInfected(f"attachment {attachment_id} was found to carry malware",
                                     {"attachment_id": attachment_id})
        return record

    # -- read ------------------------------------------------------------------------------

    def listed(self, caller: Principal, ticket_id: str, *, public_only: bool = False) -> list[AttachmentView]:
        ticket = self._tickets.get(caller, ticket_id)
        return [view for view, _ in self._visible(caller, ticket, public_only)]

    def download(self, caller: Principal, ticket_id: str, attachment_id: str, *,
                 public_only: bool = False) -> Download:
        """A short-lived URL of the file, for whoever may see the message it belongs to. `public_only`:
        files of public messages only, whoever the caller (a chat session reads as the ticket's requester)."""
        ticket = self._tickets.get(caller, ticket_id)
        found = next(((v, k) for v, k in self._visible(caller, ticket, public_only) if v.id == attachment_id), None)
        if found is None and not public_only:
            record = self._records.get(ticket.tenant_id, ticket.id, attachment_id)
            if record is not None and record.status == "pending" and (
                    caller.is_staff or record.uploaded_by == caller.user_id):
                found = (_view(record.model_dump(mode="json"), None, record.public is not False), record.key)
        if found is None:  # another ticket's or tenant's id, an internal note's file for a customer: all alike
            raise NotFound(f"attachment {attachment_id} not found")
        view, key = found
        verdict = self._scanner.verdict(key)
        if verdict == "infected":
            raise AttachmentInfected(f"attachment {attachment_id} was found to carry malware",
                                     {"attachment_id": attachment_id})
        expiry = self._settings.download_expiry_s
        shown_type = view.content_type if view.content_type in ALLOWED_TYPES else "application/octet-stream"
        url = self._blobs.presign_download(key, view.filename, shown_type, expiry)
        return Download(**{**view.model_dump(), "scan": verdict}, url=url, expires_in=expiry)

    def _visible(self, caller: Principal, ticket: Ticket,
                 public_only: bool) -> list[tuple[AttachmentView, str]]:
        out: list[tuple[AttachmentView, str]] = []
        # With the messages of tickets merged into this one (customers: only of those they may see themselves),
        # so the target shows and serves every file of the conversation. Customers never get internal events.
        for event in self._tickets.events(caller, ticket.id, with_merged=True):
            public = event.type in PUBLIC_EVENT_TYPES
            if public_only and not public:
                continue
            merged_from = event.ticket_id if event.ticket_id != ticket.id else None
            for entry in event.data.get("attachments") or []:
                if isinstance(entry, dict) and isinstance(entry.get("key"), str):
                    view = _view(entry, event.seq, public)
                    out.append((view.model_copy(update={"merged_from": merged_from}), entry["key"]))
        return out

    def mail_html(self, caller: Principal, ticket_id: str, seq: int) -> MailHtml:
        """The HTML of a mail on the ticket (agents: customers read the text), `cid:` images rewritten."""
        if not caller.is_staff:
            raise Forbidden("the mail's HTML is for the team")
        ticket = self._tickets.get(caller, ticket_id)
        event = next((e for e in self._tickets.events(caller, ticket.id) if e.seq == seq), None)
        key = event.data.get("html_key") if event is not None else None
        if event is None or not isinstance(key, str):
            raise NotFound(f"no HTML for event {seq} of ticket {ticket_id}")
        html = self._blobs.read(key).decode("utf-8", "replace")
        inline: list[Download] = []
        expiry = self._settings.download_expiry_s
        for entry in event.data.get("attachments") or []:
            cid = entry.get("content_id") if isinstance(entry, dict) else None
            if not cid or not isinstance(entry.get("key"), str) or f"cid:{cid}" not in html:
                continue
            view = _view(entry, event.seq, event.type in PUBLIC_EVENT_TYPES)
            shown = view.content_type if view.content_type in ALLOWED_TYPES else "application/octet-stream"
            url = self._blobs.presign_download(entry["key"], view.filename, shown, expiry)
            html = html.replace(f"cid:{cid}", url.replace('"', "%22"))
            inline.append(Download(**view.model_dump(), url=url, expires_in=expiry))
        return MailHtml(seq=seq, html=html, inline=inline)

    def blob(self, key: str) -> bytes:
        return self._blobs.read(key)


def _view(entry: dict[str, Any], seq: int | None, public: bool) -> AttachmentView:
    from_mail = "id" not in entry
    return AttachmentView(
        id=entry_id(entry),
        filename=str(entry.get("filename") or "attachment"), content_type=str(entry.get("content_type") or ""),
        size=int(entry.get("size") or 0), sha256=entry.get("sha256"), scan=str(entry.get("scan") or "unscanned"),
        inline=bool(entry.get("inline")), content_id=entry.get("content_id"), public=public, message_seq=seq,
        source="import" if entry.get("source") == "import" else "mail" if from_mail else "upload")
