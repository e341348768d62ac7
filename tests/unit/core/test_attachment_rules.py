"""Which files are accepted, and the Outlook Thread-Index of outbound replies."""

import base64
from datetime import UTC, datetime

import pytest

from helpdesk.attachments.model import check_declared, looks_executable, mail_attachment_id
from helpdesk.kernel.errors import InvalidInput, TooLarge, UnsupportedType
from helpdesk.mail.outbound import thread_index
from helpdesk.tickets.model import Requester, Ticket

LIMIT = 25 * 1024 * 1024


def test_allowed_files_pass_with_their_type_normalised() -> None:
    assert check_declared("Invoice May.PDF", "Application/PDF; charset=binary", 10, LIMIT) == "application/pdf"
    assert check_declared("photo.jpeg", "image/jpeg", LIMIT, LIMIT) == "image/jpeg"


@pytest.mark.parametrize(("name", "kind", "size", "error"), [
    ("run.exe", "application/pdf", 1, UnsupportedType),
    ("report.pdf.scr", "application/pdf", 1, UnsupportedType),
    ("macro.docm", "application/vnd.ms-word.document.macroEnabled.12", 1, UnsupportedType),
    ("thing.bin2", "application/x-thing", 1, UnsupportedType),
    ("photo.png", "application/pdf", 1, UnsupportedType),
    ("noextension", "application/pdf", 1, UnsupportedType),
    ("big.pdf", "application/pdf", LIMIT + 1, TooLarge),
    ("zero.pdf", "application/pdf", 0, InvalidInput),
    ("../etc/passwd.txt", "text/plain", 1, InvalidInput),
])
def test_refused_files(name: str, kind: str, size: int, error: type[Exception]) -> None:
    with pytest.raises(error):
        check_declared(name, kind, size, LIMIT)


def test_programs_are_recognised_by_their_first_bytes() -> None:
    assert looks_executable(b"MZ\x90\x00")
    assert looks_executable(b"\x7fELF\x02\x01")
    assert looks_executable(b"#!/bin/sh\n")
    assert not looks_executable(b"%PDF-1.7\n")
    assert mail_attachment_id("tickets/a/b/c") == mail_attachment_id("tickets/a/b/c") != mail_attachment_id("x")


def test_thread_index_names_the_ticket_and_counts_replies() -> None:
    created = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
    ticket = Ticket(id="0123456789abcdef0123456789abcdef", number=1, tenant_id="t", subject="s", description="d",
                    requester=Requester(id="r"), created_at=created, updated_at=created)
    first = base64.b64decode(thread_index(ticket, 1, datetime(2026, 1, 5, 10, 0, tzinfo=UTC)))
    second = base64.b64decode(thread_index(ticket, 2, datetime(2026, 1, 6, 10, 0, tzinfo=UTC)))
    assert len(first) == len(second) == 27
    assert first[:22] == second[:22]  # one conversation: the same header
    assert first[0] == 1
    assert first[6:22] == bytes.fromhex(ticket.id)
    assert first[22:] != second[22:]


@pytest.mark.parametrize(("head", "kind"), [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "image/png"),
    (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01", "image/jpeg"),
    (b"GIF89a\x01\x00\x01\x00\x80\x00", "image/gif"),
    (b"GIF87a\x01\x00\x01\x00\x80\x00", "image/gif"),
    (b"RIFF\x24\x00\x00\x00WEBPVP8 ", "image/webp"),
    (b"RIFF\x24\x00\x00\x00WAVEfmt ", None),  # a RIFF that is sound
    (b'<svg xmlns="http://www.w3.org/2000/svg">', None),
    (b"<?xml version='1.0'?><svg", None),
    (b"<html><body>", None),
    (b"MZ\x90\x00", None),
    (b"", None),
])
def test_a_picture_is_told_by_its_leading_bytes(head: bytes, kind: str | None) -> None:
    from helpdesk.attachments.model import sniffed_image

    assert sniffed_image(head) == kind


def test_only_pictures_browsers_draw_are_images() -> None:
    from helpdesk.attachments.model import IMAGE_TYPES

    assert set(IMAGE_TYPES) == {"image/png", "image/jpeg", "image/gif", "image/webp"}
    assert check_declared("shot.PNG", "image/png", 10, LIMIT, IMAGE_TYPES, noun="a picture") == "image/png"
    with pytest.raises(UnsupportedType):
        check_declared("logo.svg", "image/svg+xml", 10, LIMIT, IMAGE_TYPES, noun="a picture")
    with pytest.raises(UnsupportedType):
        check_declared("guide.pdf", "application/pdf", 10, LIMIT, IMAGE_TYPES, noun="a picture")
