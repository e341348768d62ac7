"""Chat sessions in the meta table: one partition per session, tenant in the key.

pk = CHAT#<tenant>#<session>   sk = SESSION           the session (caller, state); `value` = last message seq; TTL
                               sk = MSG#<seq:08d>     one message each, in order, TTL
                               sk = RATE#<window>     flood-control counter of one minute, TTL
                               sk = RELAY#<ticket>    `value` = last event of that ticket copied in, TTL
                               sk = SEEN              `value` = when the visitor last fetched (epoch s), TTL
                               sk = VERIFY            the pending e-mail code (hash, expiry, failed attempts), TTL
                               (a MSG item's `value`: the visitor's rating of that answer, 1 helpful / 0 not)
pk = CHAT#<tenant>#STATS       sk = DAY#<yyyy-mm-dd>  `value` = sessions started that day (UTC), for the AI report
                               sk = HELPFUL#<day>, UNHELPFUL#<day>  `value` = answers rated so that day
                               sk = ARTICLEDAY#<day>#<HELPFUL|UNHELPFUL>#<article>  `value` = rated answers
                                    citing that article that day, `data` = {"title": as the latest one cited it}
                               sk = ARTICLE#<article>#<HELPFUL|UNHELPFUL>  the same, in all (the article's page)

A message is written in one transaction with the session's counter (and, for a copy of a ticket event,
the RELAY mark), so sequence numbers have no gaps and a message is never visible before an earlier one.
"""

import secrets
from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

from pynamodb.connection import Connection
from pynamodb.exceptions import TransactWriteError
from pynamodb.transactions import TransactWrite

from helpdesk.chat.model import ChatMessage, ChatSession, CitedArticle
from helpdesk.kernel.errors import ConcurrentUpdate, NotFound

if TYPE_CHECKING:
    from helpdesk.chat.ports import MessagePolicy
    from helpdesk.platform.dynamo.models import MetaModel, Tables


SESSION_SK = "SESSION"
STATS_SESSION = "STATS"  # session ids are hex: no session has this id


def stats_pk(tenant_id: str) -> str:
    return _pk(tenant_id, STATS_SESSION)


def day_sk(day: date, kind: str = "DAY") -> str:
    """A day's counter in the tenant's STATS partition: DAY (sessions started), HELPFUL, UNHELPFUL (answers)."""
    return f"{kind}#{day.isoformat()}"


def rating_kind(helpful: bool) -> str:
    return "HELPFUL" if helpful else "UNHELPFUL"


def article_day_sk(day: date, helpful: bool, article_id: str) -> str:
    """A day's count of rated answers citing one article; the day first, so a report's range is one `between`."""
    return f"ARTICLEDAY#{day.isoformat()}#{rating_kind(helpful)}#{article_id}"


def article_days_between(first_day: date, last_day: date) -> tuple[str, str]:
    """The sort keys bounding the articles' day counts of [first_day, last_day]: "~" sorts after every kind and
    article id (ids are `[A-Za-z0-9_.-]`)."""
    return f"ARTICLEDAY#{first_day.isoformat()}#", f"ARTICLEDAY#{last_day.isoformat()}#~"


def parse_article_day_sk(sk: str) -> tuple[date, bool, str]:
    """(day, helpful, article id) of an `article_day_sk`."""
    _, day, kind, article_id = sk.split("#", 3)
    return date.fromisoformat(day), kind == rating_kind(True), article_id


def article_total_sk(article_id: str, helpful: bool | None = None) -> str:
    """An article's count of rated answers citing it, in all; `helpful` None: the prefix of both counts."""
    return f"ARTICLE#{article_id}#" + ("" if helpful is None else rating_kind(helpful))


APPEND_ATTEMPTS = 10
_RETRY_REASONS = frozenset({"ConditionalCheckFailed", "TransactionConflict"})


def _pk(tenant_id: str, session_id: str) -> str:
    return f"CHAT#{tenant_id}#{session_id}"


