"""Attachments and participants through the real ticket_commands handler on moto (DynamoDB and S3)."""

from collections.abc import Callable
from typing import Any

import boto3
import pytest

from tests.conftest import claims, http_event, rebuild

BUCKET = "helpdesk-attachments-test"
PDF = b"%PDF-1.4\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
AGENT = claims("alex", "acme", "agent")
CUSTOMER = claims("dana", "acme", "customer", email="dana@example.com")
OTHER = claims("erin", "acme", "customer", email="erin@example.com")
FOREIGN_AGENT = claims("zed", "zeta", "agent")

Invoke = Callable[..., dict[str, Any]]


@pytest.fixture
def api(aws: None, monkeypatch: pytest.MonkeyPatch, invoke: Invoke) -> Callable[..., dict[str, Any]]:
    monkeypatch.setenv("HELPDESK_MAIL_BUCKET", BUCKET)
    rebuild()
    boto3.client("s3").create_bucket(Bucket=BUCKET)

    def call(method: str, path: str, who: dict[str, Any], body: Any = None,
             headers: dict[str, str] | None = None) -> dict[str, Any]:
        return invoke("ticket_commands", http_event(method, path, body=body, claims_=who, headers=headers))

    return call


def _ticket(api: Callable[..., dict[str, Any]], who: dict[str, Any] = CUSTOMER) -> str:
    r = api("POST", "/tickets", who, {"subject": "Router", "description": "It blinks red."})
    assert r["statusCode"] == 201, r
    return str(r["json"]["id"])


def _upload(api: Callable[..., dict[str, Any]], ticket_id: str, who: dict[str, Any], data: bytes = PDF,
            name: str = "guide.pdf", content_type: str = "application/pdf", size: int | None = None) -> str:
    r = api("POST", f"/tickets/{ticket_id}/attachments", who,
            {"filename": name, "content_type": content_type, "size": len(data) if size is None else size})
    assert r["statusCode"] == 201, r
    grant = r["json"]
    assert grant["upload"]["fields"]["Content-Type"] == content_type
    # the browser's form POST, as S3 stores it
    boto3.client("s3").put_object(Bucket=BUCKET, Key=grant["upload"]["fields"]["key"], Body=data)
    return str(grant["attachment_id"])


def test_agent_reply_with_a_pdf_is_downloadable_by_the_customer(api: Callable[..., dict[str, Any]]) -> None:
    import hashlib

    ticket_id = _ticket(api)
    attachment_id = _upload(api, ticket_id, AGENT)
    r = api("POST", f"/tickets/{ticket_id}/messages", AGENT,
            {"body": "The guide", "public": True, "attachment_ids": [attachment_id]})
    assert r["statusCode"] == 201, r
    [entry] = r["json"]["data"]["attachments"]
    assert entry["sha256"] == hashlib.sha256(PDF).hexdigest()
    assert entry["scan"] == "unscanned"

    listed = api("GET", f"/tickets/{ticket_id}/attachments", CUSTOMER)["json"]
    assert [(a["id"], a["filename"], a["size"], a["scan"]) for a in listed] == [
        (attachment_id, "guide.pdf", len(PDF), "unscanned")]
    download = api("GET", f"/tickets/{ticket_id}/attachments/{attachment_id}", CUSTOMER)
    assert download["statusCode"] == 302
    assert BUCKET in download["headers"]["location"]
    as_json = api("GET", f"/tickets/{ticket_id}/attachments/{attachment_id}", CUSTOMER,
                  headers={"accept": "application/json"})
    assert as_json["json"]["sha256"] == entry["sha256"]


