"""`Idempotency-Key` on POSTs through the real lambda_handlers (Powertools' DynamoDB layer on moto)."""

import threading
from collections.abc import Callable
from typing import Any

import boto3

from tests.conftest import claims, http_event

Invoke = Callable[[str, dict[str, Any]], dict[str, Any]]

AGENT = claims("a1", "acme", "agent")
OTHER_AGENT = claims("a2", "acme", "agent")
FOREIGN_AGENT = claims("a1", "zeta", "agent")
TICKET = {"subject": "Printer on fire", "description": "Third floor"}


def post(invoke: Invoke, path: str, body: Any, who: dict[str, Any], key: str | None,
         function: str = "ticket_commands") -> dict[str, Any]:
    headers = {"idempotency-key": key} if key is not None else None
    return invoke(function, http_event("POST", path, body=body, claims_=who, headers=headers))


def ticket_ids(invoke: Invoke, who: dict[str, Any] = AGENT) -> list[str]:
    listed = invoke("ticket_commands", http_event("GET", "/tickets", claims_=who))
    return [t["id"] for t in listed["json"]["items"]]


def test_a_retry_with_the_same_key_gets_the_first_response_and_one_ticket(aws: None, invoke: Invoke) -> None:
    first = post(invoke, "/tickets", TICKET, AGENT, "k-1")
    again = post(invoke, "/tickets", TICKET, AGENT, "k-1")
    assert (first["statusCode"], again["statusCode"]) == (201, 201)
    assert again["json"] == first["json"]
    assert again["headers"]["location"] == first["headers"]["location"]
    assert again["headers"].get("idempotent-replayed") == "true"  # not the 409 a second create would get
    assert "idempotent-replayed" not in first["headers"]
    assert ticket_ids(invoke) == [first["json"]["id"]]


def test_the_same_key_with_another_body_or_route_is_422(aws: None, invoke: Invoke) -> None:
    first = post(invoke, "/tickets", TICKET, AGENT, "k-2")
    other = post(invoke, "/tickets", {**TICKET, "subject": "Printer fine now"}, AGENT, "k-2")
    assert other["statusCode"] == 422
    assert other["json"]["error"]["code"] == "idempotency_key_reused"
    elsewhere = post(invoke, f"/tickets/{first['json']['id']}/messages", {"body": "On it"}, AGENT, "k-2")
    assert elsewhere["statusCode"] == 422
    assert ticket_ids(invoke) == [first["json"]["id"]]


def test_keys_are_per_caller_and_tenant(aws: None, invoke: Invoke) -> None:
    mine = post(invoke, "/tickets", TICKET, AGENT, "shared")
    theirs = post(invoke, "/tickets", TICKET, OTHER_AGENT, "shared")
    foreign = post(invoke, "/tickets", TICKET, FOREIGN_AGENT, "shared")
    assert {mine["statusCode"], theirs["statusCode"], foreign["statusCode"]} == {201}
    assert len({mine["json"]["id"], theirs["json"]["id"], foreign["json"]["id"]}) == 3
    assert foreign["json"]["number"] == "T-000001"  # the other tenant's first ticket, not acme's answer


def test_errors_are_not_kept_and_bad_keys_are_400(aws: None, invoke: Invoke) -> None:
    refused = post(invoke, "/tickets", {"subject": ""}, AGENT, "k-3")
    assert refused["statusCode"] == 422
    assert refused["json"]["error"]["code"] == "validation_error"
    fixed = post(invoke, "/tickets", TICKET, AGENT, "k-3")  # same key, corrected body: runs, as nothing was kept
    assert fixed["statusCode"] == 201
    bad = post(invoke, "/tickets", TICKET, AGENT, "é" * 3)
    assert bad["statusCode"] == 400
    assert bad["json"]["error"]["code"] == "invalid_idempotency_key"
    assert post(invoke, "/tickets", TICKET, AGENT, "x" * 256)["statusCode"] == 400
    assert len(ticket_ids(invoke)) == 1


def test_without_the_header_every_post_runs(aws: None, invoke: Invoke) -> None:
    post(invoke, "/tickets", TICKET, AGENT, None)
    post(invoke, "/tickets", TICKET, AGENT, None)
    assert len(ticket_ids(invoke)) == 2


def test_a_retry_while_the_first_still_runs_is_409(aws: None, invoke: Invoke) -> None:
    from helpdesk.bootstrap import container

    service = container().ticket_service
    entered, release = threading.Event(), threading.Event()
    original = service.create

    def slow_create(*args: Any, **kwargs: Any) -> Any:
        entered.set()
        release.wait(10)
        return original(*args, **kwargs)

    service.create = slow_create  # type: ignore[method-assign]
    results: list[dict[str, Any]] = []
    first = threading.Thread(target=lambda: results.append(post(invoke, "/tickets", TICKET, AGENT, "k-4")))
    first.start()
    assert entered.wait(10)
    service.create = original  # type: ignore[method-assign]
    try:
        during = post(invoke, "/tickets", TICKET, AGENT, "k-4")
    finally:
        release.set()
        first.join(10)
    assert during["statusCode"] == 409
    assert during["json"]["error"]["code"] == "idempotency_in_progress"
    assert results[0]["statusCode"] == 201
    assert post(invoke, "/tickets", TICKET, AGENT, "k-4")["json"]["id"] == results[0]["json"]["id"]


def test_records_live_in_the_meta_table_under_the_callers_partition(aws: None, invoke: Invoke) -> None:
    post(invoke, "/tickets", TICKET, AGENT, "k-5")
    items = boto3.client("dynamodb").scan(TableName="helpdesk-meta")["Items"]
    records = [i for i in items if i["pk"]["S"].startswith("IDEMPOTENCY#acme#")]
    assert len(records) == 1
    assert records[0]["sk"]["S"].startswith("v1#")
    assert records[0]["status"]["S"] == "COMPLETED"
    assert int(records[0]["expires_at"]["N"]) > 0


def test_other_apis_take_the_key_too(aws: None, invoke: Invoke) -> None:
    admin = claims("root", "acme", "admin")
    calendar = {"id": "office", "name": "Office", "timezone": "Europe/Berlin",
                "hours": {"mon": [{"start": "09:00", "end": "17:00"}]}}
    first = post(invoke, "/sla/calendars", calendar, admin, "cal-1", function="sla_api")
    again = post(invoke, "/sla/calendars", calendar, admin, "cal-1", function="sla_api")
    assert first["statusCode"] == 201, first["json"]
    assert again["json"] == first["json"]
    assert again["headers"].get("idempotent-replayed") == "true"  # not the 409 a second create would get
