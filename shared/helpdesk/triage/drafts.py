"""Draft articles from the knowledge loop go to the knowledge base as `draft` articles.

One draft per source ticket: the article id is derived from the ticket, so a replayed stream
record finds the draft it made before instead of making a second one.
"""

from collections.abc import Callable
from contextlib import suppress
from typing import TYPE_CHECKING

from helpdesk.kernel.errors import Conflict
from helpdesk.kernel.principal import system_principal
from helpdesk.triage.ports import DraftArticle

if TYPE_CHECKING:
    from helpdesk.knowledge.service import KnowledgeService


def draft_article_id(ticket_id: str) -> str:
    return f"kb_from_{ticket_id}"[:128]


class KnowledgeBaseDrafts:
    """`ArticleDrafts` on the KnowledgeService (as the `ai` system actor)."""

    def __init__(self, knowledge: "Callable[[], KnowledgeService]") -> None:
        self._knowledge = knowledge  # built on first use: most stream records never make a draft

    def create_draft(self, draft: DraftArticle) -> str:
        from helpdesk.knowledge.articles import ArticleStatus
        from helpdesk.knowledge.service import NewArticle

        article_id = draft_article_id(draft.source_ticket_id)
        with suppress(Conflict):  # made by an earlier delivery of the same record
            self._knowledge().create(
                system_principal(draft.tenant_id, "ai"),
                NewArticle(id=article_id, title=draft.title, body=draft.body, language=draft.language,
                           tags=list(draft.tags), visibility="internal", status=ArticleStatus.DRAFT),
            )
        return article_id
