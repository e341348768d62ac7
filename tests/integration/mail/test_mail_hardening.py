"""Mail that must never fail silently nor land in the wrong conversation, end to end on moto: hostile
mail is stored within DynamoDB's item limit, failures become quarantine records that can be replayed,
the same mail delivered under many ids at once makes one ticket, and a forged sender cannot write into
an existing ticket."""

import json
import threading
from collections.abc import Callable
from typing import Any

import boto3
import pytest
from typer.testing import CliRunner

from helpdesk import bootstrap
from helpdesk.kernel.principal import system_principal
from helpdesk.mail.ports import MailSettings
from helpdesk.tickets.model import Status
from helpdesk.tickets.ports import TicketQuery
from helpdesk.tickets.service import UpdateTicket
from tests.conftest import claims, http_event

ADMIN = system_principal("acme")
Invoke = Callable[[str, dict[str, Any]], dict[str, Any]]
FORGED = {"spf": "FAIL", "dkim": "FAIL", "dmarc": "FAIL"}


def tickets_of(tenant: str = "acme") -> list[Any]:
    caller = system_principal(tenant)
    return list(bootstrap.container().ticket_service.query(caller, TicketQuery(tenant_id=tenant)).items)


def public_bodies(ticket_id: str) -> list[str]:
    return [str(e.data.get("body")) for e in bootstrap.container().ticket_service.events(ADMIN, ticket_id)
            if e.type == "public_message"]


# -- storing what the parser returns -----------------------------------------------------------


def test_a_450_kb_charset_label_still_makes_a_ticket(mail: Any) -> None:
    """The label used to be copied into the event's defects: the item went over 400 KB on every retry."""
    continuations = b"".join(b' charset*%d="%s";\n' % (i, b"y" * 900) for i in range(500))
    raw = (b"From: Dana <dana@customer.example>\nTo: support@acme.example\nSubject: Printer\n"
           b"Message-ID: <big-label@customer.example>\nMIME-Version: 1.0\nContent-Type: text/plain;\n"
           + continuations + b"\nhall\xf6, the printer jams\n")
    result = mail.deliver(raw, "ses-label")
    assert result["status"] == "created"
    created = bootstrap.container().ticket_service.events(ADMIN, result["ticket_id"])[0]
    assert len(json.dumps(created.data)) < 50_000
    assert all(len(d) <= 200 for d in created.data["defects"])


def test_a_subject_of_invisible_characters_is_no_subject(mail: Any) -> None:
    """Zero-width spaces (here RFC 2047-encoded) are not white space to `str.strip`: the ticket showed in the queue
    as a row without a subject."""
    raw = (b"From: Dana <dana@customer.example>\nTo: support@acme.example\n"
           b"Subject: =?utf-8?b?4oCL4oCL?=\nMessage-ID: <zwsp@customer.example>\n\nthe printer jams\n")
    result = mail.deliver(raw, "ses-zwsp")
    assert result["status"] == "created"
    assert bootstrap.container().ticket_service.get(ADMIN, result["ticket_id"]).subject == "(no subject)"


# -- failures become quarantine records, and replay ------------------------------------------------


@pytest.fixture
def no_local_stack(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    """CLI commands in this process talk to the test's moto, never to a `helpdesk serve` on this machine."""
    monkeypatch.setenv("HELPDESK_HOME", str(tmp_path))


def replay_cli(*args: str) -> list[dict[str, Any]]:
    from helpdesk.cli.main import app

    result = CliRunner().invoke(app, ["mail", "replay", *args])
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.output.splitlines() if line.startswith("{")]


