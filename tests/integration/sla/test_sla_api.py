"""The SLA admin and report API through the real lambda_handler on moto."""

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from helpdesk import bootstrap
from helpdesk.kernel.clock import FixedClock, system_clock
from helpdesk.kernel.principal import Principal, Role
from helpdesk.platform.dynamo.tenant_document import TenantDocument
from helpdesk.sla.adapters.dynamo import DynamoSlaSettingsStore
from helpdesk.sla.calendar import BusinessCalendar
from helpdesk.tickets.model import Priority, Requester
from helpdesk.tickets.service import CreateTicket, TicketService
from tests.conftest import EVENTS, claims, http_event

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "sla"
ADMIN = claims("ada", "acme", "admin")
AGENT = claims("alex", "acme", "agent")
CUSTOMER = claims("cy", "acme", "customer")
Invoke = Callable[..., dict[str, Any]]


def call(invoke: Invoke, method: str, path: str, who: dict[str, Any] | None, body: Any = None,
         query: dict[str, str] | None = None, if_match: str | None = None) -> dict[str, Any]:
    return invoke("sla_api", http_event(method, path, body=body, claims_=who, query=query,
                                        headers={"if-match": if_match} if if_match else None,
                                        template="sla_api/list_policies.json"))


def office() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((FIXTURES / "office_calendar.json").read_text())
    return data


def policy(**changes: Any) -> dict[str, Any]:
    body = json.loads((EVENTS / "sla_api" / "create_policy.json").read_text())["body"]
    return {**json.loads(body), **changes}


def test_a_fresh_tenant_has_the_default_policy_on_a_24x7_calendar(aws: None, invoke: Invoke) -> None:
    policies = call(invoke, "GET", "/sla/policies", AGENT)
    assert policies["statusCode"] == 200
    assert [p["id"] for p in policies["json"]] == ["default"]
    assert policies["json"][0]["targets"]["urgent"] == {
        "first_response_minutes": 60, "next_response_minutes": 60, "resolution_minutes": 240}
    calendars = call(invoke, "GET", "/sla/calendars", AGENT)["json"]
    assert [(c["id"], c["timezone"]) for c in calendars] == [("24x7", "UTC")]


def test_admins_manage_calendars_and_policies(aws: None, invoke: Invoke) -> None:
    created = invoke("sla_api", json.loads((EVENTS / "sla_api" / "create_calendar.json").read_text()))
    assert created["statusCode"] == 201
    assert call(invoke, "POST", "/sla/calendars", ADMIN, office())["statusCode"] == 409
    assert call(invoke, "POST", "/sla/policies", ADMIN, policy())["statusCode"] == 201
    assert [p["id"] for p in call(invoke, "GET", "/sla/policies", ADMIN)["json"]] == ["office-vip", "default"]

    updated = call(invoke, "PUT", "/sla/policies/office-vip", ADMIN, policy(warning_minutes=10))
    assert (updated["statusCode"], updated["json"]["warning_minutes"]) == (200, 10)
    assert call(invoke, "PUT", "/sla/policies/other", ADMIN, policy())["json"]["error"]["code"] == "id_mismatch"

    in_use = call(invoke, "DELETE", "/sla/calendars/office", ADMIN)
    assert (in_use["statusCode"], in_use["json"]["error"]["details"]) == (409, {"policies": ["office-vip"]})
    assert call(invoke, "DELETE", "/sla/policies/office-vip", ADMIN)["statusCode"] == 204
    assert call(invoke, "GET", "/sla/policies/office-vip", ADMIN)["statusCode"] == 404
    assert call(invoke, "DELETE", "/sla/calendars/office", ADMIN)["statusCode"] == 204


def test_only_admins_write_and_customers_see_nothing(aws: None, invoke: Invoke) -> None:
    assert call(invoke, "POST", "/sla/calendars", AGENT, office())["statusCode"] == 403
    assert call(invoke, "GET", "/sla/policies", CUSTOMER)["statusCode"] == 403
    assert call(invoke, "GET", "/reports/sla", CUSTOMER)["statusCode"] == 403
    assert call(invoke, "GET", "/sla/policies", None)["statusCode"] == 401


def test_tenants_do_not_see_each_others_settings(aws: None, invoke: Invoke) -> None:
    assert call(invoke, "POST", "/sla/calendars", ADMIN, office())["statusCode"] == 201
    other = claims("olga", "globex", "admin")
    assert [c["id"] for c in call(invoke, "GET", "/sla/calendars", other)["json"]] == ["24x7"]


