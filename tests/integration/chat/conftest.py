"""Chat fixtures: the fixture knowledge base indexed once with the real embedder, the offline model,
and moto for tickets and sessions."""

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import http_event, rebuild

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "ai"
TENANT = "acme"
CHAT_SECRET = "test-chat-secret-0123456789abcdef0123456789"


@pytest.fixture(scope="session")
def kb_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from helpdesk.knowledge.adapters.embedded_index import EmbeddedIndex
    from helpdesk.knowledge.adapters.onnx_minilm import OnnxMiniLmEmbedder
    from helpdesk.knowledge.indexing import ArticleIndexer, IndexableArticle

    root = tmp_path_factory.mktemp("kb")
    embedder = OnnxMiniLmEmbedder()
    index = EmbeddedIndex(root / embedder.model_id, dimension=embedder.dimension)
    articles = json.loads((FIXTURES / "kb.json").read_text())
    ArticleIndexer(index, embedder).index_many(
        IndexableArticle(tenant_id=TENANT, article_id=a["article_id"], version=1, title=a["title"], body=a["body"])
        for a in articles)
    return root


def offline_multilingual_chat(monkeypatch: pytest.MonkeyPatch, index_dir: Path) -> None:
    """The chat as `helpdesk serve` runs it without a Claude key: the multilingual embedder (the default) over the
    embedded index in `index_dir`, the offline writer. Time limits a loaded test machine cannot turn into "can't
    search": what is answered is tested here, not how fast."""
    monkeypatch.setenv("HELPDESK_KB_INDEX", "embedded")
    monkeypatch.setenv("HELPDESK_KB_INDEX_DIR", str(index_dir))
    monkeypatch.setenv("HELPDESK_KB_EMBEDDER", "use")
    monkeypatch.setenv("HELPDESK_CHAT_TOKEN_SECRET", CHAT_SECRET)
    monkeypatch.setenv("HELPDESK_AI_PROVIDER", "offline")
    monkeypatch.setenv("HELPDESK_AI_RETRIEVAL_TIMEOUT_S", "25")
    monkeypatch.setenv("HELPDESK_AI_TURN_BUDGET_S", "25")
    monkeypatch.delenv("HELPDESK_CHAT_INTENT_RAG_FUNCTION", raising=False)
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)


def reset_all() -> None:

    rebuild()


@pytest.fixture
def chat_env(aws: None, kb_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("HELPDESK_KB_INDEX_DIR", str(kb_dir))
    monkeypatch.setenv("HELPDESK_KB_EMBEDDER", "onnx")
    monkeypatch.setenv("HELPDESK_CHAT_TOKEN_SECRET", CHAT_SECRET)
    monkeypatch.setenv("HELPDESK_AI_PROVIDER", "offline")
    monkeypatch.delenv("HELPDESK_CHAT_INTENT_RAG_FUNCTION", raising=False)
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)
    reset_all()
    yield
    reset_all()


class ChatClient:
    """Drives the real chat_intake lambda_handler with API Gateway events."""

    def __init__(self, invoke: Callable[..., dict[str, Any]]) -> None:
        self.invoke = invoke

    def start(self, tenant: str = TENANT) -> dict[str, Any]:
        r = self.invoke("chat_intake", http_event("POST", "/chat/sessions", body={"tenant_id": tenant},
                                                  template="chat_intake/start_session.json"))
        assert r["statusCode"] == 201, r
        return dict(r["json"])

    def start_customer(self, claims_: dict[str, Any]) -> dict[str, Any]:
        r = self.invoke("chat_intake", http_event("POST", "/chat/customer-sessions", claims_=claims_,
                                                  template="chat_intake/start_customer_session.json"))
        assert r["statusCode"] == 201, r
        return dict(r["json"])

    def send_raw(self, session: dict[str, Any], body: Any, token: str | None = None,
                 session_id: str | None = None) -> dict[str, Any]:
        sid = session_id or session["id"]
        return self.invoke("chat_intake", http_event(
            "POST", f"/chat/sessions/{sid}/messages", body=body,
            headers={"authorization": f"Bearer {token or session['token']}"},
            template="chat_intake/post_message.json"))

    def say(self, session: dict[str, Any], text: str) -> dict[str, Any]:
        r = self.send_raw(session, {"text": text})
        assert r["statusCode"] == 200, r
        return dict(r["json"])

    def transcript(self, session: dict[str, Any], token: str | None = None) -> dict[str, Any]:
        return self.invoke("chat_intake", http_event(
            "GET", f"/chat/sessions/{session['id']}", headers={"authorization": f"Bearer {token or session['token']}"},
            template="chat_intake/get_transcript.json"))


@pytest.fixture
def chat(chat_env: None, invoke: Callable[..., dict[str, Any]]) -> ChatClient:
    return ChatClient(invoke)
