"""The team directory over HTTP against a real `helpdesk serve`: an admin invites two agents and makes a group
with one of them; a ticket of that group goes to the member only, and an unknown group is refused."""

import json
from urllib.parse import parse_qs, urlparse

import httpx
import pytest

from tests.e2e.conftest import LocalStack

pytestmark = pytest.mark.e2e


def test_tickets_are_assigned_only_to_members_of_their_group(stack: LocalStack) -> None:
    admin = stack.client(stack.token("root", "admin", "e2e-directory"))
    ids = {}
    for name in ("Ann", "Bob"):
        created = admin.post("/users", json={"email": f"{name.lower()}@e2e-directory.example", "name": name,
                                             "role": "agent", "signature": f"{name}, Support"})
        assert created.status_code == 201, created.text
        ids[name] = created.json()["id"]
    group = admin.post("/groups", json={"id": "billing", "name": "Billing", "members": [ids["Ann"]]})
    assert group.status_code == 201, group.text
    ann = stack.client(stack.token(ids["Ann"], "agent", "e2e-directory"))
    assert [u["name"] for u in ann.get("/users", params={"role": "agent"}).json()["items"]] == sorted(
        ["Ann", "Bob"], key=lambda n: ids[n])  # agents read the directory (in id order)
    assert ann.get(f"/users/{ids['Ann']}").json()["groups"] == ["billing"]
    assert ann.post("/groups", json={"name": "Mine"}).status_code == 403  # only admins change it

    ticket = admin.post("/tickets", json={"subject": "Invoice twice", "description": "d", "group": "billing"})
    assert ticket.status_code == 201, ticket.text
    path = f"/tickets/{ticket.json()['id']}"

    to_bob = admin.patch(path, json={"assignee_id": ids["Bob"]})
    assert to_bob.status_code == 422, to_bob.text
    assert to_bob.json()["error"]["code"] == "invalid_assignment"
    assert to_bob.json()["error"]["details"]["field"] == "assignee_id"

    to_ann = admin.patch(path, json={"assignee_id": ids["Ann"]})
    assert to_ann.status_code == 200, to_ann.text
    assert to_ann.json()["assignee_id"] == ids["Ann"]

    nowhere = admin.patch(path, json={"group": "no-such-group"})
    assert nowhere.status_code == 422, nowhere.text
    assert (nowhere.json()["error"]["code"], nowhere.json()["error"]["details"]["field"]) == (
        "invalid_assignment", "group")
    assert admin.post("/tickets", json={"subject": "s", "description": "d", "group": "nope"}).status_code == 422


def test_the_users_command_invites_and_lists(stack: LocalStack) -> None:
    made = stack.cli("users", "create", "--tenant", "e2e-users-cli", "--email", "cy@e2e.example", "--name", "Cy",
                     "--role", "agent", "--ticket-access", "groups")
    assert made.returncode == 0, made.stderr
    assert '"ticket_access":"groups"' in made.stdout
    refused = stack.cli("users", "create", "--tenant", "e2e-users-cli", "--email", "dy@e2e.example", "--name", "Dy",
                        "--ticket-access", "some")
    assert refused.returncode == 2, refused.stdout
    listed = stack.cli("users", "list", "--tenant", "e2e-users-cli")
    assert listed.returncode == 0, listed.stderr
    assert '"email":"cy@e2e.example"' in listed.stdout

    # The operator's way in when no admin of the tenant can act: promote, deactivate, enable again
    cy = json.loads(made.stdout)["id"]
    promoted = stack.cli("users", "update", cy, "--tenant", "e2e-users-cli", "--role", "admin", "--inactive")
    assert promoted.returncode == 0, promoted.stderr
    assert (json.loads(promoted.stdout)["role"], json.loads(promoted.stdout)["active"]) == ("admin", False)
    assert json.loads(stack.cli("users", "update", cy, "--tenant", "e2e-users-cli", "--active").stdout)["active"]
    for wrong in (["--ticket-access", "some"], [], ["--name", "x"]):
        user = "nobody-such" if wrong == ["--name", "x"] else cy
        refused = stack.cli("users", "update", user, "--tenant", "e2e-users-cli", *wrong)
        assert refused.returncode == 2, (wrong, refused.stdout)