@pytest.mark.parametrize(("body", "message"), [
    ({"timezone": "Atlantis/Capital"}, "unknown time zone"),
    ({"hours": {"mon": [{"start": "09:00", "end": "13:00"}, {"start": "12:00", "end": "17:00"}]}}, "overlap"),
    ({"hours": {"tue": [{"start": "17:00", "end": "08:00"}]}}, "ends before it starts"),
    ({"hours": {}}, "at least one opening span"),
])
def test_bad_calendars_get_a_clear_422(aws: None, invoke: Invoke, body: dict[str, Any], message: str) -> None:
    response = call(invoke, "POST", "/sla/calendars", ADMIN, {**office(), **body})
    assert response["statusCode"] == 422
    assert message in json.dumps(response["json"]["error"]["details"])


@pytest.mark.parametrize(("body", "status", "message"), [
    ({"targets": {"urgent": {"first_response_minutes": 0}}}, 422, "greater than 0"),
    ({"targets": {"urgent": {"resolution_minutes": -30}}}, 422, "greater than 0"),
    ({"warning_minutes": 0}, 422, "greater than 0"),
    ({"targets": {"critical": {"resolution_minutes": 30}}}, 422, "unknown priorities"),
    ({"calendar_id": "nowhere"}, 400, "calendar nowhere does not exist"),
])
def test_bad_policies_are_rejected(aws: None, invoke: Invoke, body: dict[str, Any], status: int,
                                   message: str) -> None:
    call(invoke, "POST", "/sla/calendars", ADMIN, office())
    response = call(invoke, "POST", "/sla/policies", ADMIN, policy(**body))
    assert response["statusCode"] == status
    assert message in json.dumps(response["json"]["error"])


def test_report_shows_attainment_per_target(aws: None, invoke: Invoke) -> None:
    # The report reads these tickets through the API: same store, same SLA hook.
    wired = bootstrap.container().ticket_service
    start = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
    clock = FixedClock(start)
    service = TicketService(wired.repository, wired.retry, wired.hooks, clock=clock)
    agent = Principal(user_id="alex", tenant_id="acme", role=Role.AGENT)
    for i, reply_after in enumerate([10, 20, 30, 90]):  # urgent: first response within 60 minutes
        created_at = start + timedelta(hours=i)
        clock.set(created_at)
        ticket = service.create(agent, CreateTicket(subject="s", description="d", priority=Priority.URGENT,
                                                    group="support", requester=Requester(id="cy")))
        clock.set(created_at + timedelta(minutes=reply_after))
        service.add_message(agent, ticket.id, "on it", public=True)
    clock.set(start)
    service.create(agent, CreateTicket(subject="other group", description="d", group="billing"))
    response = call(invoke, "GET", "/reports/sla", AGENT, query={
        "from": "2026-11-01T00:00:00Z", "to": "2026-11-03T00:00:00Z", "group": "support", "priority": "urgent"})
    assert response["statusCode"] == 200
    report = response["json"]
    assert report["tickets"] == 4
    first = next(r for r in report["targets"] if r["target"] == "first_response")
    assert (first["met"], first["breached"], first["attainment"]) == (3, 1, 0.75)
    assert (first["median_minutes"], first["p90_minutes"]) == (25.0, 90.0)
    resolution = next(r for r in report["targets"] if r["target"] == "resolution")
    assert (resolution["measured"], resolution["running"]) == (0, 4)
    bad = call(invoke, "GET", "/reports/sla", AGENT, query={"from": "2026-11-05T00:00:00Z",
                                                            "to": "2026-11-01T00:00:00Z"})
    assert bad["statusCode"] == 400
    # the default start, 30 days before `to`, would be before year 1 (a 500 before)
    year_one = call(invoke, "GET", "/reports/sla", AGENT, query={"to": "0001-01-01T00:00:00Z"})
    assert (year_one["statusCode"], year_one["json"]["error"]["code"]) == (400, "invalid_query_parameter")


def test_friday_evening_ticket_through_the_apis_is_due_on_monday(aws: None, invoke: Invoke,
                                                                clock: FixedClock) -> None:
    """Admin puts the default policy on office hours; a ticket made Friday evening is due Monday."""
    assert call(invoke, "POST", "/sla/calendars", ADMIN, office())["statusCode"] == 201
    default = call(invoke, "GET", "/sla/policies/default", ADMIN)["json"]
    moved = call(invoke, "PUT", "/sla/policies/default", ADMIN, {**default, "calendar_id": "office"})
    assert moved["statusCode"] == 200
    friday_evening = datetime(2026, 11, 20, 17, 30, tzinfo=UTC)  # 18:30 in Berlin
    clock.set(friday_evening)
    created = invoke("ticket_commands", http_event("POST", "/tickets", claims_=CUSTOMER, body={
        "subject": "Invoice wrong", "description": "please fix"}))
    assert created["statusCode"] == 201
    urgent = invoke("ticket_commands", http_event("PATCH", f"/tickets/{created['json']['id']}", claims_=AGENT,
                                                  body={"priority": "urgent"}))  # the team's judgement
    clock.set(system_clock())  # back to the wall clock for the rest of the test
    assert urgent["statusCode"] == 200
    assert created["json"]["sla"] is None  # customers do not see SLA internals
    seen = invoke("ticket_commands", http_event("GET", f"/tickets/{created['json']['id']}", claims_=AGENT))
    first = next(t for t in seen["json"]["sla"]["targets"] if t["kind"] == "first_response")
    assert (first["due_at"], first["state"]) == ("2026-11-23T09:00:00Z", "ok")  # Monday 10:00 Berlin


