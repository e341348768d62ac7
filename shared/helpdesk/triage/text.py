"""What triage reads from a ticket: subject and description, bounded and with pasted logs folded.

A ticket may be empty, only an attachment, or 200 KB of pasted logs. The models see a bounded text
and triage records *why* its results are weak, instead of failing the stream.
"""

import re
from dataclasses import dataclass, field

MAX_TRIAGE_CHARS = 4_000  # what the embedder and lexicons read; MiniLM itself stops at 256 word pieces
MIN_WORDS = 3  # fewer words than this and nothing we compute from the text is worth much

# A line that looks machine-written: timestamps, log levels, stack frames, hex dumps, key=value runs.
_LOG_LINE = re.compile(
    r"^\s*(\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}|\[?\d{2}:\d{2}:\d{2}|(TRACE|DEBUG|INFO|WARN|WARNING|ERROR|FATAL)\b"
    r"|at [\w$.]+\(|File \"|Traceback|\s*[0-9a-f]{8,}\b|(\w+=\S+\s+){3,})",
    re.IGNORECASE,
)
_WORD = re.compile(r"[^\W\d_]{2,}", re.UNICODE)


@dataclass(frozen=True)
class TriageText:
    subject: str
    body: str  # the description with log runs folded, at most MAX_TRIAGE_CHARS
    notes: list[str] = field(default_factory=list)  # why results may be weak, for the agent

    @property
    def full(self) -> str:
        return f"{self.subject}\n{self.body}".strip()

    @property
    def word_count(self) -> int:
        return len(_WORD.findall(self.full))

    @property
    def too_little(self) -> bool:
        return self.word_count < MIN_WORDS


# Chat tickets carry the transcript as "[user] ..." / "[assistant] ..." lines (helpdesk.assistant.service).
_CHAT_LINE = re.compile(r"^\[(user|assistant)\]\s?(.*)$")
_CHAT_HEADER = re.compile(r"^(Chat transcript \(conversation [^)]*\):|\[earlier messages cut\])\s*$")


def customer_text(subject: str, description: str) -> tuple[str, str]:
    """What the customer wrote: a chat transcript keeps its user turns only (the assistant's are ours),
    and the "Chat: " subject prefix goes."""
    lines = description.splitlines()
    if not any(_CHAT_LINE.match(line) for line in lines):
        return subject, description
    kept = [m.group(2) for m in (_CHAT_LINE.match(line) for line in lines) if m and m.group(1) == "user"]
    return subject.removeprefix("Chat: "), "\n".join(k if k.rstrip().endswith((".", "!", "?")) else k + "."
                                                      for k in kept if k.strip())


def prepare(subject: str, description: str, *, attachments: int = 0) -> TriageText:
    notes: list[str] = []
    subject, description = customer_text(subject, description)
    lines = [line for line in description.splitlines() if not _CHAT_HEADER.match(line)]
    kept: list[str] = []
    folded = 0
    for line in lines:
        if _LOG_LINE.match(line):
            folded += 1
            if folded <= 3:  # the first lines of a log usually say what failed
                kept.append(line[:200])
            continue
        kept.append(line)
    if folded > 3:
        notes.append(f"{folded} log-like lines folded; triage read only the first 3")
    body = "\n".join(kept).strip()
    if len(body) > MAX_TRIAGE_CHARS:
        notes.append(f"description is {len(description)} characters; triage read the first {MAX_TRIAGE_CHARS}")
        body = body[:MAX_TRIAGE_CHARS]
    text = TriageText(subject=subject.strip(), body=body, notes=notes)
    if not description.strip():
        notes.append("the description is empty" + (f" (only {attachments} attachment(s))" if attachments else ""))
    if text.too_little:
        notes.append(f"only {text.word_count} word(s) of text: results are low confidence")
    return text
