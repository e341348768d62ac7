"""The parser on the corpus of odd real-world mail (tests/fixtures/mail/corpus, written by
tests/fixtures/mail/build_corpus.py): every field group a case sets must match. `bench/mail_parse.py`
prints the match rate per group beside the `mail-parser` package."""

import struct

import pytest

from helpdesk.mail.calendar import calendar_summary
from helpdesk.mail.parser import INTERNAL_ERROR, decode_header_text, parse_message
from helpdesk.mail.tnef import SIGNATURE, read_tnef
from tests.mail_corpus import cases, misses, ours
from tests.unit.mail.test_mail_parser_limits import hang_guard

CASES = cases()


def test_the_corpus_covers_the_shapes_it_claims() -> None:
    names = {c.name.split("-")[0] for c in CASES}
    assert {"rfc2047", "rfc2231", "rfc6532", "boundary", "nested", "bounce", "tnef", "uuencode", "calendar",
            "outlook", "gmail", "apple", "thunderbird", "iphone", "android", "mailman", "cpython"} <= names
    assert len(CASES) >= 45


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_every_field_group_matches(case) -> None:
    wrong = {group: found for group, found in misses(case, ours(case.raw)).items() if found}
    assert wrong == {}


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_no_parser_step_fails(case) -> None:
    assert not [d for d in parse_message(case.raw).defects if d.startswith(INTERNAL_ERROR)]


def test_a_character_split_between_encoded_words_survives() -> None:
    assert decode_header_text("=?utf-8?B?xA==?= =?utf-8?B?jmFrdWplbQ==?=") == "Ďakujem"
    # an undecodable word in the run stays as written, the others decode
    assert decode_header_text("=?utf-8?q?a?==?utf-8?B?Q?==?utf-8?q?b?=") == "a=?utf-8?B?Q?=b"


def _tnef(*attributes: tuple[int, int, int, bytes]) -> bytes:
    out = struct.pack("<IH", SIGNATURE, 1)
    for level, attr_id, attr_type, data in attributes:
        out += struct.pack("<BHHI", level, attr_id, attr_type, len(data)) + data + struct.pack("<H", sum(data) & 0xFFFF)
    return out


def test_hostile_tnef_counts_stop_at_the_end_of_their_block() -> None:
    forged_count = struct.pack("<I", 0xFFFFFFFF)
    forged_multivalue = struct.pack("<I", 1) + struct.pack("<HHI", 0x1002, 0x3701, 0xFFFFFFFF) + b"\0\0"
    stream = _tnef((1, 0x9003, 6, forged_count), (2, 0x9002, 6, b"\0" * 14), (2, 0x9005, 6, forged_multivalue),
                   (2, 0x8010, 1, b"a.txt\0"), (2, 0x800F, 6, b"data"))
    with hang_guard():
        content = read_tnef(stream)
    assert [(f.filename, f.data) for f in content.files] == [("a.txt", b"data")]


def test_damaged_winmail_dat_is_kept_as_it_came() -> None:
    raw = (b"From: a@b.example\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=x\n\n--x\n"
           b"Content-Type: text/plain\n\nhi\n--x\nContent-Type: application/ms-tnef; name=winmail.dat\n\n"
           b"not tnef at all\n--x--\n")
    parsed = parse_message(raw)
    assert [a.filename for a in parsed.attachments] == ["winmail.dat"]
    assert any("winmail.dat unreadable" in d for d in parsed.defects)
    with pytest.raises(ValueError):
        read_tnef(b"not tnef")


def test_calendar_summary_reads_what_a_person_needs() -> None:
    ics = (b"BEGIN:VCALENDAR\r\nMETHOD:CANCEL\r\nBEGIN:VEVENT\r\nSUMMARY:Review\\; part 2\r\n"
           b"DTSTART;VALUE=DATE:20261224\r\nORGANIZER:mailto:x@y.example\r\nEND:VEVENT\r\n"
           b"BEGIN:VEVENT\r\nSUMMARY:second event\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
    assert calendar_summary(ics) == "Calendar cancellation: Review; part 2\nWhen: 2026-12-24\nOrganizer: x@y.example"
    assert calendar_summary(b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n") is None
    assert calendar_summary(b'X;A="b:c":d\r\n' * 10_000) is None


def test_the_invitation_summary_is_in_the_visible_reply() -> None:
    raw = next(c.raw for c in CASES if c.name == "calendar-outlook-request")
    assert "Where: Raum 4.12 / Teams" in parse_message(raw).reply_text
