"""Agent assist API through the real lambda_handler: results, accept/reject, redraft, revert, settings."""

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pytest

from helpdesk.kernel.principal import Principal, Role, system_principal
from helpdesk.tickets.model import Requester
from helpdesk.tickets.service import CreateTicket
from tests.conftest import claims, http_event

if TYPE_CHECKING:
    from tests.integration.triage.conftest import StreamPump


Invoke = Callable[[str, dict[str, Any]], dict[str, Any]]
AGENT = claims("agent-1", "acme", "agent")
ADMIN = claims("admin-1", "acme", "admin")
CUSTOMER = claims("cust-1", "acme", "customer")
OTHER_TENANT_AGENT = claims("agent-9", "globex", "agent")


def _ticket(subject: str, description: str, email: str | None = None) -> str:
    from helpdesk import bootstrap

    return bootstrap.container().ticket_service.create(system_principal("acme", "email"), CreateTicket(
        subject=subject, description=description,
        requester=Requester(id="cust-1", name="Dana Smith", email=email))).id


def _call(invoke: Invoke, method: str, path: str, who: dict[str, Any], body: Any = None) -> dict[str, Any]:
    return invoke("agent_assist", http_event(method, path, body=body, claims_=who))


def test_assist_shows_results_to_agents_only(published_articles: list[str], pump: "StreamPump",
                                             invoke: Invoke) -> None:
    ticket_id = _ticket("Refund", "I returned the item two weeks ago, where is my refund?")
    pending = _call(invoke, "GET", f"/tickets/{ticket_id}/assist", AGENT)
    assert pending["statusCode"] == 200
    assert pending["json"]["status"] == "pending"
    pump.drain()
    got = _call(invoke, "GET", f"/tickets/{ticket_id}/assist", AGENT)
    assert got["statusCode"] == 200
    body = got["json"]
    assert body["status"] == "triaged"
    assert body["number"] == "T-000001"
    triage = body["triage"]
    for field in ("summary", "intent", "category", "sentiment", "language", "priority", "group"):
        assert {"value", "confidence", "level", "method", "state"} <= set(triage[field])
    assert triage["category"]["value"] == "REFUND"
    assert triage["reply"]["citations"][0]["article_id"] == "kb_refunds"
    assert set(body["applied"]) == {"group", "category"}
    assert body["applying"] is False  # what it applies is written
    assert "tenant_id" not in triage
    for who, status in ((CUSTOMER, 404), (OTHER_TENANT_AGENT, 404)):
        denied = _call(invoke, "GET", f"/tickets/{ticket_id}/assist", who)
        assert denied["statusCode"] == status
        assert denied["json"]["error"]["code"] == "not_found"
    assert _call(invoke, "POST", f"/tickets/{ticket_id}/assist/revert", CUSTOMER)["statusCode"] == 404


def test_revert_undoes_every_applied_field_in_one_call(published_articles: list[str], pump: "StreamPump",
                                                       invoke: Invoke) -> None:
    from helpdesk import bootstrap

    ticket_id = _ticket("Locked out", "I forgot my password and the reset link does not work.")
    pump.drain()
    agent = Principal(user_id="agent-1", tenant_id="acme", role=Role.AGENT)
    before = bootstrap.container().ticket_service.get(agent, ticket_id)
    assert before.group == "accounts"
    assert "category:account" in before.tags
    reverted = _call(invoke, "POST", f"/tickets/{ticket_id}/assist/revert", AGENT)
    assert reverted["statusCode"] == 200, reverted["json"]
    assert sorted(reverted["json"]["reverted"]) == ["category", "group"]
    assert reverted["json"]["applied"] == []
    after = bootstrap.container().ticket_service.get(agent, ticket_id)
    assert after.group is None
    assert not any(t.startswith("category:") for t in after.tags)
    events = [e for e in bootstrap.container().ticket_service.events(agent, ticket_id)
              if e.data.get("revert_of") == "ai"]
    assert {e.actor for e in events} == {"agent-1"}
    assert len(events) == 2
    again = _call(invoke, "POST", f"/tickets/{ticket_id}/assist/revert", AGENT)
    assert again["json"]["reverted"] == []


