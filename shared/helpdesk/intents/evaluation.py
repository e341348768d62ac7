"""Intent classifier evaluation: accuracy and macro-F1 on labelled rows, out-of-scope detection when the
test set has labels the training set lacks (or the label `oos` / `out_of_scope`)."""

import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field, ValidationError

OOS_LABELS = frozenset({"oos", "out_of_scope"})


class LabelledRow(BaseModel):
    text: str = Field(min_length=1)
    label: str = Field(min_length=1)


def read_rows(path: Path) -> list[LabelledRow]:
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            rows.append(LabelledRow.model_validate_json(line))
        except ValidationError as exc:
            raise ValueError(f"{path}:{number}: expected {{\"text\", \"label\"}}: {exc.errors()[0]['msg']}") from exc
    if not rows:
        raise ValueError(f"{path}: no rows")
    return rows


def macro_f1(truth: Sequence[str], predicted: Sequence[str], labels: Iterable[str]) -> float:
    scores = []
    for label in labels:
        tp = sum(1 for t, p in zip(truth, predicted, strict=True) if t == label and p == label)
        fp = sum(1 for t, p in zip(truth, predicted, strict=True) if t != label and p == label)
        fn = sum(1 for t, p in zip(truth, predicted, strict=True) if t == label and p != label)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        scores.append(2 * precision * recall / (precision + recall) if precision + recall else 0.0)
    return sum(scores) / len(scores) if scores else 0.0


def summarise(rows: Sequence[LabelledRow], predictions: Sequence[dict[str, Any]], known: set[str]) -> dict[str, Any]:
    """`predictions`: one {"predicted", "confidence", "in_scope"} per row."""
    in_scope = [(r, p) for r, p in zip(rows, predictions, strict=True)
                if r.label in known and r.label not in OOS_LABELS]
    oos = [(r, p) for r, p in zip(rows, predictions, strict=True) if (r.label not in known or r.label in OOS_LABELS)]
    truth = [r.label for r, _ in in_scope]
    guessed = [p["predicted"] for _, p in in_scope]
    summary: dict[str, Any] = {
        "test_rows": len(rows),
        "in_scope_rows": len(in_scope),
        "labels": len(known),
        "accuracy": round(sum(t == g for t, g in zip(truth, guessed, strict=True)) / len(truth), 4) if truth else None,
        "macro_f1": round(macro_f1(truth, guessed, sorted(known)), 4) if truth else None,
        "in_scope_rejected": (round(sum(not p["in_scope"] for _, p in in_scope) / len(in_scope), 4)
                              if in_scope else None),
    }
    if oos:
        summary["out_of_scope_rows"] = len(oos)
        summary["out_of_scope_recall"] = round(sum(not p["in_scope"] for _, p in oos) / len(oos), 4)
    return summary


def evaluate(train: Sequence[LabelledRow], test: Sequence[LabelledRow], embedder: Any,
             min_confidence: float) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    from helpdesk.intents.classifier import SoftmaxIntentClassifier

    known = {r.label for r in train if r.label not in OOS_LABELS}
    fit_rows = [r for r in train if r.label in known]
    classifier = SoftmaxIntentClassifier(embedder, min_confidence=min_confidence)
    classifier.fit([r.text for r in fit_rows], [r.label for r in fit_rows])
    predictions = []
    for row, p in zip(test, classifier.predict([r.text for r in test]), strict=True):
        predictions.append({"text": row.text, "label": row.label, "predicted": p.intent,
                            "confidence": p.confidence, "in_scope": p.in_scope})
    return summarise(test, predictions, known), predictions


def write_predictions(path: Path, predictions: Sequence[dict[str, Any]]) -> None:
    with path.open("w", encoding="utf-8") as out:
        for p in predictions:
            out.write(json.dumps(p, ensure_ascii=False) + "\n")