def test_a_mail_that_keeps_failing_is_quarantined_on_the_last_attempt_and_replayed(
        mail: Any, monkeypatch: pytest.MonkeyPatch, invoke: Invoke, no_local_stack: None) -> None:
    tickets = bootstrap.container().ticket_service
    real_create = tickets.create

    def unavailable(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("tickets table unavailable")

    monkeypatch.setattr(tickets, "create", unavailable)
    raw = mail.compose(message_id="fails@customer.example")
    for _ in range(2):  # Lambda's first two attempts raise, so it retries
        with pytest.raises(RuntimeError):
            mail.deliver(raw, "ses-fail")
    last = mail.deliver(raw, "ses-fail")
    assert (last["status"], last["reason"]) == ("quarantined", "failed")
    assert mail.deliver(raw, "ses-fail")["status"] == "duplicate"  # done: no fourth attempt processes it

    listed = invoke("mail_admin", http_event("GET", "/mail/quarantine", claims_=claims("ada", "acme", "admin"),
                                             template="mail_admin/list_quarantine.json"))
    [record] = listed["json"]["items"]
    assert (record["reason"], record["raw_key"]) == ("failed", "inbound/ses-fail")
    assert record["details"]["error"] == "RuntimeError: tickets table unavailable"
    assert record["recipients"] == ["support@acme.example"]

    monkeypatch.setattr(tickets, "create", real_create)  # the cause is fixed
    [replayed] = replay_cli("--tenant", "acme", "--reason", "failed")
    assert replayed["status"] == "created"
    [ticket] = tickets_of()
    assert ticket.id == replayed["ticket_id"]
    assert [a.get("Subject") for a in mail.sent()] == [f"Re: [{mail.tag(1)}] Printer jammed"]
    [resolved] = bootstrap.container().mail_records.quarantined("acme")
    assert resolved.resolution is not None
    assert resolved.resolution["ticket_number"] == "T-000001"
    assert replay_cli("--tenant", "acme", "--reason", "failed") == []  # resolved records are not replayed again


class Killed(BaseException):
    """What a Lambda timeout looks like from inside: nothing after it runs."""


def test_a_last_attempt_that_dies_leaves_its_record(mail: Any, monkeypatch: pytest.MonkeyPatch,
                                                    no_local_stack: None) -> None:
    ingest = bootstrap.container().mail_ingest
    real_process = ingest._process
    attempts: list[int] = []

    def dies(*args: Any, **kwargs: Any) -> Any:
        attempts.append(1)
        raise Killed() if len(attempts) == 3 else RuntimeError("slow dependency")

    import helpdesk.mail.service as service

    monkeypatch.setattr(service, "DELIVERY_LEASE_SECONDS", -1)  # each dead attempt's lease runs out at once
    monkeypatch.setattr(ingest, "_process", dies)
    raw = mail.compose(message_id="dies@customer.example")
    for error in (RuntimeError, RuntimeError, Killed):
        with pytest.raises(error):
            mail.deliver(raw, "ses-dies")
    [record] = bootstrap.container().mail_records.quarantined("acme")
    assert (record.reason, record.raw_key, record.resolution) == ("failing", "inbound/ses-dies", None)
    assert record.details["attempts"] == 3

    monkeypatch.setattr(ingest, "_process", real_process)
    [replayed] = replay_cli("--tenant", "acme", "ses-dies")
    assert replayed["status"] == "created"
    assert len(tickets_of()) == 1


def test_replay_of_unknown_or_unrouted_mail(mail: Any, no_local_stack: None) -> None:
    from helpdesk.cli.main import app

    missing = CliRunner().invoke(app, ["mail", "replay", "--tenant", "acme", "nope"])
    assert missing.exit_code == 1
    assert json.loads(missing.output)["error"] == "not_found"
    result = mail.deliver(mail.compose(), "ses-lost", recipients=["sales@acme.example"])
    assert result["reason"] == "unknown_recipient"
    # the operator finds it among the mail no tenant claimed, by the address it was sent to
    listed = CliRunner().invoke(app, ["mail", "quarantine", "--tenant", "_unrouted", "--search", "SALES@acme"])
    assert [json.loads(line)["delivery_id"] for line in listed.output.splitlines()] == ["ses-lost"], listed.output
    nothing = CliRunner().invoke(app, ["mail", "quarantine", "--tenant", "_unrouted", "--search", "billing"])
    assert (nothing.exit_code, nothing.output) == (0, "")
    bootstrap.container().mail_records.set_inbound_address("sales@acme.example", "acme")  # the route is added
    [replayed] = replay_cli("--tenant", "_unrouted", "ses-lost")
    assert (replayed["status"], replayed["tenant_id"]) == ("created", "acme")


# -- exactly once under concurrency ----------------------------------------------------------------


@pytest.fixture
def serial_moto(monkeypatch: pytest.MonkeyPatch) -> None:
    """One request at a time, as each DynamoDB request is atomic in AWS: in-process moto evaluates a
    conditional write and applies it in separate steps, which threads could interleave."""
    from moto.core.botocore_stubber import BotocoreStubber

    lock = threading.RLock()
    real = BotocoreStubber.process_request

    def one_at_a_time(self: BotocoreStubber, request: Any) -> Any:
        with lock:
            return real(self, request)

    monkeypatch.setattr(BotocoreStubber, "process_request", one_at_a_time)


class BarrierRecords:
    """The real mail records, but every delivery waits at its first settings read (after parsing and
    routing, before it decides anything) until all deliveries got there: the worst interleaving."""

    def __init__(self, records: Any, parties: int) -> None:
        self._records, self._barrier, self._waited = records, threading.Barrier(parties), threading.local()

    def settings(self, tenant_id: str) -> MailSettings:
        if not getattr(self._waited, "done", False):
            self._waited.done = True
            self._barrier.wait(timeout=30)
        result: MailSettings = self._records.settings(tenant_id)
        return result

    def __getattr__(self, name: str) -> Any:
        return getattr(self._records, name)


@pytest.fixture
def parallel(mail: Any, serial_moto: None) -> Callable[[list[dict[str, Any]]], list[Any]]:
    from helpdesk.mail.events import handle_ses_event

    ingest = bootstrap.container().mail_ingest
    real = ingest.records

    def run(events: list[dict[str, Any]]) -> list[Any]:
        ingest.records = BarrierRecords(real, len(events))
        results: list[Any] = []
        errors: list[BaseException] = []

        def deliver(event: dict[str, Any]) -> None:
            try:
                results.extend(handle_ses_event(event, ingest))
            except BaseException as exc:  # surfaced below
                errors.append(exc)

        threads = [threading.Thread(target=deliver, args=(event,)) for event in events]
        try:
            for t in threads:
                t.start()
            for t in threads:
                t.join(timeout=120)
        finally:
            ingest.records = real
        assert not errors, errors
        return results

    return run


def test_the_same_mail_under_10_ses_ids_at_once_makes_one_ticket_and_one_acknowledgement(
        mail: Any, parallel: Callable[[list[dict[str, Any]]], list[Any]]) -> None:
    raw = mail.compose(message_id="once@customer.example")
    s3 = boto3.client("s3")
    for i in range(10):
        s3.put_object(Bucket=mail.bucket, Key=f"inbound/ses-par-{i}", Body=raw)
    results = parallel([mail.ses_receipt(f"ses-par-{i}") for i in range(10)])
    assert sorted(r.status for r in results) == ["created"] + ["duplicate"] * 9
    assert len(tickets_of()) == 1
    assert len(mail.sent()) == 1  # one acknowledgement


def test_the_same_mail_without_message_id_is_also_claimed_once(
        mail: Any, parallel: Callable[[list[dict[str, Any]]], list[Any]]) -> None:
    raw = (b"From: dana@customer.example\nTo: support@acme.example\nSubject: no id\n"
           b"Date: Mon, 1 Jun 2026 10:00:00 +0000\n\nhelp\n")
    s3 = boto3.client("s3")
    for i in range(4):
        s3.put_object(Bucket=mail.bucket, Key=f"inbound/ses-noid-{i}", Body=raw)
    results = parallel([mail.ses_receipt(f"ses-noid-{i}") for i in range(4)])
    assert sorted(r.status for r in results) == ["created", "duplicate", "duplicate", "duplicate"]
    other = raw.replace(b"help\n", b"help again\n")  # different text: a different mail
    assert mail.deliver(other, "ses-noid-other")["status"] == "created"


def test_a_failed_holder_does_not_block_the_same_mail_arriving_again(
        mail: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """The local SMTP path has no retries under the same id: a second delivery of the mail takes it over."""
    tickets = bootstrap.container().ticket_service
    real_create = tickets.create
    monkeypatch.setattr(tickets, "create", lambda *a, **k: (_ for _ in ()).throw(RuntimeError("down")))
    raw = mail.compose(message_id="again@customer.example")
    with pytest.raises(RuntimeError):
        mail.deliver(raw, "ses-first")
    monkeypatch.setattr(tickets, "create", real_create)
    assert mail.deliver(raw, "ses-second")["status"] == "created"
    assert mail.deliver(raw, "ses-first")["status"] == "duplicate"  # the first one's retry finds it done


# -- sender authentication and ticket tags -------------------------------------------------------


def test_a_forged_reply_cannot_join_or_reopen_a_ticket(mail: Any) -> None:
    first = mail.deliver(mail.compose(message_id="m1@customer.example"), "ses-1")
    bootstrap.container().ticket_service.update(ADMIN, first["ticket_id"], UpdateTicket(status=Status.PENDING))
    forged = mail.compose(subject=f"Re: [{mail.tag(1)}] Printer jammed", body="Please send the invoice to me",
                          message_id="forged@evil.example", in_reply_to="m1@customer.example",
                          headers={"Cc": "mallory@evil.example"})
    result = mail.deliver(forged, "ses-forged", verdicts=FORGED)
    assert result["status"] == "created"
    assert result["ticket_id"] != first["ticket_id"]
    flagged = bootstrap.container().ticket_service.get(ADMIN, result["ticket_id"])
    assert "unverified-sender" in flagged.tags
    assert flagged.participants == ["dana@customer.example"]  # nobody the forger copied
    original = bootstrap.container().ticket_service.get(ADMIN, first["ticket_id"])
    assert original.status == Status.PENDING  # not reopened
    assert public_bodies(first["ticket_id"]) == []
    assert len(mail.sent()) == 1  # the first mail's acknowledgement; none to a forged address

    reject = mail.compose(subject=f"Re: [{mail.tag(1)}] Printer jammed", body="Only DMARC failed",
                          message_id="reject@evil.example", in_reply_to="m1@customer.example")
    result = mail.deliver(reject, "ses-reject", verdicts={"spf": "PASS", "dmarc": "FAIL"}, dmarc_policy="reject")
    assert result["ticket_id"] not in (first["ticket_id"], None)
    softer = mail.compose(subject=f"Re: [{mail.tag(1)}] Printer jammed", body="DMARC failed, policy none",
                          message_id="none@customer.example", in_reply_to="m1@customer.example")
    kept = mail.deliver(softer, "ses-none", verdicts={"spf": "PASS", "dmarc": "FAIL"}, dmarc_policy="none")
    assert (kept["status"], kept["ticket_id"]) == ("appended", first["ticket_id"])


def test_forged_replies_are_quarantined_when_the_tenant_says_so(mail: Any) -> None:
    first = mail.deliver(mail.compose(message_id="m1@customer.example"), "ses-1")
    bootstrap.container().mail_records.put_settings("acme", MailSettings(unauthenticated_reply="quarantine"))
    forged = mail.compose(subject=f"Re: [{mail.tag(1)}] Printer jammed", message_id="forged@evil.example",
                          in_reply_to="m1@customer.example")
    result = mail.deliver(forged, "ses-forged", verdicts=FORGED)
    assert (result["status"], result["reason"]) == ("quarantined", "unauthenticated_reply")
    assert public_bodies(first["ticket_id"]) == []
    assert len(tickets_of()) == 1


def test_a_ticket_number_alone_no_longer_threads(mail: Any) -> None:
    first = mail.deliver(mail.compose(message_id="m1@customer.example"), "ses-1")
    guessed = mail.deliver(mail.compose(subject="Re: [T-000001] Printer jammed", body="by number only",
                                        message_id="m2@customer.example"), "ses-2")
    assert guessed["status"] == "created"
    wrong = mail.deliver(mail.compose(subject="Re: [T-000001-aaaaaa] Printer jammed", body="wrong code",
                                      message_id="m3@customer.example"), "ses-3")
    assert wrong["status"] == "created"
    coded = mail.deliver(mail.compose(subject=f"Re: [{mail.tag(1)}] Printer jammed", body="with its code",
                                      message_id="m4@customer.example"), "ses-4")
    assert (coded["status"], coded["ticket_id"]) == ("appended", first["ticket_id"])
    # an old tag still threads when the mail answers one of the ticket's stored Message-IDs
    old = mail.deliver(mail.compose(subject="Re: [T-000001] Printer jammed", body="old client",
                                    message_id="m5@customer.example", in_reply_to="m1@customer.example"), "ses-5")
    assert (old["status"], old["ticket_id"]) == ("appended", first["ticket_id"])
    assert public_bodies(first["ticket_id"]) == ["with its code", "old client"]