def test_accept_and_reject_suggestions(published_articles: list[str], pump: "StreamPump", invoke: Invoke) -> None:
    from helpdesk import bootstrap

    ticket_id = _ticket("Charged twice", "My card was charged twice for the same order! Fix this immediately.")
    pump.drain()
    accepted = _call(invoke, "POST", f"/tickets/{ticket_id}/assist/priority/accept", AGENT)
    assert accepted["statusCode"] == 200, accepted["json"]
    assert accepted["json"]["triage"]["priority"]["state"] == "accepted"
    agent = Principal(user_id="agent-1", tenant_id="acme", role=Role.AGENT)
    accepted_priority = accepted["json"]["triage"]["priority"]["value"]
    assert bootstrap.container().ticket_service.get(agent, ticket_id).priority.value == accepted_priority
    rejected = _call(invoke, "POST", f"/tickets/{ticket_id}/assist/reply/reject", AGENT)
    assert rejected["json"]["triage"]["reply"]["state"] == "rejected"
    unknown = _call(invoke, "POST", f"/tickets/{ticket_id}/assist/assignee/accept", AGENT)
    assert unknown["statusCode"] == 422
    assert unknown["json"]["error"]["code"] == "validation_error"


FILES = "helpdesk-files-test"
PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture
def files_bucket(aws: None, monkeypatch: pytest.MonkeyPatch) -> str:
    """Where uploads go; set before the triage stack is built (request it before `published_articles`)."""
    import boto3

    monkeypatch.setenv("HELPDESK_MAIL_BUCKET", FILES)
    boto3.client("s3").create_bucket(Bucket=FILES)
    return FILES


def test_an_ai_draft_goes_out_with_the_files_the_agent_attached(files_bucket: str, published_articles: list[str],
                                                                pump: "StreamPump", invoke: Invoke) -> None:
    """The console's reply box takes files whether the agent writes or uses the AI draft: the draft is sent as
    one message with them (checked as any upload), and still counts as an AI draft with its citations."""
    import boto3

    from helpdesk import bootstrap

    ticket_id = _ticket("Address change", "How do I change the delivery address of my order?")
    pump.drain()
    grant = invoke("ticket_commands", http_event("POST", f"/tickets/{ticket_id}/attachments", claims_=AGENT, body={
        "filename": "address-form.pdf", "content_type": "application/pdf", "size": len(PDF)}))
    assert grant["statusCode"] == 201, grant["json"]
    boto3.client("s3").put_object(Bucket=files_bucket, Key=grant["json"]["upload"]["fields"]["key"], Body=PDF)
    attachment_id = grant["json"]["attachment_id"]

    unknown = _call(invoke, "POST", f"/tickets/{ticket_id}/assist/reply/accept", AGENT,
                    {"attachment_ids": ["not-an-upload"]})
    assert (unknown["statusCode"], unknown["json"]["error"]["code"]) == (400, "unknown_attachment")
    wrong_field = _call(invoke, "POST", f"/tickets/{ticket_id}/assist/group/accept", AGENT,
                        {"attachment_ids": [attachment_id]})
    assert wrong_field["statusCode"] == 400
    agent = Principal(user_id="agent-1", tenant_id="acme", role=Role.AGENT)
    assert not [e for e in bootstrap.container().ticket_service.events(agent, ticket_id)
                if e.type.value == "public_message"]  # a refused file writes nothing

    sent = _call(invoke, "POST", f"/tickets/{ticket_id}/assist/reply/accept", AGENT,
                 {"attachment_ids": [attachment_id]})
    assert sent["statusCode"] == 200, sent["json"]
    assert sent["json"]["triage"]["reply"]["state"] == "accepted"
    [message] = [e for e in bootstrap.container().ticket_service.events(agent, ticket_id)
                 if e.type.value == "public_message"]
    assert (message.data["ai_draft"], message.data["citations"][0]["article_id"]) == (True, "kb_shipping_address")
    assert [a["filename"] for a in message.data["attachments"]] == ["address-form.pdf"]
    listed = invoke("ticket_commands", http_event("GET", f"/tickets/{ticket_id}/attachments", claims_=CUSTOMER))
    assert [a["id"] for a in listed["json"]] == [attachment_id]  # the customer gets the file


