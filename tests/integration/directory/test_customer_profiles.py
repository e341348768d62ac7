"""A customer's profile (name, phone, language) through the real Lambda handlers on moto: the team sets it on the
customer's page (`/customers/{key}/profile`), the person their own (`/customers/me/profile`, under the customer their
address is linked to), the customers list names them by it, and each function's grants cover the calls it made."""

import json
from typing import Any
from urllib.parse import quote

from tests.conftest import EVENTS, claims, http_event
from tests.iam_calls import Call, denied
from tests.integration.directory.test_customer_addresses import ADMIN, CUSTOMER, HOME, WORK, link, opened_for, signed_in
from tests.integration.search.test_search_api import AGENT, FOREIGN_AGENT, Invoke, index_streams, make_pollers

PROFILE = f"/customers/{quote(CUSTOMER, safe='')}/profile"
MINE = "/customers/me/profile"


def call(invoke: Invoke, method: str, path: str, who: dict[str, Any], body: Any = None,
         if_match: str | None = None, function: str = "directory_api") -> dict[str, Any]:
    headers = {"if-match": if_match} if if_match is not None else None
    return invoke(function, http_event(method, path, body=body, claims_=who, headers=headers))


def test_the_team_keeps_a_customers_name_phone_and_language(aws: None, invoke: Invoke,
                                                            recorded: list[Call]) -> None:
    empty = call(invoke, "GET", PROFILE, AGENT)
    assert empty["statusCode"] == 200, empty["json"]
    assert (empty["json"]["id"], empty["json"]["name"], empty["json"]["version"]) == (CUSTOMER, None, 0)
    assert empty["headers"]["etag"] == '"0"'

    first = call(invoke, "PATCH", PROFILE, AGENT, {"name": "  Dana   Kowalski ", "phone": "+49 30 1234-567",
                                                   "language": "de"}, if_match='"0"')
    assert first["statusCode"] == 200, first["json"]
    assert {k: first["json"][k] for k in ("name", "phone", "language", "version", "updated_by")} == {
        "name": "Dana Kowalski", "phone": "+49 30 1234-567", "language": "de", "version": 1, "updated_by": "a1"}
    assert first["headers"]["etag"] == '"1"'

    # only the fields sent change; null clears one
    second = call(invoke, "PATCH", PROFILE, ADMIN, {"phone": None}, if_match='"1"')
    assert (second["json"]["name"], second["json"]["phone"], second["json"]["version"]) == ("Dana Kowalski", None, 2)
    # a save over a teammate's change is refused, nothing changed
    stale = call(invoke, "PATCH", PROFILE, AGENT, {"name": "Older"}, if_match='"1"')
    assert (stale["statusCode"], stale["json"]["error"]["code"]) == (409, "concurrent_update")
    # the same values again write no new version
    assert call(invoke, "PATCH", PROFILE, AGENT, {"language": "de"})["json"]["version"] == 2
    assert call(invoke, "GET", PROFILE, AGENT)["json"]["name"] == "Dana Kowalski"


def test_what_a_profile_refuses(aws: None, invoke: Invoke) -> None:
    def refused(body: dict[str, Any]) -> int:
        status: int = call(invoke, "PATCH", PROFILE, AGENT, body)["statusCode"]
        return status

    assert refused({"phone": "call me maybe"}) == 422
    assert refused({"phone": "+1 555 0100 ext. 12"}) == 200
    assert refused({"phone": "(555) 010-0199"}) == 200
    assert refused({"language": "German"}) == 422
    assert refused({"language": "pt-BR"}) == 200
    assert refused({"name": "x" * 201}) == 422
    assert refused({"name": "Dana\u0007"}) == 422
    assert refused({"notes": "not here"}) == 422  # the team's notes have their own endpoint
    assert refused({"name": 5}) == 422
    bad_key = call(invoke, "GET", "/customers/a%20b/profile", AGENT)
    assert bad_key["statusCode"] == 422
    # customers read no one's profile by key, another tenant reads its own customer of the same address
    assert call(invoke, "GET", PROFILE, signed_in("c1", HOME))["statusCode"] == 403
    assert call(invoke, "PATCH", PROFILE, signed_in("c1", HOME), {"name": "Me"})["statusCode"] == 403
    assert call(invoke, "GET", PROFILE, FOREIGN_AGENT)["json"]["language"] is None
    # one's own profile is a customer's: teammates have PATCH /users/me
    assert call(invoke, "GET", MINE, AGENT)["statusCode"] == 403
    unverified = claims("c9", "acme", "customer", email="dana@example.com")
    assert call(invoke, "GET", MINE, unverified)["statusCode"] == 403


