"""Two duplicate tickets merged through the real ticket_commands handler on moto; a mail reply to the merged
one lands on the target through the real email_ingest handler."""

from collections.abc import Callable
from email import message_from_bytes, policy
from typing import Any

from helpdesk import bootstrap
from helpdesk.kernel.principal import system_principal
from tests.conftest import claims, http_event

AGENT = claims("a1", "acme", "agent")
FOREIGN_AGENT = claims("z1", "zeta", "agent")
ADMIN = system_principal("acme")


def test_duplicates_are_merged_and_a_reply_to_the_merged_one_lands_on_the_target(
        mail: Any, invoke: Callable[..., dict[str, Any]]) -> None:
    first = mail.deliver(mail.compose(message_id="m1@customer.example"), "ses-1")
    with_photo = message_from_bytes(mail.compose(sender="Erik <erik@customer.example>",
                                                 body="Same printer, same jam.\n", message_id="m2@customer.example"),
                                    policy=policy.default)
    with_photo.add_attachment(b"%PDF-1.4 jam report", maintype="application", subtype="pdf", filename="jam.pdf")
    duplicate = mail.deliver(with_photo.as_bytes(), "ses-2")
    target_id, source_id = first["ticket_id"], duplicate["ticket_id"]
    assert target_id != source_id

    def merge(into: str, who: dict[str, Any] = AGENT) -> dict[str, Any]:
        return invoke("ticket_commands", http_event("POST", f"/tickets/{source_id}/merge", body={"into": into},
                                                    claims_=who))

    merged = merge(target_id)
    assert merged["statusCode"] == 200, merged["json"]
    assert merged["json"]["source"]["status"] == "closed"
    assert merged["json"]["source"]["merged_into"] == target_id
    assert "erik@customer.example" in merged["json"]["target"]["participants"]
    again = merge(target_id)  # a retried request changes nothing
    assert again["statusCode"] == 200
    assert again["json"]["target"]["version"] == merged["json"]["target"]["version"]
    assert merge(source_id)["statusCode"] == 400  # into itself
    assert merge(target_id, FOREIGN_AGENT)["statusCode"] == 404  # another tenant's tickets

    reply = mail.compose(sender="Erik <erik@customer.example>", subject=f"Re: [{mail.tag(2)}] Printer jammed",
                         body="It jams again.\n", message_id="m3@customer.example", in_reply_to="m2@customer.example")
    result = mail.deliver(reply, "ses-3")
    assert (result["status"], result["ticket_id"]) == ("appended", target_id)

    events = invoke("ticket_commands", http_event("GET", f"/tickets/{target_id}/events", claims_=AGENT))["json"]
    bodies = [(e["data"].get("merged_from"), e["data"].get("body")) for e in events
              if e["type"] in ("created", "public_message")]
    assert (source_id, "Same printer, same jam.") in bodies  # the duplicate's opening message, from its own log
    assert (None, "It jams again.") in bodies
    assert bootstrap.container().ticket_service.get(ADMIN, source_id).status == "closed"

    # the duplicate's file is listed and served on the target too
    files = invoke("ticket_commands", http_event("GET", f"/tickets/{target_id}/attachments", claims_=AGENT))["json"]
    assert [(f["filename"], f["merged_from"]) for f in files] == [("jam.pdf", source_id)]
    download = invoke("ticket_commands", http_event("GET", f"/tickets/{target_id}/attachments/{files[0]['id']}",
                                                    claims_=AGENT))
    assert download["statusCode"] == 302

    reply_seq = next(e["seq"] for e in events if e["data"].get("body") == "It jams again.")
    split = invoke("ticket_commands", http_event("POST", f"/tickets/{target_id}/split", body={"event_seq": reply_seq},
                                                 claims_=AGENT))
    assert split["statusCode"] == 201, split["json"]
    assert split["json"]["description"] == "It jams again."
    assert split["json"]["requester"]["email"] == "erik@customer.example"  # who wrote it, not the requester
    assert split["json"]["links"] == [{"type": "related", "ticket_id": target_id}]
    retried = invoke("ticket_commands", http_event("POST", f"/tickets/{target_id}/split",
                                                   body={"event_seq": reply_seq}, claims_=AGENT))
    assert retried["json"]["id"] == split["json"]["id"]
