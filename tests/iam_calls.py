"""DynamoDB calls recorded while code runs on moto, checked against a function's policies in template.yaml (action,
table or index, and the `dynamodb:LeadingKeys` condition on the Meta table): moto grants everything, so a missing
permission would only show in AWS.

    def test_x(recorded: list[Call]) -> None:   # tests/conftest.py's fixture: every call PynamoDB makes, in order
        ...
        assert denied("SomeFunction", recorded) == []
"""

import fnmatch
import functools
from dataclasses import dataclass
from typing import Any

import pytest

from tests.template import Tag, load_template

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


def _resource(value: Any) -> str:
    if isinstance(value, Tag) and value.tag == "GetAtt":
        return str(value.value).removesuffix(".Arn")
    if isinstance(value, Tag) and value.tag == "Sub":
        text = str(value.value)
        for table in TABLES.values():
            text = text.replace(f"${{{table}.Arn}}", table)
        return text
    return str(value)


def _key(request: dict[str, Any]) -> str | None:
    item = (request.get("PutRequest", {}).get("Item") or request.get("DeleteRequest", {}).get("Key") or request)
    key: str | None = item.get("pk", {}).get("S")
    return key


@functools.cache
def grants(function: str) -> tuple[Grant, ...]:
    doc = load_template()
    out: list[Grant] = []
    for policy in doc["Resources"][function]["Properties"].get("Policies", []):
        for statement in policy.get("Statement", []) if isinstance(policy, dict) else []:
            if isinstance(statement, Tag) or statement.get("Effect") != "Allow":
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
    if operation in ("BatchWriteItem", "BatchGetItem"):  # IAM checks the batch's action on each item's table and key
        return [Call(operation, TABLES.get(name, name), _key(request))
                for name, requests in kwargs["RequestItems"].items()
                for request in (requests if isinstance(requests, list) else requests["Keys"])]
    table = TABLES.get(kwargs.get("TableName", ""), kwargs.get("TableName", "?"))
    resource = f"{table}/index/{kwargs['IndexName']}" if kwargs.get("IndexName") else table
    key = (kwargs.get("Key") or kwargs.get("Item") or {}).get("pk", {}).get("S")
    if operation == "Query" and table == "MetaTable":
        key = next((v["S"] for v in kwargs.get("ExpressionAttributeValues", {}).values() if "S" in v), None)
    return [Call(operation, resource, key)]


def record_calls(monkeypatch: pytest.MonkeyPatch) -> list[Call]:
    """Every DynamoDB call the code under test makes through PynamoDB from now on, in order (the `recorded`
    fixture of tests/conftest.py)."""
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


