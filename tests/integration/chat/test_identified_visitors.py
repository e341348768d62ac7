"""Signed-in visitors in the chat widget: an admin creates an identity key (its secret shown once, audited); the
tenant's site signs its signed-in user's address with it; the chat started with that token is the customer's, so a
hand-over opens the ticket for their verified address without asking for it. Tokens that do not verify (another key,
another tenant's key, expired, lasting too long, no address, tampered) are 401 and start nothing."""

import time
from collections.abc import Callable
from typing import Any

import jwt

from helpdesk import bootstrap
from helpdesk.kernel.principal import Principal, Role
from tests.conftest import claims, http_event
from tests.integration.chat.conftest import TENANT, ChatClient

Invoke = Callable[..., dict[str, Any]]
ADMIN = claims("root", TENANT, "admin")
AGENT = claims("a1", TENANT, "agent")


def keys(invoke: Invoke, method: str, path: str = "/widget-identity-keys", who: dict[str, Any] = ADMIN,
         tenant: str = TENANT) -> dict[str, Any]:
    caller = who if tenant == TENANT else claims("root", tenant, "admin")
    return invoke("clients_api", http_event(method, path, claims_=caller,
                                            template="clients_api/create_widget_identity_key.json"))


def signed(kid: str, secret: str, **claims_: Any) -> str:
    body = {"email": "Dana@Example.com", "name": "Dana  Scully", "exp": int(time.time()) + 3600, **claims_}
    return jwt.encode({k: v for k, v in body.items() if v is not None}, secret, algorithm="HS256",
                      headers={"kid": kid})


def start(invoke: Invoke, identity: str) -> dict[str, Any]:
    return invoke("chat_intake", http_event("POST", "/chat/sessions", body={"tenant_id": TENANT, "identity": identity},
                                            template="chat_intake/start_session.json"))


def test_admins_manage_the_keys_and_their_secrets_are_shown_once(chat: ChatClient, invoke: Invoke) -> None:
    assert keys(invoke, "POST", who=AGENT)["statusCode"] == 403
    first = keys(invoke, "POST")
    assert first["statusCode"] == 201, first["json"]
    assert first["headers"]["cache-control"] == "no-store"
    kid, secret = first["json"]["key"]["kid"], first["json"]["secret"]
    assert len(secret) >= 40
    listed = keys(invoke, "GET")["json"]
    assert [k["kid"] for k in listed] == [kid]
    assert "secret" not in listed[0]
    assert keys(invoke, "GET", tenant="globex")["json"] == []  # another tenant's list
    assert keys(invoke, "POST")["statusCode"] == 201  # the next one, to rotate
    refused = keys(invoke, "POST")
    assert (refused["statusCode"], refused["json"]["error"]["code"]) == (409, "conflict")
    assert keys(invoke, "DELETE", f"/widget-identity-keys/{kid}", tenant="globex")["statusCode"] == 404
    assert keys(invoke, "DELETE", f"/widget-identity-keys/{kid}")["statusCode"] == 204
    assert keys(invoke, "DELETE", f"/widget-identity-keys/{kid}")["statusCode"] == 404
    assert keys(invoke, "DELETE", "/widget-identity-keys/not-hex")["statusCode"] == 422
    entries = invoke("audit_api", http_event("GET", "/audit", claims_=ADMIN))["json"]["items"]
    mine = [e for e in entries if e["kind"] == "chat.identity_key"]
    assert sorted(e["action"] for e in mine) == ["created", "created", "deleted"]
    assert secret not in str(entries)


def test_a_signed_in_visitors_chat_is_theirs_and_a_hand_over_asks_no_address(chat: ChatClient, invoke: Invoke) -> None:
    issued = keys(invoke, "POST")["json"]
    started = start(invoke, signed(issued["key"]["kid"], issued["secret"]))
    assert started["statusCode"] == 201, started["json"]
    session = started["json"]
    assert session["kind"] == "customer"
    chat.say(session, "I want to talk to a human")
    done = chat.say(session, "yes")
    assert "ask_email" not in done["actions"], done
    assert "ticket_created" in done["actions"], done
    agent = Principal(user_id="a1", tenant_id=TENANT, role=Role.AGENT)
    ticket = bootstrap.container().ticket_service.get(agent, str(done["ticket"]["id"]))
    assert (ticket.requester.email, ticket.requester.email_verified, ticket.requester.name) == (
        "dana@example.com", True, "Dana Scully")
    # Dana, signing in to the portal with that address, finds the ticket among hers
    dana = {**claims("cognito-sub-dana", TENANT, "customer", email="dana@example.com"), "email_verified": "true"}
    listed = invoke("ticket_commands", http_event("GET", "/tickets", claims_=dana))["json"]["items"]
    assert [t["id"] for t in listed] == [ticket.id]


def test_tokens_that_do_not_verify_are_refused_and_start_nothing(chat: ChatClient, invoke: Invoke) -> None:
    issued = keys(invoke, "POST")["json"]
    kid, secret = issued["key"]["kid"], issued["secret"]
    other = keys(invoke, "POST", tenant="globex")["json"]  # a key of another tenant
    now = int(time.time())
    cases = {
        "unknown_key": signed("0123456789abcdef", secret),
        "malformed": "not a token",
        "invalid": signed(kid, "a guessed secret of the right length, but not it"),
        "expired": signed(kid, secret, exp=now - 300),
        "too_long": signed(kid, secret, exp=now + 7 * 24 * 3600),
    }
    cases["unknown_key "] = signed(other["key"]["kid"], other["secret"])
    cases["invalid "] = signed(kid, secret, email="not an address")
    cases["invalid  "] = signed(kid, secret, email=None)
    cases["invalid   "] = jwt.encode({"email": "x@example.com", "exp": now + 60}, secret, algorithm="HS512",
                                     headers={"kid": kid})
    for reason, token in cases.items():
        refused = start(invoke, token)
        assert refused["statusCode"] == 401, (reason, refused["json"])
        assert refused["json"]["error"]["details"]["reason"] == reason.strip(), (reason, refused["json"])
    keys(invoke, "DELETE", f"/widget-identity-keys/{kid}")
    assert start(invoke, signed(kid, secret))["statusCode"] == 401  # a deleted key at once
    for body in ({"tenant_id": TENANT, "identity": ""}, {"tenant_id": TENANT, "identity": "x" * 5000}):
        assert invoke("chat_intake", http_event("POST", "/chat/sessions", body=body,
                                                template="chat_intake/start_session.json"))["statusCode"] in (413, 422)
