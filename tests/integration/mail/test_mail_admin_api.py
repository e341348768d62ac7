"""Mail admin API through the real lambda_handler: admins only, tenant-scoped, validated; inbound
addresses belong to the first tenant that proved it controls them."""

import json
import re
from collections.abc import Callable
from typing import Any

from helpdesk import bootstrap
from helpdesk.kernel.clock import system_clock
from helpdesk.kernel.principal import Principal, Role, system_principal
from helpdesk.mail.local import plain_text
from helpdesk.mail.ports import QuarantineRecord
from helpdesk.tickets.model import Status, Ticket
from helpdesk.tickets.service import UpdateTicket
from tests.conftest import EVENTS, claims, http_event

Invoke = Callable[[str, dict[str, Any]], dict[str, Any]]
ADMIN = claims("ada", "acme", "admin")
GLOBEX_ADMIN = claims("gus", "globex", "admin")


def _event(name: str, claims_: dict[str, Any] | None = ADMIN, body: Any = None) -> dict[str, Any]:
    sample = json.loads((EVENTS / "mail_admin" / f"{name}.json").read_text())
    method, path = sample["requestContext"]["http"]["method"], sample["rawPath"]
    return http_event(method, path, body=body if body is not None else (json.loads(sample["body"])
                                                                       if "body" in sample else None),
                      claims_=claims_, template=f"mail_admin/{name}.json")


def test_admins_read_their_tenants_quarantine_only(mail: Any, invoke: Invoke) -> None:
    for tenant in ("acme", "globex"):
        bootstrap.container().mail_records.quarantine(QuarantineRecord(
            delivery_id=f"d-{tenant}", tenant_id=tenant, reason="virus", raw_key=f"inbound/d-{tenant}",
            received_at=system_clock()))
    response = invoke("mail_admin", _event("list_quarantine"))
    assert response["statusCode"] == 200
    assert [r["delivery_id"] for r in response["json"]["items"]] == ["d-acme"]
    agent = invoke("mail_admin", _event("list_quarantine", claims("al", "acme", "agent")))
    assert agent["statusCode"] == 403
    assert agent["json"]["error"]["code"] == "forbidden"
    assert invoke("mail_admin", _event("list_quarantine", None))["statusCode"] == 401


def test_settings_round_trip_and_validation(mail: Any, invoke: Invoke) -> None:
    assert invoke("mail_admin", _event("get_settings"))["json"]["spam_action"] == "quarantine"
    bootstrap.container().mail_records.set_inbound_address("help@acme.example", "acme")  # acme's own address
    saved = invoke("mail_admin", _event("put_settings"))
    assert saved["statusCode"] == 200
    assert bootstrap.container().mail_records.settings("acme").spam_action == "tag"
    assert bootstrap.container().mail_records.settings("acme").support_address == "help@acme.example"
    bad = invoke("mail_admin", _event("put_settings", body={"from_name": "x\r\nBcc: a@b.example"}))
    assert bad["statusCode"] == 422
    assert bad["json"]["error"]["code"] == "validation_error"
    assert invoke("mail_admin", _event("put_settings", body={"support_address": "a@b.c, d@e.f"}))["statusCode"] == 422


def _code_mailed_to(mail: Any, address: str) -> str:
    [message] = [m for m in mail.sent() if m["To"] == address]
    assert message["Auto-Submitted"] == "auto-generated" or message["Auto-Submitted"] == "auto-replied"
    match = re.search(r"verification code is (\d{8})", plain_text(message))
    assert match is not None
    return match.group(1)


def _verify(address: str, code: str, claims_: dict[str, Any] = ADMIN) -> dict[str, Any]:
    return http_event("POST", f"/mail/inbound/{address}/verify", body={"code": code}, claims_=claims_,
                      template="mail_admin/verify_inbound.json")


def test_an_address_routes_only_after_its_code_is_confirmed(mail: Any, invoke: Invoke) -> None:
    records = bootstrap.container().mail_records
    pending = invoke("mail_admin", _event("put_inbound"))
    assert pending["statusCode"] == 202
    assert pending["json"] == {"address": "help@acme.example", "tenant_id": "acme", "status": "pending_verification",
                               "verified_by": None}
    assert records.tenant_for_address("help@acme.example") is None  # nothing routes before the code comes back
    code = _code_mailed_to(mail, "help@acme.example")

    wrong = invoke("mail_admin", _verify("help@acme.example", "00000000" if code != "00000000" else "11111111"))
    assert (wrong["statusCode"], wrong["json"]["error"]["code"]) == (400, "invalid_input")
    other = invoke("mail_admin", _verify("help@acme.example", code, GLOBEX_ADMIN))  # not globex's request
    assert other["statusCode"] == 404
    done = invoke("mail_admin", _verify("help@acme.example", code))
    assert (done["statusCode"], done["json"]["status"]) == (200, "verified")
    assert records.tenant_for_address("help@acme.example") == "acme"
    assert invoke("mail_admin", _verify("help@acme.example", code))["statusCode"] == 404  # used up
    again = invoke("mail_admin", _event("put_inbound"))
    assert (again["statusCode"], again["json"]["status"]) == (200, "verified")


