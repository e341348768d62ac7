"""Composition root of triage: which adapters serve its ports. Built once per Lambda container."""

from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from helpdesk.adapters.triage.dynamo import DynamoTicketVectors, DynamoTriageSettingsStore
    from helpdesk.triage.knowledge_loop import KnowledgeLoop
    from helpdesk.triage.replies import ReplyWriter
    from helpdesk.triage.triage import Triage


@lru_cache(maxsize=1)
def triage_settings() -> "DynamoTriageSettingsStore":
    from helpdesk.adapters.triage.dynamo import DynamoTriageSettingsStore

    return DynamoTriageSettingsStore()


@lru_cache(maxsize=1)
def ticket_vectors() -> "DynamoTicketVectors":
    from helpdesk.adapters.triage.dynamo import DynamoTicketVectors

    return DynamoTicketVectors()


@lru_cache(maxsize=1)
def triage() -> "Triage":
    from helpdesk.adapters.triage.dynamo import DynamoTriageStore
    from helpdesk.bootstrap import ticket_service
    from helpdesk.knowledge.wiring import embedder, retriever
    from helpdesk.triage.classify import EmbeddedIntentClassifier, IntentCatalog
    from helpdesk.triage.triage import Triage

    catalog = IntentCatalog.builtin()
    return Triage(ticket_service(), DynamoTriageStore(), triage_settings(), ticket_vectors(), embedder(),
                  EmbeddedIntentClassifier(embedder(), catalog), catalog, retriever(), reply_writer())


def reply_writer() -> "ReplyWriter":
    """The configured LLM (chat capability's port) when there is one, else the embedded template."""
    from helpdesk.knowledge.wiring import embedder
    from helpdesk.triage.replies import LlmReplyWriter, TemplateReplyWriter

    template = TemplateReplyWriter(embedder())
    try:
        from helpdesk.ai.wiring import primary_llm

        llm = primary_llm()
    except RuntimeError as exc:  # a provider is named but not configured: say so, work offline
        from helpdesk.observability import logger

        logger.warning("triage writes reply drafts offline", extra={"reason": str(exc)})
        return template
    return template if llm is None else LlmReplyWriter(llm, template)


@lru_cache(maxsize=1)
def knowledge_loop() -> "KnowledgeLoop":
    from helpdesk.triage.drafts import KnowledgeBaseDrafts
    from helpdesk.triage.knowledge_loop import KnowledgeLoop

    return KnowledgeLoop(triage(), KnowledgeBaseDrafts())


def reset_triage_wiring() -> None:
    for factory in (triage_settings, ticket_vectors, triage, knowledge_loop):
        factory.cache_clear()
