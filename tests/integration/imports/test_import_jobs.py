"""Imports started from the console: `POST /imports` (the imports API's real handler) keeps the token in Secrets
Manager and queues the job; the import worker's real handler takes it up from the SQS queue (moto) and reads the
small Zendesk account on loopback (`tests/zendesk_fake.py`), in as many rounds as its time allows."""

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import boto3
import pytest

from helpdesk import bootstrap
from tests.conftest import FakeLambdaContext, claims, http_event, rebuild
from tests.iam_calls import Call, denied
from tests.zendesk_fake import EMAIL, TOKEN, ZendeskFake, counted

Invoke = Callable[..., dict[str, Any]]
ADA = claims("ada", "acme", "admin", email="ada@acme.example")
AGENT = claims("alice", "acme", "agent", email="alice@acme.example")
QUEUE = "helpdesk-imports"


@pytest.fixture
def queue_url(importing_team: None, monkeypatch: pytest.MonkeyPatch) -> str:
    url: str = boto3.client("sqs").create_queue(QueueName=QUEUE, Attributes={"VisibilityTimeout": "960"})["QueueUrl"]
    monkeypatch.setenv("HELPDESK_IMPORTS_QUEUE_URL", url)
    monkeypatch.setenv("HELPDESK_IMPORTS_ALLOW_LOOPBACK", "true")
    monkeypatch.setenv("HELPDESK_IMPORTS_ROUND_MARGIN_S", "60")
    rebuild()
    return url


@dataclass
class Clockwork(FakeLambdaContext):
    """A Lambda context whose time runs out after `calls` questions (the round asks before every ticket)."""

    calls: int = 1_000_000

    def get_remaining_time_in_millis(self) -> int:
        self.calls -= 1
        return 900_000 if self.calls > 0 else 30_000


def start(invoke: Invoke, zendesk: ZendeskFake, who: dict[str, Any] = ADA, **body: Any) -> dict[str, Any]:
    payload = {"source": "zendesk", "url": zendesk.url, "email": EMAIL, "token": TOKEN, **body}
    return invoke("imports_api", http_event("POST", "/imports", body=payload, claims_=who))


def get(invoke: Invoke, job_id: str) -> dict[str, Any]:
    response = invoke("imports_api", http_event("GET", f"/imports/{job_id}", claims_=ADA))
    assert response["statusCode"] == 200, response["json"]
    job: dict[str, Any] = response["json"]
    return job


def work(invoke: Invoke, queue_url: str, context: Any = None) -> int:
    """Deliver what waits on the import queue to the worker's handler, as Lambda's event source mapping does (with
    the times SQS handed each out); returns how many messages it took."""
    from tests.conftest import load_function

    sqs = boto3.client("sqs")
    messages = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10,
                                   MessageSystemAttributeNames=["ApproximateReceiveCount"]).get("Messages", [])
    for m in messages:
        event = {"Records": [{"messageId": m["MessageId"], "receiptHandle": m["ReceiptHandle"], "body": m["Body"],
                              "attributes": m["Attributes"], "messageAttributes": {}, "md5OfBody": m["MD5OfBody"],
                              "eventSource": "aws:sqs", "awsRegion": "us-east-1",
                              "eventSourceARN": f"arn:aws:sqs:us-east-1:123456789012:{QUEUE}"}]}
        answer = load_function("import_worker").lambda_handler(event, context or Clockwork())
        assert answer == {"batchItemFailures": []}
        sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=m["ReceiptHandle"])
    return len(messages)


def secrets() -> list[str]:
    return [s["Name"] for s in boto3.client("secretsmanager").list_secrets()["SecretList"]]


