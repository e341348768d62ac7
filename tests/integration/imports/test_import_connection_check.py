"""`POST /imports/check` (the imports API's real handler): the Import screen's "Test connection" signs in to the old
helpdesk once with what the form holds (the fakes on loopback) and says as whom, before anything is queued. Nothing
is kept: no job, no secret, no message on the import queue."""

import socket
import time
from collections.abc import Callable
from typing import Any

import boto3
import pytest

from tests.conftest import claims, http_event
from tests.freescout_fake import KEY, FreeScoutFake
from tests.zammad_fake import TOKEN as ZAMMAD_TOKEN
from tests.zammad_fake import ZammadFake
from tests.zendesk_fake import EMAIL, TOKEN, ZendeskFake, counted

Invoke = Callable[..., dict[str, Any]]
ADA = claims("ada", "acme", "admin", email="ada@acme.example")
AGENT = claims("alice", "acme", "agent", email="alice@acme.example")


@pytest.fixture
def queue_url(importing_team: None, monkeypatch: pytest.MonkeyPatch) -> str:
    from tests.conftest import rebuild

    url: str = boto3.client("sqs").create_queue(QueueName="helpdesk-imports")["QueueUrl"]
    monkeypatch.setenv("HELPDESK_IMPORTS_QUEUE_URL", url)
    monkeypatch.setenv("HELPDESK_IMPORTS_ALLOW_LOOPBACK", "true")
    rebuild()
    return url


def check(invoke: Invoke, who: dict[str, Any] = ADA, **body: Any) -> dict[str, Any]:
    response = invoke("imports_api", http_event("POST", "/imports/check", body=body, claims_=who))
    assert response["json"] is not None, response
    return response


def nothing_kept(invoke: Invoke, queue_url: str) -> None:
    assert boto3.client("secretsmanager").list_secrets()["SecretList"] == []
    assert boto3.client("sqs").receive_message(QueueUrl=queue_url).get("Messages", []) == []
    assert invoke("imports_api", http_event("GET", "/imports", claims_=ADA))["json"]["items"] == []


def test_zendesk_credentials_are_checked_and_the_admin_and_ticket_count_named(
        queue_url: str, zendesk: ZendeskFake, invoke: Invoke) -> None:
    good = check(invoke, source="zendesk", url=zendesk.url, email=EMAIL, token=TOKEN)
    assert good["statusCode"] == 200
    assert good["json"] == {"ok": True, "problem": None, "account": {
        "name": "Ada Admin", "email": EMAIL, "admin": True, "tickets": counted()}}

    wrong = check(invoke, source="zendesk", url=zendesk.url, email=EMAIL, token="not-the-token")["json"]
    assert wrong["ok"] is False
    assert wrong["account"] is None
    assert "refused the credentials" in wrong["problem"], wrong
    assert "API token" in wrong["problem"]
    assert "not-the-token" not in str(wrong)

    zendesk.my_role = "agent"  # the export of every ticket is for admins only
    agent = check(invoke, source="zendesk", url=zendesk.url, email=EMAIL, token=TOKEN)["json"]
    assert agent["ok"] is False
    assert agent["account"]["admin"] is False
    assert agent["problem"].startswith("Ada Admin is not an admin in Zendesk"), agent["problem"]
    nothing_kept(invoke, queue_url)


