"""A bounded fuzz run of `parse_message` (hypothesis): it never raises, no step of it fails internally,
and what it returns stays within the caps a stored record needs.

The generator builds mail the way the parser sees it: headers real mail uses (and junk), encoded words
with odd charsets, MIME trees with broken boundaries and transfer encodings, uuencoded blocks, HTML with
control characters, raw 8-bit bytes. `make test` runs `FUZZ_EXAMPLES` examples (200); a longer hunt:

    HELPDESK_FUZZ_EXAMPLES=20000 .venv/bin/pytest tests/unit/mail/test_mail_parser_fuzz.py

A failing input is printed by hypothesis; keep it under tests/fixtures/mail/crashers/ (one .eml per
crash), where `test_mail_parser_limits.py` parses every file on each run.
"""

import os
import struct

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpdesk.mail.parser import (
    INTERNAL_ERROR,
    MAX_ADDRESSES,
    MAX_DEFECT_CHARS,
    MAX_DEFECTS,
    MAX_NAME_CHARS,
    MAX_REFERENCES,
    MAX_SUBJECT_CHARS,
    parse_message,
)
from helpdesk.mail.tnef import read_tnef

FUZZ_EXAMPLES = int(os.environ.get("HELPDESK_FUZZ_EXAMPLES", "200"))

CHARSETS = ["utf-8", "gb2312", "gbk", "iso-8859-1", "windows-1252", "ks_c_5601-1987", "shift_jis",
            "iso-2022-jp", "utf-7", "unknown-8bit", "x-unknown", "base64", "rot13", "gb\x00k", "utf-8*en",
            "", "\u00e9", "a" * 60]
TEXTS = st.text(max_size=40).map(lambda t: t.encode("utf-8", "surrogatepass"))
NOISE = st.binary(max_size=40)
ASCII = st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=127), max_size=30)


@st.composite
def encoded_word(draw: st.DrawFn) -> bytes:
    charset = draw(st.sampled_from(CHARSETS))
    encoding = draw(st.sampled_from("BbQqX"))
    payload = draw(st.one_of(ASCII, st.sampled_from(["QUJD", "5L2g5aW9", "=E9t=E9", "____", "=ZZ", "!!!"])))
    return f"=?{charset}?{encoding}?{payload}?=".encode("utf-8", "surrogateescape")


@st.composite
def header_value(draw: st.DrawFn) -> bytes:
    pieces = draw(st.lists(st.one_of(
        encoded_word(),
        TEXTS,
        NOISE,
        st.sampled_from([b"<a@b.example>", b"\"Doe, J\" <j@d.example>", b"(comment", b"((((", b"\"", b",", b";",
                         b"@", b"\n ", b"\r\n\t", b"<>", b"undisclosed-recipients:;", b"a@b@c", b"<id@x>"]),
    ), max_size=4))
    return b" ".join(pieces)


HEADER_NAMES = [b"From", b"To", b"Cc", b"Reply-To", b"Sender", b"Subject", b"Date", b"Message-ID", b"In-Reply-To",
                b"References", b"Auto-Submitted", b"Precedence", b"List-Id", b"Return-Path", b"X-Anything"]


@st.composite
def headers(draw: st.DrawFn) -> bytes:
    lines = [name + b": " + draw(header_value()) for name in draw(st.lists(st.sampled_from(HEADER_NAMES), max_size=5))]
    return b"\n".join(lines)


@st.composite
def body_text(draw: st.DrawFn) -> bytes:
    chunks = draw(st.lists(st.one_of(
        TEXTS,
        NOISE,
        st.sampled_from([
            b"begin 644 a.txt\n#86)C\n`\nend\n", b"begin 644 \xff\xfe\nM\xc3\xa9\nend\n", b"begin 0644 x\n",
            b"\n> quoted\n> more\n", b"On Mon, 1 Jan 2024, Dana <d@x.example> wrote:\n",
            b"-----Original Message-----\nFrom: x\nSent: y\nTo: z\nSubject: w\n", b"-- \nsig\n",
            b"<html><body><p>hi</p><blockquote>old</blockquote></body></html>",
            b"\x01<style>a{}</style>\x02", b"<div class='gmail_quote'>q</div>", b"<table><tr><td>x",
            b"<?xml version='1.0'?>", b"\x00", b"=\n", b"=E9=", b"\r\n.\r\n",
            b"BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nBEGIN:VEVENT\r\nSUMMARY:x\\\r\n DTSTART;TZID=\"a:b\":2026\r\n",
            b"ORGANIZER;CN=\"unterminated:mailto:\r\n", b"END:VEVENT\r\n", b"flowed line \n", b" >stuffed \n",
        ]),
        tnef_stream(),
    ), max_size=5))
    return b"".join(chunks)


CONTENT_TYPES = [b"text/plain", b"text/html", b"application/octet-stream", b"image/png", b"message/rfc822",
                 b"multipart/mixed", b"multipart/alternative", b"text/x-unknown", b"", b"text/plain/extra",
                 b"application/ms-tnef", b"text/calendar", b"message/delivery-status", b"message/external-body",
                 b"text/plain; format=flowed; delsp=yes"]
