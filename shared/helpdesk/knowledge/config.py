"""Knowledge settings from the environment (template.yaml in AWS, `helpdesk serve` locally)."""

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class KnowledgeSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="HELPDESK_KB_", extra="ignore")

    # "onnx": all-MiniLM-L6-v2 on onnxruntime in-process; "bedrock": Titan Text Embeddings v2.
    embedder: Literal["onnx", "bedrock"] = "onnx"
    bedrock_model_id: str = "amazon.titan-embed-text-v2:0"
    bedrock_dimension: Literal[256, 512, 1024] = 1024
    onnx_threads: int = Field(default=1, ge=1, le=16)
    # "embedded": numpy + BM25 files under `index_dir` (or the local stack's home); "opensearch": AWS.
    index: Literal["embedded", "opensearch"] = "embedded"
    index_dir: Path | None = None
    opensearch_endpoint: str | None = None  # https://xxx.us-east-1.aoss.amazonaws.com
    opensearch_service: Literal["aoss", "es"] = "aoss"
    opensearch_index: str = "kb-chunks"
    region: str | None = None


@lru_cache(maxsize=1)
def knowledge_settings() -> KnowledgeSettings:
    return KnowledgeSettings()
