"""Knowledge API tests: moto for DynamoDB, a fresh embedded index folder per test, the real MiniLM."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import rebuild


@pytest.fixture
def kb(aws: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:

    monkeypatch.setenv("HELPDESK_KB_INDEX", "embedded")
    monkeypatch.setenv("HELPDESK_KB_EMBEDDER", "onnx")
    monkeypatch.setenv("HELPDESK_KB_INDEX_DIR", str(tmp_path / "index"))
    rebuild()
    yield tmp_path / "index"
    rebuild()