def test_accept_reply_sends_it_with_citations(published_articles: list[str], pump: "StreamPump",
                                              invoke: Invoke) -> None:
    from helpdesk import bootstrap

    ticket_id = _ticket("Address change", "How do I change the delivery address of my order?")
    pump.drain()
    sent = _call(invoke, "POST", f"/tickets/{ticket_id}/assist/reply/accept", AGENT)
    assert sent["statusCode"] == 200, sent["json"]
    agent = Principal(user_id="agent-1", tenant_id="acme", role=Role.AGENT)
    message = [e for e in bootstrap.container().ticket_service.events(agent, ticket_id)
               if e.type.value == "public_message"][-1]
    assert message.actor == "agent-1"
    assert message.data["ai_draft"] is True
    cited = message.data["citations"][0]
    assert cited["article_id"] == "kb_shipping_address"
    # The customer never sees the citations (AI context): the reply's [1] is resolved by a footnote in its text.
    customer = Principal(user_id="cust-1", tenant_id="acme", role=Role.CUSTOMER)
    seen = [e for e in bootstrap.container().ticket_service.events(customer, ticket_id)
            if e.type.value == "public_message"][-1]
    assert "citations" not in seen.data
    portal = bootstrap.container().settings.reports.portal_url.rstrip("/")
    assert "[1]" in seen.data["body"]
    assert f"[1] {cited['title']}: {portal}/#/help/acme/kb_shipping_address" in seen.data["body"]


def test_redraft_uses_the_latest_customer_message(published_articles: list[str], pump: "StreamPump",
                                                  invoke: Invoke) -> None:
    from helpdesk import bootstrap

    ticket_id = _ticket("Question", "Hello, I have a question about my order.")
    pump.drain()
    customer = Principal(user_id="cust-1", tenant_id="acme", role=Role.CUSTOMER)
    bootstrap.container().ticket_service.add_message(
        customer, ticket_id, "I need my money back for the returned item: refund timing?", public=True)
    redrafted = _call(invoke, "POST", f"/tickets/{ticket_id}/assist/draft", AGENT)
    assert redrafted["statusCode"] == 200, redrafted["json"]
    reply = redrafted["json"]["triage"]["reply"]
    assert reply["generated_by"] == "agent-1"
    assert reply["citations"][0]["article_id"] == "kb_refunds"


def test_settings_admin_only_and_validated(triage_env: object, invoke: Invoke) -> None:
    settings = {"fields": {"priority": {"mode": "auto", "threshold": 0.5}},
                "routing_rules": [{"group": "security", "keywords": ["hacked"]}]}
    assert _call(invoke, "PUT", "/assist/settings", AGENT, settings)["statusCode"] == 403
    saved = _call(invoke, "PUT", "/assist/settings", ADMIN, settings)
    assert saved["statusCode"] == 200
    assert _call(invoke, "GET", "/assist/settings", AGENT)["json"]["routing_rules"][0]["group"] == "security"
    bad = _call(invoke, "PUT", "/assist/settings", ADMIN, {"fields": {"priority": {"mode": "always"}}})
    assert bad["statusCode"] == 422
    assert _call(invoke, "GET", "/assist/settings", CUSTOMER)["statusCode"] == 404


