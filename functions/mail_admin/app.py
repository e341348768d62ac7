"""Mail admin API: a tenant's admins see held-back mail and set how their mail is handled.

GET  /mail/quarantine            mail that did not become a ticket message, and why (newest first)
GET  /mail/settings              support address, acknowledgement, spam handling, blocked senders
PUT  /mail/settings
PUT  /mail/inbound/{address}     route mail sent to an address to the caller's tenant: 200 at once when the
                                 tenant owns its domain, else 202 and a code is mailed to the address
POST /mail/inbound/{address}/verify  {"code"}: the mailed code; 200 when the address is the tenant's
An address (or domain) another tenant owns answers 409.
"""

from typing import Annotated, Literal

from fastapi import Depends, Path, Query, Response
from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from helpdesk.bootstrap import container
from helpdesk.kernel.i18n import Language
from helpdesk.kernel.principal import Principal
from helpdesk.kernel.text import EMAIL_ADDRESS_PATTERN
from helpdesk.mail.admin import deliverable
from helpdesk.mail.blocklist import MAX_BLOCKED_SENDERS, blocked_entry
from helpdesk.mail.ports import MailSettings, QuarantineRecord
from helpdesk.mail.receipts import ReceiptText
from helpdesk.platform.observability import http_handler
from helpdesk.web.app_factory import create_app
from helpdesk.web.auth import current_principal
from helpdesk.web.versioning import IfMatch, expected_version, set_etag

app = create_app("Helpdesk mail admin", description="Quarantined mail, mail settings and inbound addresses.",
                 openapi_url="/mail/openapi.json", docs_url=None)


Admin = Annotated[Principal, Depends(current_principal)]  # the service checks the role
# One plain ASCII address, nothing else: SES mails the verification code to it and sends from the support address, and
# refuses anything else ("Missing domain" for `a@x.]y`, non-ASCII: found by `bench/contract.py --examples 12`); no
# white space or control character either (\x1c-\x1f end a line for Python's e-mail headers).
ADDRESS = EMAIL_ADDRESS_PATTERN
MailAddress = Annotated[str, Field(max_length=254, pattern=ADDRESS)]
BlockedSender = Annotated[str, Field(max_length=254), AfterValidator(blocked_entry)]
GroupId = Annotated[str, Field(min_length=1, max_length=128)]
MAX_ADDRESS_GROUPS = 100


class MailSettingsRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    support_address: MailAddress | None = None
    from_name: str = Field(default="Support", min_length=1, max_length=100, pattern=r"^[^\r\n]*$")
    acknowledge_new: bool = True
    spam_action: Literal["quarantine", "tag"] = "quarantine"
    unauthenticated_reply: Literal["new_ticket", "quarantine"] = "new_ticket"
    # a new mail sent for someone else (a contact form's: the visitor in Reply-To) is that person's ticket
    reply_to_requester: bool = True
    # mail a system generated (Auto-Submitted: auto-generated: monitoring alerts): ignored, or a ticket never answered
    system_mail: Literal["ignore", "ticket"] = "ignore"
    # kept but ignored: "spammer@example.com", or "example.com" (and its subdomains)
    blocked_senders: list[BlockedSender] = Field(default_factory=list, max_length=MAX_BLOCKED_SENDERS)
    # a new ticket mailed to one of these addresses (the tenant's own) opens in that group
    address_groups: dict[MailAddress, GroupId] = Field(default_factory=dict, max_length=MAX_ADDRESS_GROUPS)
    # the receipt of a new mail ticket in the team's words, per language: placeholders {number}, {subject}, {name}
    receipts: dict[Language, ReceiptText] = Field(default_factory=dict)


class HeldMail(QuarantineRecord):
    deliverable: bool  # an admin may let it in (`POST /mail/quarantine/{delivery_id}/deliver`)


class QuarantinePage(BaseModel):
    items: list[HeldMail]
    next_cursor: str | None = None  # older held mail: `?cursor=` it


def held(record: QuarantineRecord) -> HeldMail:
    return HeldMail(**record.model_dump(), deliverable=deliverable(record))


class InboundRoute(BaseModel):
    address: str  # `@domain`: every address of a domain the operator registered to the tenant
    tenant_id: str
    status: Literal["verified", "pending_verification"]
    verified_by: str | None = None  # code (mailed to it), domain (the tenant owns it), operator


class InboundRoutes(BaseModel):
    items: list[InboundRoute]


class VerifyRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str = Field(min_length=1, max_length=20, pattern=r"^\s*\d+\s*$")


