"""Which model serves this process: Claude (Anthropic API or Bedrock) when configured, offline otherwise.

The SDK is imported only when a Claude provider is configured, and only by the code that answers
(intent_rag): chat intake never imports this module's Claude branch.
"""

from functools import lru_cache
from typing import TYPE_CHECKING

from helpdesk.ai.config import AiSettings, ai_settings

if TYPE_CHECKING:
    from helpdesk.ai.catalog_store import IntentCatalogStore
    from helpdesk.ai.embedding_cache import CachingEmbedder
    from helpdesk.ai.intents import CatalogClassifiers
    from helpdesk.ai.ports import LlmPort
    from helpdesk.ai.rag import ChatAssistant


def anthropic_api_key(settings: AiSettings) -> str | None:
    if settings.anthropic_api_key is not None:
        return settings.anthropic_api_key.get_secret_value()
    if settings.anthropic_api_key_parameter:
        from aws_lambda_powertools.utilities import parameters

        value = parameters.get_parameter(settings.anthropic_api_key_parameter, decrypt=True, max_age=300)
        return str(value) if value else None
    import os

    return os.environ.get("ANTHROPIC_API_KEY") or None


@lru_cache(maxsize=1)
def embedder() -> "CachingEmbedder":
    """The knowledge embedder behind a cache: a turn embeds its message three times otherwise."""
    from helpdesk.ai.embedding_cache import CachingEmbedder
    from helpdesk.knowledge.wiring import embedder as knowledge_embedder

    return CachingEmbedder(knowledge_embedder())


@lru_cache(maxsize=1)
def classifiers() -> "CatalogClassifiers":
    from helpdesk.ai.intents import CatalogClassifiers

    return CatalogClassifiers(embedder(), min_confidence=ai_settings().intent_min_confidence)


@lru_cache(maxsize=1)
def offline_llm() -> "LlmPort":
    from helpdesk.ai.offline_llm import OfflineLlm

    return OfflineLlm(embedder(), classifiers())


@lru_cache(maxsize=1)
def primary_llm() -> "LlmPort | None":
    """The configured Claude adapter, or None when the offline adapter is the model."""
    settings = ai_settings()
    if settings.provider == "offline":
        return None
    if settings.provider == "bedrock":
        from helpdesk.ai.bedrock_llm import bedrock_llm

        return bedrock_llm(settings)
    key = anthropic_api_key(settings)
    if not key:
        if settings.provider == "anthropic":
            raise RuntimeError("HELPDESK_AI_PROVIDER=anthropic needs an API key (HELPDESK_AI_ANTHROPIC_API_KEY, "
                               "HELPDESK_AI_ANTHROPIC_API_KEY_PARAMETER or ANTHROPIC_API_KEY)")
        return None
    from helpdesk.ai.anthropic_llm import anthropic_llm

    return anthropic_llm(settings, key)


@lru_cache(maxsize=1)
def catalog_store() -> "IntentCatalogStore":
    from helpdesk.ai.catalog_store import DynamoIntentCatalogStore

    return DynamoIntentCatalogStore()


@lru_cache(maxsize=1)
def assistant() -> "ChatAssistant":
    from helpdesk.ai.circuit_breaker import CircuitBreaker
    from helpdesk.ai.rag import ChatAssistant
    from helpdesk.bootstrap import ticket_service
    from helpdesk.knowledge.retrieval import HybridRetriever
    from helpdesk.knowledge.wiring import knowledge_index

    settings = ai_settings()
    # The knowledge retriever over the same index, with the cached embedder (the message is embedded once).
    retriever = HybridRetriever(knowledge_index(), embedder())
    return ChatAssistant(tickets=ticket_service(), retriever=retriever, embedder=embedder(),
                         catalogs=catalog_store(), offline=offline_llm(), primary=primary_llm(),
                         breaker=CircuitBreaker(settings.breaker_failures, settings.breaker_reset_s),
                         intent_min_confidence=settings.intent_min_confidence,
                         answer_min_relevance=settings.answer_min_relevance, passages=settings.passages)


def reset_ai_wiring() -> None:
    ai_settings.cache_clear()
    for factory in (embedder, classifiers, offline_llm, primary_llm, catalog_store, assistant):
        factory.cache_clear()
