"""The mail functions' DynamoDB calls, recorded while they run on moto, checked against their policies in
template.yaml (action, table or index, and the `dynamodb:LeadingKeys` condition on the Meta table).

moto grants everything, so a missing permission only shows in AWS: email_send once lacked UpdateItem on
the Meta table, so a failed send could never release its claim and every reply after an SES hiccup
ended in the dead-letter queue. Here the same failed send is replayed and every call it makes must be
allowed by the template.
"""

import fnmatch
import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import pytest
import yaml

from helpdesk import bootstrap
from helpdesk.kernel.principal import system_principal
from helpdesk.mail.ports import MailSettings
from tests.conftest import claims, http_event

TEMPLATE = Path(__file__).resolve().parents[3] / "template.yaml"
TABLES = {"helpdesk-tickets": "TicketsTable", "helpdesk-ticket-events": "TicketEventsTable",
          "helpdesk-meta": "MetaTable"}


@dataclass(frozen=True)
class Call:
    action: str
    resource: str  # logical table name, or `<table>/index/<index>`
    key: str | None  # the partition key value (Meta table)


@dataclass(frozen=True)
class Grant:
    actions: frozenset[str]
    resources: frozenset[str]
    like: tuple[str, ...]
    not_like: tuple[str, ...]

    def permits(self, call: Call) -> bool:
        if call.action not in self.actions or not any(fnmatch.fnmatchcase(call.resource, r) for r in self.resources):
            return False
        if not self.like:
            return True
        return call.key is not None and any(fnmatch.fnmatchcase(call.key, p) for p in self.like) and not any(
            fnmatch.fnmatchcase(call.key, p) for p in self.not_like)


class _Tag:
    def __init__(self, tag: str, value: Any) -> None:
        self.tag, self.value = tag, value


