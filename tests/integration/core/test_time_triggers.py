"""Time triggers (Zendesk's automations) through the real lambda_handlers on moto: an admin saves one with
`PUT /triggers`, the scheduled sla_scan function sweeps the tenant's tickets hourly and the trigger acts once for each
time it waits from; a sweep cut short goes on where it stopped."""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from helpdesk import bootstrap
from helpdesk.kernel.clock import FixedClock
from helpdesk.triggers.adapters.dynamo import SWEEPS_PK
from tests.conftest import FakeLambdaContext, claims, http_event, load_function
from tests.fakes import seed_directory

Invoke = Callable[[str, dict[str, Any]], dict[str, Any]]

CUSTOMER = {**claims("c1", "acme", "customer", email="dana@example.com"), "email_verified": "true"}
AGENT = claims("a1", "acme", "agent", email="alex@acme.test")
ADMIN = claims("root", "acme", "admin")
T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)

QUIET_DAY = {"id": "quiet-day", "name": "Nobody touched it for a day", "after": {"hours": 24, "since": "updated"},
             "conditions": {"statuses": ["new", "open"]},
             "actions": {"priority": "high", "add_tags": ["stale"], "notify": ["group"]}}


def call(invoke: Invoke, method: str, path: str, who: dict[str, Any], body: Any = None,
         function: str = "ticket_commands") -> dict[str, Any]:
    return invoke(function, http_event(method, path, body=body, claims_=who))


def save(invoke: Invoke, triggers: list[dict[str, Any]]) -> dict[str, Any]:
    return call(invoke, "PUT", "/triggers", ADMIN, {"triggers": triggers}, function="agent_tools")


def opened(invoke: Invoke, subject: str) -> dict[str, Any]:
    response = call(invoke, "POST", "/tickets", CUSTOMER, {"subject": subject, "description": "Please help."})
    assert response["statusCode"] == 201, response["json"]
    return dict(response["json"])


def scan(at: datetime, context: FakeLambdaContext) -> dict[str, Any]:
    summary = load_function("sla_scan").lambda_handler({"action": "scan", "now": at.isoformat()}, context)
    return dict(summary["time_triggers"])


def by_trigger(invoke: Invoke, ticket_id: str) -> list[tuple[str, str]]:
    log = call(invoke, "GET", f"/tickets/{ticket_id}/events", AGENT)["json"]
    return [(e["type"], e["data"]["trigger"]["id"]) for e in log if e["actor"] == "trigger"]


def plans() -> list[str]:
    return [item.sk for item in bootstrap.container().tables.meta.query(SWEEPS_PK)]


@pytest.fixture
def team(clock: FixedClock, aws: None) -> FixedClock:
    clock.set(T0)
    seed_directory(bootstrap.container().directory_store, "acme", agents=["a1"], groups={"support": ["a1"]})
    return clock


