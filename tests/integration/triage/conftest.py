"""Triage tests: moto (tables and the tickets stream), a fresh embedded KB index per test, the real MiniLM."""

import functools
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "triage"


@pytest.fixture(scope="session")
def minilm() -> Any:
    """One real MiniLM for the session: loading the ONNX model per test would dominate the suite's time."""
    from helpdesk.adapters.embeddings.onnx_minilm import OnnxMiniLmEmbedder

    return OnnxMiniLmEmbedder(threads=1)


@pytest.fixture
def triage_env(aws: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, minilm: Any) -> Iterator[Path]:
    from helpdesk.ai.wiring import reset_ai_wiring
    from helpdesk.knowledge import wiring
    from helpdesk.knowledge.wiring import reset_knowledge_wiring
    from helpdesk.triage.wiring import reset_triage_wiring

    monkeypatch.setenv("HELPDESK_KB_INDEX", "embedded")
    monkeypatch.setenv("HELPDESK_KB_EMBEDDER", "onnx")
    monkeypatch.setenv("HELPDESK_KB_INDEX_DIR", str(tmp_path / "index"))
    monkeypatch.setenv("HELPDESK_AI_PROVIDER", "offline")  # a developer's ANTHROPIC_API_KEY must not be used
    reset_ai_wiring()
    reset_knowledge_wiring()
    reset_triage_wiring()
    monkeypatch.setattr(wiring, "embedder", functools.lru_cache(maxsize=1)(lambda: minilm))
    yield tmp_path
    reset_triage_wiring()
    reset_knowledge_wiring()
    reset_ai_wiring()


@pytest.fixture
def published_articles(triage_env: Path) -> list[str]:
    """The fixture help-center articles, published in tenant acme (indexed for retrieval)."""
    from helpdesk.domain.principal import system_principal
    from helpdesk.knowledge.articles import ArticleStatus
    from helpdesk.knowledge.service import NewArticle
    from helpdesk.knowledge.wiring import knowledge_service

    ids = []
    for line in (FIXTURES / "articles.jsonl").read_text().splitlines():
        a = json.loads(line)
        article = knowledge_service().create(system_principal("acme"), NewArticle(
            id=a["id"], title=a["title"], body=a["body"], status=ArticleStatus.PUBLISHED))
        ids.append(article.id)
    return ids


class StreamPump:
    """Delivers what moto's tickets stream holds to a handler, as Lambda's event source mapping does."""

    def __init__(self, handler: Callable[[dict[str, Any], Any], Any]) -> None:
        from helpdesk.adapters.dynamo.models import TicketModel
        from helpdesk.local.streams import StreamPoller

        self.batches: list[dict[str, Any]] = []
        self.failures: list[Any] = []

        def recording(event: dict[str, Any], context: Any) -> Any:
            self.batches.append(event)
            response = handler(event, context)
            self.failures += response["batchItemFailures"]
            return response

        self.poller = StreamPoller(TicketModel.Meta.table_name, recording, "test-triage", max_retries=0)

    def drain(self) -> int:
        return self.poller.poll_once()


@pytest.fixture
def pump(triage_env: Path) -> StreamPump:
    from helpdesk.triage.stream import process_stream_event

    return StreamPump(process_stream_event)
