"""A small FreeScout system for import tests, in the shapes of its API & Webhooks module (HAL lists under
`_embedded`, `page.totalPages`, `page`/`pageSize`, camelCase, `X-FreeScout-API-Key`): conversations listed per
`status` (active ones when none is asked for, as FreeScout does), `state`, `updatedSince` and `sortOrder`, their
threads newest first, tags and time logs when `embed` names them; users and customers numbered apart (user 1 and
customer 1 are different people); custom fields per mailbox; files under `/storage/attachment/`. What it serves is in
`ACCOUNT` and `FILES` (the server: `tests.fake_helpdesk`)."""

from email.message import Message
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tests.fake_helpdesk import FakeHelpdesk

KEY = "fs-key-1"

FILES: dict[str, tuple[str, bytes]] = {"1/2/3/order.pdf": ("application/pdf", b"%PDF-1.4 the signed order")}

ALICE = {"id": 1, "type": "user", "firstName": "Alice", "lastName": "Agent", "email": "alice@acme.example"}
BOB = {"id": 2, "type": "user", "firstName": "Bob", "lastName": "Builder", "email": "bob@acme.example"}
WESKER = {"id": 1, "type": "customer", "firstName": "Albert", "lastName": "Wesker",
          "email": "wesker@umbrella.example"}
JILL = {"id": 2, "type": "customer", "firstName": "Jill", "lastName": "Valentine", "email": "jill@umbrella.example"}


