"""Intent classifier evaluation: accuracy and macro-F1 on labelled rows, out-of-scope detection when the
test set has labels the training set lacks (or the label `oos` / `out_of_scope`)."""

import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, ValidationError

from helpdesk.kernel.lines import numbered_lines
from helpdesk.kernel.text import is_blank

OOS_LABELS = frozenset({"oos", "out_of_scope"})


class LabelledRow(BaseModel):
    model_config = ConfigDict(coerce_numbers_to_str=True)  # numbered labels ({"label": 42}) are labels too

    text: str
    # "intent" as CLINC150's own release, Hugging Face's clinc_oos and MASSIVE name it; "label" as ours and Banking77.
    label: str = Field(min_length=1, validation_alias=AliasChoices("label", "intent"))


class LabelledFile(NamedTuple):
    rows: list[LabelledRow]
    blank_lines: list[int]  # rows whose text is blank: nothing to learn from or to classify, so skipped


def read_rows(path: Path) -> LabelledFile:
    """The file's rows; a row without text is skipped and its line number kept (one such row of a public data set
    would otherwise stop the whole evaluation), a malformed one is a ValueError naming its line."""
    rows, blank = [], []
    for number, line in numbered_lines(path):
        if not line.strip():
            continue
        try:
            row = LabelledRow.model_validate_json(line)
        except ValidationError as exc:
            raise ValueError(f"{path}:{number}: expected {{\"text\", \"label\"}} (or \"intent\"): "
                             f"{exc.errors()[0]['msg']}") from exc
        if is_blank(row.text):
            blank.append(number)
        else:
            rows.append(row)
    if not rows:
        raise ValueError(f"{path}: no rows with text")
    return LabelledFile(rows, blank)


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


def auroc(positive: Sequence[float], negative: Sequence[float]) -> float | None:
    """Area under the ROC curve of a score that should be higher for `positive`: the chance that a random
    positive outscores a random negative (ties count half). Mann-Whitney, O(n log n)."""
    if not positive or not negative:
        return None
    scored = sorted([(s, 1) for s in positive] + [(s, 0) for s in negative])
    rank_sum, i = 0.0, 0
    while i < len(scored):
        j = i
        while j < len(scored) and scored[j][0] == scored[i][0]:
            j += 1
        average_rank = (i + j + 1) / 2  # 1-based ranks i+1..j share their mean
        rank_sum += average_rank * sum(label for _, label in scored[i:j])
        i = j
    n_pos, n_neg = len(positive), len(negative)
    return (rank_sum - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg)


def best_threshold(rows: Sequence[LabelledRow], predictions: Sequence[dict[str, Any]], known: set[str]) -> float:
    """The confidence threshold that makes the most rows right when out-of-scope counts as a class of its
    own (CLINC150's convention: an in-scope row is right if predicted right and kept, an out-of-scope row if
    rejected). Chosen on validation rows, then applied to the test rows unchanged."""
    pairs = [(float(p["confidence"]), r.label in known and r.label not in OOS_LABELS, r.label == p["predicted"])
             for r, p in zip(rows, predictions, strict=True)]
    candidates = sorted({c for c, _, _ in pairs})
    best, best_right = 0.0, -1
    for threshold in candidates:
        right = sum((keep and ok) if c >= threshold else not keep for c, keep, ok in pairs)
        if right > best_right:
            best, best_right = threshold, right
    return best


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
    if in_scope:  # CLINC150's in-scope accuracy: right intent and not rejected as out of scope
        summary["in_scope_accuracy_kept"] = round(sum(p["in_scope"] and r.label == p["predicted"]
                                                      for r, p in in_scope) / len(in_scope), 4)
    if oos:
        summary["out_of_scope_rows"] = len(oos)
        summary["out_of_scope_recall"] = round(sum(not p["in_scope"] for _, p in oos) / len(oos), 4)
        area = auroc([-float(p["confidence"]) for _, p in oos], [-float(p["confidence"]) for _, p in in_scope])
        summary["out_of_scope_auroc"] = round(area, 4) if area is not None else None
    return summary


def evaluate(train: Sequence[LabelledRow], test: Sequence[LabelledRow], embedder: Any,
             min_confidence: float | None = None,
             val: Sequence[LabelledRow] | None = None) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Fit on `train`'s in-scope rows, predict `test`. The out-of-scope threshold is `min_confidence` if given,
    else the one that is best on `val` (when given), else the classifier's default."""
    from helpdesk.intents.classifier import DEFAULT_MIN_CONFIDENCE, SoftmaxIntentClassifier

    known = {r.label for r in train if r.label not in OOS_LABELS}
    fit_rows = [r for r in train if r.label in known]
    classifier = SoftmaxIntentClassifier(embedder, min_confidence=min_confidence or DEFAULT_MIN_CONFIDENCE)
    classifier.fit([r.text for r in fit_rows], [r.label for r in fit_rows])
    threshold_from = "given" if min_confidence is not None else "default"
    if min_confidence is None and val:
        val_predictions = _predict(classifier, val)
        classifier.min_confidence = best_threshold(val, val_predictions, known)
        threshold_from = "validation"
    predictions = _predict(classifier, test)
    summary = summarise(test, predictions, known)
    summary["threshold"] = {"min_confidence": round(classifier.min_confidence, 4), "chosen_on": threshold_from}
    return summary, predictions


def _predict(classifier: Any, rows: Sequence[LabelledRow]) -> list[dict[str, Any]]:
    return [{"text": row.text, "label": row.label, "predicted": p.intent, "confidence": p.confidence,
             "in_scope": p.in_scope}
            for row, p in zip(rows, classifier.predict([r.text for r in rows]), strict=True)]


def write_predictions(path: Path, predictions: Sequence[dict[str, Any]]) -> None:
    with path.open("w", encoding="utf-8") as out:
        for p in predictions:
            out.write(json.dumps(p, ensure_ascii=False) + "\n")