# -- versions: two admins cannot overwrite each other unseen ----------------------------------------------

def created(invoke: Invoke, path: str) -> dict[str, Any]:
    """The office calendar, and with `/sla/policies` the policy on it; the response of the last POST."""
    response = call(invoke, "POST", "/sla/calendars", ADMIN, office())
    return call(invoke, "POST", path, ADMIN, policy()) if path == "/sla/policies" else response


@pytest.mark.parametrize("path", ["/sla/policies", "/sla/calendars"])
def test_a_write_over_a_version_saved_since_is_refused_and_changes_nothing(aws: None, invoke: Invoke,
                                                                          path: str) -> None:
    made = created(invoke, path)
    assert (made["statusCode"], made["headers"]["etag"], made["json"]["version"]) == (201, '"1"', 1)
    url = f"{path}/{made['json']['id']}"
    seen = call(invoke, "GET", url, AGENT)
    assert (seen["headers"]["etag"], seen["json"]["version"]) == ('"1"', 1)
    # One admin saves what both read (the body echoes `version`: ignored), then the other tries to.
    first = call(invoke, "PUT", url, ADMIN, {**seen["json"], "name": "First"}, if_match='"1"')
    assert (first["statusCode"], first["headers"]["etag"], first["json"]["version"]) == (200, '"2"', 2)
    for stale in (call(invoke, "PUT", url, ADMIN, {**seen["json"], "name": "Second"}, if_match='"1"'),
                  call(invoke, "DELETE", url, ADMIN, if_match='"1"')):
        assert (stale["statusCode"], stale["json"]["error"]["code"]) == (409, "concurrent_update")
        assert stale["json"]["error"]["details"] == {"expected_version": 1, "current_version": 2}
    now = call(invoke, "GET", url, AGENT)
    assert (now["headers"]["etag"], now["json"]["name"]) == ('"2"', "First")
    listed = call(invoke, "GET", path, AGENT)["json"]
    assert [i["version"] for i in listed if i["id"] == made["json"]["id"]] == [2]
    assert call(invoke, "DELETE", url, ADMIN, if_match='"2"')["statusCode"] == 204
    assert call(invoke, "GET", url, AGENT)["statusCode"] == 404


@pytest.mark.parametrize("path", ["/sla/policies", "/sla/calendars"])
def test_without_if_match_the_last_write_wins_and_a_version_in_the_body_is_ignored(aws: None, invoke: Invoke,
                                                                                  path: str) -> None:
    made = created(invoke, path)["json"]
    url = f"{path}/{made['id']}"
    saved = call(invoke, "PUT", url, ADMIN, {**made, "name": "Renamed", "version": 41})
    assert (saved["statusCode"], saved["headers"]["etag"], saved["json"]["version"]) == (200, '"2"', 2)
    assert call(invoke, "GET", url, AGENT)["json"]["name"] == "Renamed"
    assert call(invoke, "PUT", url, ADMIN, {**made, "version": 2}, if_match='"2"')["headers"]["etag"] == '"3"'


def test_the_built_in_default_and_24x7_are_version_0_until_saved(aws: None, invoke: Invoke) -> None:
    for url in ("/sla/policies/default", "/sla/calendars/24x7"):
        seen = call(invoke, "GET", url, ADMIN)
        assert (seen["headers"]["etag"], seen["json"]["version"]) == ('"0"', 0)
        saved = call(invoke, "PUT", url, ADMIN, {**seen["json"], "name": "Ours"}, if_match='"0"')
        assert (saved["statusCode"], saved["headers"]["etag"]) == (200, '"1"')
        again = call(invoke, "PUT", url, ADMIN, {**seen["json"], "name": "Theirs"}, if_match='"0"')
        assert (again["statusCode"], again["json"]["error"]["code"]) == (409, "concurrent_update")
    assert call(invoke, "DELETE", "/sla/policies/default", ADMIN, if_match='"1"')["statusCode"] == 204
    assert call(invoke, "GET", "/sla/policies/default", ADMIN)["headers"]["etag"] == '"0"'  # built in again