def test_another_tenants_address_cannot_be_taken_nor_used_as_support_address(mail: Any, invoke: Invoke) -> None:
    records = bootstrap.container().mail_records
    taken = invoke("mail_admin", http_event("PUT", "/mail/inbound/support@acme.example", claims_=GLOBEX_ADMIN,
                                            template="mail_admin/put_inbound.json"))
    assert taken["statusCode"] == 409
    assert records.tenant_for_address("support@acme.example") == "acme"
    assert [m for m in mail.sent() if m["To"] == "support@acme.example"] == []  # no code mailed to acme either
    settings = http_event("PUT", "/mail/settings", body={"support_address": "support@acme.example"},
                          claims_=GLOBEX_ADMIN, template="mail_admin/put_settings.json")
    assert invoke("mail_admin", settings)["statusCode"] == 409
    unverified = http_event("PUT", "/mail/settings", body={"support_address": "help@globex.example"},
                            claims_=GLOBEX_ADMIN, template="mail_admin/put_settings.json")
    assert invoke("mail_admin", unverified)["statusCode"] == 409
    assert records.settings("globex").support_address is None


def test_two_tenants_racing_for_one_address_the_first_to_confirm_wins(mail: Any, invoke: Invoke) -> None:
    address = "shared@partner.example"
    for claims_ in (ADMIN, GLOBEX_ADMIN):
        event = http_event("PUT", f"/mail/inbound/{address}", claims_=claims_, template="mail_admin/put_inbound.json")
        assert invoke("mail_admin", event)["statusCode"] == 202
    acme_code, globex_code = (re.findall(r"verification code is (\d{8})", plain_text(m))[0]
                              for m in mail.sent() if m["To"] == address)
    assert invoke("mail_admin", _verify(address, globex_code, GLOBEX_ADMIN))["statusCode"] == 200
    assert invoke("mail_admin", _verify(address, acme_code))["statusCode"] == 409
    assert bootstrap.container().mail_records.tenant_for_address(address) == "globex"


def test_a_registered_domain_routes_its_addresses_at_once(mail: Any, invoke: Invoke) -> None:
    records = bootstrap.container().mail_records
    assert records.register_domain("acme.example", "acme") == "acme"
    assert records.register_domain("acme.example", "globex") == "acme"  # first registration holds
    mine = invoke("mail_admin", http_event("PUT", "/mail/inbound/billing@acme.example", claims_=ADMIN,
                                           template="mail_admin/put_inbound.json"))
    assert (mine["statusCode"], mine["json"]["status"]) == (200, "verified")
    theirs = invoke("mail_admin", http_event("PUT", "/mail/inbound/sales@acme.example", claims_=GLOBEX_ADMIN,
                                             template="mail_admin/put_inbound.json"))
    assert theirs["statusCode"] == 409
    assert mail.sent() == []  # no verification mail was needed, nor sent for the refused request
    # mail to any address in the domain goes to its tenant, routed or not
    result = mail.deliver(mail.compose(), "ses-domain", recipients=["anyone@acme.example"])
    assert (result["status"], result["tenant_id"]) == ("created", "acme")


def test_too_many_wrong_codes_end_the_verification(mail: Any, invoke: Invoke) -> None:
    assert invoke("mail_admin", _event("put_inbound"))["statusCode"] == 202
    code = _code_mailed_to(mail, "help@acme.example")
    wrong = "00000000" if code != "00000000" else "11111111"
    for _ in range(5):
        assert invoke("mail_admin", _verify("help@acme.example", wrong))["statusCode"] == 400
    assert invoke("mail_admin", _verify("help@acme.example", code))["statusCode"] == 409