def test_an_admin_imports_from_zendesk_and_the_token_is_kept_only_while_it_runs(
        queue_url: str, zendesk: ZendeskFake, invoke: Invoke) -> None:
    started = start(invoke, zendesk, macros=False)
    assert started["statusCode"] == 202, started["json"]
    job = started["json"]
    assert (job["status"], job["source"], job["url"], job["email"]) == ("queued", "zendesk", zendesk.url, EMAIL)
    assert started["headers"]["location"] == f"/imports/{job['id']}"
    assert TOKEN not in started["body"]
    [secret] = secrets()
    assert secret == f"helpdesk/imports/acme/{job['id']}"
    assert boto3.client("secretsmanager").get_secret_value(SecretId=secret)["SecretString"] == TOKEN

    assert work(invoke, queue_url) == 1
    done = get(invoke, job["id"])
    assert (done["status"], done["rounds"], done["error"]) == ("done", 1, None)
    assert done["progress"] == {"tickets_imported": 3, "already_imported": 0, "tickets_failed": 0,
                                "tickets_total": counted()}
    report = done["report"]
    assert (report["tickets_imported"], report["messages"], report["organizations_created"]) == (3, 7, 2)
    assert report["macros"] is None  # not asked for
    assert report["views"]["created"] > 0
    assert report["sla_policies"] is not None
    assert report["triggers"] is not None
    assert done["parts_done"] == ["views", "sla", "triggers", "articles"]
    assert secrets() == []  # deleted with the job's end
    assert work(invoke, queue_url) == 0  # nothing queued again

    listed = invoke("ticket_commands", http_event("GET", "/tickets", claims_=AGENT, query={"limit": "10"}))["json"]
    assert {t["subject"] for t in listed["items"]} == {"Invoice shows the wrong VAT", "Cannot log in",
                                                       "Called about a refund."}
    jobs = invoke("imports_api", http_event("GET", "/imports", claims_=ADA))["json"]["items"]
    assert [j["id"] for j in jobs] == [job["id"]]
    assert TOKEN not in json.dumps(jobs)
    audit = invoke("audit_api", http_event("GET", "/audit", claims_=ADA))["json"]["items"]
    assert any(e["kind"] == "import.job" and e["actor"] == "ada" for e in audit)


def test_a_round_out_of_time_queues_the_job_again_and_the_next_goes_on(
        queue_url: str, zendesk: ZendeskFake, invoke: Invoke) -> None:
    job = start(invoke, zendesk)["json"]
    assert work(invoke, queue_url, Clockwork(calls=3)) == 1  # time for two tickets only: the first page's
    between = get(invoke, job["id"])
    assert (between["status"], between["rounds"], between["tickets_done"]) == ("running", 1, False)
    assert between["progress"]["tickets_imported"] == 2
    assert between["progress"]["tickets_total"] == counted()  # Zendesk's count, for the screen's progress
    assert between["tickets_at"]["page"].endswith("cursor=2")  # the export's second page, where it stopped
    assert len(secrets()) == 1

    asked_before = len(zendesk.requests)
    assert work(invoke, queue_url) == 1  # the job it queued again
    exported = [r for r in zendesk.requests[asked_before:] if "/incremental/tickets/" in r]
    assert exported == ["/api/v2/incremental/tickets/cursor.json?cursor=2"]  # on from there, not from the start
    done = get(invoke, job["id"])
    assert (done["status"], done["rounds"]) == ("done", 2)
    report = done["report"]
    # the same as one long round: the second round's skips of the first one's tickets are not "there already"
    assert (report["tickets_imported"], report["already_imported"], report["messages"],
            report["organizations_created"], report["organizations_matched"]) == (3, 0, 7, 2, 0)
    assert report["macros"]["created"] > 0
    assert secrets() == []


def test_the_parts_after_the_tickets_wait_for_the_next_round_when_time_is_short(
        queue_url: str, zendesk: ZendeskFake, invoke: Invoke) -> None:
    job = start(invoke, zendesk)["json"]
    assert work(invoke, queue_url, Clockwork(calls=5)) == 1  # all four tickets read (the deleted one too), then out
    between = get(invoke, job["id"])
    assert (between["status"], between["tickets_done"], between["parts_done"]) == ("running", True, [])
    assert work(invoke, queue_url) == 1
    done = get(invoke, job["id"])
    assert (done["status"], done["parts_done"]) == ("done", ["macros", "views", "sla", "triggers", "articles"])
    assert done["report"]["tickets_imported"] == 3


def test_wrong_credentials_fail_the_job_with_the_reason_and_the_token_is_deleted(
        queue_url: str, zendesk: ZendeskFake, invoke: Invoke) -> None:
    job = start(invoke, zendesk, token="not-the-token")["json"]
    work(invoke, queue_url)
    failed = get(invoke, job["id"])
    assert failed["status"] == "failed"
    assert "API token" in failed["error"], failed["error"]
    assert failed["finished_at"] is not None
    assert secrets() == []
    again = start(invoke, zendesk)  # a failed import does not block the next
    assert again["statusCode"] == 202


