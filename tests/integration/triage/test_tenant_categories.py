"""A tenant's own ticket categories through the real lambda handlers on moto: an admin defines three, new tickets
are classified into them (not the built-in e-commerce catalog), agents' corrections teach the classifier, and
customers never see a `category:` tag."""

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tests.conftest import claims, http_event

if TYPE_CHECKING:
    from tests.integration.triage.conftest import StreamPump

Invoke = Callable[[str, dict[str, Any]], dict[str, Any]]
ADMIN = claims("admin-1", "softco", "admin")
AGENT = claims("agent-1", "softco", "agent")
CUSTOMER = claims("email:dev@client.example", "softco", "customer", email="dev@client.example")
OTHER_ADMIN = claims("admin-9", "shop", "admin")

CATEGORIES = {"categories": [
    {"name": "api_errors",
     "description": "Errors from our REST API or SDK: HTTP status codes, rate limits, timeouts, failing webhooks",
     "examples": ["The API returns 500 for every request", "our webhook calls keep timing out",
                  "the SDK throws an error when we call the endpoint"],
     "group": "platform", "priority": "high"},
    {"name": "subscriptions",
     "description": "Plans, seats, renewals and cancelling the subscription to our software",
     "examples": ["we want to downgrade to the basic plan", "how do I add more seats to our plan",
                  "please do not renew our contract"],
     "group": "accounts-team"},
    {"name": "sso_access",
     "description": "Signing in: single sign-on, SAML, Okta, two-factor authentication, locked accounts",
     "examples": ["SAML login fails for all our users", "I lost the phone with my 2FA codes",
                  "our Okta integration stopped working"],
     "group": "identity"},
]}


def _assist(invoke: Invoke, method: str, path: str, who: dict[str, Any], body: Any = None) -> dict[str, Any]:
    return invoke("agent_assist", http_event(method, path, body=body, claims_=who))


def _new_ticket(invoke: Invoke, subject: str, description: str) -> str:
    created = invoke("ticket_commands", http_event("POST", "/tickets", claims_=CUSTOMER, body={
        "subject": subject, "description": description}))
    assert created["statusCode"] == 201, created["json"]
    ticket_id: str = created["json"]["id"]
    return ticket_id


def test_admins_define_categories_and_others_cannot(triage_env: Path, invoke: Invoke) -> None:
    template = _assist(invoke, "GET", "/assist/categories", AGENT)
    assert template["statusCode"] == 200
    assert template["json"]["source"] == "builtin"  # no categories yet: the built-in catalog, as a template
    assert "refund" in {c["name"] for c in template["json"]["categories"]}
    assert _assist(invoke, "PUT", "/assist/categories", AGENT, CATEGORIES)["statusCode"] == 403
    assert _assist(invoke, "GET", "/assist/categories", CUSTOMER)["statusCode"] == 404
    assert _assist(invoke, "PUT", "/assist/categories", CUSTOMER, CATEGORIES)["statusCode"] == 404
    for bad in ({"categories": [CATEGORIES["categories"][0]] * 2},  # duplicate name
                {"categories": [{**CATEGORIES["categories"][0], "name": "API Errors"}]},
                {"categories": [{**CATEGORIES["categories"][0], "description": "  "}]},
                {"categories": [{**CATEGORIES["categories"][0], "priority": "whenever"}]},
                {"categories": [{**CATEGORIES["categories"][0], "name": f"c{i}"} for i in range(31)]},
                {"categories": [{**CATEGORIES["categories"][0], "examples": ["x" * 301]}]},
                {"categories": "all of them"}):
        rejected = _assist(invoke, "PUT", "/assist/categories", ADMIN, bad)
        assert rejected["statusCode"] == 422, bad
        assert rejected["json"]["error"]["code"]
    assert _assist(invoke, "GET", "/assist/categories", ADMIN)["json"]["source"] == "builtin"  # nothing stored
    saved = _assist(invoke, "PUT", "/assist/categories", ADMIN, CATEGORIES)
    assert saved["statusCode"] == 200, saved["json"]
    assert saved["json"]["source"] == "tenant"
    assert [c["name"] for c in saved["json"]["categories"]] == ["api_errors", "subscriptions", "sso_access"]
    assert _assist(invoke, "GET", "/assist/categories", AGENT)["json"] == saved["json"]
    # another tenant's admin neither sees nor changes softco's
    assert _assist(invoke, "GET", "/assist/categories", OTHER_ADMIN)["json"]["source"] == "builtin"
    back = _assist(invoke, "PUT", "/assist/categories", ADMIN, {"categories": []})
    assert back["json"]["source"] == "builtin"


