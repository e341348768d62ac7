"""A customer who answers a mail of a conversation that was imported from the old helpdesk (their mail client names
their first mail in References) continues the imported ticket instead of opening a new one."""

import json
from typing import Any

import pytest
from typer.testing import CliRunner

from helpdesk import bootstrap
from helpdesk.imports.service import imported_ticket_id
from helpdesk.kernel.principal import system_principal
from tests.fakes import seed_directory
from tests.integration.mail.conftest import MailWorld
from tests.zendesk_fake import EMAIL, TOKEN, ZendeskFake


def test_a_reply_to_an_imported_conversation_continues_its_ticket(mail: MailWorld,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from helpdesk.cli.main import app

    seed_directory(bootstrap.container().directory_store, "acme", agents=["alice"], groups={"billing": ["alice"]})
    monkeypatch.setenv("ZENDESK_API_TOKEN", TOKEN)
    zendesk = ZendeskFake()
    try:
        result = CliRunner().invoke(app, ["import", "zendesk", "--tenant", "acme", "--email", EMAIL, "--url",
                                          zendesk.url, "--no-articles"])
    finally:
        zendesk.close()
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout.strip().splitlines()[-1])["message_ids_remembered"] == 1

    # Zendesk's reply named Hank's first mail; his answer to it names both, as mail clients do.
    raw = mail.compose(sender="Hank Scorpio <hank@globex.example>", subject="Re: [Globex] Invoice shows the wrong VAT",
                       body="Any news on the corrected invoice?\n", message_id="CAHank-0002@mail.globex.example",
                       headers={"In-Reply-To": "<zendesk-notification-77@acme.zendesk.com>",
                                "References": "<CAHank-0001@mail.globex.example> "
                                              "<zendesk-notification-77@acme.zendesk.com>"})
    outcome: dict[str, Any] = mail.deliver(raw, "ses-hank-reply")
    vat = imported_ticket_id("acme", "zendesk", "1001")
    assert (outcome["status"], outcome["ticket_id"]) == ("appended", vat)
    events = bootstrap.container().ticket_service.events(system_principal("acme"), vat)
    assert events[-1].data["body"].startswith("Any news on the corrected invoice?")
    assert not events[-1].imported  # the customer's new message is new work: the team hears of it