def test_a_cancelled_import_stops_and_forgets_its_token(
        queue_url: str, zendesk: ZendeskFake, invoke: Invoke) -> None:
    job = start(invoke, zendesk)["json"]
    cancelled = invoke("imports_api", http_event("POST", f"/imports/{job['id']}/cancel", claims_=ADA))
    assert cancelled["statusCode"] == 200
    assert cancelled["json"]["status"] == "cancelled"
    assert secrets() == []
    work(invoke, queue_url)  # the message already queued finds the job cancelled
    assert get(invoke, job["id"])["rounds"] == 0
    assert invoke("ticket_commands", http_event("GET", "/tickets", claims_=AGENT))["json"]["items"] == []


def test_bad_requests_are_refused_with_the_reason_and_nothing_is_kept(
        queue_url: str, zendesk: ZendeskFake, invoke: Invoke) -> None:
    def refused(status: int, code: str, **body: Any) -> None:
        response = start(invoke, zendesk, **body)
        assert (response["statusCode"], response["json"]["error"]["code"]) == (status, code), response["json"]

    refused(422, "validation_error", email=None)  # Zendesk needs the admin's address, named where the form shows it
    assert start(invoke, zendesk, email=None)["json"]["error"]["details"]["errors"][0]["loc"] == ["body", "email"]
    refused(422, "validation_error", source="zammad")  # ... and Zammad takes none
    refused(422, "validation_error", source="osticket")
    refused(422, "validation_error", token="")
    refused(422, "validation_error", limit=0)
    refused(422, "import_url_refused", url="https://10.0.0.7")  # into the function's own network
    refused(422, "import_url_refused", url="https://169.254.169.254/latest")  # the metadata service
    refused(422, "import_url_refused", url="ftp://acme.example")
    agent = start(invoke, zendesk, who=AGENT)
    assert agent["statusCode"] == 403
    assert secrets() == []
    assert work(invoke, queue_url) == 0

    first = start(invoke, zendesk)
    refused(409, "import_running")  # one at a time: two would race over the same tickets
    assert len(secrets()) == 1
    assert invoke("imports_api", http_event("GET", "/imports/nope", claims_=ADA))["statusCode"] == 404
    other = claims("olga", "globex", "admin")
    assert invoke("imports_api", http_event("GET", f"/imports/{first['json']['id']}", claims_=other))[
        "statusCode"] == 404  # another tenant's admin


def test_the_imports_api_and_the_worker_make_only_calls_their_policies_allow(
        queue_url: str, zendesk: ZendeskFake, invoke: Invoke, recorded: list[Call]) -> None:
    checked = invoke("imports_api", http_event("POST", "/imports/check", claims_=ADA, body={
        "source": "zendesk", "url": zendesk.url, "email": EMAIL, "token": TOKEN}))
    assert checked["json"]["ok"] is True
    job = start(invoke, zendesk)["json"]
    get(invoke, job["id"])
    invoke("imports_api", http_event("GET", "/imports", claims_=ADA))
    assert denied("ImportsApiFunction", recorded) == []
    recorded.clear()
    work(invoke, queue_url, Clockwork(calls=3))
    work(invoke, queue_url)
    assert get(invoke, job["id"])["status"] == "done"
    worker_calls = recorded[:-2]  # the last GET is the API's
    assert denied("ImportWorkerFunction", worker_calls) == []
    recorded.clear()
    invoke("imports_api", http_event("POST", f"/imports/{job['id']}/cancel", claims_=ADA))
    assert denied("ImportsApiFunction", recorded) == []
    assert bootstrap.container().settings.imports.queue_url == queue_url


def test_a_running_import_no_round_will_take_up_again_does_not_block_the_next(
        queue_url: str, zendesk: ZendeskFake, invoke: Invoke) -> None:
    """A round the worker crashed on three times is in the dead-letter queue; its job would say "running" for ever and
    refuse every new import (409). Once no round has saved it for `STALE_AFTER`, the next start ends it as failed."""
    from datetime import UTC, datetime, timedelta

    from helpdesk.imports.adapters.dynamo_jobs import DynamoImportJobStore
    from helpdesk.imports.job_service import STALE_AFTER

    store = DynamoImportJobStore(bootstrap.container().tables)
    first = start(invoke, zendesk)["json"]

    def running_since(ago: timedelta) -> None:
        found = store.get("acme", first["id"])
        assert found is not None
        job, version = found
        job.status, job.rounds, job.saved_at = "running", 1, datetime.now(UTC) - ago
        store.put(job, version)

    running_since(timedelta(minutes=5))  # alive: a round saved it lately
    assert start(invoke, zendesk)["statusCode"] == 409
    running_since(STALE_AFTER + timedelta(minutes=1))
    second = start(invoke, zendesk)
    assert second["statusCode"] == 202, second["json"]
    given_up = get(invoke, first["id"])
    assert given_up["status"] == "failed"
    assert "dead-letter queue" in given_up["error"]
    assert secrets() == [f"helpdesk/imports/acme/{second['json']['id']}"]  # the first one's token is gone


