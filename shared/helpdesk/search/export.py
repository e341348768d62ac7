"""Ticket export (`GET /tickets/export`): every ticket a search with these filters finds, as CSV or JSON lines,
produced page by page so the response streams and memory stays flat whatever the size.

An export that fits an API answer (`inline_max_bytes`, below Lambda's 6 MB response limit) is the answer; a
larger one (or any with `delivery=link`) is written to S3 and answered with a short-lived download link.
The rendered export goes through a spooled temporary file, so memory stays flat whatever the size.

Staff only (customers have their own tickets in the portal). A CSV cell that a spreadsheet would run as a
formula (starting with = + - @, tab or carriage return) is prefixed with an apostrophe: ticket text is
customer input, and an export is opened in spreadsheets (CSV injection).
"""

import csv
import io
import json
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Literal

from helpdesk.kernel.clock import Clock, system_clock
from helpdesk.kernel.errors import Forbidden
from helpdesk.kernel.principal import Principal
from helpdesk.search.model import sla_state
from helpdesk.search.ports import ExportFiles
from helpdesk.search.service import MAX_LIMIT, SearchRequest, TicketSearch
from helpdesk.tickets.model import Ticket

ExportFormat = Literal["csv", "jsonl"]
Delivery = Literal["auto", "link"]
MEDIA_TYPES: dict[ExportFormat, str] = {"csv": "text/csv; charset=utf-8", "jsonl": "application/x-ndjson"}
_SPOOL_BYTES = 8 * 1024 * 1024  # beyond this the rendered export goes to a temporary file on disk
# New columns go last: a sheet reading columns by position keeps working.
COLUMNS = ("number", "id", "subject", "status", "priority", "channel", "group", "assignee_id", "requester_email",
           "requester_name", "organization_id", "tags", "sla_state", "created_at", "updated_at", "resolved_at",
           "closed_at", "form", "time_spent_minutes")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def export_tickets(search: TicketSearch, caller: Principal, request: SearchRequest) -> Iterator[Ticket]:
    """The tickets of every page of the search, in its order. The caller and the request are checked (and
    the first page read) before this returns, so a refusal is an error status, not a broken stream."""
    if not caller.is_staff:
        raise Forbidden("only agents and admins export tickets")
    page_request = replace(request, limit=MAX_LIMIT, cursor=None)
    first = search.search(caller, page_request)

    def pages() -> Iterator[Ticket]:
        page, following = first, page_request
        while True:
            for item in page.items:
                yield item.ticket
            if page.next_cursor is None:
                return
            following = replace(following, cursor=page.next_cursor)
            page = search.search(caller, following)

    return pages()


def _safe(value: str) -> str:
    return "'" + value if value.startswith(_FORMULA_START) else value


def csv_row(ticket: Ticket) -> dict[str, str]:
    def at(value: object) -> str:
        return value.isoformat() if hasattr(value, "isoformat") else ""

    return {"number": ticket.key, "id": ticket.id, "subject": ticket.subject, "status": ticket.status.value,
            "priority": ticket.priority.value, "channel": ticket.channel.value, "group": ticket.group or "",
            "assignee_id": ticket.assignee_id or "", "requester_email": ticket.requester.email or "",
            "requester_name": ticket.requester.name or "", "organization_id": ticket.organization_id or "",
            "tags": " ".join(ticket.tags),
            "sla_state": sla_state(ticket) or "", "created_at": at(ticket.created_at),
            "updated_at": at(ticket.updated_at), "resolved_at": at(ticket.resolved_at),
            "closed_at": at(ticket.closed_at), "form": ticket.form or "",
            "time_spent_minutes": str(ticket.time_spent_minutes)}


def render(tickets: Iterator[Ticket], fmt: ExportFormat) -> Iterator[str]:
    """The export as text chunks: the CSV header first, then a chunk per ticket."""
    if fmt == "jsonl":
        for ticket in tickets:
            yield json.dumps(ticket.model_dump(mode="json") | {"number": ticket.key}, ensure_ascii=False) + "\n"
        return
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for ticket in tickets:
        writer.writerow({k: _safe(v) for k, v in csv_row(ticket).items()})
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue()


@dataclass(frozen=True)
class ExportLink:
    url: str
    expires_at: datetime
    size_bytes: int
    filename: str


@dataclass(frozen=True)
class InlineExport:
    body: bytes
    filename: str


class TicketExport:
    """Runs an export and chooses how it reaches the caller: in the answer, or through S3 and a link."""

    def __init__(self, search: TicketSearch, files: ExportFiles | None, *, inline_max_bytes: int,
                 link_expiry_s: int, clock: Clock = system_clock) -> None:
        self._search = search
        self._files = files
        self._inline_max = inline_max_bytes
        self._expiry_s = link_expiry_s
        self._clock = clock

    def run(self, caller: Principal, request: SearchRequest, fmt: ExportFormat,
            delivery: Delivery = "auto") -> InlineExport | ExportLink:
        tickets = export_tickets(self._search, caller, request)
        filename = f"tickets-{self._clock():%Y%m%d-%H%M%S}.{fmt}"
        with tempfile.SpooledTemporaryFile(max_size=_SPOOL_BYTES) as out:
            for chunk in render(tickets, fmt):
                out.write(chunk.encode("utf-8"))
            size = out.tell()
            out.seek(0)
            if self._files is None or (delivery == "auto" and size <= self._inline_max):
                return InlineExport(body=out.read(), filename=filename)
            # The key is random (not guessable from the tenant or time) and scoped by tenant for the IAM
            # policy and for erasure; the bucket's lifecycle rule removes it after a day.
            key = f"exports/{caller.tenant_id}/{uuid.uuid4().hex}/{filename}"
            self._files.store(key, out, MEDIA_TYPES[fmt])  # type: ignore[arg-type]  # a file object
        url = self._files.download_url(key, filename, MEDIA_TYPES[fmt], self._expiry_s)
        return ExportLink(url=url, expires_at=self._clock() + timedelta(seconds=self._expiry_s), size_bytes=size,
                          filename=filename)