def test_tenant_rule_routes_before_ai_and_auto_priority(published_articles: list[str], pump: "StreamPump",
                                                        invoke: Invoke) -> None:
    from helpdesk import bootstrap

    _call(invoke, "PUT", "/assist/settings", ADMIN, {
        "fields": {"priority": {"mode": "auto", "threshold": 0.5}},
        "routing_rules": [{"group": "security", "keywords": ["hacked"]}]})
    ticket_id = _ticket("Account hacked", "I think my account was hacked, I cannot log in and my password changed.")
    pump.drain()
    body = _call(invoke, "GET", f"/tickets/{ticket_id}/assist", AGENT)["json"]
    assert body["triage"]["group"]["value"] == "security"
    assert body["triage"]["group"]["method"] == "tenant-rule"
    agent = Principal(user_id="agent-1", tenant_id="acme", role=Role.AGENT)
    ticket = bootstrap.container().ticket_service.get(agent, ticket_id)
    assert ticket.group == "security"
    assert ticket.priority.value in ("high", "urgent")
    assert "priority" in body["applied"]


def test_a_rule_sets_the_priority_of_a_vip_customers_tickets(published_articles: list[str], pump: "StreamPump",
                                                             invoke: Invoke) -> None:
    """A rule may set a priority (alone, or with a group): the tenant's decision, applied though the AI's priority
    is only suggested (the default); the first rule that sets each field wins; "off" stops even a rule."""
    from helpdesk import bootstrap

    rules = [{"priority": "high", "requester_domains": ["bigcustomer.com"]},
             {"group": "security", "priority": "urgent", "keywords": ["hacked"]},
             {"group": "billing", "keywords": ["hacked", "invoice"]}]
    saved = _call(invoke, "PUT", "/assist/settings", ADMIN, {"routing_rules": rules})
    assert saved["statusCode"] == 200, saved["json"]
    vip = _ticket("Account hacked", "I think my account was hacked.", email="ceo@bigcustomer.com")
    other = _ticket("Question about my invoice", "Where do I download the invoice?", email="dana@example.com")
    pump.drain()
    agent = Principal(user_id="agent-1", tenant_id="acme", role=Role.AGENT)
    tickets = bootstrap.container().ticket_service
    assert (tickets.get(agent, vip).priority.value, tickets.get(agent, vip).group) == ("high", "security")
    triage = _call(invoke, "GET", f"/tickets/{vip}/assist", AGENT)["json"]["triage"]
    assert (triage["priority"]["method"], triage["priority"]["reasons"]) == ("tenant-rule", ["routing rule #1 matched"])
    assert triage["priority"]["state"] == "applied"
    assert tickets.get(agent, other).group == "billing"  # the first rule naming a group that matches
    assert tickets.get(agent, other).priority.value == "normal"  # no rule set it: the AI's is only suggested

    empty = _call(invoke, "PUT", "/assist/settings", ADMIN, {"routing_rules": [{"keywords": ["x"]}]})
    assert empty["statusCode"] == 422  # a rule that sets nothing
    _call(invoke, "PUT", "/assist/settings", ADMIN, {"fields": {"priority": {"mode": "off"}}, "routing_rules": rules})
    later = _ticket("Hacked again", "Hacked.", email="cfo@bigcustomer.com")
    pump.drain()
    assert tickets.get(agent, later).priority.value == "normal"


