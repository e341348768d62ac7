"""The MIME parser on real and damaged mail (fixtures in tests/fixtures/mail)."""

import hashlib
import json
from pathlib import Path

import pytest

from helpdesk.mail.html import html_reply_text, sanitize_html
from helpdesk.mail.parser import decode_header_text, parse_message
from helpdesk.mail.reply import visible_reply

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "mail"
EXPECTED: dict[str, str] = json.loads((FIXTURES / "expected.json").read_text())["expected"]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_visible_reply_matches_the_reference_parsers(name: str) -> None:
    raw = (FIXTURES / name).read_bytes()
    if name.endswith(".eml"):
        got = parse_message(raw).reply_text
    elif name.endswith(".html"):
        got = visible_reply(html_reply_text(raw.decode()))
    else:
        got = visible_reply(raw.decode())
    assert " ".join(got.split()) == " ".join(EXPECTED[name].split())


def test_headers_addresses_and_ids() -> None:
    raw = (Path(__file__).resolve().parents[3] / "events" / "email_ingest" / "message.eml").read_bytes()
    parsed = parse_message(raw)
    assert parsed.from_ is not None
    assert (parsed.from_.email, parsed.from_.name) == ("Dana@customer.example", "Dana Müller")
    assert [a.email for a in parsed.to] == ["support@acme.example"]
    assert parsed.subject == "Printer on floor 3 is jammed — urgent"
    assert parsed.message_id == "CAF3x9-printer-0001@mail.customer.example"
    assert parsed.date is not None
    assert parsed.date.isoformat() == "2026-11-23T09:30:00+01:00"
    assert parsed.reply_text.endswith("Thanks,\nDana")  # the "-- " signature is cut, the closing kept
    assert parsed.html is not None
    assert "<script" not in parsed.html


def test_threading_headers_lose_their_brackets() -> None:
    raw = (b"From: a@x.example\nSubject: Re: x\nMessage-ID: <new@x>\nIn-Reply-To: <old@y>\n"
           b"References: <first@y>\n <old@y>\n\nbody\n")
    parsed = parse_message(raw)
    assert parsed.in_reply_to == "old@y"
    assert parsed.references == ["first@y", "old@y"]


def test_mislabelled_and_undeclared_charsets() -> None:
    gbk = parse_message((FIXTURES / "odd-gbk-as-gb2312.eml").read_bytes())
    assert gbk.subject == "打印机故障 镕"  # 镕 is GBK only: a strict gb2312 decode would fail
    assert "镕" in gbk.text
    raw8 = parse_message((FIXTURES / "odd-8bit-headers.eml").read_bytes())
    assert raw8.from_ is not None
    assert raw8.from_.name == "Jürgen Groß"
    assert raw8.subject == "Drucker läuft nicht"
    mixed = parse_message((FIXTURES / "broken-charset.eml").read_bytes())
    assert mixed.subject == "Unknown charset"
    assert "Café" in mixed.text
    assert mixed.defects


def test_attachment_names_sizes_and_uuencode() -> None:
    parsed = parse_message((FIXTURES / "odd-names-and-uuencode.eml").read_bytes())
    by_name = {a.filename: a for a in parsed.attachments}
    assert set(by_name) >= {"Rechnung März 2026.pdf", "отчёт.txt", "pixel.png"}
    pixel = by_name["pixel.png"]
    assert pixel.content is not None
    assert pixel.md5 == hashlib.md5(pixel.content, usedforsecurity=False).hexdigest()
    assert pixel.content.startswith(b"\x89PNG")
    assert pixel.size == 70
    inline = [a for a in parsed.attachments if a.content_id]
    assert [(a.content_id, a.inline) for a in inline] == [("logo@x", True)]
    assert "begin 644" not in parsed.text
    assert parsed.reply_text == "See the files."


def test_oversized_attachment_is_listed_but_not_kept() -> None:
    parsed = parse_message((FIXTURES / "odd-names-and-uuencode.eml").read_bytes(), max_attachment_bytes=8)
    pdf = next(a for a in parsed.attachments if a.filename.endswith(".pdf"))
    assert pdf.content is None
    assert pdf.size == 9
    assert pdf.dropped


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.glob("broken-*.eml")))
def test_broken_mail_never_raises_and_keeps_what_is_readable(name: str) -> None:
    parsed = parse_message((FIXTURES / name).read_bytes())
    assert parsed.from_ is not None
    assert parsed.reply_text or parsed.attachments


def test_damaged_parts_are_recovered() -> None:
    truncated = parse_message((FIXTURES / "broken-truncated.eml").read_bytes())
    assert truncated.reply_text == "My upload broke half way, see attached."
    assert [a.filename for a in truncated.attachments] == ["report.pdf"]
    assert "CloseBoundaryNotFoundDefect" in truncated.defects
    no_boundary = parse_message((FIXTURES / "broken-no-boundary.eml").read_bytes())
    assert no_boundary.reply_text == "The body is still here."
    b64 = parse_message((FIXTURES / "broken-base64.eml").read_bytes())
    assert b64.reply_text.startswith("Hello, my laptop won't boot.")


