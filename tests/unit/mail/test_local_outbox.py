"""`helpdesk mail outbox` reads what the local stack's moto SES sent: moto keeps each raw message as text, and an
8-bit UTF-8 body (what the outbound mail writes for "Am … schrieb Jana Müller:") must read as written."""

from email.message import EmailMessage
from typing import Any

import pytest

from helpdesk.mail import local


def test_an_8bit_body_reads_as_written(monkeypatch: pytest.MonkeyPatch) -> None:
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = "Alice <support@acme.example>", "jana@kunde.example", "Re: Sync gestört"
    msg.set_content("Hallo Jana,\n\nAm 06.12.2026 um 18:05 UTC schrieb Jana Müller:\n> Grüße\n", cte="8bit")
    stored: dict[str, Any] = {"RawMessage": [{"id": "m1", "raw_data": msg.as_bytes().decode("utf-8"),
                                              "destinations": ["jana@kunde.example"]}]}
    monkeypatch.setattr(local, "_moto_ses", lambda: stored)

    [sent] = local.sent_messages()

    assert "schrieb Jana Müller:\n> Grüße" in sent["body"]
    assert sent["subject"] == "Re: Sync gestört"
    assert sent["to"] == ["jana@kunde.example"]