def test_the_operator_cli_routes_and_registers_verified_domains(mail: Any, monkeypatch: Any, tmp_path: Any) -> None:
    import boto3
    from typer.testing import CliRunner

    from helpdesk.cli.main import app

    monkeypatch.setenv("HELPDESK_HOME", str(tmp_path))  # never a `helpdesk serve` running on this machine
    runner = CliRunner()
    refused = runner.invoke(app, ["mail", "route", "support@acme.example", "--tenant", "globex"])
    assert refused.exit_code != 0
    assert bootstrap.container().mail_records.tenant_for_address("support@acme.example") == "acme"
    unverified = runner.invoke(app, ["mail", "domain", "globex.example", "--tenant", "globex"])
    assert unverified.exit_code != 0
    boto3.client("ses").verify_domain_identity(Domain="globex.example")
    registered = runner.invoke(app, ["mail", "domain", "globex.example", "--tenant", "globex"])
    assert registered.exit_code == 0, registered.output
    assert bootstrap.container().mail_records.domain_owner("globex.example") == "globex"


def test_an_address_the_operator_moves_leaves_the_old_tenants_groups(mail: Any, invoke: Invoke, monkeypatch: Any,
                                                                       tmp_path: Any) -> None:
    """billing@ routed to acme's Billing group is moved to globex by the operator: acme's settings no longer name
    it (audited under the operator), so acme's admins save their mail settings as before."""
    from typer.testing import CliRunner

    from helpdesk.cli.main import app
    from tests.fakes import seed_directory

    records = bootstrap.container().mail_records
    seed_directory(bootstrap.container().directory_store, "acme", groups={"billing": []})
    records.set_inbound_address("billing@acme.example", "acme")
    grouped = invoke("mail_admin", http_event("PUT", "/mail/settings", claims_=claims("root", "acme", "admin"),
                                              body={"address_groups": {"billing@acme.example": "billing"}}))
    assert grouped["statusCode"] == 200, grouped["json"]

    monkeypatch.setenv("HELPDESK_HOME", str(tmp_path))
    moved = CliRunner().invoke(app, ["mail", "route", "billing@acme.example", "--tenant", "globex", "--force"])
    assert moved.exit_code == 0, moved.output
    assert records.tenant_for_address("billing@acme.example") == "globex"
    assert records.settings("acme").address_groups == {}
    entries = bootstrap.container().audit_log.page(Principal(user_id="ada", tenant_id="acme", role=Role.ADMIN)).items
    assert (entries[0].kind, (entries[0].after or {}).get("address_groups")) == ("mail.settings", {})
    saved = invoke("mail_admin", http_event("PUT", "/mail/settings", claims_=claims("root", "acme", "admin"),
                                            body={"blocked_senders": ["spam@junk.example"]}))
    assert saved["statusCode"] == 200, saved["json"]


def test_blocked_senders_mail_is_kept_but_opens_and_joins_nothing(mail: Any, invoke: Invoke) -> None:
    """An admin blocks an address and a domain (subdomains included): their mail, new or a reply, is recorded as
    ignored with its raw message kept; everyone else's still becomes tickets. Bad entries are refused whole."""
    first = mail.deliver(mail.compose(sender="Pat <pat@pushy.example>", message_id="p1@pushy.example"), "ses-p1")
    assert first["status"] == "created"

    def put(blocked: list[str]) -> dict[str, Any]:
        return invoke("mail_admin", http_event("PUT", "/mail/settings", body={"blocked_senders": blocked},
                                               claims_=ADMIN, template="mail_admin/put_settings.json"))

    saved = put(["Pat@Pushy.example", "*@spam.example", "pat@pushy.example"])
    assert saved["statusCode"] == 200, saved["json"]
    assert saved["json"]["blocked_senders"] == ["pat@pushy.example", "spam.example"]
    for bad in (["not an address"], ["@"], ["x@"]):
        assert put(bad)["statusCode"] == 422, bad
    assert bootstrap.container().mail_records.settings("acme").blocked_senders == ["pat@pushy.example",
                                                                                  "spam.example"]

    reply = mail.compose(sender="pat@pushy.example", message_id="p2@pushy.example", in_reply_to="p1@pushy.example",
                         subject=f"Re: [{mail.tag(1)}] Printer jammed", body="Answer me!\n")
    for raw, delivery in ((reply, "ses-p2"),
                          (mail.compose(sender="x@mail.spam.example", message_id="s1@spam.example"), "ses-s1")):
        result = mail.deliver(raw, delivery)
        assert (result["status"], result["reason"]) == ("ignored", "blocked_sender")
    held = {r.delivery_id: r for r in bootstrap.container().mail_records.quarantined("acme", 10)}
    assert held["ses-p2"].kind == "ignored"
    assert held["ses-p2"].raw_key.endswith("ses-p2")
    others = mail.deliver(mail.compose(sender="kim@notspam.example", message_id="k1@notspam.example"), "ses-k1")
    assert others["status"] == "created"
    events = bootstrap.container().ticket_service.events(system_principal("acme", "email"), first["ticket_id"])
    assert "Answer me!" not in json.dumps([e.data for e in events])