def test_a_fresh_stack_has_the_demo_team_and_who_signs_in_is_assignable(stack: LocalStack) -> None:
    """The newcomer's path: the sign-in page's agent opens a ticket triage put in a group and takes it."""
    ada = stack.client(stack.token("ada", "admin", "acme"))
    billing = ada.get("/groups/billing")
    assert billing.status_code == 200, billing.text
    assert {"alice", "ada"} <= set(billing.json()["members"])
    ticket = ada.post("/tickets", json={"subject": "Charged twice", "description": "d", "group": "billing"}).json()

    signed_in = stack.client().post("/dev/sign-in", data={"user": "eve", "role": "agent", "tenant": "acme",
                                                          "name": "Eve", "app": "console"}, follow_redirects=False)
    assert signed_in.status_code == 303
    assert ada.get("/users/eve").json()["name"] == "Eve"  # enrolled by signing in
    alice = stack.client(stack.token("alice", "agent", "acme"))
    taken = alice.patch(f"/tickets/{ticket['id']}", json={"assignee_id": "alice"})
    assert taken.status_code == 200, taken.text
    eve = ada.patch(f"/tickets/{ticket['id']}", json={"assignee_id": "eve"})  # known now, but not in billing
    assert (eve.status_code, eve.json()["error"]["details"]["field"]) == (422, "assignee_id")


def test_the_team_screen_decides_which_tickets_an_agent_sees(stack: LocalStack) -> None:
    """An admin limits a member of Billing to their groups' tickets; when she signs in, her token carries the
    directory's groups and that setting (as Cognito's pre token trigger writes them in AWS), and the API lists her
    only Billing's tickets. Given every ticket again, she sees them all at her next sign-in."""
    ada = stack.client(stack.token("ada", "admin", "e2e-access"))
    assert ada.post("/groups", json={"id": "billing", "name": "Billing"}).status_code == 201
    ada.post("/tickets", json={"subject": "Invoice", "description": "d", "group": "billing"})
    printer = ada.post("/tickets", json={"subject": "Printer", "description": "d"}).json()["id"]

    def signed_in() -> httpx.Client:
        answer = stack.client().post("/dev/sign-in", data={"user": "fay", "role": "agent", "tenant": "e2e-access",
                                                           "name": "Fay", "app": "console"}, follow_redirects=False)
        assert answer.status_code == 303, answer.text
        return stack.client(parse_qs(urlparse(answer.headers["location"]).fragment)["token"][0])

    signed_in()  # enrolled
    assert ada.patch("/groups/billing", json={"members": ["fay"]}).status_code == 200
    limited = ada.patch("/users/fay", json={"ticket_access": "groups"})
    assert (limited.status_code, limited.json()["ticket_access"]) == (200, "groups"), limited.text
    fay = signed_in()
    assert [t["subject"] for t in fay.get("/tickets").json()["items"]] == ["Invoice"]
    assert fay.get(f"/tickets/{printer}").status_code == 404

    assert ada.patch("/users/fay", json={"ticket_access": "all"}).status_code == 200
    fay = signed_in()
    assert sorted(t["subject"] for t in fay.get("/tickets").json()["items"]) == ["Invoice", "Printer"]

    # Deactivated on the Team screen: the sign-in page refuses her, as Cognito refuses a disabled account (a token
    # she holds stops working within 30 s: tests/integration/directory/test_directory_api.py)
    assert ada.patch("/users/fay", json={"active": False}).status_code == 200
    refused = stack.client().post("/dev/sign-in", data={"user": "fay", "role": "agent", "tenant": "e2e-access",
                                                        "app": "console"}, follow_redirects=False)
    assert refused.status_code == 403
    assert "deactivated" in refused.text
    # where the console sends someone whose calls answer 401 `account_deactivated` (web/src/shared/auth.ts)
    told = stack.client().get("/dev/sign-in", params={"app": "console", "reason": "deactivated"})
    assert "This account was deactivated" in told.text