def test_internal_note_files_and_other_tickets_files_are_not_found(api: Callable[..., dict[str, Any]]) -> None:
    ticket_id, other_ticket = _ticket(api), _ticket(api, OTHER)
    note_file = _upload(api, ticket_id, AGENT, name="internal.pdf")
    assert api("POST", f"/tickets/{ticket_id}/messages", AGENT,
               {"body": "for us", "public": False, "attachment_ids": [note_file]})["statusCode"] == 201

    assert api("GET", f"/tickets/{ticket_id}/attachments/{note_file}", CUSTOMER)["statusCode"] == 404
    assert api("GET", f"/tickets/{ticket_id}/attachments", CUSTOMER)["json"] == []
    assert api("GET", f"/tickets/{ticket_id}/attachments/{note_file}", AGENT)["statusCode"] == 302
    assert api("GET", f"/tickets/{other_ticket}/attachments/{note_file}", AGENT)["statusCode"] == 404
    assert api("GET", f"/tickets/{ticket_id}/attachments/{note_file}", OTHER)["statusCode"] == 404
    assert api("GET", f"/tickets/{ticket_id}/attachments/{note_file}", FOREIGN_AGENT)["statusCode"] == 404
    # an upload of one ticket named on another: refused, nothing written
    stray = _upload(api, ticket_id, AGENT, name="stray.pdf")
    before = len(api("GET", f"/tickets/{other_ticket}/events", AGENT)["json"])
    r = api("POST", f"/tickets/{other_ticket}/messages", AGENT,
            {"body": "x", "public": True, "attachment_ids": [stray]})
    assert r["statusCode"] == 400
    assert r["json"]["error"]["code"] == "unknown_attachment"
    assert len(api("GET", f"/tickets/{other_ticket}/events", AGENT)["json"]) == before


@pytest.mark.parametrize(("name", "content_type", "size", "status"), [
    ("setup.exe", "application/octet-stream", 10, 415),
    ("invoice.pdf.exe", "application/pdf", 10, 415),
    ("notes.xyz", "application/x-unknown", 10, 415),
    ("photo.pdf", "image/png", 10, 415),
    ("huge.pdf", "application/pdf", 25 * 1024 * 1024 + 1, 413),
    ("empty.pdf", "application/pdf", 0, 422),
])
def test_bad_uploads_are_refused(api: Callable[..., dict[str, Any]], name: str, content_type: str, size: int,
                                 status: int) -> None:
    ticket_id = _ticket(api)
    r = api("POST", f"/tickets/{ticket_id}/attachments", AGENT,
            {"filename": name, "content_type": content_type, "size": size})
    assert r["statusCode"] == status, r
    assert set(r["json"]["error"]) == {"code", "message", "details"}


def test_uploads_that_lie_are_refused_when_attached(api: Callable[..., dict[str, Any]]) -> None:
    ticket_id = _ticket(api)
    program = _upload(api, ticket_id, AGENT, data=b"MZ\x90\x00" + b"\x00" * 60, name="guide.pdf")
    r = api("POST", f"/tickets/{ticket_id}/messages", AGENT, {"body": "x", "attachment_ids": [program]})
    assert r["statusCode"] == 415, r
    bigger = _upload(api, ticket_id, AGENT, data=PDF * 3, size=len(PDF))
    r = api("POST", f"/tickets/{ticket_id}/messages", AGENT, {"body": "x", "attachment_ids": [bigger]})
    assert r["statusCode"] == 413, r
    r = api("POST", f"/tickets/{ticket_id}/attachments", AGENT,
            {"filename": "later.pdf", "content_type": "application/pdf", "size": 5})
    pending = r["json"]["attachment_id"]
    r = api("POST", f"/tickets/{ticket_id}/messages", AGENT, {"body": "x", "attachment_ids": [pending]})
    assert r["statusCode"] == 409
    assert r["json"]["error"]["details"]["reason"] == "not_uploaded"
    many = [f"{i:032x}" for i in range(11)]
    assert api("POST", f"/tickets/{ticket_id}/messages", AGENT, {"body": "x", "attachment_ids": many})[
        "statusCode"] == 413
    events = api("GET", f"/tickets/{ticket_id}/events", AGENT)["json"]
    assert [e["type"] for e in events] == ["created"]  # nothing half-written


