"""Knowledge API tests: moto for DynamoDB, a fresh embedded index folder per test, the real MiniLM."""

from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture
def kb(aws: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    from helpdesk.knowledge.wiring import reset_knowledge_wiring

    monkeypatch.setenv("HELPDESK_KB_INDEX", "embedded")
    monkeypatch.setenv("HELPDESK_KB_EMBEDDER", "onnx")
    monkeypatch.setenv("HELPDESK_KB_INDEX_DIR", str(tmp_path / "index"))
    reset_knowledge_wiring()
    yield tmp_path / "index"
    reset_knowledge_wiring()
