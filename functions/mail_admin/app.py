"""Mail admin API: a tenant's admins see held-back mail and set how their mail is handled.

GET  /mail/quarantine            mail that did not become a ticket message, and why (newest first)
GET  /mail/settings              support address, acknowledgement, spam handling
PUT  /mail/settings
PUT  /mail/inbound/{address}     route mail sent to an address to the caller's tenant
"""

from typing import Annotated, Literal

from fastapi import Depends, Path, Query
from pydantic import BaseModel, ConfigDict, Field

from helpdesk.bootstrap import container
from helpdesk.kernel.principal import Principal
from helpdesk.mail.ports import MailSettings, QuarantineRecord
from helpdesk.platform.observability import http_handler
from helpdesk.web.app_factory import create_app
from helpdesk.web.auth import current_principal

app = create_app("Helpdesk mail admin", description="Quarantined mail, mail settings and inbound addresses.",
                 openapi_url="/mail/openapi.json", docs_url=None)


Admin = Annotated[Principal, Depends(current_principal)]  # the service checks the role
ADDRESS = r"^[^@\s<>\"(),;:\\]+@[^@\s<>\"(),;:\\]+\.[^@\s<>\"(),;:\\]+$"  # one plain address, nothing else
MailAddress = Annotated[str, Field(max_length=254, pattern=ADDRESS)]


class MailSettingsRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    support_address: MailAddress | None = None
    from_name: str = Field(default="Support", min_length=1, max_length=100, pattern=r"^[^\r\n]*$")
    acknowledge_new: bool = True
    spam_action: Literal["quarantine", "tag"] = "quarantine"


class QuarantinePage(BaseModel):
    items: list[QuarantineRecord]


class InboundRoute(BaseModel):
    address: str
    tenant_id: str


@app.get("/mail/quarantine", response_model=QuarantinePage, tags=["mail"])
def list_quarantine(caller: Admin, limit: Annotated[int, Query(ge=1, le=200)] = 50) -> QuarantinePage:
    return QuarantinePage(items=container().mail_admin.quarantined(caller, limit))


@app.get("/mail/settings", response_model=MailSettings, tags=["mail"])
def get_settings(caller: Admin) -> MailSettings:
    return container().mail_admin.settings(caller)


@app.put("/mail/settings", response_model=MailSettings, tags=["mail"])
def put_settings(body: MailSettingsRequest, caller: Admin) -> MailSettings:
    return container().mail_admin.put_settings(caller, MailSettings.model_validate(body.model_dump()))


@app.put("/mail/inbound/{address}", response_model=InboundRoute, tags=["mail"])
def put_inbound(address: Annotated[str, Path(max_length=254, pattern=ADDRESS)], caller: Admin) -> InboundRoute:
    routed = container().mail_admin.route_address(caller, address)
    return InboundRoute(address=routed, tenant_id=caller.tenant_id)


lambda_handler = http_handler(app)