def test_participants_are_listed_and_edited_by_agents(api: Callable[..., dict[str, Any]]) -> None:
    ticket_id = _ticket(api)
    r = api("PUT", f"/tickets/{ticket_id}/participants", AGENT, {"participants": ["Colleague@Example.com"]})
    assert r["statusCode"] == 200, r
    assert r["json"]["participants"] == ["dana@example.com", "colleague@example.com"]
    assert api("GET", f"/tickets/{ticket_id}/participants", CUSTOMER)["json"]["requester"] == "dana@example.com"
    bad = api("PUT", f"/tickets/{ticket_id}/participants", AGENT, {"participants": ["not an address"]})
    assert bad["statusCode"] == 422
    assert api("PUT", f"/tickets/{ticket_id}/participants", CUSTOMER, {"participants": []})["statusCode"] == 403
    events = api("GET", f"/tickets/{ticket_id}/events", AGENT)["json"]
    assert [e["type"] for e in events] == ["created", "participants_changed"]


def test_a_follow_up_links_to_the_closed_ticket(api: Callable[..., dict[str, Any]]) -> None:
    ticket_id = _ticket(api)
    api("PATCH", f"/tickets/{ticket_id}", AGENT, {"status": "closed"})
    r = api("POST", "/tickets", CUSTOMER, {"subject": "Router again", "description": "Blinks again.",
                                           "links": [{"type": "follow_up", "ticket_id": ticket_id}]})
    assert r["statusCode"] == 201, r
    assert r["json"]["links"] == [{"type": "follow_up", "ticket_id": ticket_id}]
    foreign = api("POST", "/tickets", OTHER, {"subject": "x", "description": "y",
                                              "links": [{"type": "follow_up", "ticket_id": ticket_id}]})
    assert foreign["statusCode"] == 400


def test_a_verified_customer_sees_tickets_opened_for_their_address(api: Callable[..., dict[str, Any]]) -> None:
    by_agent = api("POST", "/tickets", AGENT, {"subject": "Call back", "description": "Phoned in.",
                                               "requester": {"id": "phone-123", "email": "dana@example.com"}})
    assert by_agent["statusCode"] == 201
    verified = {**CUSTOMER, "email_verified": "true"}
    unverified = {**CUSTOMER, "sub": "dana-2", "email_verified": "false"}
    assert by_agent["json"]["id"] in [t["id"] for t in api("GET", "/tickets", verified)["json"]["items"]]
    assert api("GET", f"/tickets/{by_agent['json']['id']}", verified)["statusCode"] == 200
    assert api("GET", "/tickets", unverified)["json"]["items"] == []
    assert api("GET", f"/tickets/{by_agent['json']['id']}", unverified)["statusCode"] == 404


def test_a_split_message_takes_its_files_to_the_new_ticket(api: Callable[..., dict[str, Any]]) -> None:
    # A customer's second problem came with a screenshot: split off, the screenshot belongs to the new ticket.
    ticket_id = _ticket(api)
    attachment_id = _upload(api, ticket_id, CUSTOMER, data=PNG, name="invoice.png", content_type="image/png")
    posted = api("POST", f"/tickets/{ticket_id}/messages", CUSTOMER,
                 {"body": "Also, my invoice is wrong: see the picture", "attachment_ids": [attachment_id]})
    assert posted["statusCode"] == 201, posted

    split = api("POST", f"/tickets/{ticket_id}/split", AGENT, {"event_seq": posted["json"]["seq"]})
    assert split["statusCode"] == 201, split
    new_id = split["json"]["id"]

    listed = api("GET", f"/tickets/{new_id}/attachments", CUSTOMER)["json"]
    assert [(a["id"], a["filename"]) for a in listed] == [(attachment_id, "invoice.png")]
    download = api("GET", f"/tickets/{new_id}/attachments/{attachment_id}", CUSTOMER)
    assert download["statusCode"] == 302
    kept = api("GET", f"/tickets/{ticket_id}/attachments", CUSTOMER)["json"]
    assert [a["id"] for a in kept] == [attachment_id]  # and stays on the message it was sent with
