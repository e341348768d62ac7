"""The team directory through the real lambda_handlers on moto: admins invite people (Cognito users with the
role and tenant as custom attributes), group them and disable them; agents read; tickets accept only a group
of the directory and an active agent of the ticket's group (422 `invalid_assignment` otherwise)."""

import json
from collections.abc import Callable
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import boto3
import pytest

from tests.conftest import EVENTS, claims, http_event, rebuild

if TYPE_CHECKING:
    from helpdesk.kernel.clock import FixedClock

Invoke = Callable[[str, dict[str, Any]], dict[str, Any]]
ADMIN = claims("root", "acme", "admin")
AGENT = claims("a1", "acme", "agent")
CUSTOMER = claims("c1", "acme", "customer", email="c1@example.com")
FOREIGN_ADMIN = claims("root", "zeta", "admin")


@pytest.fixture
def pool(aws: None, monkeypatch: pytest.MonkeyPatch) -> str:
    """A user pool like the template's: the email is the username, role and tenant are custom attributes."""
    idp = boto3.client("cognito-idp")
    pool_id: str = idp.create_user_pool(
        PoolName="helpdesk-users", UsernameAttributes=["email"],
        Schema=[{"Name": "role", "AttributeDataType": "String", "Mutable": True},
                {"Name": "tenant_id", "AttributeDataType": "String", "Mutable": False}])["UserPool"]["Id"]
    monkeypatch.setenv("HELPDESK_DIRECTORY_USER_POOL_ID", pool_id)
    rebuild()
    return pool_id


def call(invoke: Invoke, function: str, method: str, path: str, who: dict[str, Any], body: Any = None,
         query: dict[str, str] | None = None, if_match: str | None = None) -> dict[str, Any]:
    headers = {"if-match": if_match} if if_match is not None else None
    return invoke(function, http_event(method, path, body=body, claims_=who, query=query, headers=headers))


def cognito_user(pool_id: str, email: str) -> dict[str, Any]:
    user: dict[str, Any] = boto3.client("cognito-idp").admin_get_user(UserPoolId=pool_id, Username=email)
    user["attributes"] = {a["Name"]: a["Value"] for a in user["UserAttributes"]}
    return user


def invite(invoke: Invoke, email: str, name: str, role: str = "agent", **more: Any) -> dict[str, Any]:
    response = call(invoke, "directory_api", "POST", "/users", ADMIN,
                    {"email": email, "name": name, "role": role, **more})
    assert response["statusCode"] == 201, response["json"]
    return dict(response["json"])


def test_an_admin_invites_a_cognito_user_with_role_and_tenant_and_disables_and_enables_them(
        pool: str, invoke: Invoke) -> None:
    jana = invite(invoke, "Jana@Acme.example", "Jana Müller", language="de", signature="Jana\nAcme Support")

    account = cognito_user(pool, "jana@acme.example")
    assert account["attributes"]["custom:role"] == "agent"
    assert account["attributes"]["custom:tenant_id"] == "acme"
    assert account["attributes"]["name"] == "Jana Müller"
    assert jana["id"] == account["attributes"]["sub"]  # the id is the token's `sub`: the ticket's assignee_id
    assert (jana["email"], jana["language"], jana["active"]) == ("jana@acme.example", "de", True)

    changed = call(invoke, "directory_api", "PATCH", f"/users/{jana['id']}", ADMIN,
                   {"role": "admin", "name": "Jana M.", "active": False})
    assert changed["statusCode"] == 200, changed["json"]
    assert (changed["json"]["role"], changed["json"]["active"]) == ("admin", False)
    account = cognito_user(pool, "jana@acme.example")
    assert account["Enabled"] is False
    assert (account["attributes"]["custom:role"], account["attributes"]["name"]) == ("admin", "Jana M.")
    listed = call(invoke, "directory_api", "GET", "/users", AGENT, query={"active": "false"})["json"]
    assert [u["id"] for u in listed["items"]] == [jana["id"]]

    assert call(invoke, "directory_api", "PATCH", f"/users/{jana['id']}", ADMIN,
                {"active": True})["statusCode"] == 200
    assert cognito_user(pool, "jana@acme.example")["Enabled"] is True

    again = call(invoke, "directory_api", "POST", "/users", ADMIN,
                 {"email": "jana@acme.example", "name": "Twice", "role": "agent"})
    assert again["statusCode"] == 409

    kinds = [(e["kind"], e["action"]) for e in call(invoke, "audit_api", "GET", "/audit", ADMIN)["json"]["items"]]
    assert kinds.count(("directory.user", "updated")) == 2
    assert ("directory.user", "created") in kinds


