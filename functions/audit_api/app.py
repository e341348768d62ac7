"""Audit API: what a tenant's administrators changed (settings, SLA policies and calendars, mail addresses,
AI settings, webhooks), who changed it, when, and the values before and after. Admins only.

GET /audit?kind=&limit=&cursor=   newest first
"""

from typing import Annotated

from fastapi import Depends, Query

from helpdesk.audit.model import AuditPage
from helpdesk.bootstrap import container
from helpdesk.kernel.principal import Principal
from helpdesk.platform.observability import http_handler
from helpdesk.web.app_factory import create_app
from helpdesk.web.auth import current_principal

app = create_app("Helpdesk audit", description="The audit of administration: who changed what, when, before "
                 "and after.", openapi_url="/audit/openapi.json", docs_url=None)
Admin = Annotated[Principal, Depends(current_principal)]  # the service checks the role


@app.get("/audit", response_model=AuditPage, tags=["audit"])
def list_audit(caller: Admin,
               kind: Annotated[str | None, Query(max_length=64, pattern=r"^[a-z_.]+$",
                                                 description="`sla.policy`, `webhook`, ...")] = None,
               limit: Annotated[int, Query(ge=1, le=100)] = 50,
               cursor: Annotated[str | None, Query(max_length=2048)] = None) -> AuditPage:
    return container().audit_log.page(caller, kind=kind, limit=limit, cursor=cursor)


lambda_handler = http_handler(app)
