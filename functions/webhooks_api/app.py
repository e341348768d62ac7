"""Webhooks API: a tenant's admins register the URLs that get its ticket events, signed per Standard Webhooks.

POST   /webhooks                      {url, event_types, description?, secret?}: the secret is shown once, here
GET    /webhooks                      the tenant's webhooks (secrets never shown again)
GET    /webhooks/event-types          every event type a webhook may ask for (or "*": all of them)
GET    /webhooks/{id}
DELETE /webhooks/{id}
GET    /webhooks/{id}/deliveries      the delivery log: every attempt, newest first (kept 30 days)
"""

from datetime import datetime
from typing import Annotated

from fastapi import Depends, Path, Query, Response
from pydantic import BaseModel

from helpdesk.bootstrap import container
from helpdesk.kernel.principal import Principal
from helpdesk.platform.observability import http_handler
from helpdesk.web.app_factory import create_app
from helpdesk.web.auth import current_principal
from helpdesk.web.errors import ApiError
from helpdesk.webhooks.model import Delivery, Subscription, WebhookFormat, WebhookUrlRefused
from helpdesk.webhooks.service import NewSubscription
from helpdesk.webhooks.slack import masked

app = create_app("Helpdesk webhooks", description="Webhooks: ticket events POSTed to your URLs, signed per the "
                 "Standard Webhooks specification (webhook-id, webhook-timestamp, webhook-signature).",
                 openapi_url="/webhooks/openapi.json", docs_url=None)
Admin = Annotated[Principal, Depends(current_principal)]  # the service checks the role
WebhookId = Annotated[str, Path(min_length=1, max_length=64)]


class WebhookOut(BaseModel):
    id: str
    url: str
    event_types: list[str]
    description: str
    format: WebhookFormat
    active: bool
    created_at: datetime
    created_by: str

    @classmethod
    def of(cls, subscription: Subscription) -> "WebhookOut":
        shown = subscription.model_dump(exclude={"secret", "tenant_id"})
        if subscription.format == "slack":  # the URL is Slack's credential: shown only when it was registered
            shown["url"] = masked(subscription.url)
        return cls.model_validate(shown)


class CreatedWebhook(WebhookOut):
    secret: str  # `whsec_...`: verify deliveries with it; shown only in this answer


class DeliveryPage(BaseModel):
    items: list[Delivery]


@app.post("/webhooks", status_code=201, response_model=CreatedWebhook, tags=["webhooks"])
def create_webhook(body: NewSubscription, caller: Admin, response: Response) -> CreatedWebhook:
    """https to a public address only (the local stack also takes loopback); a private or reserved address,
    or a host that does not resolve, is 422 `webhook_url_refused`."""
    try:
        subscription = container().webhook_admin.create(caller, body)
    except WebhookUrlRefused as refused:
        raise ApiError(422, refused.code, refused.message, refused.details) from refused
    response.headers["Location"] = f"/webhooks/{subscription.id}"
    return CreatedWebhook.model_validate({**WebhookOut.of(subscription).model_dump(), "url": subscription.url,
                                          "secret": subscription.secret})


@app.get("/webhooks", response_model=list[WebhookOut], tags=["webhooks"])
def list_webhooks(caller: Admin) -> list[WebhookOut]:
    return [WebhookOut.of(s) for s in container().webhook_admin.listed(caller)]


@app.get("/webhooks/event-types", response_model=list[str], tags=["webhooks"])
def list_event_types(caller: Admin) -> list[str]:
    """What `event_types` takes, sorted; `["*"]` instead subscribes to every type, those added later too. The
    console offers these (they were listed only in the code and the README)."""
    return container().webhook_admin.event_types(caller)


@app.get("/webhooks/{webhook_id}", response_model=WebhookOut, tags=["webhooks"])
def get_webhook(webhook_id: WebhookId, caller: Admin) -> WebhookOut:
    return WebhookOut.of(container().webhook_admin.get(caller, webhook_id))


@app.delete("/webhooks/{webhook_id}", status_code=204, tags=["webhooks"])
def delete_webhook(webhook_id: WebhookId, caller: Admin) -> Response:
    container().webhook_admin.delete(caller, webhook_id)
    return Response(status_code=204)


@app.get("/webhooks/{webhook_id}/deliveries", response_model=DeliveryPage, tags=["webhooks"])
def list_deliveries(webhook_id: WebhookId, caller: Admin,
                    limit: Annotated[int, Query(ge=1, le=100)] = 50) -> DeliveryPage:
    return DeliveryPage(items=container().webhook_admin.deliveries(caller, webhook_id, limit))


lambda_handler = http_handler(app)
