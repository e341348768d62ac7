"""Mail admin API through the real lambda_handler: admins only, tenant-scoped, validated."""

import json
from collections.abc import Callable
from typing import Any

from helpdesk import bootstrap
from helpdesk.kernel.clock import system_clock
from helpdesk.mail.ports import QuarantineRecord
from tests.conftest import EVENTS, claims, http_event

Invoke = Callable[[str, dict[str, Any]], dict[str, Any]]
ADMIN = claims("ada", "acme", "admin")


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
    saved = invoke("mail_admin", _event("put_settings"))
    assert saved["statusCode"] == 200
    assert bootstrap.container().mail_records.settings("acme").spam_action == "tag"
    assert bootstrap.container().mail_records.settings("acme").support_address == "help@acme.example"
    bad = invoke("mail_admin", _event("put_settings", body={"from_name": "x\r\nBcc: a@b.example"}))
    assert bad["statusCode"] == 422
    assert bad["json"]["error"]["code"] == "validation_error"
    assert invoke("mail_admin", _event("put_settings", body={"support_address": "a@b.c, d@e.f"}))["statusCode"] == 422


def test_inbound_addresses_belong_to_one_tenant(mail: Any, invoke: Invoke) -> None:
    assert invoke("mail_admin", _event("put_inbound"))["json"] == {"address": "help@acme.example", "tenant_id": "acme"}
    assert bootstrap.container().mail_records.tenant_for_address("help@acme.example") == "acme"
    other = invoke("mail_admin", _event("put_inbound", claims("gus", "globex", "admin")))
    assert other["statusCode"] == 409
    assert bootstrap.container().mail_records.tenant_for_address("help@acme.example") == "acme"