def test_a_customer_keeps_their_own_profile_under_the_customer_they_are(aws: None, invoke: Invoke,
                                                                        recorded: list[Call]) -> None:
    dana = signed_in("c1", HOME)
    assert call(invoke, "GET", MINE, dana)["json"]["version"] == 0
    mine = call(invoke, "PATCH", MINE, dana, {"name": "Dana K.", "language": "es"}, if_match='"0"')
    assert mine["statusCode"] == 200, mine["json"]
    assert (mine["json"]["id"], mine["json"]["updated_by"]) == (CUSTOMER, "c1")
    assert call(invoke, "GET", PROFILE, AGENT)["json"]["language"] == "es"  # the team sees what she set
    assert denied("DirectoryApiFunction", recorded) == []

    opened_for(invoke, WORK, "Invoice to the company")
    assert link(invoke, WORK)["statusCode"] == 200
    recorded.clear()  # the calls above were ticket_commands'
    from_work = call(invoke, "GET", MINE, signed_in("c-work", WORK))
    assert (from_work["json"]["id"], from_work["json"]["name"]) == (CUSTOMER, "Dana K.")  # one person, one profile
    changed = call(invoke, "PATCH", MINE, signed_in("c-work", WORK), {"language": "fr"}, if_match='"1"')
    assert changed["json"]["language"] == "fr"
    assert denied("DirectoryApiFunction", recorded) == []


def test_the_customers_list_names_people_as_their_profile_does(aws: None, invoke: Invoke,
                                                               recorded: list[Call]) -> None:
    pollers = make_pollers()
    opened_for(invoke, HOME, "Printer jam")
    opened_for(invoke, "erin@example.com", "Refund")
    assert call(invoke, "PATCH", PROFILE, AGENT, {"name": "Dana Kowalski"})["statusCode"] == 200
    index_streams(pollers)
    recorded.clear()
    rows = call(invoke, "GET", "/customers", AGENT, function="ticket_search")["json"]["items"]
    assert [(r["key"], r["name"]) for r in rows] == [(CUSTOMER, "Dana Kowalski"), ("email:erin@example.com", None)]
    assert denied("TicketSearchFunction", recorded) == []


def test_the_sample_events_change_and_read_a_profile(aws: None, invoke: Invoke) -> None:
    event = json.loads((EVENTS / "directory_api" / "change_customer_profile.json").read_text())
    changed = invoke("directory_api", event)
    assert changed["statusCode"] == 200, changed["json"]
    assert changed["json"]["language"] == json.loads(event["body"])["language"]


def test_a_new_ticket_calls_the_customer_by_their_profiles_name(aws: None, invoke: Invoke,
                                                                recorded: list[Call]) -> None:
    assert call(invoke, "PATCH", PROFILE, AGENT, {"name": "Dana Kowalski"})["statusCode"] == 200
    recorded.clear()
    created = call(invoke, "POST", "/tickets", AGENT, {"subject": "Printer jam", "description": "phoned in",
                                                       "requester": {"email": HOME, "name": "dk"}},
                   function="ticket_commands")
    assert created["statusCode"] == 201, created["json"]
    assert created["json"]["requester"]["name"] == "Dana Kowalski"  # not the name the call gave
    assert denied("TicketCommandsFunction", recorded) == []
    # someone without a profile keeps the name their ticket gives them
    other = call(invoke, "POST", "/tickets", AGENT, {"subject": "Refund", "description": "by phone",
                                                     "requester": {"email": "erin@example.com", "name": "Erin"}},
                 function="ticket_commands")
    assert other["json"]["requester"]["name"] == "Erin"
