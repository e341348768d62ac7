"""Composition root of triage: which adapters serve its ports. Built once per Lambda container."""

from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from helpdesk.adapters.triage.dynamo import DynamoTicketVectors, DynamoTriageSettingsStore
    from helpdesk.ai.ports import LlmPort
    from helpdesk.triage.classify import IntentClassifier
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
    from helpdesk.triage.classify import EmbeddedIntentClassifier, IntentCatalog, LlmIntentClassifier
    from helpdesk.triage.replies import LlmReplyWriter, TemplateReplyWriter
    from helpdesk.triage.triage import Triage

    catalog = IntentCatalog.builtin()
    classifier: IntentClassifier = EmbeddedIntentClassifier(embedder(), catalog)
    replies: ReplyWriter = TemplateReplyWriter(embedder())
    llm = configured_llm()
    if llm is None:
        return Triage(ticket_service(), DynamoTriageStore(), triage_settings(), ticket_vectors(), embedder(),
                      classifier, catalog, retriever(), replies)
    return Triage(ticket_service(), DynamoTriageStore(), triage_settings(), ticket_vectors(), embedder(),
                  LlmIntentClassifier(llm, catalog, classifier), catalog, retriever(), LlmReplyWriter(llm, replies),
                  model=llm.model_id)


def configured_llm() -> "LlmPort | None":
    """The chat capability's configured model (Claude via Anthropic or Bedrock), or None: embedded only."""
    try:
        from helpdesk.ai.wiring import primary_llm

        return primary_llm()
    except RuntimeError as exc:  # a provider is named but not configured: say so, work offline
        from helpdesk.observability import logger

        logger.warning("triage runs offline", extra={"reason": str(exc)})
        return None


@lru_cache(maxsize=1)
def knowledge_loop() -> "KnowledgeLoop":
    from helpdesk.triage.drafts import KnowledgeBaseDrafts
    from helpdesk.triage.knowledge_loop import KnowledgeLoop

    return KnowledgeLoop(triage(), KnowledgeBaseDrafts())


def reset_triage_wiring() -> None:
    for factory in (triage_settings, ticket_vectors, triage, knowledge_loop):
        factory.cache_clear()
