"""`helpdesk import zammad` on moto against a small Zammad system served over HTTP on loopback
(`tests/zammad_fake.py`): states, priorities, owners, groups, tags, HTML articles as text, internal notes, Zammad's own
auto-replies left out, files, and customers who find their history in the portal."""

import json
from collections.abc import Iterator
from typing import Any

import pytest
from typer.testing import CliRunner

from helpdesk import bootstrap
from helpdesk.imports.service import imported_ticket_id
from tests.conftest import claims, http_event
from tests.integration.imports.conftest import Invoke, api
from tests.zammad_fake import TOKEN, ZammadFake

AGENT = claims("alice", "acme", "agent", email="alice@acme.example")
WESKER = {**claims("wesker", "acme", "customer", email="wesker@umbrella.example"), "email_verified": "true"}


TRIGGERS_ONLY = ("--no-macros", "--no-views", "--no-sla", "--no-articles")


def run_import(zammad: ZammadFake, *extra: str) -> dict[str, Any]:
    """`helpdesk import zammad` of the fake account into acme, which must succeed: its report."""
    from helpdesk.cli.main import app

    result = CliRunner().invoke(app, ["import", "zammad", "--tenant", "acme", "--url", zammad.url, *extra])
    assert result.exit_code == 0, result.output
    report: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return report


