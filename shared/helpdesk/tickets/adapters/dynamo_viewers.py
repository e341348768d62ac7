"""Ticket viewers in the Meta table: `VIEWERS#<tenant>#<ticket>` / `<user id>`, expiring by TTL."""

from datetime import datetime

from helpdesk.platform.dynamo.models import Tables
from helpdesk.tickets.model import Viewer

MAX_VIEWERS = 50  # read per ticket: more agents than that on one ticket is not a case to serve


class DynamoViewerStore:
    def __init__(self, tables: Tables) -> None:
        self._meta = tables.meta

    def put_viewer(self, tenant_id: str, ticket_id: str, viewer: Viewer, *, expires_at: datetime) -> None:
        self._meta(pk=_pk(tenant_id, ticket_id), sk=viewer.user_id, data=viewer.model_dump(mode="json"),
                   expires_at=expires_at).save()

    def viewers(self, tenant_id: str, ticket_id: str) -> list[Viewer]:
        return [Viewer.model_validate(item.data)
                for item in self._meta.query(_pk(tenant_id, ticket_id), limit=MAX_VIEWERS, consistent_read=True)]

    def remove_viewer(self, tenant_id: str, ticket_id: str, user_id: str) -> None:
        self._meta(pk=_pk(tenant_id, ticket_id), sk=user_id).delete()


def _pk(tenant_id: str, ticket_id: str) -> str:
    return f"VIEWERS#{tenant_id}#{ticket_id}"
