"""Automatic assignment through the real lambda_handlers on moto: an admin turns it on for a group
(`PATCH /groups/{id}`), an agent says they are away (`PATCH /users/me`), tickets open and move through the ticket
API, and moto's tickets stream is delivered to `functions/auto_assign` as Lambda's event source mapping would."""

import json
from collections.abc import Callable
from typing import Any

import pytest

from helpdesk import bootstrap
from tests.conftest import EVENTS, claims, http_event, load_function
from tests.fakes import seed_directory
from tests.template import stream_filters

Invoke = Callable[[str, dict[str, Any]], dict[str, Any]]
ADMIN = claims("root", "acme", "admin")
ADA, BOB, CARL = (claims(name, "acme", "agent") for name in ("ada", "bob", "carl"))
CUSTOMER = claims("c1", "acme", "customer", email="dana@example.com")


class TicketsStream:
    """What moto's tickets stream holds, delivered to the auto_assign function (and recorded)."""

    def __init__(self, lambda_context: Any) -> None:
        from helpdesk.local.streams import StreamPoller

        self.failures: list[Any] = []
        self.batches: list[dict[str, Any]] = []

        def deliver(event: dict[str, Any], context: Any) -> Any:
            self.batches.append(event)
            response = load_function("auto_assign").lambda_handler(event, lambda_context)
            self.failures += response["batchItemFailures"]
            return response

        self._poller = StreamPoller(bootstrap.container().settings.tables.tickets_table, deliver, "test-auto-assign",
                                    max_retries=0, filters=stream_filters("AutoAssignFunction", "TicketChanges"))

    def drain(self) -> None:
        """Deliver until the stream is quiet (an assignment is itself a change on the stream)."""
        while self._poller.poll_once():
            pass
        assert not self.failures


@pytest.fixture
def team(aws: None, invoke: Invoke) -> None:
    seed_directory(bootstrap.container().directory_store, "acme", groups={"billing": ["ada", "bob", "carl"],
                                                                         "sales": ["ada"]})


@pytest.fixture
def stream(team: None, lambda_context: Any) -> TicketsStream:
    return TicketsStream(lambda_context)


def call(invoke: Invoke, function: str, method: str, path: str, who: dict[str, Any], body: Any = None) -> Any:
    response = invoke(function, http_event(method, path, body=body, claims_=who))
    assert response["statusCode"] < 300, response["json"]
    return response["json"]


def open_ticket(invoke: Invoke, subject: str, group: str | None = "billing") -> str:
    body = {"subject": subject, "description": "Please help with my invoice.",
            "requester": {"email": "dana@example.com"}, **({"group": group} if group else {})}
    return str(call(invoke, "ticket_commands", "POST", "/tickets", ADA, body)["id"])


def assignee(invoke: Invoke, ticket_id: str) -> str | None:
    ticket = call(invoke, "ticket_commands", "GET", f"/tickets/{ticket_id}", ADMIN)
    return ticket["assignee_id"] if ticket["assignee_id"] is None else str(ticket["assignee_id"])


def test_tickets_of_a_group_go_to_its_members_in_turn_skipping_those_away(invoke: Invoke,
                                                                          stream: TicketsStream) -> None:
    group = call(invoke, "directory_api", "PATCH", "/groups/billing", ADMIN, {"auto_assign": True})
    assert group["auto_assign"] is True
    away = call(invoke, "directory_api", "PATCH", "/users/me", CARL, {"away": True})
    assert away["away"] is True

    tickets = [open_ticket(invoke, f"Invoice question {n}") for n in range(4)]
    stream.drain()

    assert [assignee(invoke, t) for t in tickets] == ["ada", "bob", "ada", "bob"]
    history = call(invoke, "ticket_commands", "GET", f"/tickets/{tickets[0]}/events", ADMIN)
    assigned = [e for e in history if e["type"] == "assignee_changed"]
    assert [(e["actor"], e["data"]["to"], e["data"]["automatic"]) for e in assigned] == [("system", "ada",
                                                                                          "round_robin")]

    call(invoke, "directory_api", "PATCH", "/users/me", CARL, {"away": False})
    back = open_ticket(invoke, "Carl is back")
    stream.drain()
    assert assignee(invoke, back) == "carl"