def test_new_tickets_are_classified_into_the_tenants_categories(triage_env: Path, pump: "StreamPump",
                                                                invoke: Invoke) -> None:
    assert _assist(invoke, "PUT", "/assist/categories", ADMIN, CATEGORIES)["statusCode"] == 200
    for group in ("platform", "accounts-team", "identity"):  # routing reaches only groups of the directory
        made = invoke("directory_api", http_event("POST", "/groups", body={"id": group, "name": group.title()},
                                                  claims_=ADMIN))
        assert made["statusCode"] == 201, made["json"]
    cases = {
        "api_errors": _new_ticket(invoke, "API returns 429",
                                  "Since this morning every call to the orders endpoint returns HTTP 429."),
        "subscriptions": _new_ticket(invoke, "Cancel our subscription",
                                     "We would like to cancel our subscription when the current term ends."),
        "sso_access": _new_ticket(invoke, "Cannot sign in with SAML",
                                  "Our users get an error from the identity provider when they log in with SSO."),
    }
    pump.drain()
    assert not pump.failures
    groups = {"api_errors": "platform", "subscriptions": "accounts-team", "sso_access": "identity"}
    for expected, ticket_id in cases.items():
        triage = _assist(invoke, "GET", f"/tickets/{ticket_id}/assist", AGENT)["json"]["triage"]
        assert triage["category"]["value"] == expected, (expected, triage["category"], triage["intent"])
        assert triage["group"]["value"] == groups[expected]
        agent_view = invoke("ticket_commands", http_event("GET", f"/tickets/{ticket_id}", claims_=AGENT))["json"]
        if triage["category"]["state"] == "applied":
            assert f"category:{expected}" in agent_view["tags"]
        customer_view = invoke("ticket_commands", http_event("GET", f"/tickets/{ticket_id}", claims_=CUSTOMER))
        assert customer_view["statusCode"] == 200
        assert not any(t.startswith("category:") for t in customer_view["json"]["tags"])
        events = invoke("ticket_commands", http_event("GET", f"/tickets/{ticket_id}/events", claims_=CUSTOMER))
        assert "category:" not in str(events["json"])
    api = _assist(invoke, "GET", f"/tickets/{cases['api_errors']}/assist", AGENT)["json"]["triage"]
    assert api["priority"]["value"] in ("high", "urgent")  # the category's priority is where it starts


def test_corrections_teach_the_tenant_classifier_and_rejects_unlearn(triage_env: Path, pump: "StreamPump",
                                                                    invoke: Invoke) -> None:
    from helpdesk import bootstrap

    assert _assist(invoke, "PUT", "/assist/categories", ADMIN, CATEGORIES)["statusCode"] == 200
    first = _new_ticket(invoke, "Export to spreadsheet is empty",
                        "When I export the monthly usage report to a spreadsheet, the file has no rows.")
    pump.drain()
    unknown = _assist(invoke, "POST", f"/tickets/{first}/assist/category/accept", AGENT, {"value": "refund"})
    assert unknown["statusCode"] == 400  # not one of this tenant's categories
    wrong_field = _assist(invoke, "POST", f"/tickets/{first}/assist/priority/accept", AGENT, {"value": "low"})
    assert wrong_field["statusCode"] == 400
    corrected = _assist(invoke, "POST", f"/tickets/{first}/assist/category/accept", AGENT, {"value": "api_errors"})
    assert corrected["statusCode"] == 200, corrected["json"]
    assert corrected["json"]["triage"]["category"]["value"] == "api_errors"
    assert corrected["json"]["triage"]["category"]["state"] == "accepted"
    tags = invoke("ticket_commands", http_event("GET", f"/tickets/{first}", claims_=AGENT))["json"]["tags"]
    assert [t for t in tags if t.startswith("category:")] == ["category:api_errors"]
    assert _assist(invoke, "GET", "/assist/categories", AGENT)["json"]["learned"] == {"api_errors": 1}
    learned = bootstrap.container().taxonomy_store.learned("softco")
    assert learned[0].how == "corrected"
    assert "monthly usage report" in learned[0].text

    again = _new_ticket(invoke, "Export to spreadsheet is empty again",
                        "Exporting the monthly usage report to a spreadsheet gives a file without rows.")
    pump.drain()
    triage = _assist(invoke, "GET", f"/tickets/{again}/assist", AGENT)["json"]["triage"]
    assert triage["category"]["value"] == "api_errors"  # learned from the correction
    assert _assist(invoke, "POST", f"/tickets/{first}/assist/category/reject", AGENT)["statusCode"] == 200
    assert _assist(invoke, "GET", "/assist/categories", AGENT)["json"]["learned"] == {}
    assert bootstrap.container().taxonomy_store.learned("shop") == []  # tenants learn alone


def test_an_admin_tries_a_text_on_unsaved_categories(triage_env: Path, invoke: Invoke) -> None:
    # Before saving, an admin sees where triage would put a ticket: edits are tried as typed, nothing is stored.
    text = "Since this morning every call to your REST API answers 429 Too Many Requests"
    tried = _assist(invoke, "POST", "/assist/categories/try", ADMIN, {"text": text, **CATEGORIES})
    assert tried["statusCode"] == 200, tried["json"]
    guess = tried["json"]
    assert (guess["category"], guess["group"]) == ("api_errors", "platform")
    assert guess["ranking"][0][0] == "api_errors"
    assert guess["confidence"] > 0.5
    assert _assist(invoke, "GET", "/assist/categories", ADMIN)["json"]["source"] == "builtin"  # nothing saved

    parcel = {"text": "Where is my parcel? It was due Monday"}
    builtin = _assist(invoke, "POST", "/assist/categories/try", ADMIN, parcel)
    assert builtin["json"]["category"] in {c["name"] for c in
                                           _assist(invoke, "GET", "/assist/categories", ADMIN)["json"]["categories"]}
    assert _assist(invoke, "POST", "/assist/categories/try", AGENT, {"text": text})["statusCode"] == 403
    assert _assist(invoke, "POST", "/assist/categories/try", CUSTOMER, {"text": text})["statusCode"] == 404
    for bad in ({"text": "   "}, {"text": "x" * 4001}, {"text": text, "categories": CATEGORIES["categories"] * 2},
                {"text": text, "bogus": 1}):
        refused = _assist(invoke, "POST", "/assist/categories/try", ADMIN, bad)
        assert (refused["statusCode"], refused["json"]["error"]["code"]) == (422, "validation_error"), bad