def test_users_list_pages_and_filters_by_role(pool: str, invoke: Invoke) -> None:
    ids = {invite(invoke, f"agent{i}@acme.example", f"Agent {i}")["id"] for i in range(3)}
    customer = invite(invoke, "dana@example.com", "Dana", role="customer")
    seen: list[str] = []
    cursor: str | None = None
    while True:
        query = {"role": "agent", "limit": "2", **({"cursor": cursor} if cursor else {})}
        page = call(invoke, "directory_api", "GET", "/users", AGENT, query=query)["json"]
        seen += [u["id"] for u in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert sorted(seen) == sorted(ids)
    assert customer["id"] not in seen
    assert call(invoke, "directory_api", "GET", "/users", AGENT, query={"role": "boss"})["statusCode"] == 400


def test_groups_membership_is_the_same_from_either_side(pool: str, invoke: Invoke) -> None:
    ann = invite(invoke, "ann@acme.example", "Ann")
    bob = invite(invoke, "bob@acme.example", "Bob")
    created = call(invoke, "directory_api", "POST", "/groups", ADMIN,
                   {"name": "Billing & Invoices", "members": [ann["id"]]})
    assert created["statusCode"] == 201, created["json"]
    group_id = created["json"]["id"]
    assert group_id == "billing-invoices"

    assert call(invoke, "directory_api", "GET", f"/users/{ann['id']}", AGENT)["json"]["groups"] == [group_id]
    # joined from the user's side: the group lists them
    assert call(invoke, "directory_api", "PATCH", f"/users/{bob['id']}", ADMIN,
                {"groups": [group_id]})["statusCode"] == 200
    assert sorted(call(invoke, "directory_api", "GET", f"/groups/{group_id}", AGENT)["json"]["members"]) == sorted(
        [ann["id"], bob["id"]])
    # left from the group's side: the user no longer lists it
    assert call(invoke, "directory_api", "PATCH", f"/groups/{group_id}", ADMIN,
                {"members": [bob["id"]], "description": "Invoices and refunds"})["statusCode"] == 200
    assert call(invoke, "directory_api", "GET", f"/users/{ann['id']}", AGENT)["json"]["groups"] == []

    unknown = call(invoke, "directory_api", "PATCH", f"/users/{ann['id']}", ADMIN, {"groups": ["nope"]})
    assert (unknown["statusCode"], unknown["json"]["error"]["details"]["unknown"]) == (400, ["nope"])
    assert [g["id"] for g in call(invoke, "directory_api", "GET", "/groups", AGENT)["json"]] == [group_id]


def test_only_admins_change_agents_read_customers_do_not_and_tenants_are_apart(pool: str, invoke: Invoke) -> None:
    ann = invite(invoke, "ann@acme.example", "Ann")
    new_user = {"email": "x@acme.example", "name": "X", "role": "admin"}
    assert call(invoke, "directory_api", "POST", "/users", AGENT, new_user)["statusCode"] == 403
    assert call(invoke, "directory_api", "PATCH", f"/users/{ann['id']}", AGENT, {"name": "Y"})["statusCode"] == 403
    assert call(invoke, "directory_api", "POST", "/groups", AGENT, {"name": "G"})["statusCode"] == 403
    assert call(invoke, "directory_api", "GET", f"/users/{ann['id']}", AGENT)["statusCode"] == 200
    assert call(invoke, "directory_api", "GET", "/users", CUSTOMER)["statusCode"] == 403
    assert call(invoke, "directory_api", "GET", "/groups", CUSTOMER)["statusCode"] == 403

    assert call(invoke, "directory_api", "GET", f"/users/{ann['id']}", FOREIGN_ADMIN)["statusCode"] == 404
    assert call(invoke, "directory_api", "GET", "/users", FOREIGN_ADMIN)["json"]["items"] == []
    assert call(invoke, "directory_api", "PATCH", f"/users/{ann['id']}", FOREIGN_ADMIN,
                {"active": False})["statusCode"] == 404
    assert cognito_user(pool, "ann@acme.example")["Enabled"] is True


def test_agents_change_their_own_language_signature_and_notification_mail_only(pool: str, invoke: Invoke) -> None:
    agent = invite(invoke, "jana@acme.example", "Jana Müller")
    me = claims(agent["id"], "acme", "agent")
    changed = call(invoke, "directory_api", "PATCH", "/users/me", me,
                   {"language": "de", "signature": "Jana\nAcme Support", "notify_by_mail": False})
    assert changed["statusCode"] == 200, changed["json"]
    assert {k: changed["json"][k] for k in ("id", "language", "signature", "notify_by_mail", "role")} == {
        "id": agent["id"], "language": "de", "signature": "Jana\nAcme Support", "notify_by_mail": False,
        "role": "agent"}
    assert changed["json"]["version"] == agent["version"] + 1
    read = call(invoke, "directory_api", "GET", f"/users/{agent['id']}", ADMIN)["json"]
    assert (read["language"], read["notify_by_mail"]) == ("de", False)
    # Nothing else of their record, nothing of anyone else's, and no nulls where a value is needed.
    for body in ({"role": "admin"}, {"name": "Boss"}, {"active": False}, {"language": "not a language"}):
        refused = call(invoke, "directory_api", "PATCH", "/users/me", me, body)
        assert refused["statusCode"] == 422, (body, refused["json"])
    nulled = call(invoke, "directory_api", "PATCH", "/users/me", me, {"notify_by_mail": None})
    assert (nulled["statusCode"], nulled["json"]["error"]["code"]) == (400, "invalid_input")  # as PATCH /users/{id}
    assert call(invoke, "directory_api", "PATCH", "/users/me", CUSTOMER, {"language": "de"})["statusCode"] == 403
    unknown = call(invoke, "directory_api", "PATCH", "/users/me", claims("ghost", "acme", "agent"), {"language": "de"})
    assert unknown["statusCode"] == 404
    assert call(invoke, "directory_api", "GET", f"/users/{agent['id']}", ADMIN)["json"]["role"] == "agent"


def test_agents_choose_where_the_console_goes_after_a_reply(pool: str, invoke: Invoke) -> None:
    """FreeScout's "After sending": stay on the ticket (the default), the list's next ticket, or back to the list."""
    agent = invite(invoke, "jana@acme.example", "Jana Müller")
    assert agent["after_reply"] == "stay"
    me = claims(agent["id"], "acme", "agent")
    chosen = call(invoke, "directory_api", "PATCH", "/users/me", me, {"after_reply": "next"})
    assert (chosen["statusCode"], chosen["json"]["after_reply"]) == (200, "next")
    assert call(invoke, "directory_api", "GET", "/users/me", me)["json"]["after_reply"] == "next"
    for body in ({"after_reply": "elsewhere"}, {"after_reply": ""}):
        assert call(invoke, "directory_api", "PATCH", "/users/me", me, body)["statusCode"] == 422, body
    nulled = call(invoke, "directory_api", "PATCH", "/users/me", me, {"after_reply": None})
    assert (nulled["statusCode"], nulled["json"]["error"]["code"]) == (400, "invalid_input")
    assert call(invoke, "directory_api", "GET", "/users/me", me)["json"]["after_reply"] == "next"  # nothing lost


def test_agents_set_the_time_zone_their_mails_name_times_in(pool: str, invoke: Invoke) -> None:
    """An IANA name (the console offers the browser's), checked; null goes back to UTC."""
    agent = invite(invoke, "jana@acme.example", "Jana Müller")
    me = claims(agent["id"], "acme", "agent")
    zoned = call(invoke, "directory_api", "PATCH", "/users/me", me, {"time_zone": "Europe/Berlin"})
    assert (zoned["statusCode"], zoned["json"]["time_zone"]) == (200, "Europe/Berlin")
    for zone in ("Mars/Olympus_Mons", "", "../etc/passwd", "x" * 65):
        refused = call(invoke, "directory_api", "PATCH", "/users/me", me, {"time_zone": zone})
        assert refused["statusCode"] == 422, (zone, refused["json"])
    assert "unknown time zone 'Mars/Olympus_Mons'" in str(
        call(invoke, "directory_api", "PATCH", "/users/me", me, {"time_zone": "Mars/Olympus_Mons"})["json"])
    cleared = call(invoke, "directory_api", "PATCH", "/users/me", me, {"time_zone": None})
    assert (cleared["statusCode"], cleared["json"]["time_zone"]) == (200, None)
    by_admin = call(invoke, "directory_api", "PATCH", f"/users/{agent['id']}", ADMIN, {"time_zone": "America/Chicago"})
    assert (by_admin["statusCode"], by_admin["json"]["time_zone"]) == (200, "America/Chicago")


def test_organizations_match_customers_by_mail_domain(pool: str, invoke: Invoke) -> None:
    created = call(invoke, "directory_api", "POST", "/organizations", ADMIN,
                   {"name": "Globex", "domains": ["Globex.example", "globex-mail.example"]})
    assert created["statusCode"] == 201, created["json"]
    org = created["json"]
    assert org["domains"] == ["globex-mail.example", "globex.example"]
    taken = call(invoke, "directory_api", "POST", "/organizations", ADMIN,
                 {"name": "Other", "domains": ["other.example", "globex.example"]})
    assert taken["statusCode"] == 409
    assert taken["json"]["error"]["message"] == "domains: another organization claims globex.example (Globex)"
    assert taken["json"]["error"]["details"] == {"field": "domains", "claimed": {"globex.example": org["id"]}}
    initech = call(invoke, "directory_api", "POST", "/organizations", ADMIN, {"name": "Initech", "domains": []})
    grab = call(invoke, "directory_api", "PATCH", f"/organizations/{initech['json']['id']}", ADMIN,
                {"domains": ["globex-mail.example"]})
    assert grab["statusCode"] == 409
    assert grab["json"]["error"]["details"]["claimed"] == {"globex-mail.example": org["id"]}
    keep = call(invoke, "directory_api", "PATCH", f"/organizations/{org['id']}", ADMIN,  # its own: no conflict
                {"domains": ["globex.example", "globex-mail.example"]})
    assert keep["statusCode"] == 200, keep["json"]
    customer = invite(invoke, "hank@globex.example", "Hank", role="customer")
    assert customer["organization_id"] == org["id"]

    from helpdesk.bootstrap import container

    directory = container().directory
    found = directory.organization_for_email("acme", "someone@GLOBEX.example")
    assert found is not None
    assert found.id == org["id"]
    assert directory.organization_for_email("zeta", "someone@globex.example") is None  # another tenant's
    moved = call(invoke, "directory_api", "PATCH", f"/organizations/{org['id']}", ADMIN,
                 {"domains": ["globex.example"]})
    assert moved["statusCode"] == 200
    assert directory.organization_for_email("acme", "a@globex-mail.example") is None


def test_two_admins_changing_one_user_group_or_organisation_cannot_overwrite_each_other(
        pool: str, invoke: Invoke) -> None:
    ann = call(invoke, "directory_api", "POST", "/users", ADMIN, {"email": "ann@acme.example", "name": "Ann",
                                                                  "role": "agent"})
    group = call(invoke, "directory_api", "POST", "/groups", ADMIN, {"id": "billing", "name": "Billing"})
    org = call(invoke, "directory_api", "POST", "/organizations", ADMIN, {"name": "Globex", "domains": []})
    records = [(f"/users/{ann['json']['id']}", ann, {"name": "Ann B."}),
               ("/groups/billing", group, {"members": [ann["json"]["id"]]}),
               (f"/organizations/{org['json']['id']}", org, {"domains": ["globex.example"]})]
    for path, created, change in records:
        assert (created["statusCode"], created["headers"]["etag"]) == (201, '"1"'), created["json"]
        read = call(invoke, "directory_api", "GET", path, AGENT)
        assert read["headers"]["etag"] == '"1"'
        first = call(invoke, "directory_api", "PATCH", path, ADMIN, change, if_match=read["headers"]["etag"])
        assert (first["statusCode"], first["headers"]["etag"], first["json"]["version"]) == (200, '"2"', 2), path
        # The second admin read version 1 too: their save is refused and changes nothing.
        for stale in ('"1"', "1", "W/\"1\"", '"not a version"'):
            second = call(invoke, "directory_api", "PATCH", path, ADMIN, {"name": "Second admin"}, if_match=stale)
            assert (second["statusCode"], second["json"]["error"]["code"]) == (409, "concurrent_update"), stale
        assert second["json"]["error"]["details"]["current_version"] == 2
        after = call(invoke, "directory_api", "GET", path, ADMIN)
        assert (after["headers"]["etag"], after["json"]["name"]) == ('"2"', first["json"]["name"])
        unpinned = call(invoke, "directory_api", "PATCH", path, ADMIN, {"name": "Last save"})  # as before If-Match
        assert (unpinned["statusCode"], unpinned["headers"]["etag"]) == (200, '"3"')
    assert cognito_user(pool, "ann@acme.example")["attributes"]["name"] == "Last save"  # never "Second admin"
    # The lists carry the version the console sends back.
    assert call(invoke, "directory_api", "GET", "/users", AGENT)["json"]["items"][0]["version"] == 3
    assert [g["version"] for g in call(invoke, "directory_api", "GET", "/groups", AGENT)["json"]] == [3]
    assert [o["version"] for o in call(invoke, "directory_api", "GET", "/organizations", AGENT)["json"]] == [3]
    # A stale organisation change claims no domain: the one it named is still free.
    stale_claim = call(invoke, "directory_api", "PATCH", f"/organizations/{org['json']['id']}", ADMIN,
                       {"domains": ["initech.example"]}, if_match='"2"')
    assert stale_claim["statusCode"] == 409
    initech = call(invoke, "directory_api", "POST", "/organizations", ADMIN,
                   {"name": "Initech", "domains": ["initech.example"]})
    assert initech["statusCode"] == 201, initech["json"]
    audit = call(invoke, "audit_api", "GET", "/audit", ADMIN)["json"]["items"]
    updates = [e for e in audit if e["action"] == "updated"]
    assert len(updates) == 6  # two saves of each record; the refused ones left no trace


def test_an_admin_deletes_an_organisation_its_domains_are_released_and_its_tickets_keep_its_id(
        pool: str, invoke: Invoke) -> None:
    org = call(invoke, "directory_api", "POST", "/organizations", ADMIN,
               {"name": "Globex", "domains": ["globex.example", "globex-mail.example"]})["json"]
    path = f"/organizations/{org['id']}"
    ticket = call(invoke, "ticket_commands", "POST", "/tickets", AGENT,
                  {"subject": "Printer", "description": "jams", "requester": {"email": "hank@globex.example"}})["json"]
    assert ticket["organization_id"] == org["id"]

    for who, status in ((AGENT, 403), (CUSTOMER, 403), (FOREIGN_ADMIN, 404)):
        assert call(invoke, "directory_api", "DELETE", path, who)["statusCode"] == status, who
    stale = call(invoke, "directory_api", "DELETE", path, ADMIN, if_match='"7"')
    assert (stale["statusCode"], stale["json"]["error"]["code"]) == (409, "concurrent_update")
    assert call(invoke, "directory_api", "GET", path, ADMIN)["statusCode"] == 200  # still there

    deleted = call(invoke, "directory_api", "DELETE", path, ADMIN, if_match='"1"')
    assert (deleted["statusCode"], deleted["body"]) == (204, "")
    assert call(invoke, "directory_api", "GET", path, AGENT)["statusCode"] == 404
    assert call(invoke, "directory_api", "DELETE", path, ADMIN)["statusCode"] == 404
    assert call(invoke, "directory_api", "DELETE", "/organizations/abc123", ADMIN)["statusCode"] == 404
    assert call(invoke, "directory_api", "GET", "/organizations", AGENT)["json"] == []
    audited = [e for e in call(invoke, "audit_api", "GET", "/audit", ADMIN, query={"kind": "directory.organization"})
               ["json"]["items"] if e["action"] == "deleted"]
    assert [(e["resource_id"], e["before"]["name"], e["after"]) for e in audited] == [(org["id"], "Globex", None)]

    # Its tickets keep its id as history, and a filter naming it just lists them.
    kept = call(invoke, "ticket_commands", "GET", f"/tickets/{ticket['id']}", AGENT)
    assert (kept["statusCode"], kept["json"]["organization_id"]) == (200, org["id"])
    listed = call(invoke, "ticket_commands", "GET", "/tickets", AGENT, query={"organization": org["id"]})
    assert listed["statusCode"] == 200, listed["json"]
    assert [t["id"] for t in listed["json"]["items"]] == [ticket["id"]]
    # New mail from its domains maps to no organisation, until another organisation claims them.
    orphan = call(invoke, "ticket_commands", "POST", "/tickets", AGENT,
                  {"subject": "Toner", "description": "empty", "requester": {"email": "hank@globex.example"}})
    assert orphan["json"]["organization_id"] is None
    successor = call(invoke, "directory_api", "POST", "/organizations", ADMIN,
                     {"name": "Globex Corp", "domains": ["globex.example", "globex-mail.example"]})
    assert successor["statusCode"] == 201, successor["json"]
    claimed = call(invoke, "ticket_commands", "POST", "/tickets", AGENT,
                   {"subject": "Fax", "description": "x", "requester": {"email": "hank@globex-mail.example"}})
    assert claimed["json"]["organization_id"] == successor["json"]["id"]


def test_a_new_ticket_belongs_to_the_organisation_of_its_requesters_mail_domain(pool: str, invoke: Invoke) -> None:
    org = call(invoke, "directory_api", "POST", "/organizations", ADMIN,
               {"name": "Globex", "domains": ["globex.example"]})["json"]
    staff_opened = call(invoke, "ticket_commands", "POST", "/tickets", AGENT,
                        {"subject": "Printer", "description": "jams", "requester": {"email": "Hank@GLOBEX.example"}})
    assert staff_opened["statusCode"] == 201, staff_opened["json"]
    assert staff_opened["json"]["organization_id"] == org["id"]
    hank = claims("h2", "acme", "customer", email="h2@globex.example")
    own = call(invoke, "ticket_commands", "POST", "/tickets", hank, {"subject": "Login", "description": "no"})
    assert own["json"]["organization_id"] == org["id"]
    elsewhere = call(invoke, "ticket_commands", "POST", "/tickets", AGENT,
                     {"subject": "Other", "description": "x", "requester": {"email": "a@initech.example"}})
    assert elsewhere["json"]["organization_id"] is None
    # Another tenant's organisation never matches: the same domain in tenant zeta opens a ticket without one.
    foreign = call(invoke, "ticket_commands", "POST", "/tickets", claims("z1", "zeta", "agent"),
                   {"subject": "Zeta", "description": "x", "requester": {"email": "b@globex.example"}})
    assert foreign["json"]["organization_id"] is None

    listed = call(invoke, "ticket_commands", "GET", "/tickets", AGENT, query={"organization": org["id"]})
    assert listed["statusCode"] == 200, listed["json"]
    assert {t["id"] for t in listed["json"]["items"]} == {staff_opened["json"]["id"], own["json"]["id"]}
    zeta = call(invoke, "ticket_commands", "GET", "/tickets", claims("z1", "zeta", "agent"),
                query={"organization": org["id"]})
    assert zeta["json"]["items"] == []
    too_long = call(invoke, "ticket_commands", "GET", "/tickets", AGENT, query={"organization": "x" * 65})
    assert too_long["statusCode"] == 400, too_long["json"]


def test_tickets_take_only_directory_groups_and_active_members_as_assignees(pool: str, invoke: Invoke) -> None:
    ann = invite(invoke, "ann@acme.example", "Ann")
    bob = invite(invoke, "bob@acme.example", "Bob")
    call(invoke, "directory_api", "POST", "/groups", ADMIN, {"id": "billing", "name": "Billing",
                                                              "members": [ann["id"]]})
    ticket = call(invoke, "ticket_commands", "POST", "/tickets", ADMIN,
                  {"subject": "Invoice", "description": "wrong amount", "group": "billing"})
    assert ticket["statusCode"] == 201, ticket["json"]
    path = f"/tickets/{ticket['json']['id']}"

    refused = call(invoke, "ticket_commands", "PATCH", path, ADMIN, {"assignee_id": bob["id"]})
    assert refused["statusCode"] == 422
    assert refused["json"]["error"]["code"] == "invalid_assignment"
    assert refused["json"]["error"]["details"]["field"] == "assignee_id"
    nobody = call(invoke, "ticket_commands", "PATCH", path, ADMIN, {"assignee_id": "nobody-such-agent-123"})
    assert (nobody["statusCode"], nobody["json"]["error"]["code"]) == (422, "invalid_assignment")
    unknown_group = call(invoke, "ticket_commands", "PATCH", path, ADMIN, {"group": "no-such-group"})
    assert (unknown_group["statusCode"], unknown_group["json"]["error"]["details"]["field"]) == (422, "group")

    assert call(invoke, "ticket_commands", "PATCH", path, ADMIN, {"assignee_id": ann["id"]})["statusCode"] == 200
    call(invoke, "directory_api", "PATCH", f"/users/{ann['id']}", ADMIN, {"active": False})
    call(invoke, "ticket_commands", "PATCH", path, ADMIN, {"assignee_id": None})
    disabled = call(invoke, "ticket_commands", "PATCH", path, ADMIN, {"assignee_id": ann["id"]})
    assert (disabled["statusCode"], disabled["json"]["error"]["code"]) == (422, "invalid_assignment")


def test_the_team_screen_counts_before_tokens_expire(pool: str, clock: "FixedClock", invoke: Invoke) -> None:
    """A signed-in agent's token outlives an admin's change (Cognito's ID tokens live an hour): every API reads the
    person's record again within 30 s, so limiting, demoting or deactivating them counts then, token or not."""
    jana = invite(invoke, "jana@acme.example", "Jana")
    ops = invite(invoke, "ops@acme.example", "Ops", role="admin")
    call(invoke, "directory_api", "POST", "/groups", ADMIN, {"id": "billing", "name": "Billing",
                                                              "members": [jana["id"]]})
    for subject, group in (("Invoice", "billing"), ("Printer", None)):
        call(invoke, "ticket_commands", "POST", "/tickets", ADMIN, {"subject": subject, "description": "d",
                                                                    "group": group})
    token = claims(jana["id"], "acme", "agent", email="jana@acme.example")  # issued before the changes
    admin_token = claims(ops["id"], "acme", "admin")

    def subjects() -> list[str]:
        listed = call(invoke, "ticket_commands", "GET", "/tickets", token)
        assert listed["statusCode"] == 200, listed["json"]
        return sorted(t["subject"] for t in listed["json"]["items"])

    assert subjects() == ["Invoice", "Printer"]
    assert call(invoke, "directory_api", "POST", "/groups", admin_token, {"name": "Ops one"})["statusCode"] == 201

    call(invoke, "directory_api", "PATCH", f"/users/{jana['id']}", ADMIN, {"ticket_access": "groups"})
    call(invoke, "directory_api", "PATCH", f"/users/{ops['id']}", ADMIN, {"role": "agent"})
    assert subjects() == ["Invoice", "Printer"]  # this warm container read her record a moment ago
    clock.advance(timedelta(seconds=31))
    assert subjects() == ["Invoice"]
    mine = call(invoke, "directory_api", "GET", "/users/me", token)["json"]  # what the console shows her as
    assert (mine["id"], mine["role"], mine["groups"], mine["ticket_access"]) == (jana["id"], "agent", ["billing"],
                                                                                "groups")
    assert call(invoke, "directory_api", "GET", "/users/me", admin_token)["json"]["role"] == "agent"
    demoted = call(invoke, "directory_api", "POST", "/groups", admin_token, {"name": "Ops two"})
    assert (demoted["statusCode"], demoted["json"]["error"]["code"]) == (403, "forbidden")

    call(invoke, "directory_api", "PATCH", f"/users/{jana['id']}", ADMIN, {"active": False})
    clock.advance(timedelta(seconds=31))
    refused = call(invoke, "ticket_commands", "GET", "/tickets", token)
    assert (refused["statusCode"], refused["json"]["error"]["code"]) == (401, "account_deactivated")
    assert "deactivated" in refused["json"]["error"]["message"]
    assert call(invoke, "ticket_search", "GET", "/tickets/search", token, query={"q": "invoice"})["statusCode"] == 401


def test_the_sample_events_run_in_order_against_the_handler(pool: str, invoke: Invoke) -> None:
    """events/directory_api, as `sam local invoke` would send them: the group first, then the user in it."""
    samples = ("create_group.json", "create_user.json", "list_users.json")
    answers = [invoke("directory_api", json.loads((EVENTS / "directory_api" / name).read_text())) for name in samples]
    assert [a["statusCode"] for a in answers] == [201, 201, 200], [a["json"] for a in answers]
    assert answers[1]["json"]["groups"] == ["support"]
    assert [u["email"] for u in answers[2]["json"]["items"]] == ["jana.mueller@acme.example"]


def test_agents_keep_notes_on_an_organisation_and_only_admins_change_the_rest(pool: str, invoke: Invoke) -> None:
    """What the team knows about a company (its plan, whom to call about renewals) beside its tickets: agents write
    it, as Zendesk's organisation notes; the name, domains and sharing stay the admins'. Customers read none of it."""
    org = call(invoke, "directory_api", "POST", "/organizations", ADMIN,
               {"name": "Globex", "domains": ["globex.example"], "notes": "  Enterprise plan.  "})["json"]
    assert org["notes"] == "Enterprise plan."
    path = f"/organizations/{org['id']}"
    noted = call(invoke, "directory_api", "PATCH", path, AGENT,
                 {"notes": "Enterprise plan; renewals: call Hank (finance) first."}, if_match='"1"')
    assert noted["statusCode"] == 200, noted["json"]
    assert noted["json"]["notes"] == "Enterprise plan; renewals: call Hank (finance) first."
    assert noted["json"]["version"] == 2
    changes: list[dict[str, Any]] = [{"name": "Globex Corp"}, {"notes": "x", "shared_tickets": True}, {"domains": []}]
    for change in changes:
        refused = call(invoke, "directory_api", "PATCH", path, AGENT, change)
        assert refused["statusCode"] == 403, change
    assert call(invoke, "directory_api", "PATCH", path, AGENT, {"notes": None})["statusCode"] == 400  # "" clears
    assert call(invoke, "directory_api", "PATCH", path, AGENT, {"notes": "x" * 5001})["statusCode"] == 422
    stale = call(invoke, "directory_api", "PATCH", path, AGENT, {"notes": "older"}, if_match='"1"')
    assert stale["statusCode"] == 409  # a teammate's note written meanwhile is not overwritten
    read = call(invoke, "directory_api", "GET", path, AGENT)["json"]
    assert (read["name"], read["notes"]) == ("Globex", "Enterprise plan; renewals: call Hank (finance) first.")
    assert call(invoke, "directory_api", "GET", path, CUSTOMER)["statusCode"] == 403
    entries = call(invoke, "audit_api", "GET", "/audit", ADMIN)["json"]["items"]
    assert any(e["actor"] == "a1" and e["resource_id"] == org["id"] and e["after"]["notes"].startswith("Enterprise")
               for e in entries)


def test_the_team_keeps_notes_on_a_customer_and_customers_read_none(aws: None, invoke: Invoke,
                                                                    recorded: list[Any]) -> None:
    """What agents know about a person (prefers a call, a second address) on their page: any teammate writes it, a
    save over a teammate's is refused, other tenants and customers read none of it, and the function's grants cover
    every call it made."""
    from tests.iam_calls import denied

    path = "/customers/email%3Ajana%40example.com/notes"
    empty = call(invoke, "directory_api", "GET", path, AGENT)
    assert empty["statusCode"] == 200, empty["json"]
    assert (empty["json"]["id"], empty["json"]["notes"], empty["json"]["version"]) == ("email:jana@example.com", "", 0)
    assert empty["headers"]["etag"] == '"0"'
    first = call(invoke, "directory_api", "PUT", path, AGENT, {"notes": "  Prefers a call before 10:00.  "},
                 if_match='"0"')
    assert first["statusCode"] == 200, first["json"]
    assert (first["json"]["notes"], first["json"]["version"], first["json"]["updated_by"]) == (
        "Prefers a call before 10:00.", 1, "a1")
    second = call(invoke, "directory_api", "PUT", "/customers/email:jana@example.com/notes", ADMIN,
                  {"notes": "Prefers a call before 10:00. Second address: jana@home.example"}, if_match='"1"')
    assert second["statusCode"] == 200, second["json"]
    stale = call(invoke, "directory_api", "PUT", path, AGENT, {"notes": "older"}, if_match='"1"')
    assert stale["statusCode"] == 409  # a teammate's save meanwhile is not overwritten
    assert call(invoke, "directory_api", "PUT", path, AGENT, {"notes": "older"}, if_match='"0"')["statusCode"] == 409
    assert call(invoke, "directory_api", "GET", path, AGENT)["json"]["version"] == 2
    assert call(invoke, "directory_api", "PUT", path, AGENT, {"notes": "x" * 5001})["statusCode"] == 422
    assert call(invoke, "directory_api", "PUT", path, AGENT, {"notes": None})["statusCode"] == 422
    assert call(invoke, "directory_api", "GET", path, CUSTOMER)["statusCode"] == 403
    assert call(invoke, "directory_api", "PUT", path, CUSTOMER, {"notes": "hi"})["statusCode"] == 403
    elsewhere = call(invoke, "directory_api", "GET", path, claims("z1", "zeta", "agent"))["json"]
    assert (elsewhere["notes"], elsewhere["version"]) == ("", 0)  # another tenant's customer of the same address
    assert denied("DirectoryApiFunction", recorded) == []


@pytest.mark.parametrize("blank", ["   ", "\u200b\u200b", "\x00"])
def test_a_name_of_nothing_visible_is_refused_for_people_groups_organisations_and_macros(
        pool: str, invoke: Invoke, blank: str) -> None:
    """A group named "   " was created (id `group`), and people, organisations and macros took names of spaces,
    zero-width characters or a NUL: rows without a name on the Team screen and in the macro menu."""
    group = call(invoke, "directory_api", "POST", "/groups", ADMIN, {"name": "Billing"})
    assert group["statusCode"] == 201
    for path, body in (("/users", {"email": "new@acme.example", "name": blank, "role": "agent"}),
                       ("/groups", {"name": blank}), ("/organizations", {"name": blank})):
        refused = call(invoke, "directory_api", "POST", path, ADMIN, body)
        assert (refused["statusCode"], refused["json"]["error"]["code"]) == (422, "validation_error"), path
    renamed = call(invoke, "directory_api", "PATCH", f"/groups/{group['json']['id']}", ADMIN, {"name": blank})
    assert renamed["statusCode"] == 422
    macro = call(invoke, "agent_tools", "POST", "/macros", ADMIN, {"name": blank, "actions": {"status": "open"}})
    assert (macro["statusCode"], macro["json"]["error"]["code"]) == (400, "invalid_input")
    kept = call(invoke, "directory_api", "POST", "/groups", ADMIN, {"name": "  Second\tline  "})
    assert kept["json"]["name"] == "Second line"  # one line, as a list shows it