def test_rules_tag_tickets_and_every_matching_rule_adds_its_tags(published_articles: list[str], pump: "StreamPump",
                                                                 invoke: Invoke) -> None:
    """"Mail from bigcustomer.com: vip", "'outage' or 'down': outage": tags add up over every matching rule, kept
    with the ticket's own, in one change the team sees as the rules' (internal); a rule may only tag."""
    from helpdesk import bootstrap

    rules = [{"tags": ["VIP"], "requester_domains": ["bigcustomer.com"]},
             {"tags": ["outage", "vip"], "keywords": ["down", "outage"]},
             {"group": "security", "keywords": ["hacked"]}]
    saved = _call(invoke, "PUT", "/assist/settings", ADMIN, {"routing_rules": rules})
    assert saved["statusCode"] == 200, saved["json"]
    assert saved["json"]["routing_rules"][0]["tags"] == ["vip"]  # tags compare in lower case
    both = _ticket("Everything is down", "The site is down since 9:00.", email="ceo@bigcustomer.com")
    neither = _ticket("Invoice copy", "Where do I download the invoice?", email="dana@example.com")
    pump.drain()
    agent = Principal(user_id="agent-1", tenant_id="acme", role=Role.AGENT)
    tickets = bootstrap.container().ticket_service
    assert [t for t in tickets.get(agent, both).tags if t in ("vip", "outage")] == ["vip", "outage"]
    assert not {"vip", "outage"} & set(tickets.get(agent, neither).tags)
    [tagged] = [e for e in tickets.events(agent, both) if e.data.get("rule_tags")]
    assert (tagged.internal, tagged.data["rule_tags"], tagged.data["method"]) == (True, ["vip", "outage"],
                                                                                  "tenant-rule")
    customer = Principal(user_id="email:ceo@bigcustomer.com", tenant_id="acme", role=Role.CUSTOMER,
                         email="ceo@bigcustomer.com", email_verified=True)
    assert not [e for e in tickets.events(customer, both) if e.data.get("rule_tags")]
    for bad in ({"tags": [" "], "keywords": ["x"]}, {"tags": ["category:billing"], "keywords": ["x"]},
                {"tags": [f"t{n}" for n in range(11)], "keywords": ["x"]}):
        assert _call(invoke, "PUT", "/assist/settings", ADMIN, {"routing_rules": [bad]})["statusCode"] == 422


def test_accept_reply_with_the_agents_edit(published_articles: list[str], pump: "StreamPump",
                                           invoke: Invoke) -> None:
    from helpdesk import bootstrap

    ticket_id = _ticket("Address change", "How do I change the delivery address of my order?")
    pump.drain()
    wrong = _call(invoke, "POST", f"/tickets/{ticket_id}/assist/group/accept", AGENT, {"body": "text"})
    assert wrong["statusCode"] == 400
    blank = _call(invoke, "POST", f"/tickets/{ticket_id}/assist/reply/accept", AGENT, {"body": "  "})
    assert blank["statusCode"] == 422
    formatted_field = _call(invoke, "POST", f"/tickets/{ticket_id}/assist/group/accept", AGENT,
                            {"format": "markdown"})
    assert formatted_field["statusCode"] == 400  # only a reply has a text to format
    edited = _call(invoke, "POST", f"/tickets/{ticket_id}/assist/reply/accept", AGENT,
                   {"body": "Hi Dana, open **Orders > Edit address** before it is packed. [1]", "format": "markdown"})
    assert edited["statusCode"] == 200
    agent = Principal(user_id="agent-1", tenant_id="acme", role=Role.AGENT)
    message = [e for e in bootstrap.container().ticket_service.events(agent, ticket_id)
               if e.type.value == "public_message"][-1]
    assert message.data["body"].startswith("Hi Dana, open **Orders")
    assert (message.data["edited"], message.data["format"], message.data["ai_draft"]) == (True, "markdown", True)


