"""Files in the chat after the hand-over: the real chat_intake handler on moto (DynamoDB, S3), the offline assistant.
A visitor sends the person who answers a screenshot: granted as a customer's upload to the ticket, stored through the
presigned POST, named in their message; it is on the ticket and back in the transcript with its download route."""

from typing import Any

import boto3

from helpdesk import bootstrap
from helpdesk.kernel.principal import system_principal
from tests.conftest import http_event
from tests.integration.chat.conftest import TENANT, ChatClient
from tests.integration.chat.test_handover import _hand_over
from tests.integration.mail.conftest import mail  # noqa: F401  (the mail world: its bucket holds attachments)

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def _grant(chat: ChatClient, session: dict[str, Any], body: dict[str, Any]) -> dict[str, Any]:
    return chat.invoke("chat_intake", http_event(
        "POST", f"/chat/sessions/{session['id']}/attachments", body=body,
        headers={"authorization": f"Bearer {session['token']}"}, template="chat_intake/request_upload.json"))


def _upload(chat: ChatClient, session: dict[str, Any], mail_world: Any, data: bytes = PNG,
            name: str = "error.png", content_type: str = "image/png") -> str:
    granted = _grant(chat, session, {"filename": name, "content_type": content_type, "size": len(data)})
    assert granted["statusCode"] == 201, granted["json"]
    boto3.client("s3").put_object(Bucket=mail_world.bucket, Key=granted["json"]["upload"]["fields"]["key"], Body=data)
    return str(granted["json"]["attachment_id"])


def test_a_visitor_sends_the_person_who_answers_a_screenshot(chat: ChatClient, mail: Any) -> None:  # noqa: F811
    early = chat.start()
    refused = _grant(chat, early, {"filename": "error.png", "content_type": "image/png", "size": len(PNG)})
    assert (refused["statusCode"], refused["json"]["error"]["code"]) == (409, "invalid_transition")
    assert "ask for a person first" in refused["json"]["error"]["message"]
    assert chat.send_raw(early, {"text": "", "attachment_ids": ["a" * 32]})["statusCode"] == 400

    session, ticket_id = _hand_over(chat)
    upload_id = _upload(chat, session, mail)
    sent = chat.send_raw(session, {"text": "", "attachment_ids": [upload_id]})  # a screenshot says it all
    assert sent["statusCode"] == 200, sent["json"]
    assert sent["json"]["handed_over"] is True

    events = bootstrap.container().ticket_service.events(system_principal(TENANT), ticket_id)
    message = events[-1]
    assert (message.type, message.data["from_customer"], message.data["channel"]) == ("public_message", True, "chat")
    assert [(f["id"], f["filename"], f["size"]) for f in message.data["attachments"]] == [
        (upload_id, "error.png", len(PNG))]
    [shown] = [m for m in chat.transcript(session)["json"]["messages"] if m["attachments"]]
    assert shown["role"] == "user"
    assert shown["attachments"][0]["url"] == f"/chat/sessions/{session['id']}/attachments/{upload_id}"
    download = chat.invoke("chat_intake", http_event(
        "GET", shown["attachments"][0]["url"], headers={"authorization": f"Bearer {session['token']}",
                                                        "accept": "application/json"},
        template="chat_intake/get_transcript.json"))
    assert download["statusCode"] == 200, download["json"]
    assert mail.bucket in download["json"]["url"]

    # Words and a file together; the same upload twice is refused (it is on a message already).
    second = _upload(chat, session, mail, b"%PDF-1.4\n%%EOF\n", "log.pdf", "application/pdf")
    assert chat.send_raw(session, {"text": "and the log", "attachment_ids": [second]})["statusCode"] == 200
    assert chat.send_raw(session, {"text": "again", "attachment_ids": [second]})["statusCode"] == 409


def test_files_the_chat_refuses_write_nothing(chat: ChatClient, mail: Any) -> None:  # noqa: F811
    session, ticket_id = _hand_over(chat)
    before = len(bootstrap.container().ticket_service.events(system_principal(TENANT), ticket_id))

    def code(response: dict[str, Any]) -> tuple[int, str]:
        return response["statusCode"], response["json"]["error"]["code"]

    assert code(_grant(chat, session, {"filename": "setup.exe", "content_type": "application/x-msdownload",
                                       "size": 10})) == (415, "unsupported_media_type")
    assert code(_grant(chat, session, {"filename": "video.mp4", "content_type": "video/mp4",
                                       "size": 26 * 1024 * 1024}))[0] == 413
    assert code(chat.send_raw(session, {"text": "  "})) == (422, "validation_error")
    never_stored = _grant(chat, session, {"filename": "error.png", "content_type": "image/png", "size": 40})["json"]
    assert code(chat.send_raw(session, {"text": "see file", "attachment_ids": [never_stored["attachment_id"]]})) == (
        409, "conflict")
    disguised = _upload(chat, session, mail, b"MZ\x90\x00" + b"\x00" * 36, "photo.png", "image/png")
    assert code(chat.send_raw(session, {"text": "x", "attachment_ids": [disguised]}))[0] == 415
    asked = chat.send_raw(session, {"text": "/ask what is this?", "attachment_ids": [never_stored["attachment_id"]]})
    assert code(asked) == (400, "invalid_input")
    assert len(bootstrap.container().ticket_service.events(system_principal(TENANT), ticket_id)) == before