TNEF_ATTRIBUTES = [(1, 0x9007), (1, 0x800C), (1, 0x9003), (2, 0x9002), (2, 0x8010), (2, 0x800F), (2, 0x9005),
                   (3, 0x1234)]
MAPI_TYPES = [0x0002, 0x0003, 0x0005, 0x0007, 0x000B, 0x001E, 0x001F, 0x0040, 0x0048, 0x0102, 0x000D, 0x1002,
              0x101F, 0x9999]
MAPI_TAGS = [0x1000, 0x1013, 0x3FDE, 0x3701, 0x3704, 0x3707, 0x370E, 0x3001, 0x8001]


@st.composite
def mapi_block(draw: st.DrawFn) -> bytes:
    """A MAPI property block (MS-OXTNEF 2.1.3.4) with counts and lengths that may lie."""
    props = draw(st.lists(st.tuples(st.sampled_from(MAPI_TYPES), st.sampled_from(MAPI_TAGS),
                                    st.sampled_from([0, 1, 2, 7, 0xFFFF, 0xFFFFFFFF]), NOISE), max_size=4))
    count = draw(st.sampled_from([len(props), 0xFFFFFFFF, 3]))
    return struct.pack("<I", count) + b"".join(struct.pack("<HHI", t, tag, n) + data for t, tag, n, data in props)


@st.composite
def tnef_stream(draw: st.DrawFn) -> bytes:
    """winmail.dat bytes: the signature, then attributes whose declared lengths may lie."""
    out = struct.pack("<IH", 0x223E9F78, 1) if draw(st.integers(0, 9)) else draw(NOISE)
    for level, attr_id in draw(st.lists(st.sampled_from(TNEF_ATTRIBUTES), max_size=6)):
        data = draw(st.one_of(mapi_block(), NOISE))
        length = len(data) if draw(st.integers(0, 4)) else draw(st.sampled_from([0, 3, 0xFFFFFFFF]))
        out += struct.pack("<BHHI", level, attr_id, 6, length) + data + b"\0\0"
    return out
ENCODINGS = [b"7bit", b"8bit", b"base64", b"quoted-printable", b"x-uuencode", b"binary", b"bogus"]


@st.composite
def part(draw: st.DrawFn, depth: int = 0) -> bytes:
    content_type = draw(st.sampled_from(CONTENT_TYPES))
    params = b""
    if draw(st.booleans()):
        params += b"; charset=" + draw(st.sampled_from(CHARSETS)).encode("utf-8", "surrogateescape")
    if draw(st.booleans()):
        params += b"; name*=utf-8''" + draw(ASCII).encode() + b"; filename=\"" + draw(NOISE) + b"\""
    lines = [b"Content-Type: " + content_type + params]
    if draw(st.booleans()):
        lines.append(b"Content-Transfer-Encoding: " + draw(st.sampled_from(ENCODINGS)))
    if draw(st.booleans()):
        lines.append(b"Content-Disposition: " + draw(st.sampled_from([b"attachment", b"inline", b"\xff"])))
    if content_type.startswith(b"multipart/") and depth < 2:
        boundary = draw(st.sampled_from([b"b1", b"", b"\"q q\"", b"x" * 80]))
        lines[0] += b"; boundary=" + boundary if draw(st.booleans()) else b""
        children = draw(st.lists(part(depth + 1), max_size=3))
        body = b"".join(b"--" + boundary.strip(b'"') + b"\n" + child + b"\n" for child in children)
        if draw(st.booleans()):
            body += b"--" + boundary.strip(b'"') + b"--\n"
    else:
        body = draw(body_text())
    return b"\n".join(lines) + b"\n\n" + body


@st.composite
def mails(draw: st.DrawFn) -> bytes:
    if draw(st.integers(0, 9)) == 0:
        return draw(st.binary(max_size=300))  # not a mail at all
    return draw(headers()) + b"\n" + draw(part())


@settings(max_examples=FUZZ_EXAMPLES, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(raw=mails())
def test_parse_message_never_raises_and_stays_within_its_caps(raw: bytes) -> None:
    parsed = parse_message(raw)
    assert not [d for d in parsed.defects if INTERNAL_ERROR in d], parsed.defects
    assert len(parsed.defects) <= MAX_DEFECTS
    assert all(len(d) <= MAX_DEFECT_CHARS for d in parsed.defects)
    assert len(parsed.subject) <= MAX_SUBJECT_CHARS
    assert len(parsed.references) <= MAX_REFERENCES
    for addresses in (parsed.to, parsed.cc, parsed.reply_to):
        assert len(addresses) <= MAX_ADDRESSES
    for address in [parsed.from_, *parsed.to, *parsed.cc, *parsed.reply_to]:
        if address is not None:
            assert address.email.count("@") == 1
            assert address.name is None or len(address.name) <= MAX_NAME_CHARS
    parsed.summary()  # what `helpdesk mail parse` prints must build too


@settings(max_examples=FUZZ_EXAMPLES, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(stream=tnef_stream())
def test_read_tnef_raises_only_for_what_is_not_tnef(stream: bytes) -> None:
    try:
        content = read_tnef(stream)
    except ValueError:
        assert not stream.startswith(struct.pack("<I", 0x223E9F78))
        return
    assert sum(len(f.data) for f in content.files) <= len(stream)