@pytest.fixture
def zammad(importing_team: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[ZammadFake]:
    monkeypatch.setenv("ZAMMAD_API_TOKEN", TOKEN)
    fake = ZammadFake()
    yield fake
    fake.close()


def test_a_zammad_system_comes_over_with_its_articles_and_files(zammad: ZammadFake, invoke: Invoke) -> None:

    report = run_import(zammad)
    assert {k: report[k] for k in ("tickets_imported", "deleted_skipped", "messages", "organizations_created",
                                   "attachments_imported")} == {
        "tickets_imported": 2, "deleted_skipped": 1, "messages": 4, "organizations_created": 1,
        "attachments_imported": 1}
    assert report["groups_not_in_directory"] == {"Users": 1}
    assert report["fields_created"] == ["contract", "parcels", "tracking_id"]
    assert report["fields_skipped"] == {"Regions": "a multiselect field has no counterpart here"}

    order_id = imported_ticket_id("acme", "zammad", "2001")
    order = api(invoke, f"/tickets/{order_id}", AGENT)
    assert (order["subject"], order["status"], order["priority"], order["channel"], order["group"],
            order["assignee_id"], order["tags"]) == ("Order 4711 never arrived", "pending", "high", "email", "billing",
                                                     "alice", ["order", "shipping"])
    assert order["description"] == "Where is order 4711?\n\nAttached: the order."  # the HTML article as text
    assert order["imported_from"]["url"] == f"{zammad.url}/#ticket/zoom/2001"
    assert order["imported_from"]["number"] == "67001"  # what its customer and the team called it there
    assert order["custom_fields"] == {"contract": "Gold", "parcels": 2}  # an empty text is no value
    assert order["participants"] == ["wesker@umbrella.example", "ada.wong@umbrella.example"]  # the mail's Cc there
    old_question = imported_ticket_id("acme", "zammad", "2002")
    assert order["links"] == [{"type": "parent", "ticket_id": old_question}]  # linked as its parent there
    assert api(invoke, f"/tickets/{old_question}", AGENT)["links"] == [{"type": "child", "ticket_id": order_id}]
    events = api(invoke, f"/tickets/{order_id}/events", AGENT)
    said = [(e["type"], e["actor"], e["data"]["body"]) for e in events if e["type"] not in ("created", "time_logged")]
    assert said == [("internal_note", "alice", "Carrier says it is in the depot."),  # no "request received" mail
                    ("public_message", "alice", "It will be delivered tomorrow.")]
    assert [(e["actor"], e["data"]["minutes"]) for e in events if e["type"] == "time_logged"] == [("alice", 20)]
    assert (order["time_spent_minutes"], report["time_entries"]) == (20, 1)  # its time accounting
    [file] = api(invoke, f"/tickets/{order_id}/attachments", AGENT)
    assert (file["filename"], file["content_type"], file["source"]) == ("order.pdf", "application/pdf", "import")
    old = api(invoke, f"/tickets/{imported_ticket_id('acme', 'zammad', '2002')}", AGENT)
    assert (old["status"], old["assignee_id"], old["group"], old["channel"]) == ("closed", None, None, "web")
    umbrella = bootstrap.container().directory_store.list_organizations("acme")[0]
    assert (umbrella.name, umbrella.domains, umbrella.notes) == ("Umbrella", ["umbrella.example"], "Key account")
    wesker = bootstrap.container().customer_notes_store.get("acme", "email:wesker@umbrella.example")
    assert wesker is not None
    assert (wesker.notes, report["customer_notes"]) == ("Orders by phone only.", 1)  # the user's note there, as text
    profile = bootstrap.container().customer_profile_store.get("acme", "email:wesker@umbrella.example")
    assert profile is not None  # his mobile (no phone there) and the language he picked
    assert (profile.name, profile.phone, profile.language, report["customer_profiles"]) == (
        "Albert Wesker", "+49 171 555 0100", "de-de", 1)
    mine = api(invoke, "/tickets", WESKER)["items"]
    assert sorted(t["subject"] for t in mine) == ["Old question", "Order 4711 never arrived"]
    assert all(t["imported_from"] is None for t in mine)  # where it came from is the team's
    assert all(path.startswith("/api/v1/") for path in zammad.requests)


def test_text_modules_and_macros_become_macros(zammad: ZammadFake, invoke: Invoke) -> None:
    """A text module is a canned reply (its variables translated, a custom attribute's its field here); a macro's
    state, priority, owner, tags, attribute and internal note are a macro's actions here."""

    report = run_import(zammad)["macros"]
    assert (report["created"], report["changed"]) == (3, {
        "Parcel on its way": ["placeholder kept as written: #{config.product_name}"],
        "Gold escalation": ["does not set ticket.pending_time (nothing to set it to here)"]})
    macros = {m["name"]: m for m in invoke("agent_tools", http_event("GET", "/macros", claims_=AGENT))["json"]}
    parcel, spam, gold = macros["Parcel on its way"], macros["Close & Tag as Spam"], macros["Gold escalation"]
    assert (parcel["scope"], parcel["group"], parcel["description"]) == ("group", "billing", "Keywords: shipping")
    assert parcel["actions"]["reply"] == ("Hello {{ requester.first_name }},\n\nyour parcel "
                                          "({{ ticket.fields.parcels }} pieces) left our depot.\n\n"
                                          "{{ agent.first_name }}, #{config.product_name}")
    assert (spam["scope"], spam["actions"]["status"], spam["actions"]["add_tags"], spam["actions"]["assign_to_me"],
            spam["description"]) == ("tenant", "closed", ["spam"], True, "example macro")
    assert (gold["actions"]["priority"], gold["actions"]["custom_fields"], gold["actions"]["note"]) == (
        "high", {"contract": "Gold"}, "Escalated: gold contract")
    order_id = imported_ticket_id("acme", "zammad", "2001")
    preview = invoke("agent_tools", http_event("POST", f"/tickets/{order_id}/macros/{parcel['id']}/apply",
                                               claims_={**AGENT, "name": "Alice Agent"}, query={"dry_run": "true"}))
    assert preview["statusCode"] == 200, preview["json"]
    assert preview["json"]["reply"] == ("Hello Albert,\n\nyour parcel (2 pieces) left our depot.\n\n"
                                        "Alice, #{config.product_name}")


def test_overviews_become_saved_views(zammad: ZammadFake, invoke: Invoke) -> None:
    """An overview's states, owner, group, attribute and tag conditions are a view's filters here; one on the
    escalation time has no counterpart and stays there; one overview of one agent is theirs here."""

    report = run_import(zammad)["views"]
    assert (report["created"], report["skipped"], report["changed"]) == (3, {
        "Escalated": "a condition has no counterpart here: ticket.escalation_at till (relative)"}, {
        "Unassigned & Open": ["lists every unsolved ticket (there: new, open)"],
        "Gold contracts in billing": ["ordered by creation, newest first (there: by updated_at)"]})
    views = {v["name"]: v for v in invoke("agent_tools", http_event("GET", "/views", claims_=AGENT))["json"]}
    mine, unassigned, gold = (views[n] for n in ("My Assigned Tickets", "Unassigned & Open",
                                                 "Gold contracts in billing"))
    assert (mine["filters"]["assignee"], mine["filters"]["unsolved"], mine["order"]) == ("me", True, "oldest")
    assert (unassigned["filters"]["unassigned"], unassigned["filters"]["unsolved"]) == (True, True)
    assert (gold["scope"], gold["owner_id"], gold["filters"]["group"], gold["filters"]["fields"],
            gold["filters"]["tag"]) == ("personal", "alice", "billing", ["contract:Gold"], "shipping")
    listed = invoke("agent_tools", http_event("GET", f"/views/{mine['id']}/tickets", claims_=AGENT))["json"]
    assert [t["id"] for t in listed["items"]] == [imported_ticket_id("acme", "zammad", "2001")]


def test_slas_come_over_with_their_calendars(zammad: ZammadFake, invoke: Invoke) -> None:
    """A Zammad calendar is a calendar here (its active days and holidays); an SLA's minutes apply to the priorities
    its condition names; a calendar in a time zone nobody knows stays there, and so does the SLA counting on it."""

    report = run_import(zammad)
    assert (report["calendars"]["created"], list(report["calendars"]["skipped"])) == (1, ["Moon base"])
    assert "Moon/Tranquility" in report["calendars"]["skipped"]["Moon base"]
    assert (report["sla_policies"]["created"], report["sla_policies"]["skipped"], report["sla_policies"]["changed"]) \
        == (1, {"Lunar customers": "its business hours did not come over (see `calendars`)",
                "Umbrella": "a condition has no counterpart here: ticket.organization_id is"},
            {"High priority": ["its update time target has no counterpart here"]})
    admin = {**claims("ada", "acme", "admin"), "name": "Ada"}
    calendars = invoke("sla_api", http_event("GET", "/sla/calendars", claims_=admin))["json"]
    [berlin] = [c for c in calendars if c["id"] == "zammad-calendar-1"]
    assert (berlin["hours"]["mon"], "sat" in berlin["hours"], berlin["holidays"]) == (
        [{"start": "08:00", "end": "12:00"}, {"start": "13:00", "end": "17:00"}], False, ["2025-12-25"])
    policies = invoke("sla_api", http_event("GET", "/sla/policies", claims_=admin))["json"]
    [high] = [p for p in policies if p["id"] == "zammad-sla-91"]
    assert (high["calendar_id"], high["conditions"]["priorities"], high["targets"]) == (
        "zammad-calendar-1", ["high"], {"high": {"first_response_minutes": 60, "next_response_minutes": 120,
                                                 "resolution_minutes": 480}})


def test_triggers_on_new_tickets_become_routing_rules(zammad: ZammadFake, invoke: Invoke) -> None:
    """Triggers acting on creation with words of the subject or the customer's organisation come over; a
    notification (Zammad's auto reply) sets nothing a rule sets here, one on changes runs on no new ticket."""

    everything = run_import(zammad)
    assert list(everything["automations"]["skipped"]) == ["Close pending after a week"]  # named, not imported
    admin = {**claims("ada", "acme", "admin"), "name": "Ada"}
    saved = {t["id"]: t for t in invoke("agent_tools", http_event("GET", "/triggers", claims_=admin))["json"][
        "triggers"]}
    nudge = saved["zammad-job-112"]  # a scheduler job with one relative time condition: a time trigger
    assert (nudge["after"], nudge["conditions"]["statuses"], nudge["conditions"]["without_tags"],
            nudge["actions"]["add_tags"], nudge["actions"]["notify"]) == (
        {"hours": 48, "since": "customer_message", "business_hours": False}, ["open"], ["nudged"], ["nudged"],
        ["assignee"])
    assert everything["triggers"]["changed"]["Nudge the owner of quiet tickets"][0] == (
        "checked hourly here (there: on its time plan)")
    report = everything["rules"]
    assert (report["created"], report["skipped"]) == (2, {  # the triggers on updates are triggers (the next test)
        "auto reply (on new tickets)": "it has no condition here (a rule here routes only the tickets a condition "
                                       "picks)"})
    assert report["changed"] == {"Refunds to billing": ["matches whole words here (there: any text containing them)"]}
    admin = {**claims("ada", "acme", "admin"), "name": "Ada"}
    rules = invoke("agent_assist", http_event("GET", "/assist/settings", claims_=admin))["json"]["routing_rules"]
    assert [(r["keywords"], r["group"], r["tags"], r["requester_domains"], r["priority"]) for r in rules] == [
        (["refund"], "billing", ["refund", "money"], [], None), ([], None, [], ["umbrella.example"], "high")]


def test_the_knowledge_base_comes_over_as_articles_in_their_languages(zammad: ZammadFake, invoke: Invoke) -> None:
    """Each answer's translations are articles (the primary locale's keeps the id), published, internal or draft as
    there, under their category; an archived answer stays; a picture Zammad serves is served from here."""
    import uuid

    from helpdesk.kernel.principal import operator_principal

    report = run_import(zammad, "--publish")["articles"]
    assert (report["outcomes"], report["skipped"], report["pictures_imported"]) == ({"created": 4}, [], 1)
    knowledge = bootstrap.container().knowledge_service
    admin = operator_principal("acme")
    parcel = knowledge.get(admin, "zammad-5")
    picture = uuid.uuid5(uuid.NAMESPACE_URL, f"helpdesk-import:acme:zammad-5:{zammad.url}/api/v1/attachments/77").hex
    assert (parcel.status.value, parcel.content.section, parcel.content.language, parcel.content.tags) == (
        "published", "Orders", "en", ("shipping",))
    assert parcel.content.body == (
        "## Tracking\n\nOpen **Orders** in your account and choose the order: the tracking link is under the "
        f"parcel.\n\n![The Orders page](/kb/public/acme/articles/zammad-5/images/{picture})")
    german = knowledge.get(admin, "zammad-5-de")  # its language read from its text (no locale names it)
    assert (german.status.value, german.content.title, german.content.section, german.content.language) == (
        "published", "Wo ist mein Paket?", "Bestellungen", "de")
    assert (german.content.translation_of, parcel.content.translation_of) == ("zammad-5", None)
    listed = invoke("knowledge_api", http_event("GET", "/kb/public/acme/articles", query={"language": "de"}))["json"]
    assert "Wo ist mein Paket?" in [a["title"] for a in listed["items"]]  # in place of its original, for a German
    assert "zammad-5" not in [a["id"] for a in listed["items"]]
    rules = knowledge.get(admin, "zammad-6")
    assert (rules.status.value, rules.content.visibility) == ("published", "internal")  # agents only, as there
    assert knowledge.get(admin, "zammad-7").status.value == "draft"  # a draft there stays one
    hits = invoke("knowledge_api", http_event("GET", "/kb/public/acme/search",
                                              query={"q": "Wo finde ich die Sendungsverfolgung?"}))["json"]["hits"]
    assert [hit["article_id"] for hit in hits][:1] == ["zammad-5-de"]
    assert not any(hit["article_id"] in ("zammad-6", "zammad-8") for hit in hits)
    shown = invoke("knowledge_api", http_event("GET", f"/kb/public/acme/articles/zammad-5/images/{picture}"))
    assert shown["statusCode"] == 200


def test_triggers_on_updates_become_triggers_and_run_here(zammad: ZammadFake, invoke: Invoke) -> None:
    """A trigger on updates comes over with what it waited for (a customer's article, a priority that changed, any
    update), in either shape of Zammad's conditions; OR-combined conditions and an article's type stay there. The
    Billing one then tags a ticket whose priority an agent changes."""

    report = run_import(zammad)["triggers"]
    assert (report["created"], report["skipped"]) == (5, {  # and a scheduler job as a time trigger
        "Either way": "a condition has no counterpart here: conditions combined with OR",
        "auto reply (on follow-up of tickets)": "a condition has no counterpart here: article.type_id is"})
    assert report["changed"] == {  # its mail to the ticket's owner: the team's mail, which names the trigger
        "Billing repriced": ["its mail's own text is not kept (the team's mail names the trigger)"],
        "Nudge the owner of quiet tickets": ["checked hourly here (there: on its time plan)",
                                             "its mail's own text is not kept (the team's mail names the trigger)"],
        "Gold outages at Umbrella": ["matches the article's whole words here (there: any text containing them)",
                                     "its webhook becomes a ticket.triggered event: subscribe the webhook to it here "
                                     "(POST /webhooks), its data.trigger.id names this trigger",
                                     "its mail to the customer is a reply in the ticket's thread here (its own "
                                     "subject is not kept)",
                                     "its mail's own text is not kept (the team's mail names the trigger)"]}
    assert report["notes"] == []
    admin = {**claims("ada", "acme", "admin"), "name": "Ada"}
    listing = invoke("agent_tools", http_event("GET", "/triggers", claims_=admin))["json"]
    assert listing["rerun"] is False  # Zammad's default: a trigger's change sets off no other
    saved = {t["id"]: t for t in listing["triggers"]}
    assert list(saved) == ["zammad-trigger-106", "zammad-trigger-105", "zammad-trigger-109",
                           "zammad-trigger-104", "zammad-job-112"]  # Zammad's name order, then the jobs
    billing, answered, gold, reopened, _ = saved.values()
    umbrella = next(o for o in invoke("directory_api", http_event("GET", "/organizations", claims_=admin))["json"]
                    if o["name"] == "Umbrella")
    assert (gold["conditions"]["keywords"], gold["conditions"]["organizations"], gold["conditions"]["fields"],
            gold["actions"]["custom_fields"], gold["actions"]["integrations"]) == (
        ["outage"], [umbrella["id"]], ["contract:Gold"], {"parcels": 0}, True)
    assert (billing["on"], billing["conditions"]["groups"], billing["actions"]["add_tags"],
            billing["actions"]["notify"]) == (["priority_changed"], ["billing"], ["repriced"], ["assignee"])
    assert (answered["on"], answered["conditions"]["statuses"], answered["actions"]["status"],
            answered["actions"]["add_tags"]) == (["customer_replied"], ["pending"], "open", ["answered"])
    assert (answered["actions"]["assignee_id"], answered["actions"]["note"]) == (  # Alice there, by her address
        "alice", "{{ requester.first_name }} answered.")
    assert (gold["actions"]["reply"], gold["actions"]["notify"]) == (
        "Hello {{ requester.first_name }}, we are on it.", ["assignee"])
    assert (len(reopened["on"]), reopened["actions"]["priority"]) == (9, "high")  # any update there
    # "Reopened" set high on every update there; the admin turns it off, the others run here now.
    kept = [billing, answered, gold, reopened | {"active": False}]
    assert invoke("agent_tools", http_event("PUT", "/triggers", body={"triggers": kept}, claims_=admin))[
        "statusCode"] == 200
    order_id = imported_ticket_id("acme", "zammad", "2001")  # in Billing, high
    changed = invoke("ticket_commands", http_event("PATCH", f"/tickets/{order_id}", body={"priority": "urgent"},
                                                   claims_=AGENT))
    assert changed["statusCode"] == 200, changed["json"]
    assert (changed["json"]["priority"], changed["json"]["tags"]) == ("urgent", ["order", "repriced", "shipping"])



def test_a_zammad_whose_triggers_run_recursively_brings_them_over_rerunning(zammad: ZammadFake,
                                                                           invoke: Invoke) -> None:
    """Zammad's `ticket_trigger_recursive` on: a trigger's change sets off the others there, so the list reruns here."""

    zammad.recursive_triggers = True
    assert run_import(zammad, *TRIGGERS_ONLY)["triggers"]["notes"] == []
    admin = {**claims("ada", "acme", "admin"), "name": "Ada"}
    assert invoke("agent_tools", http_event("GET", "/triggers", claims_=admin))["json"]["rerun"] is True


def test_a_token_that_cannot_read_the_setting_imports_triggers_running_once(zammad: ZammadFake,
                                                                            invoke: Invoke) -> None:
    """The setting needs `admin.ticket`; a token without it does not see it listed: Zammad's default (off)."""

    zammad.recursive_triggers = None
    run_import(zammad, *TRIGGERS_ONLY)
    admin = {**claims("ada", "acme", "admin"), "name": "Ada"}
    assert invoke("agent_tools", http_event("GET", "/triggers", claims_=admin))["json"]["rerun"] is False
