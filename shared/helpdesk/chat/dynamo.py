"""Chat sessions in the meta table: one partition per session, tenant in the key.

pk = CHAT#<tenant>#<session>   sk = SESSION         the session (caller, state), TTL
                               sk = MSG#<seq:08d>   one message each, in order, TTL
                               sk = RATE#<window>   flood-control counter of one minute, TTL
"""

from datetime import datetime

from helpdesk.chat.sessions import ChatMessage, ChatSession

SESSION_SK = "SESSION"


def _pk(tenant_id: str, session_id: str) -> str:
    return f"CHAT#{tenant_id}#{session_id}"


class DynamoChatStore:
    """Implements `helpdesk.chat.sessions.ChatStore` on `MetaModel`."""

    def add_session(self, session: ChatSession) -> None:
        from helpdesk.adapters.dynamo.models import MetaModel

        item = MetaModel(_pk(session.tenant_id, session.id), SESSION_SK, value=0,
                         data=session.model_dump(mode="json"), expires_at=session.expires_at)
        item.save(condition=MetaModel.pk.does_not_exist())

    def get_session(self, tenant_id: str, session_id: str) -> ChatSession | None:
        from helpdesk.adapters.dynamo.models import MetaModel

        try:
            item = MetaModel.get(_pk(tenant_id, session_id), SESSION_SK, consistent_read=True)
        except MetaModel.DoesNotExist:
            return None
        return ChatSession.model_validate(item.data)

    def save_state(self, session: ChatSession) -> None:
        from helpdesk.adapters.dynamo.models import MetaModel

        MetaModel(_pk(session.tenant_id, session.id), SESSION_SK).update(actions=[
            MetaModel.data.set(session.model_dump(mode="json")),
            MetaModel.expires_at.set(session.expires_at),
        ], condition=MetaModel.pk.exists())

    def next_seq(self, session: ChatSession) -> int:
        from helpdesk.adapters.dynamo.models import MetaModel

        item = MetaModel(_pk(session.tenant_id, session.id), SESSION_SK)
        item.update(actions=[MetaModel.value.add(1)], condition=MetaModel.pk.exists())
        return int(item.value or 0)

    def hit_rate_limit(self, session: ChatSession, window: int, expires_at: datetime) -> int:
        from helpdesk.adapters.dynamo.models import MetaModel

        item = MetaModel(_pk(session.tenant_id, session.id), f"RATE#{window}")
        item.update(actions=[MetaModel.value.add(1), MetaModel.expires_at.set(expires_at)])
        return int(item.value or 0)

    def add_message(self, session: ChatSession, message: ChatMessage) -> None:
        from helpdesk.adapters.dynamo.models import MetaModel

        MetaModel(_pk(session.tenant_id, session.id), f"MSG#{message.seq:08d}",
                  data=message.model_dump(mode="json"), expires_at=session.expires_at).save()

    def messages(self, tenant_id: str, session_id: str, limit: int = 500) -> list[ChatMessage]:
        from helpdesk.adapters.dynamo.models import MetaModel

        items = MetaModel.query(_pk(tenant_id, session_id), MetaModel.sk.startswith("MSG#"), limit=limit,
                                consistent_read=True)
        return [ChatMessage.model_validate(i.data) for i in items]
