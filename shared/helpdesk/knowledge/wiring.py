"""Which embedder and index serve this process: built once per Lambda container / local process.

`retriever().search(tenant_id=..., query=..., k=..., audience="public"|"internal")` is the entry point
for chat, RAG and triage code. Heavy modules (numpy, onnxruntime, opensearch-py) load on first use.
"""

import os
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from helpdesk.knowledge.config import knowledge_settings

if TYPE_CHECKING:
    from helpdesk.domain.ports import Embedder
    from helpdesk.knowledge.indexing import ArticleIndexer
    from helpdesk.knowledge.ports import KnowledgeIndex, Retriever
    from helpdesk.knowledge.service import KnowledgeService


@lru_cache(maxsize=1)
def embedder() -> "Embedder":
    settings = knowledge_settings()
    if settings.embedder == "bedrock":
        from helpdesk.adapters.embeddings.bedrock_titan import BedrockTitanEmbedder

        return BedrockTitanEmbedder(model_id=settings.bedrock_model_id, dimension=settings.bedrock_dimension)
    from helpdesk.adapters.embeddings.onnx_minilm import OnnxMiniLmEmbedder

    return OnnxMiniLmEmbedder(threads=settings.onnx_threads)


def default_index_dir() -> Path:
    settings = knowledge_settings()
    if settings.index_dir is not None:
        return settings.index_dir
    if os.environ.get("AWS_LAMBDA_FUNCTION_NAME"):
        # A Lambda has no durable local folder: a function that searches needs the OpenSearch settings.
        raise RuntimeError("knowledge index not configured: set HELPDESK_KB_INDEX=opensearch and "
                           "HELPDESK_KB_OPENSEARCH_ENDPOINT for this function (see template.yaml, knowledge)")
    from helpdesk.local.stack import home

    return home() / "knowledge-index"


@lru_cache(maxsize=1)
def knowledge_index() -> "KnowledgeIndex":
    settings = knowledge_settings()
    if settings.index == "opensearch":
        from helpdesk.adapters.index.opensearch import OpenSearchIndex

        if not settings.opensearch_endpoint:
            raise RuntimeError("HELPDESK_KB_OPENSEARCH_ENDPOINT is required with HELPDESK_KB_INDEX=opensearch")
        return OpenSearchIndex.connect(settings.opensearch_endpoint, index=settings.opensearch_index,
                                       service=settings.opensearch_service, region=settings.region,
                                       dimension=embedder().dimension)
    from helpdesk.adapters.index.embedded import EmbeddedIndex

    # Vectors of one model only: a different embedder gets its own folder rather than mixing spaces.
    return EmbeddedIndex(default_index_dir() / embedder().model_id, dimension=embedder().dimension)


@lru_cache(maxsize=1)
def retriever() -> "Retriever":
    from helpdesk.knowledge.retrieval import HybridRetriever

    return HybridRetriever(knowledge_index(), embedder())


def indexer() -> "ArticleIndexer":
    from helpdesk.knowledge.indexing import ArticleIndexer

    return ArticleIndexer(knowledge_index(), embedder())


@lru_cache(maxsize=1)
def knowledge_service() -> "KnowledgeService":
    from helpdesk.adapters.knowledge.dynamo import DynamoArticleRepository
    from helpdesk.knowledge.service import KnowledgeService

    return KnowledgeService(DynamoArticleRepository(), indexer(), retriever())


def reset_knowledge_wiring() -> None:
    """Forget built adapters and settings (tests switch backends and folders between cases)."""
    knowledge_settings.cache_clear()
    for factory in (embedder, knowledge_index, retriever, knowledge_service):
        factory.cache_clear()
