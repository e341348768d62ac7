"""The headers of the mail the helpdesk sends, as a reader's mail client reads them back."""

import email
import email.policy
from datetime import UTC, datetime

import pytest

from helpdesk.mail.local import plain_text
from helpdesk.mail.outbound import compose


@pytest.mark.parametrize("subject", [
    "[T-000004] Answers to solved tickets are urgent: Invoice address wrong",  # "Subject: " + this is 79 characters
    "Re: [T-000004-ylx5wm] " + "A customer's subject that goes on and on " * 3,
])
def test_a_long_subject_reads_back_as_written(subject: str) -> None:
    """Folded at 78, CPython moved a subject that just overflowed onto a continuation line: it read back beginning
    with a space."""
    raw = compose(from_address="support@acme.example", from_name="Support", to=["alice@acme.example"],
                  subject=subject, body="Hello\n" + "long line " * 20 + "\n", message_id="t.1@acme.example",
                  in_reply_to=None, references=[f"r{n}.abcdefghij@acme.example" for n in range(20)],
                  date=datetime(2026, 12, 5, tzinfo=UTC))
    read = email.message_from_bytes(raw, policy=email.policy.default)
    assert read["Subject"] == subject
    assert max(len(line) for line in raw.split(b"\r\n")) <= 998  # RFC 5322's limit for any line
    assert plain_text(read).replace("\r\n", "\n").startswith("Hello\nlong line")


def test_control_characters_a_message_was_stored_with_do_not_go_out_raw() -> None:
    """A NUL sent through the API reached the mail as a raw NUL, which RFC 5322 does not allow; an escape sequence
    too. Tabs and line breaks stay."""
    raw = compose(from_address="support@acme.example", from_name="Support", to=["alice@acme.example"],
                  subject="[T-000004] Printer\x00 jams\x1b[31m", body="Hello\x00 there\n\tindented\x07\x9b",
                  message_id="t.2@acme.example", in_reply_to=None, references=[],
                  date=datetime(2026, 12, 7, tzinfo=UTC))
    assert not any(c in raw for c in (b"\x00", b"\x07", b"\x1b"))
    read = email.message_from_bytes(raw, policy=email.policy.default)
    assert read["Subject"] == "[T-000004] Printer  jams [31m"
    assert plain_text(read).replace("\r\n", "\n").startswith("Hello  there\n\tindented")
