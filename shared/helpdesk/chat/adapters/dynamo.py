"""Chat sessions in the meta table: one partition per session, tenant in the key.

pk = CHAT#<tenant>#<session>   sk = SESSION         the session (caller, state), TTL
                               sk = MSG#<seq:08d>   one message each, in order, TTL
                               sk = RATE#<window>   flood-control counter of one minute, TTL
"""

from datetime import datetime
from typing import TYPE_CHECKING

from helpdesk.chat.model import ChatMessage, ChatSession

if TYPE_CHECKING:
    from helpdesk.platform.dynamo.models import Tables


SESSION_SK = "SESSION"


def _pk(tenant_id: str, session_id: str) -> str:
    return f"CHAT#{tenant_id}#{session_id}"


class DynamoChatStore:
    """Implements `helpdesk.chat.ports.ChatStore` on `MetaModel`."""

    def __init__(self, tables: "Tables") -> None:
        self._tables = tables

    def add_session(self, session: ChatSession) -> None:
        item = self._tables.meta(_pk(session.tenant_id, session.id), SESSION_SK, value=0,
                         data=session.model_dump(mode="json"), expires_at=session.expires_at)
        item.save(condition=self._tables.meta.pk.does_not_exist())

    def get_session(self, tenant_id: str, session_id: str) -> ChatSession | None:
        try:
            item = self._tables.meta.get(_pk(tenant_id, session_id), SESSION_SK, consistent_read=True)
        except self._tables.meta.DoesNotExist:
            return None
        return ChatSession.model_validate(item.data)

    def save_state(self, session: ChatSession) -> None:
        self._tables.meta(_pk(session.tenant_id, session.id), SESSION_SK).update(actions=[
            self._tables.meta.data.set(session.model_dump(mode="json")),
            self._tables.meta.expires_at.set(session.expires_at),
        ], condition=self._tables.meta.pk.exists())

    def next_seq(self, session: ChatSession) -> int:
        item = self._tables.meta(_pk(session.tenant_id, session.id), SESSION_SK)
        item.update(actions=[self._tables.meta.value.add(1)], condition=self._tables.meta.pk.exists())
        return int(item.value or 0)

    def hit_rate_limit(self, session: ChatSession, window: int, expires_at: datetime) -> int:
        item = self._tables.meta(_pk(session.tenant_id, session.id), f"RATE#{window}")
        item.update(actions=[self._tables.meta.value.add(1), self._tables.meta.expires_at.set(expires_at)])
        return int(item.value or 0)

    def add_message(self, session: ChatSession, message: ChatMessage) -> None:
        self._tables.meta(_pk(session.tenant_id, session.id), f"MSG#{message.seq:08d}",
                  data=message.model_dump(mode="json"), expires_at=session.expires_at).save()

    def messages(self, tenant_id: str, session_id: str, limit: int = 500) -> list[ChatMessage]:
        meta = self._tables.meta
        items = meta.query(_pk(tenant_id, session_id), meta.sk.startswith("MSG#"), limit=limit,
                                consistent_read=True)
        return [ChatMessage.model_validate(i.data) for i in items]