class DynamoChatStore:
    """Implements `helpdesk.chat.ports.ChatStore` on `MetaModel`."""

    def __init__(self, tables: "Tables", message_policy: "MessagePolicy | None" = None) -> None:
        self._tables, self._message_policy = tables, message_policy
        self._connection = Connection(region=tables.meta.Meta.region)

    def add_session(self, session: ChatSession) -> None:
        item = self._tables.meta(_pk(session.tenant_id, session.id), SESSION_SK, value=0,
                                 data=session.model_dump(mode="json"), expires_at=session.expires_at)
        item.save(condition=self._tables.meta.pk.does_not_exist())
        # Counted for `GET /reports/ai` (sessions vs hand-overs): sessions have no per-tenant index to count on.
        self._tables.meta(stats_pk(session.tenant_id), day_sk(session.created_at.astimezone(UTC).date())).update(
            actions=[self._tables.meta.value.add(1)])

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

    def hit_rate_limit(self, session: ChatSession, window: int, expires_at: datetime) -> int:
        item = self._tables.meta(_pk(session.tenant_id, session.id), f"RATE#{window}")
        item.update(actions=[self._tables.meta.value.add(1), self._tables.meta.expires_at.set(expires_at)])
        return int(item.value or 0)

    # -- messages ---------------------------------------------------------------------------

    def append(self, session: ChatSession, message: ChatMessage, *,
               relay: tuple[str, int] | None = None) -> ChatMessage | None:
        meta = self._tables.meta
        pk = _pk(session.tenant_id, session.id)
        if self._message_policy is not None:
            message = self._message_policy(session.tenant_id, message)
        for _ in range(APPEND_ATTEMPTS):
            try:
                head = meta.get(pk, SESSION_SK, consistent_read=True)
            except meta.DoesNotExist as exc:
                raise NotFound("chat session not found") from exc
            last = int(head.value or 0)
            if relay is not None and self.relayed_through(session.tenant_id, session.id, relay[0]) >= relay[1]:
                return None
            seq = last + 1
            stored = message.model_copy(update={"seq": seq,
                                                "id": message.id or f"{seq:08d}-{secrets.token_hex(6)}"})
            try:
                with TransactWrite(connection=self._connection) as tx:
                    tx.update(meta(pk, SESSION_SK), actions=[meta.value.set(seq)], condition=meta.value == last)
                    tx.save(meta(pk, f"MSG#{seq:08d}", data=stored.model_dump(mode="json"),
                                 expires_at=session.expires_at), condition=meta.pk.does_not_exist())
                    if relay is not None:
                        tx.update(meta(pk, f"RELAY#{relay[0]}"),
                                  actions=[meta.value.set(relay[1]), meta.expires_at.set(session.expires_at)],
                                  condition=meta.value.does_not_exist() | (meta.value < relay[1]))
            except TransactWriteError as exc:
                reasons = {r.code for r in (exc.cancellation_reasons or []) if r is not None and r.code}
                if not reasons & _RETRY_REASONS:
                    raise
                continue  # another message (or a copy of this event) went first: read again
            return stored
        raise ConcurrentUpdate("the conversation is busy: try again", {"session_id": session.id})

    def messages(self, tenant_id: str, session_id: str, limit: int = 500, after_seq: int = 0) -> list[ChatMessage]:
        meta = self._tables.meta
        condition = meta.sk.between(f"MSG#{after_seq + 1:08d}", "MSG#99999999") if after_seq else \
            meta.sk.startswith("MSG#")
        items = meta.query(_pk(tenant_id, session_id), condition, limit=limit, consistent_read=True)
        return [_message(i) for i in items]

    def message_at(self, tenant_id: str, session_id: str, seq: int) -> ChatMessage | None:
        try:
            item = self._tables.meta.get(_pk(tenant_id, session_id), f"MSG#{seq:08d}", consistent_read=True)
        except self._tables.meta.DoesNotExist:
            return None
        return _message(item)

    def rate(self, session: ChatSession, seq: int, helpful: bool, day: date,
             articles: Sequence[CitedArticle] = ()) -> bool:
        meta = self._tables.meta
        stats = stats_pk(session.tenant_id)
        try:
            # One transaction (2 + 2 per article items; the caller caps the articles well under DynamoDB's 100):
            # the message's condition fails a second rating, and with it every counter.
            with TransactWrite(connection=self._connection) as tx:
                tx.update(meta(_pk(session.tenant_id, session.id), f"MSG#{seq:08d}"),
                          actions=[meta.value.set(1 if helpful else 0)],
                          condition=meta.pk.exists() & meta.value.does_not_exist())
                tx.update(meta(stats, day_sk(day, rating_kind(helpful))), actions=[meta.value.add(1)])
                for article in articles:
                    for sk in (article_day_sk(day, helpful, article.article_id),
                               article_total_sk(article.article_id, helpful)):
                        tx.update(meta(stats, sk),
                                  actions=[meta.value.add(1), meta.data.set({"title": article.title})])
        except TransactWriteError as exc:
            reasons = {r.code for r in (exc.cancellation_reasons or []) if r is not None and r.code}
            if "ConditionalCheckFailed" in reasons:
                return False
            raise
        return True

    def relayed_through(self, tenant_id: str, session_id: str, ticket_id: str) -> int:
        return self._value(tenant_id, session_id, f"RELAY#{ticket_id}")

    # -- presence and verification ---------------------------------------------------------

    def touch(self, session: ChatSession, at: datetime) -> None:
        self._tables.meta(_pk(session.tenant_id, session.id), "SEEN", value=int(at.timestamp()),
                          expires_at=session.expires_at).save()

    def last_seen(self, tenant_id: str, session_id: str) -> datetime | None:
        seen = self._value(tenant_id, session_id, "SEEN")
        return datetime.fromtimestamp(seen, UTC) if seen else None

    def put_code(self, session: ChatSession, email: str, code_hash: str, expires_at: datetime) -> None:
        self._tables.meta(_pk(session.tenant_id, session.id), "VERIFY", value=0,
                          data={"email": email, "hash": code_hash, "expires_at": expires_at.isoformat()},
                          expires_at=expires_at).save()

    def code(self, tenant_id: str, session_id: str) -> tuple[str, str, datetime, int] | None:
        try:
            item = self._tables.meta.get(_pk(tenant_id, session_id), "VERIFY", consistent_read=True)
        except self._tables.meta.DoesNotExist:
            return None
        data = item.data or {}
        return (str(data["email"]), str(data["hash"]), datetime.fromisoformat(str(data["expires_at"])),
                int(item.value or 0))

    def count_failed_code(self, session: ChatSession) -> int:
        item = self._tables.meta(_pk(session.tenant_id, session.id), "VERIFY")
        item.update(actions=[self._tables.meta.value.add(1)], condition=self._tables.meta.pk.exists())
        return int(item.value or 0)

    def drop_code(self, session: ChatSession) -> None:
        self._tables.meta(_pk(session.tenant_id, session.id), "VERIFY").delete()

    def _value(self, tenant_id: str, session_id: str, sk: str) -> int:
        try:
            item = self._tables.meta.get(_pk(tenant_id, session_id), sk, consistent_read=True)
        except self._tables.meta.DoesNotExist:
            return 0
        return int(item.value or 0)


def _message(item: "MetaModel") -> ChatMessage:
    message = ChatMessage.model_validate(item.data)
    return message if item.value is None else message.model_copy(update={"helpful": item.value == 1})