def test_a_ticket_nobody_touched_for_a_day_is_raised_once_per_quiet_day(
        team: FixedClock, invoke: Invoke, lambda_context: FakeLambdaContext) -> None:
    saved = save(invoke, [QUIET_DAY])
    assert saved["statusCode"] == 200, saved["json"]
    assert plans() == ["acme"]
    quiet, answered = opened(invoke, "Export fails"), opened(invoke, "Invoice missing")
    team.set(T0 + timedelta(hours=20))
    assert call(invoke, "POST", f"/tickets/{answered['id']}/messages", AGENT,
                {"body": "Looking into it."})["statusCode"] == 201

    assert scan(T0 + timedelta(hours=23), lambda_context) == {
        "tenants": 1, "examined": 2, "acted": 0, "errors": 0, "unfinished": 0}
    assert scan(T0 + timedelta(hours=23, minutes=30), lambda_context)["tenants"] == 0  # swept hourly

    first = scan(T0 + timedelta(hours=25), lambda_context)
    assert (first["examined"], first["acted"]) == (2, 1)
    after = call(invoke, "GET", f"/tickets/{quiet['id']}", AGENT)["json"]
    assert (after["priority"], after["tags"]) == ("high", ["stale"])
    assert by_trigger(invoke, quiet["id"]) == [("priority_changed", "quiet-day"), ("tags_changed", "quiet-day"),
                                              ("triggered", "quiet-day")]
    assert by_trigger(invoke, answered["id"]) == []

    # Its own change is not someone touching it: the next quiet day starts with the next change by someone else.
    assert scan(T0 + timedelta(hours=50), lambda_context)["acted"] == 1  # the answered one, 24 h after the reply
    assert len(by_trigger(invoke, quiet["id"])) == 3
    team.set(T0 + timedelta(hours=51))
    assert call(invoke, "POST", f"/tickets/{quiet['id']}/messages", CUSTOMER, {"body": "Any news?"})[
        "statusCode"] == 201
    assert scan(T0 + timedelta(hours=74), lambda_context)["acted"] == 0
    assert scan(T0 + timedelta(hours=76), lambda_context)["acted"] == 1  # quiet again for a day: mailed again
    assert by_trigger(invoke, quiet["id"])[-1] == ("triggered", "quiet-day")

    mine = call(invoke, "GET", f"/tickets/{quiet['id']}", CUSTOMER)
    assert (mine["json"]["tags"], "time_triggers_fired" in mine["json"]) == ([], False)  # the team's business
    seen = call(invoke, "GET", f"/tickets/{quiet['id']}/events", CUSTOMER)["json"]
    assert [(e["type"], "trigger" in e["data"]) for e in seen if e["actor"] == "trigger"] == [
        ("priority_changed", False)]  # as for any trigger: the change, not which trigger or its tags and mail


def test_a_time_triggers_change_sets_off_the_other_triggers_where_the_list_reruns(
        team: FixedClock, invoke: Invoke, lambda_context: FakeLambdaContext) -> None:
    """Zendesk runs its triggers after an automation's update: with `rerun`, so does a time trigger's change."""
    stale = {"id": "stale", "name": "Quiet for a day is stale", "after": {"hours": 24, "since": "updated"},
             "conditions": {"statuses": ["new", "open"], "without_tags": ["stale"]}, "actions": {"add_tags": ["stale"]}}
    stale_to_group = {"id": "stale-tell", "name": "Stale: tell the group", "on": ["tags_changed"],
                      "conditions": {"tags": ["stale"]}, "actions": {"notify": ["group"]}}
    saved = call(invoke, "PUT", "/triggers", ADMIN, {"triggers": [stale, stale_to_group]}, function="agent_tools")
    assert saved["statusCode"] == 200, saved["json"]
    plain = opened(invoke, "Export fails")
    assert scan(T0 + timedelta(hours=25), lambda_context)["acted"] == 1
    assert by_trigger(invoke, plain["id"]) == [("tags_changed", "stale")]

    view = call(invoke, "GET", "/triggers", ADMIN, function="agent_tools")["json"]
    rerun = call(invoke, "PUT", "/triggers", ADMIN, {"triggers": view["triggers"], "rerun": True},
                 function="agent_tools")
    assert rerun["statusCode"] == 200, rerun["json"]
    team.set(T0 + timedelta(hours=30))
    chained = opened(invoke, "Invoice missing")
    assert scan(T0 + timedelta(hours=55), lambda_context)["acted"] == 1
    assert by_trigger(invoke, chained["id"]) == [("tags_changed", "stale"), ("triggered", "stale-tell")]


def test_a_sweep_cut_short_goes_on_where_it_stopped(team: FixedClock, invoke: Invoke) -> None:
    tickets = [opened(invoke, f"Question {n}") for n in range(3)]
    assert save(invoke, [QUIET_DAY])["statusCode"] == 200
    sweep = bootstrap.container().time_triggers
    late = T0 + timedelta(hours=30)
    assert sweep.run(late, max_tickets=2).as_dict() == {
        "tenants": 1, "examined": 2, "acted": 2, "errors": 0, "unfinished": 1}
    assert sweep.run(late + timedelta(minutes=5), max_tickets=2).as_dict() == {
        "tenants": 1, "examined": 1, "acted": 1, "errors": 0, "unfinished": 0}
    assert all(call(invoke, "GET", f"/tickets/{t['id']}", AGENT)["json"]["tags"] == ["stale"] for t in tickets)
    assert sweep.run(late + timedelta(hours=2)).as_dict()["acted"] == 0  # each acted on once