def _thread(tid: int, kind: str, by: dict[str, Any], body: str, at: str, *, state: str = "published",
            customer: dict[str, Any] | None = None, cc: list[str] | None = None,
            files: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {"id": tid, "type": kind, "status": "active", "state": state, "body": body,
            "source": {"type": "email", "via": "customer" if by["type"] == "customer" else "user"},
            "customer": customer or WESKER, "createdBy": by, "to": [], "cc": cc or [], "bcc": [], "createdAt": at,
            "_embedded": {"attachments": files or []}}


def _conversation(cid: int, number: int, subject: str, status: str, mailbox: int, *, customer: dict[str, Any],
                  assignee: dict[str, Any] | None, created: str, updated: str, state: str = "published",
                  kind: str = "email", threads: list[dict[str, Any]] | None = None, tags: list[str] | None = None,
                  fields: list[dict[str, Any]] | None = None,
                  timelogs: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {"id": cid, "number": number, "threadsCount": len(threads or []), "type": kind, "status": status,
            "state": state, "subject": subject, "mailboxId": mailbox, "assignee": assignee, "customer": customer,
            "createdBy": customer, "createdAt": created, "updatedAt": updated, "cc": [], "bcc": [],
            "customFields": fields or [],
            "_embedded": {"threads": list(reversed(threads or [])),  # newest first, as FreeScout lists them
                          "tags": [{"id": i, "name": name} for i, name in enumerate(tags or [], 1)],
                          "timelogs": [{"conversationId": cid, "conversationStatus": status, "paused": False,
                                        "finished": True, **log} for log in timelogs or []]}}


ACCOUNT: dict[str, Any] = {
    "users": [{**ALICE, "role": "user"}, {**BOB, "role": "admin"}],
    "customers": [
        # One customer's addresses only among its addresses (the first is theirs, the other is linked to them);
        # two spellings of one company are one organisation.
        {"id": 1, "firstName": "Albert", "lastName": "Wesker", "company": "Umbrella Corp",
         "_embedded": {"emails": [{"id": 1, "value": "wesker@umbrella.example", "type": "work"},
                                  {"id": 4, "value": "Albert.Wesker@home.example", "type": "home"}]}},
        {"id": 2, "firstName": "Jill", "lastName": "Valentine", "company": " umbrella  corp", "email":
         "jill@umbrella.example", "_embedded": {"phones": [{"value": "", "type": "work"},
                                                           {"value": "(555) 010-0199", "type": "mobile"}]}},
        {"id": 3, "firstName": "Leon", "lastName": "Kennedy", "company": "", "email": "leon@raccoon.example"}],
    "mailboxes": [{"id": 1, "name": "Billing", "email": "billing@acme.example"},
                  {"id": 2, "name": "Sales", "email": "sales@acme.example"}],
    "custom_fields": {"1": [{"id": 5, "name": "Order number", "type": "singleline", "required": True, "sortOrder": 1},
                            {"id": 6, "name": "Plan", "type": "dropdown", "options": {"1": "Basic", "2": "Pro"},
                             "sortOrder": 2}],
                      "2": []},
    "conversations": [
        _conversation(
            101, 2001, "Order 4711 never arrived", "pending", 1, customer=WESKER, assignee=ALICE,
            created="2025-04-01T08:00:00Z", updated="2025-04-02T09:00:00Z", tags=["shipping", "Order"],
            fields=[{"id": 5, "name": "Order number", "value": "4711", "text": "4711"},
                    {"id": 6, "name": "Plan", "value": "2", "text": "Pro"}],
            # The Time Tracking module's logs, in seconds: Alice's quarter of an hour, Bob's (not here) half hour.
            timelogs=[{"id": 1, "userId": 1, "timeSpent": 900, "createdAt": "2025-04-01T09:05:00Z"},
                      {"id": 2, "userId": 2, "timeSpent": 1800, "createdAt": "2025-04-02T09:10:00Z"}],
            threads=[
                _thread(1001, "customer", WESKER, "<p>Where is order <b>4711</b>?</p><p>Attached: the order.</p>",
                        "2025-04-01T08:00:00Z", cc=["Ada.Wong@umbrella.example"],
                        files=[{"id": 9, "fileName": "order.pdf", "mimeType": "application/pdf", "size": 25,
                                "fileUrl": "{base}/storage/attachment/1/2/3/order.pdf"}]),
                {"id": 1002, "type": "lineitem", "state": "published", "createdBy": ALICE, "body": None,
                 "action": {"type": "changed-ticket-assignee", "text": "Alice assigned to Alice"},
                 "createdAt": "2025-04-01T08:30:00Z"},
                _thread(1003, "note", ALICE, "<p>Carrier says it is in the depot.</p>", "2025-04-01T09:00:00Z"),
                _thread(1004, "message", ALICE, "<div>It will be delivered tomorrow.</div>", "2025-04-02T09:00:00Z"),
                _thread(1005, "message", ALICE, "<p>Half-written answer</p>", "2025-04-02T10:00:00Z",
                        state="draft")]),
        _conversation(
            102, 2002, "Old question", "closed", 2, customer=JILL, assignee=BOB, kind="chat",
            created="2025-01-01T08:00:00Z", updated="2025-01-02T08:00:00Z",
            threads=[_thread(1010, "chat", JILL, "How do I change my address?", "2025-01-01T08:00:00Z", customer=JILL),
                     _thread(1011, "chat", BOB, "Under Settings > Profile.", "2025-01-01T08:05:00Z",
                             customer=JILL)]),
        _conversation(
            103, 2003, "Cheap pills", "spam", 1, customer=WESKER, assignee=None,
            created="2025-02-01T08:00:00Z", updated="2025-02-01T08:00:00Z",
            threads=[_thread(1020, "customer", WESKER, "Buy now", "2025-02-01T08:00:00Z")]),
        _conversation(
            104, 2004, "Wrong mailbox", "active", 1, customer=WESKER, assignee=None, state="deleted",
            created="2025-03-01T08:00:00Z", updated="2025-03-01T08:00:00Z",
            threads=[_thread(1030, "customer", WESKER, "Hello?", "2025-03-01T08:00:00Z")]),
        _conversation(
            105, 2005, "Phone call about an invoice", "active", 1, customer=WESKER, assignee=None, kind="phone",
            created="2025-05-01T08:00:00Z", updated="2025-05-01T08:00:00Z",
            # An agent typed in what the customer said on the phone: the customer's words, written by the agent.
            threads=[_thread(1040, "customer", ALICE, "The May invoice shows the wrong address.",
                             "2025-05-01T08:00:00Z")]),
    ],
}


class FreeScoutFake(FakeHelpdesk):
    files_path = "/storage/attachment/"

    def __init__(self) -> None:
        super().__init__(FILES)

    def authorized(self, headers: Message) -> bool:
        return headers.get("X-FreeScout-API-Key") == KEY

    def answer(self, path: str) -> Any:
        parts = urlsplit(path)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        if parts.path.startswith("/api/mailboxes/") and parts.path.endswith("/custom_fields"):
            found = ACCOUNT["custom_fields"].get(parts.path.split("/")[3])
            return None if found is None else {"_embedded": {"custom_fields": found}}
        if parts.path.startswith("/api/conversations/"):
            cid = parts.path.rsplit("/", 1)[1]
            found = next((c for c in ACCOUNT["conversations"] if str(c["id"]) == cid), None)
            return None if found is None else _embedded(found, query.get("embed", ""))
        lists = {"/api/users": ("users", ACCOUNT["users"]), "/api/customers": ("customers", ACCOUNT["customers"]),
                 "/api/mailboxes": ("mailboxes", ACCOUNT["mailboxes"]),
                 "/api/conversations": ("conversations", _conversations(query))}
        if parts.path not in lists:
            return None
        name, items = lists[parts.path]
        page, size = int(query.get("page", "1")), int(query.get("pageSize", "50"))
        return {"_embedded": {name: items[(page - 1) * size:page * size]},
                "page": {"size": size, "totalElements": len(items), "totalPages": max(1, -(-len(items) // size)),
                         "number": page}}


def _conversations(query: dict[str, str]) -> list[dict[str, Any]]:
    statuses = query.get("status", "active").split(",")
    found = [_embedded(c, query.get("embed", "")) for c in ACCOUNT["conversations"]
             if c["status"] in statuses and c["state"] == query.get("state", c["state"])
             and c["updatedAt"] >= query.get("updatedSince", "")]
    return sorted(found, key=lambda c: str(c[query.get("sortField", "createdAt")]),
                  reverse=query.get("sortOrder", "desc") == "desc")


def _embedded(c: dict[str, Any], embed: str) -> dict[str, Any]:
    """The conversation with only what `embed` asked for (threads, tags) under `_embedded`."""
    wanted = set(embed.split(","))
    return {**c, "_embedded": {k: v for k, v in c["_embedded"].items() if k in wanted}}
