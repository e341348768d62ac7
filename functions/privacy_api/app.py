"""Privacy API: a tenant's admins export or erase a person's data and set the retention period. Admins only;
every request is recorded in the audit log (without the address).

POST /privacy/export    {email}            a JSON archive of the person's tickets, events, chats and files (presigned)
POST /privacy/erase     {email}            the person anonymised everywhere; repeating it is harmless
GET  /privacy/settings                     {retention_days}, its version as the ETag
PUT  /privacy/settings  {retention_days}   closed tickets lose their content that many days after closing (null:
                                           never); with If-Match (the ETag read), a save made since is 409
"""

from typing import Annotated

from fastapi import Depends, Response

from helpdesk.bootstrap import container
from helpdesk.kernel.principal import Principal
from helpdesk.platform.observability import http_handler
from helpdesk.privacy.model import ErasureReport, ExportLink, PersonRequest, PrivacySettings
from helpdesk.web.app_factory import create_app
from helpdesk.web.auth import current_principal
from helpdesk.web.versioning import IfMatch, expected_version, set_etag

app = create_app("Helpdesk privacy", description="Privacy requests: export or erase a person's data; the "
                 "retention period of closed tickets.", openapi_url="/privacy/openapi.json", docs_url=None)
Admin = Annotated[Principal, Depends(current_principal)]  # the service checks the role


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