def test_header_injection_stays_inside_the_value() -> None:
    parsed = parse_message((FIXTURES / "broken-header-injection.eml").read_bytes())
    assert parsed.from_ is not None
    assert parsed.from_.email == "eve@customer.example"
    assert "\n" not in parsed.subject
    assert "\r" not in parsed.subject
    assert parsed.cc == []
    assert parsed.to[0].email == "support@acme.example"


@pytest.mark.parametrize("raw", [b"", b"   \n", b"\x00\xff\xfe garbage", b"From: x\n\n" + b"A" * 10_000])
def test_degenerate_input(raw: bytes) -> None:
    parsed = parse_message(raw)
    assert parsed.attachments == []


def test_html_only_mail_is_sanitised_and_its_quote_cut() -> None:
    parsed = parse_message((FIXTURES / "odd-html-only.eml").read_bytes())
    assert parsed.reply_text.startswith("Still no access, sorry \u2013 can you check?")
    assert "Did it work" not in parsed.reply_text
    assert "Did it work" in parsed.text
    assert parsed.html is not None
    assert "onerror" not in parsed.html
    assert "javascript:" not in parsed.html


def test_sanitizer_drops_active_content() -> None:
    dirty = '<p onclick="x()">Hi</p><script>steal()</script><iframe src="//x"></iframe><a href="javascript:x">l</a>'
    clean = sanitize_html(dirty)
    assert clean.startswith("<p>Hi</p>")
    assert "script" not in clean
    assert "iframe" not in clean
    assert "javascript" not in clean


def test_encoded_words() -> None:
    assert decode_header_text("=?utf-8?q?Caf=C3=A9?= =?utf-8?q?_au_lait?=") == "Café au lait"
    assert decode_header_text("=?ISO-8859-1?B?SGFsbPY=?=") == "Hallö"
    assert decode_header_text("=?utf-8?B?SGVsbG8?=") == "Hello"  # missing padding
    assert decode_header_text("=?ks_c_5601-1987?B?vsiz58fPvLy/5A==?=") == "안녕하세요"


def _mime(content_type: str, body: bytes, **params: str) -> bytes:
    from email.mime.application import MIMEApplication

    part = MIMEApplication(body, content_type.split("/")[1])
    for name, value in params.items():
        part.set_param(name.replace("_", "-"), value)
    return part.as_bytes()


def test_a_signed_mails_signature_is_no_file_for_the_team() -> None:
    """S/MIME and PGP signatures (multipart/signed) were attached to the ticket as `smime.p7s`: noise on every mail
    of a company that signs its mail. The text is read as usual; the raw mail keeps the signature."""
    for protocol in ("application/pkcs7-signature", "application/pgp-signature"):
        raw = (f'From: sam@signed.example\r\nSubject: VPN\r\nMIME-Version: 1.0\r\nContent-Type: multipart/signed; '
               f'protocol="{protocol}"; micalg=sha-256; boundary="b"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\n'
               f'The VPN drops every 5 minutes.\r\n--b\r\nContent-Type: {protocol}; name="sig"\r\n'
               f'Content-Disposition: attachment; filename="sig"\r\n\r\nMIIBsignature\r\n--b--\r\n').encode()
        parsed = parse_message(raw)
        assert (parsed.text.strip(), parsed.attachments, parsed.encrypted) == ("The VPN drops every 5 minutes.", [],
                                                                                None)


def test_an_encrypted_mail_says_so_and_keeps_its_encrypted_part() -> None:
    head = b"From: eve@enc.example\r\nSubject: Contract\r\nMIME-Version: 1.0\r\n"
    smime = parse_message(head + _mime("application/pkcs7-mime", b"\x30\x82blob", smime_type="enveloped-data",
                                       name="smime.p7m"))
    assert (smime.encrypted, [a.filename for a in smime.attachments], smime.text) == ("S/MIME", ["smime.p7m"], "")
    opaque_signed = parse_message(head + _mime("application/pkcs7-mime", b"\x30\x82blob", smime_type="signed-data",
                                               name="smime.p7m"))
    assert opaque_signed.encrypted is None  # signed, not encrypted: the file is all there is to show
    pgp = parse_message(head + b'Content-Type: multipart/encrypted; protocol="application/pgp-encrypted"; '
                        b'boundary="b"\r\n\r\n--b\r\nContent-Type: application/pgp-encrypted\r\n\r\nVersion: 1\r\n'
                        b'--b\r\nContent-Type: application/octet-stream; name="encrypted.asc"\r\n\r\n'
                        b"-----BEGIN PGP MESSAGE-----\r\nhQEMA\r\n-----END PGP MESSAGE-----\r\n--b--\r\n")
    assert (pgp.encrypted, [a.filename for a in pgp.attachments]) == ("PGP", ["encrypted.asc"])
    inline = parse_message(head + b"Content-Type: text/plain\r\n\r\nHi,\r\n\r\n-----BEGIN PGP MESSAGE-----\r\nhQEMA\r\n"
                           b"-----END PGP MESSAGE-----\r\n")
    assert inline.encrypted == "PGP"
    assert parse_message(head + b"Content-Type: text/plain\r\n\r\nHello\r\n").encrypted is None