def test_a_group_assigning_to_the_least_busy_fills_the_emptiest_plate_first(invoke: Invoke,
                                                                             stream: TicketsStream) -> None:
    for n in range(2):  # Ada carries two unsolved tickets from elsewhere, Bob one, Carl none
        call(invoke, "ticket_commands", "PATCH", f"/tickets/{open_ticket(invoke, f'Old {n}', group=None)}", ADMIN,
             {"assignee_id": "ada"})
    bobs = open_ticket(invoke, "Bob's", group=None)
    call(invoke, "ticket_commands", "PATCH", f"/tickets/{bobs}", ADMIN, {"assignee_id": "bob"})
    group = call(invoke, "directory_api", "PATCH", "/groups/billing", ADMIN,
                 {"auto_assign": True, "assignment": "least_busy"})
    assert group["assignment"] == "least_busy"
    stream.drain()

    tickets = [open_ticket(invoke, f"Invoice question {n}") for n in range(4)]
    stream.drain()
    # one by one, as the stream delivers them: Carl (0), Bob and Carl level at 1 (in turn: Carl was last), ...
    assert [assignee(invoke, t) for t in tickets] == ["carl", "bob", "carl", "ada"]
    history = call(invoke, "ticket_commands", "GET", f"/tickets/{tickets[0]}/events", ADMIN)
    assert [e["data"]["automatic"] for e in history if e["type"] == "assignee_changed"] == ["least_busy"]
    refused = invoke("directory_api", http_event("PATCH", "/groups/billing", body={"assignment": "random"},
                                                 claims_=ADMIN))
    assert refused["statusCode"] == 422
    refused = invoke("directory_api", http_event("PATCH", "/groups/billing", body={"assignment": None},
                                                 claims_=ADMIN))
    assert refused["statusCode"] == 400


def test_a_group_with_a_capacity_holds_tickets_back_until_someone_solves_one(invoke: Invoke,
                                                                            stream: TicketsStream) -> None:
    group = call(invoke, "directory_api", "PATCH", "/groups/billing", ADMIN, {"auto_assign": True, "capacity": 1})
    assert group["capacity"] == 1
    tickets = [open_ticket(invoke, f"Invoice question {n}") for n in range(5)]
    stream.drain()
    assert [assignee(invoke, t) for t in tickets] == ["ada", "bob", "carl", None, None]  # one each, two wait

    call(invoke, "ticket_commands", "PATCH", f"/tickets/{tickets[1]}", BOB, {"status": "resolved"})
    stream.drain()  # the record of Bob's solved ticket frees his slot: the oldest waiting ticket is his
    assert [assignee(invoke, t) for t in tickets[3:]] == ["bob", None]
    history = call(invoke, "ticket_commands", "GET", f"/tickets/{tickets[3]}/events", ADMIN)
    assert [(e["actor"], e["data"]) for e in history if e["type"] == "assignee_changed"] == [
        ("system", {"from": None, "to": "bob", "automatic": "round_robin"})]  # the same event as any turn

    call(invoke, "ticket_commands", "PATCH", f"/tickets/{tickets[2]}", CARL, {"status": "pending"})
    stream.drain()  # waiting on the customer is still on Carl's plate: no slot freed
    assert assignee(invoke, tickets[4]) is None
    call(invoke, "ticket_commands", "PATCH", f"/tickets/{tickets[0]}", ADMIN, {"assignee_id": "carl"})
    stream.drain()  # Ada's first ticket given to Carl: Ada has room, Carl is over (a person's choice)
    assert assignee(invoke, tickets[4]) == "ada"

    waiting = open_ticket(invoke, "One more")
    stream.drain()
    assert assignee(invoke, waiting) is None
    group = call(invoke, "directory_api", "PATCH", "/groups/billing", ADMIN, {"capacity": None})  # no limit
    assert group["capacity"] is None
    assert assignee(invoke, waiting) is not None  # the queue handed out at once


