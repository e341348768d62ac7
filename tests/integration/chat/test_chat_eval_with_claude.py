"""`helpdesk chat eval --llm anthropic`: the chat evaluated as a deployment with a Claude key answers, Claude
behind a mocked transport (no key here). Each outcome says who answered and whether a failed call left the
turn to the offline writer, so a model's figures are never the offline writer's under its name."""

import json
import re
from pathlib import Path
from typing import Any

import httpx2
import pytest
from typer.testing import CliRunner

from helpdesk.cli.main import app
from tests.unit.ai.test_anthropic_llm import message

CORPUS = [{"id": "reset-password", "title": "Reset your password",
           "text": "Click Forgot password on the sign-in page and follow the link we mail you."},
          {"id": "export-csv", "title": "Export your data to CSV",
           "text": "Open Settings, then Data, and choose Export as CSV."}]
QUESTIONS = [{"id": "q1", "text": "How do I reset my password?"}, {"id": "q2", "text": "How do I export my data?"}]


@pytest.fixture
def files(tmp_path: Path) -> list[str]:
    (tmp_path / "corpus.jsonl").write_text("\n".join(json.dumps(r) for r in CORPUS))
    (tmp_path / "queries.jsonl").write_text("\n".join(json.dumps(q) for q in QUESTIONS))
    (tmp_path / "qrels.tsv").write_text("q1\treset-password\t1\nq2\texport-csv\t1\n")
    return ["chat", "eval", "--corpus", str(tmp_path / "corpus.jsonl"), "--queries", str(tmp_path / "queries.jsonl"),
            "--qrels", str(tmp_path / "qrels.tsv"), "--out", str(tmp_path / "out.jsonl")]


def claude(request: httpx2.Request) -> httpx2.Response:
    """Classifies every message as a question; answers citing the first passage it was given."""
    body = json.loads(request.content)
    tool = body["tool_choice"]["name"]
    if tool == "record_intent":
        return httpx2.Response(200, json=message(tool, {"intent": "question", "confidence": 0.95}))
    first = re.search(r'article_id="([^"]+)"', body["messages"][0]["content"])
    answer = {"answer": "Follow the steps in the article I cite.", "answerable": True,
              "cited_article_ids": [first.group(1)] if first else []}
    return httpx2.Response(200, json=message(tool, answer))


def test_claude_answers_the_evaluation(files: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import helpdesk.assistant.adapters.anthropic as adapter

    made = adapter.anthropic_llm

    def mocked(settings: Any, api_key: str, http_client: Any = None, *, chat: bool = False) -> Any:
        assert api_key == "sk-ant-evaluation"  # the key from the environment, not a default
        return made(settings, api_key, httpx2.Client(transport=httpx2.MockTransport(claude)), chat=chat)

    monkeypatch.setattr(adapter, "anthropic_llm", mocked)
    monkeypatch.setenv("HELPDESK_KB_EMBEDDER", "onnx")
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-evaluation")

    result = CliRunner().invoke(app, [*files, "--llm", "anthropic"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout[result.stdout.index("{"):])
    assert (summary["llm"], summary["grounded"], summary["fell_back"]) == ("anthropic", 1.0, 0.0)
    outcomes = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text().splitlines()]
    assert {o["provider"] for o in outcomes} == {"anthropic"}


def test_claude_needs_a_key(files: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("ANTHROPIC_API_KEY", "HELPDESK_AI_ANTHROPIC_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    result = CliRunner().invoke(app, [*files, "--llm", "anthropic"])
    assert result.exit_code == 2
    assert "needs HELPDESK_AI_ANTHROPIC_API_KEY" in result.output
    assert CliRunner().invoke(app, [*files, "--llm", "gpt"]).exit_code == 2