def test_a_round_the_lambda_stopped_on_three_times_ends_its_job_on_the_next_delivery(
        queue_url: str, zendesk: ZendeskFake, invoke: Invoke) -> None:
    """A round that ran out of time or memory ends without a word of ours; SQS hands it out again after its visibility
    timeout. The delivery after `TRIES` such stops ends the job as failed, saying why, and deletes its token: the
    admin is not left with "running" for ever (and the next import is not refused)."""
    from helpdesk.imports.job_service import TRIES
    from tests.template import load_template

    template_queue = load_template()["Resources"]["ImportQueue"]["Properties"]
    assert template_queue["RedrivePolicy"]["maxReceiveCount"] == TRIES + 1
    job = start(invoke, zendesk)["json"]
    sqs = boto3.client("sqs")
    for _ in range(TRIES):  # each delivery "crashes": received, never deleted, handed out again
        crashed = sqs.receive_message(QueueUrl=queue_url)["Messages"]
        sqs.change_message_visibility(QueueUrl=queue_url, ReceiptHandle=crashed[0]["ReceiptHandle"],
                                      VisibilityTimeout=0)
    assert work(invoke, queue_url) == 1  # the fourth delivery
    failed = get(invoke, job["id"])
    assert failed["status"] == "failed"
    assert failed["rounds"] == 0
    assert f"stopped {TRIES} times" in failed["error"], failed["error"]
    assert secrets() == []
    assert start(invoke, zendesk)["statusCode"] == 202


def test_a_round_handed_out_again_within_its_tries_goes_on(
        queue_url: str, zendesk: ZendeskFake, invoke: Invoke) -> None:
    job = start(invoke, zendesk, macros=False, views=False, sla=False, triggers=False, articles=False)["json"]
    sqs = boto3.client("sqs")
    crashed = sqs.receive_message(QueueUrl=queue_url)["Messages"]
    sqs.change_message_visibility(QueueUrl=queue_url, ReceiptHandle=crashed[0]["ReceiptHandle"], VisibilityTimeout=0)
    assert work(invoke, queue_url) == 1  # the second delivery
    assert get(invoke, job["id"])["status"] == "done"


def test_the_tickets_to_read_are_counted_only_when_the_import_reads_them_all(
        queue_url: str, zendesk: ZendeskFake, invoke: Invoke) -> None:
    trial = start(invoke, zendesk, limit=2, macros=False, views=False, sla=False, triggers=False,
                  articles=False)["json"]
    work(invoke, queue_url)
    assert get(invoke, trial["id"])["progress"]["tickets_total"] == 2  # at most the limit
    since = start(invoke, zendesk, since="2025-03-01T00:00:00Z", macros=False, views=False, sla=False,
                  triggers=False, articles=False)["json"]
    work(invoke, queue_url)
    assert get(invoke, since["id"])["progress"]["tickets_total"] is None  # Zendesk counts all, not those since


def test_the_local_stacks_import_queue_is_the_templates(aws: None) -> None:
    """`make serve` makes the import queue itself: the same deliveries and visibility as the template's."""
    from helpdesk.imports.local import ensure_import_queue
    from tests.template import load_template

    url = ensure_import_queue("https://sqs.us-east-1.amazonaws.com/123456789012/helpdesk-imports")
    attributes = boto3.client("sqs").get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    template_queue = load_template()["Resources"]["ImportQueue"]["Properties"]
    assert int(json.loads(attributes["RedrivePolicy"])["maxReceiveCount"]) == template_queue["RedrivePolicy"][
        "maxReceiveCount"]
    assert int(attributes["VisibilityTimeout"]) == template_queue["VisibilityTimeout"]
