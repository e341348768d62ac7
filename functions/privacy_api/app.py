"""Privacy API: a tenant's admins export or erase a person's data and set the retention period and card masking
(admins only); the team redacts a text out of a ticket (agents who may open it too). Every request is recorded in
the audit log (without the address or the text).

POST /privacy/export    {email}            a JSON archive of the person's tickets, events, chats and files (presigned)
POST /privacy/erase     {email}            the person anonymised everywhere; repeating it is harmless
GET  /privacy/settings                     {retention_days, mask_card_numbers}, its version as the ETag
PUT  /privacy/settings  {retention_days, mask_card_numbers}   closed tickets lose their content that many days
                                           after closing (null: never); card numbers written from then on keep
                                           their last four digits; with If-Match (the ETag read), a save made
                                           since is 409
POST /privacy/redactions {ticket_id, text | file_id}  the team takes a text (a card number) or a file out of a ticket
POST /privacy/card-masking {cursor?}      admins: the card numbers written before masked, a page of tickets a call
"""

from typing import Annotated

from fastapi import Depends, Response

from helpdesk.bootstrap import container
from helpdesk.kernel.principal import Principal
from helpdesk.platform.observability import http_handler
from helpdesk.privacy.model import (
    CardMaskingRequest,
    CardMaskingRun,
    ErasureReport,
    ExportLink,
    PersonRequest,
    PrivacySettings,
    RedactionReport,
    RedactionRequest,
)
from helpdesk.web.app_factory import create_app
from helpdesk.web.auth import current_principal
from helpdesk.web.versioning import IfMatch, expected_version, set_etag

app = create_app("Helpdesk privacy", description="Privacy requests: export or erase a person's data; the "
                 "retention period of closed tickets.", openapi_url="/privacy/openapi.json", docs_url=None)
Admin = Annotated[Principal, Depends(current_principal)]  # the services check the role


@app.post("/privacy/export", status_code=201, response_model=ExportLink, tags=["privacy"])
def export_person(body: PersonRequest, caller: Admin) -> ExportLink:
    """Everything the tenant holds about the address: its tickets (as requester or participant) with their
    events, the chats they came from, and download links of their files and original mails."""
    return container().privacy.export(caller, body.email)


@app.post("/privacy/erase", response_model=ErasureReport, tags=["privacy"])
def erase_person(body: PersonRequest, caller: Admin) -> ErasureReport:
    """The person leaves every ticket, event, chat and index of the tenant; their files and mails are deleted.
    The tickets and their event logs stay (the person's text redacted), each with a `person_erased` event."""
    return container().privacy.erase(caller, body.email)


@app.post("/privacy/redactions", response_model=RedactionReport, tags=["privacy"])
def redact(body: RedactionRequest, caller: Admin) -> RedactionReport:
    """Agents and admins who may open the ticket take a text out of it: a card number, a password, an ID number a
    customer wrote. Replaced by `[redacted]` in its messages, notes, fields, chat transcript, AI summary and draft,
    and the search index; an original mail holding it (quotes too) is deleted with its HTML copy. Or a file
    (`file_id`, as the ticket's events name it: a photo of an ID card): deleted, with the original mail it came in.
    Cannot be undone; the ticket's log and the audit log say who redacted how much, never what. 400 when the ticket
    does not hold the text, 404 when it has no such file."""
    if body.file_id is not None:
        return container().ticket_redactions.redact_file(caller, body.ticket_id, body.file_id)
    assert body.text is not None  # the request names one of the two
    return container().ticket_redactions.redact(caller, body.ticket_id, body.text)


@app.post("/privacy/card-masking", response_model=CardMaskingRun, tags=["privacy"])
def mask_written_cards(body: CardMaskingRequest, caller: Admin) -> CardMaskingRun:
    """Admins: the card numbers written before the tenant masked them (or while it did not), masked now as new ones
    are (`XXXX XXXX XXXX 1111`), in the messages, notes, fields, chat transcripts, AI summaries and the search index
    of a page of tickets per call, newest first; a mail holding one loses its HTML copy. Send `next_cursor` back
    as `cursor` until it is null. Cannot be undone; each ticket's log and the audit log note it as a redaction."""
    return container().ticket_redactions.mask_written_cards(caller, body.cursor)


@app.get("/privacy/settings", response_model=PrivacySettings, tags=["privacy"])
def get_settings(caller: Admin, response: Response) -> PrivacySettings:
    settings, version = container().privacy.settings(caller)
    set_etag(response, version)
    return settings


@app.put("/privacy/settings", response_model=PrivacySettings, tags=["privacy"])
def put_settings(body: PrivacySettings, caller: Admin, response: Response,
                 if_match: IfMatch = None) -> PrivacySettings:
    """The whole document. `If-Match: "<version>"` (the ETag of a GET) turns a save made meanwhile into 409."""
    settings, version = container().privacy.put_settings(caller, body, expected_version(if_match))
    set_etag(response, version)
    return settings


lambda_handler = http_handler(app)
