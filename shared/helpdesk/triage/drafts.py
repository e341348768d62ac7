"""Draft articles from the knowledge loop go to the knowledge base as `draft` articles.

One draft per source ticket: the article id is derived from the ticket, so a replayed stream
record finds the draft it made before instead of making a second one.
"""

from contextlib import suppress

from helpdesk.domain.errors import Conflict
from helpdesk.domain.principal import system_principal
from helpdesk.triage.ports import DraftArticle


def draft_article_id(ticket_id: str) -> str:
    return f"kb_from_{ticket_id}"[:128]


class KnowledgeBaseDrafts:
    """`ArticleDrafts` on the knowledge engineer's KnowledgeService (as the `ai` system actor)."""

    def create_draft(self, draft: DraftArticle) -> str:
        from helpdesk.knowledge.articles import ArticleStatus
        from helpdesk.knowledge.service import NewArticle
        from helpdesk.knowledge.wiring import knowledge_service

        article_id = draft_article_id(draft.source_ticket_id)
        with suppress(Conflict):  # made by an earlier delivery of the same record
            knowledge_service().create(
                system_principal(draft.tenant_id, "ai"),
                NewArticle(id=article_id, title=draft.title, body=draft.body, language=draft.language,
                           tags=list(draft.tags), visibility="internal", status=ArticleStatus.DRAFT),
            )
        return article_id