def test_settings_stored_before_versions_read_as_version_1_and_still_run_tickets(aws: None, invoke: Invoke) -> None:
    tables = bootstrap.container().tables
    # As stored before versions: no `value`.
    tables.meta(pk="TENANT#acme#SLA", sk="CALENDAR#office", data=office()).save()
    tables.meta(pk="TENANT#acme#SLA", sk="POLICY#office-vip", data=policy()).save()
    for path, item_id in (("/sla/calendars", "office"), ("/sla/policies", "office-vip")):
        seen = call(invoke, "GET", f"{path}/{item_id}", AGENT)
        assert (seen["headers"]["etag"], seen["json"]["version"]) == ('"1"', 1)
        assert next(i["version"] for i in call(invoke, "GET", path, AGENT)["json"] if i["id"] == item_id) == 1
    stale = call(invoke, "PUT", "/sla/policies/office-vip", ADMIN, policy(name="Gold"), if_match='"2"')
    assert stale["statusCode"] == 409
    saved = call(invoke, "PUT", "/sla/policies/office-vip", ADMIN, policy(name="Gold"), if_match='"1"')
    assert (saved["statusCode"], saved["headers"]["etag"]) == (200, '"2"')
    # The ticket hook reads the versioned policy as it read the unversioned one.
    agent = Principal(user_id="alex", tenant_id="acme", role=Role.AGENT)
    ticket = bootstrap.container().ticket_service.create(agent, CreateTicket(
        subject="s", description="d", tags=["vip"], requester=Requester(id="cy")))
    assert ticket.sla is not None
    assert ticket.sla.policy_id == "office-vip"


def test_a_save_without_if_match_racing_another_is_retried_not_lost(aws: None,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    tables = bootstrap.container().tables
    ours, theirs = DynamoSlaSettingsStore(tables, cache_seconds=0), DynamoSlaSettingsStore(tables, cache_seconds=0)
    calendar = BusinessCalendar.model_validate(office())
    assert ours.put_calendar("acme", calendar) == 1
    read, reads = TenantDocument.read, []

    def read_then_race(document: TenantDocument, tenant_id: str) -> tuple[dict[str, Any] | None, int]:
        seen = read(document, tenant_id)
        reads.append(seen[1])
        if len(reads) == 1:  # the other admin saves between this first read and the write it conditions
            theirs.put_calendar("acme", calendar.model_copy(update={"name": "Theirs"}))
        return seen

    monkeypatch.setattr(TenantDocument, "read", read_then_race)
    assert ours.put_calendar("acme", calendar.model_copy(update={"name": "Ours"})) == 3
    stored = ours.load("acme", fresh=True).calendars["office"]
    assert (reads, stored.name, stored.version) == ([1, 1, 2], "Ours", 3)  # ours read 1, theirs 1; ours again 2


def test_a_ticket_the_team_opened_for_itself_runs_no_reply_clock(aws: None, invoke: Invoke) -> None:
    """An agent's ticket with no customer (a problem others' tickets are linked to) is marked `no_customer` and runs
    only the resolution clock: the agent's replies on it are its requester's own, so a first-response clock would
    breach and escalate on every problem ticket. A ticket opened for a customer, or by one, runs all three."""
    def ticket(who: dict[str, Any], body: dict[str, Any]) -> dict[str, Any]:
        made = invoke("ticket_commands", http_event("POST", "/tickets", claims_=who, body={
            "subject": "Sync outage", "description": "Many report it.", **body}))
        assert made["statusCode"] == 201, made["json"]
        seen: dict[str, Any] = invoke("ticket_commands", http_event("GET", f"/tickets/{made['json']['id']}",
                                                                    claims_=AGENT))["json"]
        return seen

    def clocks(seen: dict[str, Any]) -> list[str]:
        return sorted(t["kind"] for t in seen["sla"]["targets"])

    team = ticket(AGENT, {})
    assert (team["no_customer"], team["requester"]["id"]) == (True, "alex")
    assert clocks(team) == ["resolution"]
    replied = invoke("ticket_commands", http_event("POST", f"/tickets/{team['id']}/messages", claims_=AGENT,
                                                   body={"body": "Root cause: an expired certificate."}))
    assert replied["statusCode"] == 201, replied["json"]
    again = invoke("ticket_commands", http_event("GET", f"/tickets/{team['id']}", claims_=AGENT))["json"]
    assert clocks(again) == ["resolution"]
    for opened in (ticket(AGENT, {"requester": {"email": "dana@customer.example"}}), ticket(CUSTOMER, {})):
        assert opened["no_customer"] is False
        assert clocks(opened) == ["first_response", "resolution"]