def test_a_sweep_out_of_time_goes_on_at_the_next_run_and_acts_on_none_twice(team: FixedClock,
                                                                             invoke: Invoke) -> None:
    """Writes take the time: a run stops at its deadline (here each look at the time is 15 s later, of a 60 s
    budget) and the next goes on from the page it stopped in; the tickets it acted on wait (their record), the others
    are acted on."""
    from helpdesk.triggers.sweep import TimeTriggerSweep

    tickets = [opened(invoke, f"Question {n}") for n in range(3)]
    assert save(invoke, [QUIET_DAY])["statusCode"] == 200
    c = bootstrap.container()
    ticks = iter(range(0, 10_000, 15))
    sweep = TimeTriggerSweep(c.trigger_store, c.trigger_sweep_plan, c.ticket_service, max_seconds=60,
                             timer=lambda: float(next(ticks)))
    late = T0 + timedelta(hours=30)
    first = sweep.run(late).as_dict()
    assert (first["acted"], first["unfinished"]) == (1, 1)
    second = TimeTriggerSweep(c.trigger_store, c.trigger_sweep_plan, c.ticket_service).run(
        late + timedelta(minutes=5)).as_dict()
    assert (second["examined"], second["acted"], second["unfinished"]) == (3, 2, 0)  # the page again, from its start
    assert all(call(invoke, "GET", f"/tickets/{t['id']}", AGENT)["json"]["tags"] == ["stale"] for t in tickets)


def test_saving_time_triggers_plans_the_sweep_and_a_list_without_them_drops_it(team: FixedClock,
                                                                               invoke: Invoke) -> None:
    assert save(invoke, [{**QUIET_DAY, "active": False}])["statusCode"] == 200
    assert plans() == []
    assert save(invoke, [QUIET_DAY])["statusCode"] == 200
    assert plans() == ["acme"]
    assert save(invoke, [])["statusCode"] == 200
    assert plans() == []
    both = save(invoke, [{**QUIET_DAY, "on": ["customer_replied"]}])
    neither = save(invoke, [{**QUIET_DAY, "after": None}])
    words = save(invoke, [{**QUIET_DAY, "conditions": {"keywords": ["outage"]}}])
    too_long = save(invoke, [{**QUIET_DAY, "after": {"hours": 24 * 366, "since": "updated"}}])
    assert [r["statusCode"] for r in (both, neither, words, too_long)] == [422, 422, 422, 422]
    assert "one of them" in both["json"]["error"]["message"] + str(both["json"]["error"].get("details"))


def test_a_time_trigger_is_tried_on_a_ticket_before_its_hours_passed_and_after(team: FixedClock,
                                                                               invoke: Invoke) -> None:
    t = opened(invoke, "Export fails")
    trial = {"trigger": QUIET_DAY, "ticket": t["number"]}
    early = call(invoke, "POST", "/triggers/try", ADMIN, trial, function="agent_tools")
    assert (early["statusCode"], early["json"]["matches"], early["json"]["unmet"]) == (200, False, ["after"]), early
    assert early["json"]["due_at"] == "2026-11-24T09:00:00Z"  # 24 h after the customer opened it
    team.set(T0 + timedelta(hours=25))
    late = call(invoke, "POST", "/triggers/try", ADMIN, trial, function="agent_tools")["json"]
    assert (late["matches"], [c["type"] for c in late["changes"]]) == (
        True, ["priority_changed", "tags_changed", "triggered"])


