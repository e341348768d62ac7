""""Did this answer your question?": a visitor rates an answer of the assistant, once.

Helpful answers count towards what the AI resolves on its own; an unhelpful one is counted too (the AI report's
share helpful is the misleading rate seen from the customer's side) and, while no person has the conversation
yet, the assistant offers a ticket at once, in the conversation's language, exactly as when it does not know:
the visitor's next "yes" opens it with the transcript, the unhelpful answer included.
"""

import re
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel

from helpdesk.assistant.sentences import say
from helpdesk.chat.model import ChatMessage, ChatSession, CitedArticle
from helpdesk.chat.ports import ChatStore
from helpdesk.kernel.errors import Conflict, InvalidInput, NotFound
from helpdesk.knowledge.articles import ARTICLE_ID_PATTERN

# An answer cites the few passages it relies on (one per article); counting more than this many articles would only
# grow the rating's transaction (2 items each) for citations nobody reads.
MAX_ARTICLES_COUNTED = 5
_ARTICLE_ID = re.compile(ARTICLE_ID_PATTERN)
MAX_TITLE_CHARS = 300


class AlreadyRated(Conflict):
    code = "already_rated"


class NotAnAnswer(InvalidInput):
    code = "not_an_answer"


class RatedAnswer(BaseModel):
    message_id: str
    helpful: bool
    offer: ChatMessage | None = None  # the assistant's offer of a person, after an unhelpful answer


def rate_answer(store: ChatStore, session: ChatSession, seq: int, message_id: str, helpful: bool,
                now: datetime) -> RatedAnswer:
    """`seq`: the message's place (`ChatService.seq_of`). Only the assistant's answers that cite articles are
    rated: a greeting, a question back or "I don't know" has nothing to judge."""
    answer = store.message_at(session.tenant_id, session.id, seq)
    if answer is None or answer.id != message_id:
        raise NotFound(f"message {message_id} is not in this conversation")
    if answer.role != "assistant" or not answer.meta.get("citations"):
        raise NotAnAnswer("only the assistant's answers that cite articles are rated", {"message_id": message_id})
    if not store.rate(session, seq, helpful, now.astimezone(UTC).date(), cited_articles(answer.meta["citations"])):
        raise AlreadyRated("this answer was rated already", {"message_id": message_id})
    offer = None if helpful else _offer_a_person(store, session, seq, answer, now)
    return RatedAnswer(message_id=message_id, helpful=helpful, offer=offer)


def cited_articles(citations: Any) -> list[CitedArticle]:
    """The articles an answer's stored citations name (`[{"article_id", "title", "url"}]`, as the assistant wrote
    them), each once, in the answer's order, at most `MAX_ARTICLES_COUNTED`; a malformed entry is skipped (the
    message's meta is a free-form record)."""
    found: dict[str, CitedArticle] = {}
    for citation in citations if isinstance(citations, list) else []:
        article_id = citation.get("article_id") if isinstance(citation, dict) else None
        if not isinstance(article_id, str) or not _ARTICLE_ID.match(article_id) or article_id in found:
            continue
        title = citation.get("title")
        title = title.strip()[:MAX_TITLE_CHARS] if isinstance(title, str) and title.strip() else article_id
        found[article_id] = CitedArticle(article_id=article_id, title=title)
        if len(found) == MAX_ARTICLES_COUNTED:
            break
    return list(found.values())


def _offer_a_person(store: ChatStore, session: ChatSession, seq: int, answer: ChatMessage,
                    now: datetime) -> ChatMessage | None:
    state = session.state
    if session.ticket_id is not None or state.awaiting is not None:
        return None  # a person has it already, or the assistant is waiting for an answer to its own question
    question = store.message_at(session.tenant_id, session.id, seq - 1)
    state.awaiting, state.pending_reason = "ticket_confirm", "unanswered"
    state.pending_message_id = question.id if question is not None and question.role == "user" else None
    intent, confidence = answer.meta.get("intent"), answer.meta.get("confidence")
    state.pending_intent = intent if isinstance(intent, str) else None
    state.pending_confidence = float(confidence) if isinstance(confidence, int | float) else None
    store.save_state(session)
    return store.append(session, ChatMessage(id="", session_id=session.id, seq=0, role="assistant",
                                             text=say("not_helpful", state.language), at=now,
                                             meta={"actions": ["offer_ticket"], "after_rating": answer.id}))