def test_an_agent_marks_a_mailed_ticket_as_spam_and_the_sender_is_blocked(mail: Any, invoke: Invoke) -> None:
    """"Mark as spam": the ticket closes tagged spam, the sender joins the blocked senders (audited under the agent's
    name), and their next mail opens no ticket. Marking again changes nothing; customers may not."""
    agent = claims("al", "acme", "agent")
    first = mail.deliver(mail.compose(sender="Win Big <promo@prizes.example>", message_id="w1@prizes.example"),
                         "ses-w1")
    ticket_id = first["ticket_id"]
    spam = f"/tickets/{ticket_id}/spam"
    customer = claims("email:promo@prizes.example", "acme", "customer", email="promo@prizes.example")
    assert invoke("ticket_commands", http_event("POST", spam, claims_=customer))["statusCode"] == 403

    marked = invoke("ticket_commands", http_event("POST", spam, claims_=agent))
    assert marked["statusCode"] == 200, marked["json"]
    assert marked["json"]["blocked_sender"] == "promo@prizes.example"
    assert (marked["json"]["ticket"]["status"], "spam" in marked["json"]["ticket"]["tags"]) == ("closed", True)
    events = bootstrap.container().ticket_repository.events("acme", ticket_id)
    assert [e.data.get("reason") for e in events if e.type.value == "status_changed"] == ["spam"]
    assert bootstrap.container().mail_records.settings("acme").blocked_senders == ["promo@prizes.example"]
    [entry] = bootstrap.container().audit_log.page(Principal(user_id="ada", tenant_id="acme", role=Role.ADMIN)).items
    assert (entry.kind, entry.actor, entry.after) == ("mail.settings", "al", {
        **(entry.before or {}), "blocked_senders": ["promo@prizes.example"]})

    again = invoke("ticket_commands", http_event("POST", spam, claims_=agent))
    assert (again["statusCode"], again["json"]["blocked_sender"]) == (200, "promo@prizes.example")
    assert len(bootstrap.container().ticket_repository.events("acme", ticket_id)) == len(events)  # nothing new
    assert bootstrap.container().mail_records.settings("acme").blocked_senders == ["promo@prizes.example"]
    later = mail.deliver(mail.compose(sender="promo@prizes.example", message_id="w2@prizes.example"), "ses-w2")
    assert (later["status"], later["reason"]) == ("ignored", "blocked_sender")

    kept = mail.deliver(mail.compose(sender="ann@client.example", message_id="a1@client.example"), "ses-a1")
    only_closed = invoke("ticket_commands", http_event("POST", f"/tickets/{kept['ticket_id']}/spam",
                                                       body={"block_sender": False}, claims_=agent))
    assert (only_closed["json"]["ticket"]["status"], only_closed["json"]["blocked_sender"]) == ("closed", None)
    assert bootstrap.container().mail_records.settings("acme").blocked_senders == ["promo@prizes.example"]

    # a teammate forwarded junk from their own address: the ticket closes, their mail stays welcome
    from tests.fakes import seed_directory

    seed_directory(bootstrap.container().directory_store, "acme", agents=["sam"])
    forwarded = mail.deliver(mail.compose(sender="Sam <SAM@acme.example>", message_id="f1@acme.example"), "ses-f1")
    teammate = invoke("ticket_commands", http_event("POST", f"/tickets/{forwarded['ticket_id']}/spam", claims_=agent))
    assert teammate["statusCode"] == 200, teammate["json"]
    assert (teammate["json"]["ticket"]["status"], teammate["json"]["blocked_sender"],
            teammate["json"]["kept_sender"]) == ("closed", None, "sam@acme.example")
    assert bootstrap.container().mail_records.settings("acme").blocked_senders == ["promo@prizes.example"]


