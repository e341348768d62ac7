"""Triage tests: moto (tables and the tickets stream), a fresh embedded KB index per test, the real MiniLM."""

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from helpdesk.intents.model import TRIAGE_CATALOG
from tests.conftest import rebuild
from tests.fakes import seed_directory
from tests.template import stream_filters

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "triage"


@pytest.fixture(scope="session")
def minilm() -> Any:
    """One real MiniLM for the session: loading the ONNX model per test would dominate the suite's time."""
    from helpdesk.knowledge.adapters.onnx_minilm import OnnxMiniLmEmbedder

    return OnnxMiniLmEmbedder(threads=1)


@pytest.fixture
def triage_env(aws: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, minilm: Any) -> Iterator[Path]:

    monkeypatch.setenv("HELPDESK_KB_INDEX", "embedded")
    monkeypatch.setenv("HELPDESK_KB_EMBEDDER", "onnx")
    monkeypatch.setenv("HELPDESK_KB_INDEX_DIR", str(tmp_path / "index"))
    monkeypatch.setenv("HELPDESK_AI_PROVIDER", "offline")  # a developer's ANTHROPIC_API_KEY must not be used
    container = rebuild(embedder=minilm)
    # Triage routes only to groups of the team directory: acme has the built-in catalog's and a rule's.
    routed = {*TRIAGE_CATALOG.category_groups.values(), "security"}
    seed_directory(container.directory_store, "acme", groups={group: [] for group in sorted(routed)})
    yield tmp_path
    rebuild()


@pytest.fixture
def published_articles(triage_env: Path) -> list[str]:
    """The fixture help-center articles, published in tenant acme (indexed for retrieval)."""
    from helpdesk import bootstrap
    from helpdesk.kernel.principal import Principal, Role
    from helpdesk.knowledge.articles import ArticleStatus
    from helpdesk.knowledge.service import NewArticle

    editor = Principal(user_id="editor-1", tenant_id="acme", role=Role.ADMIN)  # a person publishes
    ids = []
    for line in (FIXTURES / "articles.jsonl").read_text().splitlines():
        a = json.loads(line)
        article = bootstrap.container().knowledge_service.create(editor, NewArticle(
            id=a["id"], title=a["title"], body=a["body"], status=ArticleStatus.PUBLISHED))
        ids.append(article.id)
    return ids


class StreamPump:
    """Delivers what moto's tickets stream holds to a handler, as Lambda's event source mapping does."""

    def __init__(self, handler: Callable[[dict[str, Any], Any], Any]) -> None:
        from helpdesk import bootstrap
        from helpdesk.local.streams import StreamPoller

        self.batches: list[dict[str, Any]] = []
        self.failures: list[Any] = []

        def recording(event: dict[str, Any], context: Any) -> Any:
            self.batches.append(event)
            response = handler(event, context)
            self.failures += response["batchItemFailures"]
            return response

        self.poller = StreamPoller(bootstrap.container().settings.tables.tickets_table, recording, "test-triage",
                                   max_retries=0, filters=stream_filters("IntentRagFunction", "TicketsStream"))

    def drain(self) -> int:
        return self.poller.poll_once()


@pytest.fixture
def pump(triage_env: Path) -> StreamPump:
    from helpdesk import bootstrap
    from helpdesk.triage.events import process_stream_event

    services = bootstrap.container().ticket_stream
    return StreamPump(lambda event, context: process_stream_event(event, context, services))
