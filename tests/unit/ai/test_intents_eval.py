"""`helpdesk intents eval` on small fixture files, and the metrics it reports."""

import json
from pathlib import Path

from typer.testing import CliRunner

from helpdesk.cli.main import app
from helpdesk.intents.evaluation import LabelledRow, macro_f1, summarise

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "ai"


def test_eval_command_prints_a_summary_and_writes_predictions(tmp_path: Path) -> None:
    out = tmp_path / "predictions.jsonl"
    result = CliRunner().invoke(app, ["intents", "eval", "--train", str(FIXTURES / "intents_train.jsonl"),
                                      "--test", str(FIXTURES / "intents_test.jsonl"), "--out", str(out)])

    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert summary["test_rows"] == 8
    assert summary["in_scope_rows"] == 6
    assert summary["accuracy"] >= 5 / 6
    assert summary["out_of_scope_rows"] == 2
    assert summary["out_of_scope_recall"] == 1.0
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(rows) == 8
    assert set(rows[0]) == {"text", "label", "predicted", "confidence", "in_scope"}


def test_rows_without_text_are_skipped_and_counted_not_fatal(tmp_path: Path) -> None:
    """One blank row of a public data set stopped the whole evaluation ("String should have at least 1 character")."""
    train = tmp_path / "train.jsonl"
    train.write_text((FIXTURES / "intents_train.jsonl").read_text() + '{"text": "", "label": "refund"}\n'
                     '{"text": "  \\u200b ", "label": "refund"}\n')
    result = CliRunner().invoke(app, ["intents", "eval", "--train", str(train),
                                      "--test", str(FIXTURES / "intents_test.jsonl")])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["skipped_blank_rows"] == {"train": 2}
    lines = len((FIXTURES / "intents_train.jsonl").read_text().splitlines())
    assert f"--train: 2 rows without text skipped (line {lines + 1}, {lines + 2})" in result.stderr


def test_rows_may_name_their_label_intent_as_clinc150_and_massive_do(tmp_path: Path) -> None:
    """CLINC150's own release, Hugging Face's clinc_oos and MASSIVE call the label "intent" (numbered in some):
    the same rows read as with "label" (they stopped the run with "label: Field required")."""
    def renamed(name: str) -> Path:
        path = tmp_path / name
        rows = [json.loads(line) for line in (FIXTURES / name).read_text().splitlines() if line.strip()]
        path.write_text("".join(json.dumps({"text": r["text"], "intent": r["label"]}) + "\n" for r in rows))
        return path

    result = CliRunner().invoke(app, ["intents", "eval", "--train", str(renamed("intents_train.jsonl")),
                                      "--test", str(renamed("intents_test.jsonl"))])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert (summary["test_rows"], summary["in_scope_rows"], summary["out_of_scope_rows"]) == (8, 6, 2)
    assert LabelledRow.model_validate_json('{"text": "hi", "intent": 42}').label == "42"


def test_eval_command_rejects_malformed_rows(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "hi"}\n')
    result = CliRunner().invoke(app, ["intents", "eval", "--train", str(bad), "--test", str(bad)])
    assert result.exit_code != 0
    assert "label" in result.output


def test_macro_f1_weights_every_label_equally() -> None:
    truth = ["a", "a", "a", "b"]
    assert macro_f1(truth, ["a", "a", "a", "b"], ["a", "b"]) == 1.0
    # all "a": a has P=0.75 R=1 (F1 6/7), b has F1 0 -> macro 3/7
    assert abs(macro_f1(truth, ["a", "a", "a", "a"], ["a", "b"]) - 3 / 7) < 1e-9


def test_summary_counts_unknown_labels_as_out_of_scope() -> None:
    rows = [LabelledRow(text="x", label="a"), LabelledRow(text="y", label="zzz")]
    preds = [{"predicted": "a", "confidence": 0.9, "in_scope": True},
             {"predicted": "a", "confidence": 0.2, "in_scope": False}]
    s = summarise(rows, preds, {"a"})
    assert s["accuracy"] == 1.0
    assert s["out_of_scope_recall"] == 1.0
