"""`helpdesk kb eval` end to end on a five-document fixture shaped like StackFAQ."""

import json
from pathlib import Path

from typer.testing import CliRunner

from helpdesk.cli.main import app

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "knowledge"


def test_eval_writes_rankings_and_prints_metrics(tmp_path: Path) -> None:
    out = tmp_path / "run.jsonl"
    result = CliRunner().invoke(app, ["kb", "eval", "--corpus", str(FIXTURES / "corpus.jsonl"),
                                      "--queries", str(FIXTURES / "queries.jsonl"),
                                      "--qrels", str(FIXTURES / "qrels.tsv"), "--k", "3", "--out", str(out)])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout[result.stdout.index("{"):])
    assert summary["documents"] == 5
    assert summary["queries"] == 5
    assert summary["recall@5"] == 1.0  # five unambiguous paraphrases: each answer is in the top 3
    assert summary["mrr@10"] >= 0.9
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["query_id"] for r in rows] == ["q1", "q2", "q3", "q4", "q5"]
    assert all(len(r["doc_ids"]) == 3 and len(set(r["doc_ids"])) == 3 for r in rows)  # per document, once each


def test_eval_refuses_a_broken_corpus(tmp_path: Path) -> None:
    broken = tmp_path / "corpus.jsonl"
    broken.write_text('{"id": "x"}\n')
    result = CliRunner().invoke(app, ["kb", "eval", "--corpus", str(broken),
                                      "--queries", str(FIXTURES / "queries.jsonl")])
    assert result.exit_code == 2
    # Typer draws the error in a box as wide as the terminal, so a long path wraps: compare without the box.
    unboxed = "".join(ch for ch in result.output if not ch.isspace() and ch not in "│╭╮╰╯─")
    assert "corpus.jsonl:1" in unboxed