def test_two_admins_saving_the_ai_settings_and_categories_at_once_cannot_overwrite_each_other(
        triage_env: object, invoke: Invoke) -> None:
    def put(path: str, body: Any, etag: str | None) -> dict[str, Any]:
        return invoke("agent_assist", http_event("PUT", path, body=body, claims_=ADMIN,
                                                 headers={"if-match": etag} if etag else None))

    settings = {"fields": {"priority": {"mode": "auto", "threshold": 0.5}}}
    categories = {"categories": [{"name": "api_limits", "description": "Rate limits and HTTP 429 from the API"}]}
    more = {"categories": [*categories["categories"], {"name": "sso", "description": "Single sign-on"}]}
    for path, first, second in (("/assist/settings", settings, {**settings, "draft_reply": False}),
                                ("/assist/categories", categories, more)):
        seen = _call(invoke, "GET", path, ADMIN)["headers"]["etag"]
        assert seen == '"0"'  # nothing saved yet
        saved = put(path, first, seen)  # one admin saves what they read
        assert saved["statusCode"] == 200, saved["json"]
        assert saved["headers"]["etag"] == '"1"'
        stale = put(path, second, seen)  # the other saves over the version both read: refused
        assert stale["statusCode"] == 409, stale["json"]
        assert stale["json"]["error"]["code"] == "concurrent_update"
        assert put(path, second, saved["headers"]["etag"])["headers"]["etag"] == '"2"'  # read again, then saved
        assert put(path, first, None)["statusCode"] == 200  # no If-Match: the last save wins, as before


def test_ai_settings_saved_before_they_had_a_version_read_as_version_1(triage_env: object, invoke: Invoke) -> None:
    from helpdesk.bootstrap import container

    container().tables.meta(pk="TENANT#acme", sk="TRIAGE#settings", data={"draft_reply": False}).save()  # no value
    read = _call(invoke, "GET", "/assist/settings", ADMIN)
    assert (read["headers"]["etag"], read["json"]["draft_reply"]) == ('"1"', False)
    saved = invoke("agent_assist", http_event("PUT", "/assist/settings", body={"draft_reply": True}, claims_=ADMIN,
                                              headers={"if-match": '"1"'}))
    assert (saved["statusCode"], saved["headers"]["etag"]) == (200, '"2"')


def test_an_ai_draft_goes_out_and_sets_the_status_in_one_write(published_articles: list[str], pump: "StreamPump",
                                                               invoke: Invoke) -> None:
    """"Send AI draft and set pending": the reply and the status in one write; a status with another field's
    accept is refused."""
    ticket_id = _ticket("Address change", "How do I change the delivery address of my order?")
    pump.drain()
    wrong_field = _call(invoke, "POST", f"/tickets/{ticket_id}/assist/group/accept", AGENT, {"status": "pending"})
    assert wrong_field["statusCode"] == 400
    before = invoke("ticket_commands", http_event("GET", f"/tickets/{ticket_id}", claims_=AGENT))["json"]["version"]
    sent = _call(invoke, "POST", f"/tickets/{ticket_id}/assist/reply/accept", AGENT, {"status": "pending"})
    assert sent["statusCode"] == 200, sent["json"]
    after = invoke("ticket_commands", http_event("GET", f"/tickets/{ticket_id}", claims_=AGENT))["json"]
    assert (after["status"], after["version"]) == ("pending", before + 1)  # one write
    read = invoke("ticket_commands", http_event("GET", f"/tickets/{ticket_id}/events", claims_=AGENT))["json"]
    assert [(e["type"], e["data"].get("to")) for e in read if e["type"] in ("public_message", "status_changed")] == [
        ("public_message", None), ("status_changed", "open"), ("status_changed", "pending")]


def test_assist_says_while_the_changes_triage_decided_are_still_being_written(
        published_articles: list[str], pump: "StreamPump") -> None:
    """Triage saves its record, then writes what it applies to the ticket: between the two `applying` is true, so a
    client (the console polls on it) does not take the ticket as final (a test once read it in that moment and found
    the category tag missing)."""
    from helpdesk import bootstrap
    from tests.conftest import load_function

    ticket_id = _ticket("Refund", "I returned the item two weeks ago, where is my refund?")
    pump.drain()
    container = bootstrap.container()
    record = container.triage_store.get("acme", ticket_id)
    ticket = container.ticket_service.get(system_principal("acme", "ai"), ticket_id)
    assert record is not None
    out = load_function("agent_assist").AssistOut
    assert out.of(ticket, record).applying is False
    assert out.of(ticket, record.model_copy(update={"auto_apply_done": False})).applying is True