def test_mail_to_an_address_with_a_group_opens_its_tickets_in_that_group(mail: Any, invoke: Invoke) -> None:
    """billing@ routes to Billing: a new ticket mailed there (and a follow-up of a closed one) opens in the group;
    mail to the other address does not. Only the tenant's own addresses and groups are accepted."""
    from tests.fakes import seed_directory

    records = bootstrap.container().mail_records
    seed_directory(bootstrap.container().directory_store, "acme", groups={"billing": []})
    records.set_inbound_address("billing@acme.example", "acme")

    def put(routes: dict[str, str]) -> dict[str, Any]:
        return invoke("mail_admin", http_event("PUT", "/mail/settings", body={"address_groups": routes},
                                               claims_=ADMIN, template="mail_admin/put_settings.json"))

    foreign = put({"billing@globex.example": "billing"})
    assert (foreign["statusCode"], foreign["json"]["error"]["details"]["addresses"]) == (
        409, ["billing@globex.example"])
    unknown = put({"billing@acme.example": "finance"})
    assert (unknown["statusCode"], unknown["json"]["error"]["code"]) == (422, "invalid_assignment")
    assert records.settings("acme").address_groups == {}  # nothing of a refused save is kept
    saved = put({"Billing@ACME.example": "billing"})
    assert (saved["statusCode"], saved["json"]["address_groups"]) == (200, {"billing@acme.example": "billing"})

    def stored(ticket_id: str) -> Ticket:
        found = bootstrap.container().ticket_repository.get("acme", ticket_id)
        assert found is not None
        return found

    billed = mail.deliver(mail.compose(message_id="b1@customer.example"), "ses-b1",
                          recipients=["billing@acme.example"])
    general = mail.deliver(mail.compose(message_id="g1@customer.example", sender="eve@customer.example"),
                           "ses-g1")
    assert stored(billed["ticket_id"]).group == "billing"
    assert stored(general["ticket_id"]).group is None
    closed = stored(billed["ticket_id"])
    bootstrap.container().ticket_service.update(system_principal("acme", "email"), closed.id,
                                                UpdateTicket(status=Status.CLOSED))
    later = mail.deliver(mail.compose(message_id="b2@customer.example", in_reply_to="b1@customer.example",
                                      subject="Re: Printer jammed"), "ses-b2", recipients=["billing@acme.example"])
    follow_up = stored(later["ticket_id"])
    assert (later["status"], follow_up.id != closed.id, follow_up.group) == ("created", True, "billing")


def test_admins_list_their_inbound_addresses_and_let_one_go(mail: Any, invoke: Invoke) -> None:
    """The Mail screen lists the tenant's addresses after a reload; an address let go takes its group with it and
    its later mail is unknown_recipient. The support address and another tenant's address are refused."""
    from tests.fakes import seed_directory

    def call(method: str, path: str, claims_: dict[str, Any] = ADMIN, body: Any = None) -> dict[str, Any]:
        return invoke("mail_admin", http_event(method, path, body=body, claims_=claims_,
                                               template="mail_admin/list_inbound.json"))

    seed_directory(bootstrap.container().directory_store, "acme", groups={"billing": []})
    bootstrap.container().mail_records.set_inbound_address("billing@acme.example", "acme")
    assert call("PUT", "/mail/inbound/help@partner.example")["statusCode"] == 202  # a code is mailed
    listed = call("GET", "/mail/inbound")["json"]["items"]
    assert [(r["address"], r["status"], r["verified_by"]) for r in listed] == [
        ("billing@acme.example", "verified", "operator"), ("support@acme.example", "verified", "operator"),
        ("help@partner.example", "pending_verification", None)]
    assert call("GET", "/mail/inbound", GLOBEX_ADMIN)["json"]["items"] == []
    assert call("GET", "/mail/inbound", claims("al", "acme", "agent"))["statusCode"] == 403
    assert call("PUT", "/mail/settings", body={"support_address": "support@acme.example",
                                               "address_groups": {"billing@acme.example": "billing"}})[
        "statusCode"] == 200

    assert call("DELETE", "/mail/inbound/support@acme.example")["statusCode"] == 409  # the From of replies
    assert call("DELETE", "/mail/inbound/billing@acme.example", GLOBEX_ADMIN)["statusCode"] == 404
    assert call("DELETE", "/mail/inbound/billing@acme.example")["statusCode"] == 204
    assert call("DELETE", "/mail/inbound/help@partner.example")["statusCode"] == 204  # the claim given up
    assert [r["address"] for r in call("GET", "/mail/inbound")["json"]["items"]] == ["support@acme.example"]
    assert bootstrap.container().mail_records.settings("acme").address_groups == {}
    later = mail.deliver(mail.compose(message_id="late@customer.example"), "ses-late",
                         recipients=["billing@acme.example"])
    assert (later["status"], later["reason"]) == ("quarantined", "unknown_recipient")