def test_a_ticket_moved_into_the_group_or_handed_back_is_given_to_the_next_member(
        invoke: Invoke, stream: TicketsStream) -> None:
    call(invoke, "directory_api", "PATCH", "/groups/billing", ADMIN, {"auto_assign": True})
    elsewhere = open_ticket(invoke, "Wrong queue", group="sales")  # sales assigns by hand
    ungrouped = open_ticket(invoke, "No group yet", group=None)
    stream.drain()
    assert assignee(invoke, elsewhere) is None
    assert assignee(invoke, ungrouped) is None

    call(invoke, "ticket_commands", "PATCH", f"/tickets/{elsewhere}", ADA, {"group": "billing"})
    stream.drain()
    assert assignee(invoke, elsewhere) == "ada"

    # Ada hands it back to the queue: the next member takes it (not Ada again)
    call(invoke, "ticket_commands", "PATCH", f"/tickets/{elsewhere}", ADA, {"assignee_id": None})
    stream.drain()
    assert assignee(invoke, elsewhere) == "bob"


def test_a_person_choosing_the_assignee_wins_and_a_replayed_record_changes_nothing(
        invoke: Invoke, stream: TicketsStream, lambda_context: Any) -> None:
    call(invoke, "directory_api", "PATCH", "/groups/billing", ADMIN, {"auto_assign": True})
    chosen = open_ticket(invoke, "For Carl")
    # Ada gives it to Carl before the stream is read: the record of its opening finds it Carl's
    call(invoke, "ticket_commands", "PATCH", f"/tickets/{chosen}", ADA, {"assignee_id": "carl"})
    waiting = open_ticket(invoke, "Anyone")
    stream.drain()
    assert assignee(invoke, chosen) == "carl"
    assert assignee(invoke, waiting) == "ada"

    # the record of the ticket's opening, delivered again (Lambda retries a batch): already Ada's, nothing changes
    for batch in stream.batches:
        load_function("auto_assign").lambda_handler(batch, lambda_context)
    assert assignee(invoke, waiting) == "ada"
    events = call(invoke, "ticket_commands", "GET", f"/tickets/{waiting}/events", ADMIN)
    assert len([e for e in events if e["type"] == "assignee_changed"]) == 1


def test_nobody_takes_tickets_the_ticket_waits_in_the_queue(invoke: Invoke, stream: TicketsStream) -> None:
    call(invoke, "directory_api", "PATCH", "/groups/sales", ADMIN, {"auto_assign": True})
    call(invoke, "directory_api", "PATCH", "/users/ada", ADMIN, {"away": True})  # an admin sets it for her
    waiting = open_ticket(invoke, "Quote please", group="sales")
    stream.drain()
    assert assignee(invoke, waiting) is None


def test_bad_values_are_refused_with_the_api_error(invoke: Invoke, team: None) -> None:
    for path, who, body, status in (("/groups/billing", ADMIN, {"auto_assign": None}, 400),  # as other nulls
                                    ("/groups/billing", ADMIN, {"auto_assign": "sometimes"}, 422),
                                    ("/users/me", ADA, {"away": None}, 400),
                                    ("/users/me", ADA, {"away": [True]}, 422),
                                    ("/users/ada", ADMIN, {"away": None}, 400),
                                    # an empty member id was a 500 (an empty DynamoDB key), found by the contract fuzz
                                    ("/groups/billing", ADMIN, {"members": [""]}, 422),
                                    ("/groups/billing", ADMIN, {"capacity": 0}, 422),
                                    ("/groups/billing", ADMIN, {"capacity": 1001}, 422),
                                    ("/groups/billing", ADMIN, {"capacity": "many"}, 422),
                                    ("/groups/billing", ADMIN, {"capacity": 2.5}, 422)):
        response = invoke("directory_api", http_event("PATCH", path, body=body, claims_=who))
        assert response["statusCode"] == status, (path, body, response["json"])
        assert response["json"]["error"]["code"] in ("invalid_input", "validation_error")
    for capacity in (0, 1001):
        response = invoke("directory_api", http_event("POST", "/groups", body={"name": "Quotes", "capacity": capacity},
                                                      claims_=ADMIN))
        assert response["statusCode"] == 422, response["json"]
    created = call(invoke, "directory_api", "POST", "/groups", ADMIN, {"name": "Quotes", "capacity": 1000})
    assert created["capacity"] == 1000
    assert call(invoke, "directory_api", "GET", "/groups/billing", ADMIN)["capacity"] is None  # no limit
    for change in ({"auto_assign": True}, {"capacity": 5}):
        response = invoke("directory_api", http_event("PATCH", "/groups/billing", body=change, claims_=ADA))
        assert response["statusCode"] == 403
    response = invoke("directory_api", http_event("PATCH", "/users/me", body={"away": True}, claims_=CUSTOMER))
    assert response["statusCode"] == 403


