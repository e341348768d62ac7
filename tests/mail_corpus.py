"""Scoring a parser's reading of tests/fixtures/mail/corpus against the expectations beside each case.

Shared by tests/unit/mail/test_mail_corpus.py (our parser) and bench/mail_parse.py (ours beside
`mail-parser`): a parser is adapted to `Reading`, and `score` says per field group whether the reading
matches. The expectation format is described in tests/fixtures/mail/build_corpus.py.
"""

import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

CORPUS = Path(__file__).resolve().parent / "fixtures" / "mail" / "corpus"
GROUPS = ("headers", "threading", "text", "html", "attachments")


@dataclass
class File:
    filename: str | None
    content_type: str
    size: int


@dataclass
class Reading:
    """What a parser made of one mail, in the corpus' terms."""

    from_: str | None = None
    from_name: str | None = None
    to: list[str] = field(default_factory=list)
    cc: list[str] = field(default_factory=list)
    subject: str = ""
    date: str | None = None  # ISO 8601 with offset
    message_id: str | None = None
    in_reply_to: str | None = None
    references: list[str] = field(default_factory=list)
    text: str = ""
    html: str | None = None
    attachments: list[File] = field(default_factory=list)


@dataclass
class Case:
    name: str
    raw: bytes
    expected: dict[str, Any]


def cases(folder: Path = CORPUS) -> list[Case]:
    return [Case(meta.stem, meta.with_suffix(".eml").read_bytes(), json.loads(meta.read_text()))
            for meta in sorted(folder.glob("*.json"))]


def _collapse(text: str) -> str:
    return " ".join(text.split())


def _address(value: str | None) -> str | None:
    return value.lower() if value else value


def _headers(expected: dict[str, Any], got: Reading) -> list[str]:
    seen = {"from": _address(got.from_), "from_name": got.from_name, "to": [_address(a) for a in got.to],
            "cc": [_address(a) for a in got.cc], "subject": got.subject, "date": got.date}
    misses = []
    for key, want in expected.items():
        if key in ("from", "to", "cc"):
            want = [_address(a) for a in want] if isinstance(want, list) else _address(want)
        if key == "date" and got.date and want and datetime.fromisoformat(got.date) == datetime.fromisoformat(want):
            continue  # the same instant in any offset
        if seen[key] != want:
            misses.append(f"{key}: {seen[key]!r} != {want!r}")
    return misses


def _threading(expected: dict[str, Any], got: Reading) -> list[str]:
    seen = {"message_id": got.message_id, "in_reply_to": got.in_reply_to, "references": got.references}
    return [f"{key}: {seen[key]!r} != {want!r}" for key, want in expected.items() if seen[key] != want]


def _contains(expected: dict[str, Any], text: str) -> list[str]:
    body = _collapse(text)
    misses = [f"missing {s!r}" for s in expected.get("contains", []) if _collapse(s) not in body]
    return misses + [f"unexpected {s!r}" for s in expected.get("excludes", []) if _collapse(s) in body]


def _attachments(expected: list[dict[str, Any]], got: list[File]) -> list[str]:
    left = list(got)
    misses = []
    for want in expected:
        match = next((f for f in left if (want["filename"] is None or f.filename == want["filename"])
                      and (want["content_type"] is None or f.content_type == want["content_type"])
                      and (want["size"] is None or f.size == want["size"])), None)
        if match is None:
            misses.append(f"missing {want}")
        else:
            left.remove(match)
    return misses + [f"unexpected {f}" for f in left]


def misses(case: Case, got: Reading) -> dict[str, list[str]]:
    """Per field group the case sets: what the reading got wrong (an empty list: the group matches)."""
    expected = case.expected
    result: dict[str, list[str]] = {}
    if "headers" in expected:
        result["headers"] = _headers(expected["headers"], got)
    if "threading" in expected:
        result["threading"] = _threading(expected["threading"], got)
    if "text" in expected:
        result["text"] = _contains(expected["text"], got.text)
    if "html" in expected:
        want = expected["html"]
        result["html"] = (["unexpected HTML body"] if got.html else []) if want is None else \
            (["no HTML body"] if got.html is None else _contains(want, got.html))
    if "attachments" in expected:
        result["attachments"] = _attachments(expected["attachments"], got.attachments)
    return result


def ours(raw: bytes) -> Reading:
    """Our parser's reading of a mail."""
    from helpdesk.mail.parser import parse_message

    parsed = parse_message(raw)
    return Reading(
        from_=parsed.from_.email if parsed.from_ else None,
        from_name=parsed.from_.name if parsed.from_ else None,
        to=[a.email for a in parsed.to], cc=[a.email for a in parsed.cc], subject=parsed.subject,
        date=parsed.date.isoformat() if parsed.date else None, message_id=parsed.message_id,
        in_reply_to=parsed.in_reply_to, references=parsed.references, text=parsed.text, html=parsed.html,
        attachments=[File(a.filename, a.content_type, a.size) for a in parsed.attachments])