@app.get("/mail/quarantine", response_model=QuarantinePage, tags=["mail"])
def list_quarantine(caller: Admin, limit: Annotated[int, Query(ge=1, le=200)] = 50,
                    cursor: Annotated[str | None, Query(max_length=2048)] = None,
                    q: Annotated[str | None, Query(max_length=200)] = None) -> QuarantinePage:
    """Held mail, newest first; `next_cursor` pages on to older mail. `q`: only mail whose sender, subject,
    recipients, reason or delivery id hold each of its words (any case). A search reads a bounded number of held
    mails per call, so its page may hold fewer than `limit` (even none) with a `next_cursor`: pass it with the same
    `q` to search older mail."""
    records, next_cursor = container().mail_admin.quarantined(caller, limit, cursor, q)
    return QuarantinePage(items=[held(r) for r in records], next_cursor=next_cursor)


@app.post("/mail/quarantine/{delivery_id}/deliver", status_code=202, response_model=HeldMail, tags=["mail"])
def deliver_again(delivery_id: Annotated[str, Path(min_length=1, max_length=200, pattern=r"^[\w.@+=-]+$")],
                  caller: Admin) -> HeldMail:
    """Let a held mail in (spam, automatic, a blocked sender, a failed authentication or an error): it is delivered
    again as a person's mail by the email_ingest function. The record comes back as read after the call: its
    `resolution` (the ticket it went to) is there once delivered (at once locally, a moment later in AWS: read
    `GET /mail/quarantine` again). 409 for mail that cannot be let in (a virus, too large, empty, without a sender,
    or delivered already)."""
    return held(container().mail_admin.deliver_again(caller, delivery_id))


@app.get("/mail/settings", response_model=MailSettings, tags=["mail"])
def get_settings(caller: Admin, response: Response) -> MailSettings:
    settings, version = container().mail_admin.settings(caller)
    set_etag(response, version)
    return settings


@app.put("/mail/settings", response_model=MailSettings, tags=["mail"])
def put_settings(body: MailSettingsRequest, caller: Admin, response: Response,
                 if_match: IfMatch = None) -> MailSettings:
    """The whole document. `If-Match: "<version>"` (the ETag of a GET) turns a save made meanwhile into 409."""
    settings, version = container().mail_admin.put_settings(caller, MailSettings.model_validate(body.model_dump()),
                                                            expected_version(if_match))
    set_etag(response, version)
    return settings


@app.get("/mail/inbound", response_model=InboundRoutes, tags=["mail"])
def list_inbound(caller: Admin) -> InboundRoutes:
    """The tenant's inbound addresses: routed ones (and registered domains, `@domain`), then those waiting for
    the code mailed to them."""
    return InboundRoutes(items=[InboundRoute(address=r.address, tenant_id=r.tenant_id, status=r.status,
                                             verified_by=r.verified_by)
                                for r in container().mail_admin.inbound_addresses(caller)])


@app.delete("/mail/inbound/{address}", status_code=204, tags=["mail"])
def delete_inbound(address: Annotated[str, Path(max_length=254, pattern=ADDRESS)], caller: Admin) -> None:
    """Stop taking mail at the address (later mail to it is `unknown_recipient`), or give up a claim waiting
    for its code. The support address is 409; the address's group (`address_groups`) goes with it."""
    container().mail_admin.release_address(caller, address)


@app.put("/mail/inbound/{address}", response_model=InboundRoute, tags=["mail"],
         responses={202: {"model": InboundRoute, "description": "a verification code was mailed to the address"}})
def put_inbound(address: Annotated[str, Path(max_length=254, pattern=ADDRESS)], caller: Admin,
                response: Response) -> InboundRoute:
    route = container().mail_admin.route_address(caller, address)
    if route.status == "pending_verification":
        response.status_code = 202
    return InboundRoute(address=route.address, tenant_id=route.tenant_id, status=route.status,
                        verified_by=route.verified_by)


@app.post("/mail/inbound/{address}/verify", response_model=InboundRoute, tags=["mail"])
def verify_inbound(address: Annotated[str, Path(max_length=254, pattern=ADDRESS)], body: VerifyRequest,
                   caller: Admin) -> InboundRoute:
    route = container().mail_admin.verify_address(caller, address, body.code)
    return InboundRoute(address=route.address, tenant_id=route.tenant_id, status=route.status,
                        verified_by=route.verified_by)


lambda_handler = http_handler(app)