def test_the_sample_event_for_sam_local_assigns_the_ticket_it_names(aws: None, lambda_context: Any) -> None:
    from helpdesk.tickets.adapters.stream import ticket_from_image

    event = json.loads((EVENTS / "auto_assign" / "tickets_stream_group_set.json").read_text())
    image = event["Records"][0]["dynamodb"]["NewImage"]
    ticket = ticket_from_image({k: next(iter(v.values())) for k, v in image.items()})
    assert ticket is not None
    assert ticket.group == "billing"
    assert ticket.assignee_id is None
    container = bootstrap.container()
    seed_directory(container.directory_store, "acme", groups={"billing": ["ada"]})
    group = container.directory_store.get_group("acme", "billing")
    assert group is not None
    container.directory_store.replace_group(group.model_copy(update={"auto_assign": True, "version": 2}), 1)
    container.ticket_repository.add(ticket.model_copy(update={"version": 0}), [])

    response = load_function("auto_assign").lambda_handler(event, lambda_context)

    assert response == {"batchItemFailures": []}
    stored = container.ticket_repository.get("acme", ticket.id)
    assert stored is not None
    assert stored.assignee_id == "ada"


def test_the_directory_api_hands_out_the_queue_when_someone_comes_back(invoke: Invoke, stream: TicketsStream) -> None:
    call(invoke, "directory_api", "PATCH", "/groups/sales", ADMIN, {"auto_assign": True})
    call(invoke, "directory_api", "PATCH", "/users/me", ADA, {"away": True})  # sales' only member
    waiting = [open_ticket(invoke, f"Quote {n}", group="sales") for n in range(2)]
    stream.drain()
    assert [assignee(invoke, t) for t in waiting] == [None, None]

    call(invoke, "directory_api", "PATCH", "/users/me", ADA, {"away": False})  # back from the offsite
    assert [assignee(invoke, t) for t in waiting] == ["ada", "ada"]
    stream.drain()  # the assignments on the stream change nothing more
    assert [assignee(invoke, t) for t in waiting] == ["ada", "ada"]


def test_the_auto_assign_function_hands_out_a_queue_when_invoked(invoke: Invoke, stream: TicketsStream,
                                                                 lambda_context: Any) -> None:
    waiting = [open_ticket(invoke, f"Invoice {n}") for n in range(3)]  # billing assigns by hand yet
    stream.drain()
    group = bootstrap.container().directory_store.get_group("acme", "billing")
    assert group is not None  # turned on behind the API's back: only the invocation hands the queue out
    bootstrap.container().directory_store.replace_group(group.model_copy(update={"auto_assign": True, "version": 2}),
                                                        1)
    event = json.loads((EVENTS / "auto_assign" / "hand_out.json").read_text())

    response = load_function("auto_assign").lambda_handler(event, lambda_context)

    assert response == {"assigned": [{"ticket_id": t, "user_id": u}
                                     for t, u in zip(waiting, ["ada", "bob", "carl"], strict=True)]}
    assert [assignee(invoke, t) for t in waiting] == ["ada", "bob", "carl"]
    with pytest.raises(ValueError, match="group_id"):
        load_function("auto_assign").lambda_handler({"action": "hand_out", "tenant_id": "acme", "group_id": ""},
                                                    lambda_context)


def test_in_aws_the_directory_invokes_the_auto_assign_function_asynchronously() -> None:
    import boto3
    from botocore.stub import Stubber

    from helpdesk.directory.adapters.handout import LambdaHandout

    client = boto3.client("lambda", region_name="us-east-1")
    with Stubber(client) as stub:  # moto runs no Lambda without Docker: the request's shape is what is checked
        stub.add_response("invoke", {"StatusCode": 202}, {
            "FunctionName": "helpdesk-AutoAssignFunction", "InvocationType": "Event",
            "Payload": b'{"action":"hand_out","tenant_id":"acme","group_id":"billing"}'})
        LambdaHandout("helpdesk-AutoAssignFunction", client).hand_out("acme", "billing")
        stub.assert_no_pending_responses()
