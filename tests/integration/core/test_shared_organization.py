"""An organisation that shares its tickets, through the real ticket_commands, directory_api and reports_api handlers
on moto: its people (verified addresses at its domains) see, list and answer each other's tickets; nobody else does,
an unverified address does not, another tenant does not; only the requester rates; off again, it is over."""

from collections.abc import Callable
from typing import Any

from tests.conftest import claims, http_event
from tests.iam_calls import Call, denied

Invoke = Callable[[str, dict[str, Any]], dict[str, Any]]

ADMIN = claims("ada", "acme", "admin")
AGENT = claims("alice", "acme", "agent")


def customer(user: str, email: str, tenant: str = "acme", verified: bool = True) -> dict[str, Any]:
    return {**claims(user, tenant, "customer", email=email), "email_verified": "true" if verified else "false"}


HANK = customer("hank", "hank@globex.example")
LISA = customer("lisa", "lisa@globex.example")
LISA_UNVERIFIED = customer("lisa2", "lisa@globex.example", verified=False)
BOB = customer("bob", "bob@example.com")
FOREIGN = customer("zed", "zed@globex.example", tenant="zeta")


def call(invoke: Invoke, method: str, path: str, who: dict[str, Any], body: Any = None,
         query: dict[str, str] | None = None) -> dict[str, Any]:
    function = {"/organizations": "directory_api", "/reports": "reports_api"}.get(
        "/" + path.split("/")[1], "ticket_commands")
    return invoke(function, http_event(method, path, body=body, claims_=who, query=query))


def test_people_of_a_sharing_organisation_see_each_others_tickets(aws: None, invoke: Invoke) -> None:
    made = call(invoke, "POST", "/organizations", ADMIN, {"name": "Globex", "domains": ["globex.example"]})
    assert made["statusCode"] == 201, made["json"]
    globex = made["json"]
    assert globex["shared_tickets"] is False
    hanks = call(invoke, "POST", "/tickets", HANK, {"subject": "VPN down", "description": "Since 9am"})["json"]
    lisas = call(invoke, "POST", "/tickets", LISA, {"subject": "Invoice", "description": "Wrong VAT"})["json"]
    assert hanks["organization_id"] == globex["id"]

    # Not shared (the default): each sees their own.
    assert call(invoke, "GET", f"/tickets/{hanks['id']}", LISA)["statusCode"] == 404
    refused = call(invoke, "GET", "/tickets", LISA, query={"shared": "true"})
    assert refused["statusCode"] == 403

    shared = call(invoke, "PATCH", f"/organizations/{globex['id']}", ADMIN, {"shared_tickets": True})
    assert (shared["statusCode"], shared["json"]["shared_tickets"]) == (200, True)

    seen = call(invoke, "GET", f"/tickets/{hanks['id']}", LISA)
    assert seen["statusCode"] == 200, seen["json"]
    assert (seen["json"]["requester"]["email"], seen["json"]["time_spent_minutes"]) == ("hank@globex.example", None)
    call(invoke, "POST", f"/tickets/{hanks['id']}/messages", AGENT, {"body": "Checking the tunnel.", "public": False})
    events = call(invoke, "GET", f"/tickets/{hanks['id']}/events", LISA)["json"]
    assert "internal_note" not in {e["type"] for e in events}  # a colleague sees what the requester sees
    answered = call(invoke, "POST", f"/tickets/{hanks['id']}/messages", LISA, {"body": "Same here.", "public": True})
    assert answered["statusCode"] == 201, answered["json"]
    said = call(invoke, "GET", f"/tickets/{hanks['id']}/events", AGENT)["json"][-1]
    assert (said["actor"], said["data"]["from"], said["data"]["from_name"]) == (  # not taken for Hank's words
        "lisa", "lisa@globex.example", "lisa@globex.example")

    listed = call(invoke, "GET", "/tickets", LISA, query={"shared": "true"})["json"]["items"]
    assert sorted(t["id"] for t in listed) == sorted([hanks["id"], lisas["id"]])
    assert [t["id"] for t in call(invoke, "GET", "/tickets", LISA)["json"]["items"]] == [lisas["id"]]  # hers alone
    by_id = call(invoke, "GET", "/tickets", LISA, query={"organization": globex["id"]})["json"]["items"]
    assert len(by_id) == 2
    assert call(invoke, "GET", "/tickets", LISA, query={"organization": "initech"})["json"]["items"] == []

    # Nobody else: another domain, an address not verified, another tenant; staff use `organization`.
    for outsider in (BOB, LISA_UNVERIFIED, FOREIGN):
        assert call(invoke, "GET", f"/tickets/{hanks['id']}", outsider)["statusCode"] == 404
        assert call(invoke, "GET", "/tickets", outsider, query={"shared": "true"})["statusCode"] == 403
    assert call(invoke, "GET", "/tickets", AGENT, query={"shared": "true"})["statusCode"] == 400

    # The requester marks their request solved and rates the help, not a colleague.
    solved = call(invoke, "PATCH", f"/tickets/{hanks['id']}", LISA, {"status": "resolved"})
    assert solved["statusCode"] == 403, solved["json"]
    call(invoke, "PATCH", f"/tickets/{hanks['id']}", AGENT, {"status": "resolved"})
    rated = invoke("reports_api", http_event("POST", f"/tickets/{hanks['id']}/csat", body={"rating": "good"},
                                             claims_=LISA, template="reports_api/csat_rate.json"))
    assert rated["statusCode"] == 403, rated["json"]

    call(invoke, "PATCH", f"/organizations/{globex['id']}", ADMIN, {"shared_tickets": False})
    assert call(invoke, "GET", f"/tickets/{hanks['id']}", LISA)["statusCode"] == 404
    assert call(invoke, "PATCH", f"/organizations/{globex['id']}", ADMIN, {"shared_tickets": None})["statusCode"] in (
        400, 422)


def test_a_customers_own_profile_names_their_organisation_and_whether_it_shares(
        aws: None, invoke: Invoke, recorded: list[Call]) -> None:
    """What the portal reads to offer the organisation's tickets (it asked `GET /tickets?shared=true` and logged the
    403 for everyone else): the company claiming the verified address's domain, never its notes or domains."""
    def profile(who: dict[str, Any]) -> dict[str, Any]:
        answer = invoke("directory_api", http_event("GET", "/customers/me/profile", claims_=who))
        assert answer["statusCode"] == 200, answer["json"]
        found: dict[str, Any] = answer["json"]
        return found

    globex = call(invoke, "POST", "/organizations", ADMIN, {"name": "Globex", "domains": ["globex.example"],
                                                            "notes": "renewal in May"})["json"]
    recorded.clear()
    assert profile(HANK)["organization"] == {"id": globex["id"], "name": "Globex", "shared_tickets": False}
    assert denied("DirectoryApiFunction", recorded) == []
    assert profile(BOB)["organization"] is None  # a domain no organisation claims
    call(invoke, "PATCH", f"/organizations/{globex['id']}", ADMIN, {"shared_tickets": True})
    assert profile(HANK)["organization"]["shared_tickets"] is True
    changed = invoke("directory_api", http_event("PATCH", "/customers/me/profile", body={"name": "Hank H."},
                                                 claims_=HANK))
    assert (changed["statusCode"], changed["json"]["name"]) == (200, "Hank H.")
    assert changed["json"]["organization"]["name"] == "Globex"  # the same resource, the same shape
    unverified = invoke("directory_api", http_event("GET", "/customers/me/profile", claims_=LISA_UNVERIFIED))
    assert unverified["statusCode"] == 403  # no verified address: no profile, and no organisation by it
