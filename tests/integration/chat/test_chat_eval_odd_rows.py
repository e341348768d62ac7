"""`helpdesk chat eval` (offline) on a data set with odd rows: a blank question, which no visitor can send, is
skipped and counted; a question longer than the chat takes is asked as the widget would send it (cut at 4,000
characters). Either stopped the whole evaluation with a traceback before."""

import json
from pathlib import Path

from typer.testing import CliRunner

from helpdesk.cli.main import app
from tests.integration.chat.test_chat_eval_with_claude import CORPUS


def test_a_blank_question_is_skipped_and_a_long_one_is_asked(tmp_path: Path) -> None:
    questions = [{"id": "q1", "text": "How do I reset my password?"}, {"id": "blank", "text": "  "},
                 {"id": "long", "text": "How do I reset my password? " * 200}]
    (tmp_path / "corpus.jsonl").write_text("\n".join(json.dumps(r) for r in CORPUS))
    (tmp_path / "queries.jsonl").write_text("\n".join(json.dumps(q) for q in questions))
    (tmp_path / "qrels.tsv").write_text("q1\treset-password\t1\nblank\treset-password\t1\nlong\treset-password\t1\n")
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(app, ["chat", "eval", "--corpus", str(tmp_path / "corpus.jsonl"),
                                      "--queries", str(tmp_path / "queries.jsonl"),
                                      "--qrels", str(tmp_path / "qrels.tsv"), "--out", str(out)])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert (summary["questions"], summary["skipped_blank_questions"]) == (2, 1)
    assert "1 blank question skipped (no visitor can send one): blank" in result.stderr
    asked = {row["query_id"]: row for row in map(json.loads, out.read_text().splitlines())}
    assert set(asked) == {"q1", "long"}
    assert asked["q1"]["outcome"] == "grounded"
