"""The parser on hostile mail: linear work on inputs that were quadratic, no exception on inputs that
raised, and caps on every string that ends up in a stored record.

Time is not asserted (the suite runs on loaded machines): each parse runs under a 10 s alarm that only
turns a hang into a failure. Before the fixes these inputs took 66 s, 91 s, 3 s and 54 s (+1.3 GB);
`bench/mail_parse.py` prints the worst-case times beside a normal mail.
"""

import json
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType

import pytest

from helpdesk.mail.html import MAX_HTML_CHARS
from helpdesk.mail.parser import INTERNAL_ERROR, MAX_DEFECT_CHARS, MAX_DEFECTS, parse_message
from helpdesk.mail.reply import visible_reply

HDR = b"From: a@b.example\nTo: support@acme.example\nSubject: x\n\n"
CRASHERS = Path(__file__).resolve().parents[2] / "fixtures" / "mail" / "crashers"
SAFETY_NET_SECONDS = 10


@contextmanager
def hang_guard(seconds: int = SAFETY_NET_SECONDS) -> Iterator[None]:
    """Fail instead of hanging the suite; not a performance assertion (the bench measures)."""

    def expire(signum: int, frame: FrameType | None) -> None:
        raise TimeoutError(f"still parsing after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def test_a_200_kb_line_is_text_not_a_search_space() -> None:
    with hang_guard():
        parsed = parse_message(HDR + b"a" * 200_000)
    assert parsed.text == "a" * 200_000
    assert parsed.reply_text == "a" * 200_000


def test_40_000_uuencode_begin_lines_without_end_stay_text() -> None:
    with hang_guard():
        parsed = parse_message(HDR + b"begin 644 a\n" * 40_000)
    assert parsed.attachments == []
    assert parsed.text.count("begin 644 a") == 40_000


def test_a_40_kb_from_header_without_at_sign_has_no_sender() -> None:
    raw = b"From: " + b"x" * 40_000 + b"\nTo: s@acme.example\nSubject: y\n\nhi\n"
    with hang_guard():
        parsed = parse_message(raw)
    assert parsed.from_ is None
    assert parsed.reply_text == "hi"
    spaced = b"From: " + b"word " * 8_000 + b"<real@sender.example>\nSubject: y\n\nhi\n"
    with hang_guard():
        assert parse_message(spaced).from_ is not None


def test_a_10_mb_html_table_is_read_up_to_the_cap() -> None:
    raw = (b"From: a@b.example\nContent-Type: text/html\n\n<table>"
           + b"<tr><td>cell</td><td>x</td></tr>" * (10_000_000 // 32) + b"</table>")
    with hang_guard():
        parsed = parse_message(raw)
    assert parsed.text.startswith("cell x\ncell x")
    assert parsed.text.count("cell x") < MAX_HTML_CHARS // 32 + 1  # what lies past the cap is not read
    assert any("HTML body over" in d for d in parsed.defects)
    assert parsed.html is not None
    assert len(parsed.html) <= MAX_HTML_CHARS + 1000


def test_long_lines_of_addresses_and_attribution_words_stay_linear() -> None:
    """Lines just under the per-line caps, packed with what the attribution patterns look for."""
    lines = ["On " + "wrote " * 49 + " " * 290 + "x", "a@" + "b" * 295, "x" * 299 + "@", "1" * 299]
    with hang_guard():
        reply = visible_reply("\n".join(lines * 2_000))
    assert reply.startswith("On wrote")


@pytest.mark.parametrize("raw", [
    pytest.param(HDR.replace(b"Subject: x", b"Subject: =?gb\x00k?B?QUJD?="), id="nul-in-encoded-word-charset"),
    pytest.param(HDR + "begin 644 a.txt\nMé€\n`\nend\n".encode(), id="non-ascii-uuencoded-line"),
    pytest.param(b"From: a@b.example\nContent-Type: text/html\n\n\x01<style>a{}</style>\x02hi <b>there</b>",
                 id="control-characters-next-to-style"),
])
def test_inputs_that_raised_now_parse(raw: bytes) -> None:
    parsed = parse_message(raw)
    assert not [d for d in parsed.defects if INTERNAL_ERROR in d]
    assert parsed.from_ is not None
    assert parsed.from_.email == "a@b.example"


def test_the_three_crash_inputs_keep_what_is_readable() -> None:
    subject = parse_message(HDR.replace(b"Subject: x", b"Subject: =?gb\x00k?B?QUJD?="))
    assert subject.subject  # decoded by fallback or kept as written, never an exception
    uu = parse_message(HDR + b"begin 644 a.txt\n#86)C\n`\nend\n")
    assert [(a.filename, a.content) for a in uu.attachments] == [("a.txt", b"abc")]
    html = parse_message(b"From: a@b.example\nContent-Type: text/html\n\n\x01<style>a{}</style>\x02hi <b>there</b>")
    assert html.text == "hi there"


def test_a_450_kb_charset_label_is_not_copied_into_the_defects() -> None:
    continuations = b"".join(b' charset*%d="%s";\n' % (i, b"y" * 900) for i in range(500))
    raw = (b"From: a@b.example\nSubject: x\nMIME-Version: 1.0\nContent-Type: text/plain;\n" + continuations
           + b"\nhall\xf6 \xe9t\xe9 wei\xdf\n")
    parsed = parse_message(raw)
    assert parsed.defects
    assert all(len(d) <= MAX_DEFECT_CHARS for d in parsed.defects)
    assert len(parsed.model_dump_json()) < 20_000


def test_every_stored_string_is_capped() -> None:
    many = b"".join(b"X-Junk-%d: y\n" % i for i in range(10))
    raw = (b"From: =?utf-8?q?" + b"N" * 5000 + b"?= <a@b.example>\n"
           + b"To: " + b", ".join(b"u%d@x.example" % i for i in range(3000)) + b"\n"
           + b"Subject: " + b"s" * 100_000 + b"\n"
           + b"References: " + b" ".join(b"<r%d@x>" % i for i in range(5000)) + b"\n" + many
           + b"Content-Type: multipart/mixed; boundary=b\n\n"
           + b"".join(b"--b\nContent-Type: application/" + b"z" * 5000
                      + b"%d\nContent-Transfer-Encoding: base64\n\n!!!\n" % i for i in range(200))
           + b"--b--\n")
    parsed = parse_message(raw)
    assert parsed.from_ is not None
    assert parsed.from_.name is not None
    assert len(parsed.from_.name) <= 200
    assert len(parsed.to) == 500
    assert len(parsed.subject) <= 2000
    assert len(parsed.references) == 100
    assert all(len(a.content_type) <= 100 for a in parsed.attachments)
    assert len(parsed.defects) <= MAX_DEFECTS
    assert len(json.dumps(parsed.defects)) < MAX_DEFECTS * (MAX_DEFECT_CHARS + 4)


@pytest.mark.parametrize("path", sorted(CRASHERS.glob("*.eml")), ids=lambda p: p.name)
def test_kept_crashers_parse_without_internal_errors(path: Path) -> None:
    with hang_guard():
        parsed = parse_message(path.read_bytes())
    assert not [d for d in parsed.defects if INTERNAL_ERROR in d]
    assert len(parsed.model_dump_json()) < 350_000  # text is not capped here; the ingest caps it