def test_zammad_and_freescout_credentials_are_checked(queue_url: str, invoke: Invoke) -> None:
    zammad, freescout = ZammadFake(), FreeScoutFake()
    try:
        good = check(invoke, source="zammad", url=zammad.url, token=ZAMMAD_TOKEN)["json"]
        assert good["ok"] is True
        assert good["account"] == {"name": "Ada Admin", "email": "ada@acme.example", "admin": True, "tickets": None}
        zammad.my_roles = ["Agent"]
        agent = check(invoke, source="zammad", url=zammad.url, token=ZAMMAD_TOKEN)["json"]
        assert agent["ok"] is False
        assert "not an admin in Zammad" in agent["problem"]
        wrong = check(invoke, source="zammad", url=zammad.url, token="nope")["json"]
        assert wrong["ok"] is False
        assert "Token Access" in wrong["problem"]

        counted = check(invoke, source="freescout", url=freescout.url, token=KEY)["json"]
        assert counted["ok"] is True
        from helpdesk.imports.adapters.freescout import STATUSES
        from tests.freescout_fake import ACCOUNT as FREESCOUT

        read = [c for c in FREESCOUT["conversations"] if c["state"] == "published" and c["status"] in STATUSES]
        assert counted["account"] == {"name": None, "email": None, "admin": None, "tickets": len(read)}
        wrong = check(invoke, source="freescout", url=freescout.url, token="nope")["json"]
        assert wrong["ok"] is False
        assert "API & Webhooks" in wrong["problem"]
    finally:
        zammad.close()
        freescout.close()
    nothing_kept(invoke, queue_url)


def test_a_helpdesk_that_does_not_answer_is_told_at_once(queue_url: str, invoke: Invoke) -> None:
    with socket.socket() as unused:  # a port nothing listens on
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    began = time.monotonic()
    silent = check(invoke, source="zammad", url=f"http://127.0.0.1:{port}", token="t")["json"]
    assert silent["ok"] is False
    assert "did not answer" in silent["problem"], silent
    assert time.monotonic() - began < 10  # one try: no backing off as an import round does
    nothing_kept(invoke, queue_url)


def test_bad_checks_are_refused_as_a_start_would_be(queue_url: str, zendesk: ZendeskFake, invoke: Invoke) -> None:
    def refused(status: int, code: str, who: dict[str, Any] = ADA, **body: Any) -> None:
        response = check(invoke, who, **{"source": "zendesk", "url": zendesk.url, "email": EMAIL, "token": TOKEN,
                                         **body})
        assert (response["statusCode"], response["json"]["error"]["code"]) == (status, code), response["json"]

    refused(422, "import_url_refused", url="https://10.0.0.7")
    refused(422, "import_url_refused", url="https://169.254.169.254/latest")
    refused(422, "validation_error", email=None)
    refused(422, "validation_error", token="")
    refused(403, "forbidden", who=AGENT)
    assert zendesk.requests == []  # none of them reached the helpdesk
    nothing_kept(invoke, queue_url)


def test_the_import_commands_check_the_connection_and_import_nothing(
        queue_url: str, zendesk: ZendeskFake, invoke: Invoke, monkeypatch: pytest.MonkeyPatch) -> None:
    """`helpdesk import ... --check`: the same check for an operator's terminal; exit 0 when an import could run."""
    import json

    from typer.testing import CliRunner

    from helpdesk.cli.main import app

    monkeypatch.setenv("ZENDESK_API_TOKEN", TOKEN)
    args = ["import", "zendesk", "--tenant", "acme", "--url", zendesk.url, "--email", EMAIL, "--check"]
    good = CliRunner().invoke(app, args)
    assert good.exit_code == 0, good.output
    assert json.loads(good.stdout) == {"ok": True, "problem": None, "account": {
        "name": "Ada Admin", "email": EMAIL, "admin": True, "tickets": counted()}}

    zendesk.my_role = "agent"
    agent = CliRunner().invoke(app, args)
    assert agent.exit_code == 1
    assert "not ready: Ada Admin is not an admin in Zendesk" in agent.stderr
    monkeypatch.setenv("ZENDESK_API_TOKEN", "wrong")
    wrong = CliRunner().invoke(app, args)
    assert wrong.exit_code == 1
    assert "Zendesk refused the credentials (401)" in wrong.stderr
    assert not any("/incremental/" in r for r in zendesk.requests)  # no ticket was read
    assert invoke("ticket_commands", http_event("GET", "/tickets", claims_=AGENT))["json"]["items"] == []