def _loader() -> type[yaml.SafeLoader]:
    class Loader(yaml.SafeLoader):
        pass

    def construct(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> _Tag:
        if isinstance(node, yaml.ScalarNode):
            return _Tag(suffix, loader.construct_scalar(node))
        if isinstance(node, yaml.SequenceNode):
            return _Tag(suffix, loader.construct_sequence(node, deep=True))
        return _Tag(suffix, loader.construct_mapping(node, deep=True))  # type: ignore[arg-type]

    Loader.add_multi_constructor("!", construct)
    return Loader


def _resource(value: Any) -> str:
    if isinstance(value, _Tag) and value.tag == "GetAtt":
        return str(value.value).removesuffix(".Arn")
    if isinstance(value, _Tag) and value.tag == "Sub":
        text = str(value.value)
        for table in TABLES.values():
            text = text.replace(f"${{{table}.Arn}}", table)
        return text
    return str(value)


@functools.cache
def grants(function: str) -> tuple[Grant, ...]:
    doc = yaml.load(TEMPLATE.read_text(), Loader=_loader())  # a SafeLoader subclass
    out: list[Grant] = []
    for policy in doc["Resources"][function]["Properties"].get("Policies", []):
        for statement in policy.get("Statement", []) if isinstance(policy, dict) else []:
            if isinstance(statement, _Tag) or statement.get("Effect") != "Allow":
                continue
            actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
            resources = statement["Resource"] if isinstance(statement["Resource"], list) else [statement["Resource"]]
            condition = statement.get("Condition", {})
            out.append(Grant(
                actions=frozenset(a.removeprefix("dynamodb:") for a in actions if a.startswith("dynamodb:")),
                resources=frozenset(_resource(r) for r in resources),
                like=tuple(condition.get("ForAllValues:StringLike", {}).get("dynamodb:LeadingKeys", [])),
                not_like=tuple(condition.get("ForAllValues:StringNotLike", {}).get("dynamodb:LeadingKeys", []))))
    return tuple(out)


def _calls(operation: str, kwargs: dict[str, Any]) -> list[Call]:
    if operation == "TransactWriteItems":
        out: list[Call] = []
        for item in kwargs["TransactItems"]:
            [(kind, body)] = item.items()
            out += _calls({"Put": "PutItem", "Update": "UpdateItem", "Delete": "DeleteItem",
                           "ConditionCheck": "ConditionCheckItem"}[kind], body)
        return out
    table = TABLES.get(kwargs.get("TableName", ""), kwargs.get("TableName", "?"))
    resource = f"{table}/index/{kwargs['IndexName']}" if kwargs.get("IndexName") else table
    key = (kwargs.get("Key") or kwargs.get("Item") or {}).get("pk", {}).get("S")
    if operation == "Query" and table == "MetaTable":
        key = next((v["S"] for v in kwargs.get("ExpressionAttributeValues", {}).values() if "S" in v), None)
    return [Call(operation, resource, key)]


@pytest.fixture
def recorded(monkeypatch: pytest.MonkeyPatch) -> list[Call]:
    """Every DynamoDB call the code under test makes through PynamoDB, in order."""
    from pynamodb.connection.base import Connection

    calls: list[Call] = []
    real = Connection.dispatch

    def record(self: Connection, operation_name: str, operation_kwargs: dict[str, Any]) -> dict[str, Any]:
        calls.extend(_calls(operation_name, operation_kwargs))
        result: dict[str, Any] = real(self, operation_name, operation_kwargs)
        return result

    monkeypatch.setattr(Connection, "dispatch", record)
    return calls


def denied(function: str, calls: list[Call]) -> list[Call]:
    return sorted({c for c in calls if not any(g.permits(c) for g in grants(function))}, key=str)


def test_email_send_may_release_its_claim_after_a_failed_send(mail: Any, recorded: list[Call]) -> None:
    created = mail.deliver(mail.compose(), "ses-1")
    bootstrap.container().mail_records.put_settings("acme", MailSettings(support_address="help@unverified.example"))
    bootstrap.container().ticket_service.add_message(system_principal("acme", "system"), created["ticket_id"],
                                                     "Try this.", public=True, as_customer=False)
    recorded.clear()
    assert len(mail.stream()["batchItemFailures"]) == 1  # SES refuses the sender: the claim must be released
    assert any(c.action == "UpdateItem" and (c.key or "").startswith("MAILDELIVERY#OUT#") for c in recorded)
    boto3.client("ses").verify_email_identity(EmailAddress="help@unverified.example")
    assert mail.stream(redeliver=True) == {"batchItemFailures": []}
    # the test's stand-in for the stream reads the events table with Scan; the function never scans
    assert denied("EmailSendFunction", [c for c in recorded if c.action != "Scan"]) == []


def test_email_ingest_calls_are_all_granted(mail: Any, recorded: list[Call]) -> None:
    mail.deliver(mail.compose(message_id="m1@customer.example"), "ses-1")
    mail.deliver(mail.compose(subject=f"Re: [{mail.tag(1)}] Printer jammed", message_id="m2@customer.example"),
                 "ses-2")
    mail.deliver(mail.compose(message_id="m3@customer.example", in_reply_to="m1@customer.example"), "ses-3",
                 verdicts={"spf": "FAIL", "dkim": "FAIL", "dmarc": "FAIL"})
    mail.deliver(mail.compose(message_id="m1@customer.example"), "ses-4")  # the same mail again
    mail.deliver(mail.compose(message_id="v@x.example"), "ses-virus", verdicts={"virus": "FAIL"})
    mail.deliver(mail.compose(message_id="u@x.example"), "ses-unknown", recipients=["nobody@other.example"])
    assert {c.key.split("#")[0] for c in recorded if c.key} >= {"MAILDELIVERY", "MAILCLAIM", "MAILMSG", "INBOUND"}
    assert denied("EmailIngestFunction", recorded) == []


def test_mail_admin_calls_are_all_granted(mail: Any, recorded: list[Call], invoke: Any) -> None:
    admin = claims("ada", "acme", "admin")
    bootstrap.container().mail_records.register_domain("acme.example", "acme")  # the operator's CLI
    recorded.clear()

    def call(method: str, path: str, body: Any = None) -> dict[str, Any]:
        response: dict[str, Any] = invoke("mail_admin", http_event(method, path, body=body, claims_=admin,
                                                                   template="mail_admin/put_inbound.json"))
        assert response["statusCode"] < 500, (path, response["json"])
        return response

    assert call("PUT", "/mail/inbound/help@partner.example")["statusCode"] == 202
    [code] = re.findall(r"verification code is (\d{8})", mail.sent()[-1].get_content())
    assert call("POST", "/mail/inbound/help@partner.example/verify",
                {"code": "00000000" if code != "00000000" else "11111111"})["statusCode"] == 400
    assert call("POST", "/mail/inbound/help@partner.example/verify", {"code": code})["statusCode"] == 200
    assert call("PUT", "/mail/inbound/x@acme.example")["statusCode"] == 200  # its domain is acme's
    assert call("PUT", "/mail/settings", {"support_address": "help@partner.example"})["statusCode"] == 200
    call("GET", "/mail/settings")
    call("GET", "/mail/quarantine")
    assert call("PUT", "/mail/settings", {"address_groups": {"x@acme.example": "billing"}})["statusCode"] == 422
    assert call("PUT", "/mail/inbound/later@partner.example")["statusCode"] == 202  # waiting for its code
    assert len(call("GET", "/mail/inbound")["json"]["items"]) == 5  # @acme.example, three addresses, one waiting
    assert call("DELETE", "/mail/inbound/x@acme.example")["statusCode"] == 204
    assert call("DELETE", "/mail/inbound/later@partner.example")["statusCode"] == 204
    assert {c.action for c in recorded} >= {"GetItem", "PutItem", "DeleteItem", "Query"}
    assert denied("MailAdminFunction", recorded) == []