def test_a_time_trigger_in_business_hours_counts_the_tickets_sla_calendar(team: FixedClock, invoke: Invoke) -> None:
    """The tenant's default policy runs on office hours (9-17 on weekdays): 8 business hours after a ticket opened
    on Friday 16:00 is Monday 16:00, not Saturday."""
    from helpdesk.sla.calendar import BusinessCalendar
    from helpdesk.sla.policy import PriorityTargets, SlaPolicy

    store = bootstrap.container().sla_settings_store
    store.put_calendar("acme", BusinessCalendar.model_validate({
        "id": "office", "name": "Office", "timezone": "UTC",
        "hours": {day: [{"start": "09:00", "end": "17:00"}] for day in ("mon", "tue", "wed", "thu", "fri")}}))
    store.put_policy("acme", SlaPolicy(id="default", name="Default", calendar_id="office", targets={
        "normal": PriorityTargets(first_response_minutes=480, resolution_minutes=2400)}))
    friday = datetime(2026, 11, 27, 16, 0, tzinfo=UTC)
    team.set(friday)
    chase = {"id": "chase", "name": "A working day unanswered", "conditions": {"statuses": ["new"]},
             "after": {"hours": 8, "since": "created", "business_hours": True}, "actions": {"priority": "high"}}
    assert save(invoke, [chase])["statusCode"] == 200
    t = opened(invoke, "Export fails")
    sweep = bootstrap.container().time_triggers
    assert sweep.run(friday + timedelta(days=1, hours=1)).acted == 0  # Saturday: no business time since
    bootstrap.container().trigger_sweep_plan.plan("acme", friday)  # swept again now, not in an hour
    assert sweep.run(datetime(2026, 11, 30, 15, 30, tzinfo=UTC)).acted == 0  # Monday, half an hour early
    bootstrap.container().trigger_sweep_plan.plan("acme", friday)
    assert sweep.run(datetime(2026, 11, 30, 16, 5, tzinfo=UTC)).acted == 1
    assert call(invoke, "GET", f"/tickets/{t['id']}", AGENT)["json"]["priority"] == "high"


def test_the_scheduled_function_sweeps_only_within_the_time_its_invocation_has_left(
        team: FixedClock, invoke: Invoke, lambda_context: FakeLambdaContext) -> None:
    """After the SLA scan the function keeps a margin of its time: with 10 s left the sweep waits for the next run
    (the plan stays due), with 30 s it sweeps."""

    class Late(FakeLambdaContext):
        def get_remaining_time_in_millis(self) -> int:
            return 10_000

    assert save(invoke, [QUIET_DAY])["statusCode"] == 200
    opened(invoke, "Export fails")
    late = T0 + timedelta(hours=30)
    assert scan(late, Late())["examined"] == 0
    assert scan(late + timedelta(minutes=5), lambda_context)["acted"] == 1  # still due: swept at the next run


def test_a_sweep_never_writes_over_a_plan_a_save_made_meanwhile(team: FixedClock, invoke: Invoke) -> None:
    """The sweep read the tenant's plan, then an admin saved a new time trigger (planned for now): the sweep's "next
    hour" and its "no time triggers here" are written only over the plan it read, so the save's plan stands and the
    new trigger is swept at the next scan. A plan from before stamps were kept is written over as read."""
    plan = bootstrap.container().trigger_sweep_plan
    assert save(invoke, [QUIET_DAY])["statusCode"] == 200
    [read] = plan.due(T0, 10)
    team.advance(timedelta(minutes=1))
    assert save(invoke, [QUIET_DAY, {**QUIET_DAY, "id": "new-one", "name": "New one"}])["statusCode"] == 200
    assert not plan.plan("acme", T0 + timedelta(hours=1), over=read)  # the sweep's write loses
    assert not plan.drop("acme", over=read)
    [planned] = plan.due(T0 + timedelta(minutes=2), 10)
    assert planned.at == T0 + timedelta(minutes=1)  # the save's "now" stands
    assert plan.plan("acme", T0 + timedelta(hours=1), over=planned)  # over the plan it read: written
    assert plan.due(T0 + timedelta(minutes=2), 10) == []

    meta = bootstrap.container().tables.meta
    meta(pk=SWEEPS_PK, sk="acme", data={"at": T0.isoformat(), "cursor": None}).save()  # as an older version wrote it
    [legacy] = plan.due(T0, 10)
    assert legacy.stamp is None
    assert plan.drop("acme", over=legacy)
    assert plans() == []
