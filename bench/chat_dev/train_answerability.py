"""Fit the chat's answerability model (`helpdesk.assistant.answerability`) on validation questions and choose its
threshold there; print each feature set's figures beside the single-cosine baseline from the same run.

Each question is searched as the chat searches (tenant `eval`, the configured number of passages), every
candidate passage gets the assistant's features, and a passage is a positive when it is a gold section. The
decision is the assistant's: cite the most probable passage when its probability reaches the threshold.
Figures are out-of-fold (5 folds grouped by question), so the threshold is chosen on probabilities the model
did not see while fitting; the model written is then fitted on all the given questions.

    .venv/bin/python -m bench.chat_dev.train_answerability \\
        --set bench/chat_dev/corpus.jsonl bench/chat_dev/queries-val.jsonl bench/chat_dev/qrels.tsv \\
        [--set C Q R ...] [--reader] [--check C Q R] [--write shared/helpdesk/assistant/data/answerability.json]
        [--variant all+reader --without-reader cosine] [--wrapped]

With --wrapped it also asks every English question wrapped as customers write (`chat.evaluation.WRAPPERS`) and
prints each model out of fold on those: a model should not answer a question for its greeting or its length.

With --reader it also prints "where the reader does not apply": every variant out of fold and the calibrated
cosine on the questions not in English (the reader's features are left out for them) and on every question as
asked without MiniLM installed; the assistant decides non-English questions by the rule chosen there.
"""

import argparse
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from helpdesk.assistant.answerability import (
    FEATURES,
    QUESTION_FEATURES,
    READER_FEATURES,
    READER_QUESTION_FEATURES,
    asked,
    features,
    reader_cosines,
)
from helpdesk.chat.evaluation import EVAL_TENANT, TARGETS, wrapped

if TYPE_CHECKING:
    from helpdesk.knowledge.ports import Embedder, SearchHit

# Compared feature sets: the baseline's one cosine, then signals added a group at a time.
VARIANTS: dict[str, tuple[str, ...]] = {
    "relevance": ("relevance",),
    "+margins": ("relevance", "relevance_margin"),
    "+cosines": ("relevance", "relevance_margin", "passage_cosine", "heading_cosine", "sentence_cosine"),
    "+fusion": ("relevance", "relevance_margin", "passage_cosine", "heading_cosine", "sentence_cosine", "fusion",
                "fusion_margin", "first"),
    "all": FEATURES,
    # With MiniLM as the reader (--reader): its cosines beside USE's, and the reader's signals with the lexical ones.
    "all+reader": FEATURES + READER_FEATURES,
    "reader+lexical": (*READER_FEATURES, "fusion", "fusion_margin", "first", "coverage", "heading_coverage"),
    # ... and the question against the candidates as a whole (how weak the field is: out-of-domain questions).
    "reader+lexical+question": (*READER_FEATURES, "fusion", "fusion_margin", "first", "coverage", "heading_coverage",
                                *QUESTION_FEATURES, *READER_QUESTION_FEATURES),
    "all+reader+question": FEATURES + READER_FEATURES + QUESTION_FEATURES + READER_QUESTION_FEATURES,
}
READER_VARIANTS = {"all+reader", "reader+lexical", "reader+lexical+question", "all+reader+question"}

C = 1.0  # L2 strength of the logistic regression: the scikit-learn default, not tuned
FOLDS = 5


@dataclass
class Question:
    query_id: str
    in_domain: bool
    rows: list[dict[str, float]]  # one per candidate passage, the retriever's order
    gold: list[bool]
    language: str = "en"  # `kernel.i18n.detect` of the question: the reader's features apply to English only

    def without_reader(self) -> "Question":
        """The question as the assistant sees it where the reader does not apply (MiniLM not installed)."""
        reader = {*READER_FEATURES, *READER_QUESTION_FEATURES}
        return replace(self, rows=[{k: v for k, v in r.items() if k not in reader} for r in self.rows])


def extract(corpus: Path, queries: Path, qrels: Path, reader: "Embedder | None",
            wrap: "Callable[[int, str], str] | None" = None,
            annotate: "Callable[[str, Sequence[SearchHit], list[dict[str, float]]], None] | None" = None,
            ) -> list[Question]:
    """Every question's candidate passages and their features, through the chat's own retriever and signals;
    with `wrap`, each question as `wrap(its number, its text)` asks it; `annotate(question, hits, rows)` may add
    a model's scores to the rows (`bench/chat_dev/packaged_models.py`)."""
    from helpdesk.bootstrap import make_embedder
    from helpdesk.chat.evaluation import ChatEvaluation
    from helpdesk.kernel.i18n import detect
    from helpdesk.knowledge.evaluation import CorpusRow, QueryRow, read_jsonl, read_qrels
    from helpdesk.local.evaluation import offline_container
    from helpdesk.settings import KnowledgeSection

    judgements = read_qrels(qrels)
    embedder = make_embedder(KnowledgeSection())
    out = []
    with offline_container(embedder, EVAL_TENANT, answerability_model=False) as container:
        ChatEvaluation(container, read_jsonl(corpus, CorpusRow))
        evidence, k = container.evidence, container.settings.ai.passages
        for number, query in enumerate(read_jsonl(queries, QueryRow)):
            if wrap is not None:
                query = query.model_copy(update={"text": wrap(number, query.text)})
            gold = judgements.get(query.id, set())
            question = asked(query.text)  # as the chat reads it
            hits = container.retriever.search(tenant_id=EVAL_TENANT, query=question, k=k, audience="public")
            signals = evidence.signals(question, hits) if hits else []
            if reader is not None and hits:
                passage, heading = reader_cosines(reader, question, hits)
                signals = [replace(s, reader_passage=p, reader_heading=h)
                           for s, p, h in zip(signals, passage, heading, strict=True)]
            rows = features(question, hits, signals)
            if annotate is not None and hits:
                annotate(question, hits, rows)
            out.append(Question(query.id, bool(gold), rows, [h.article_id in gold for h in hits], detect(question)))
    return out


def fit(questions: Sequence[Question], names: Sequence[str]) -> dict[str, Any]:
    from sklearn.linear_model import LogisticRegression

    # A feature a row lacks (the reader's, for a question not in English) is taken at its mean, as the model does.
    x = np.array([[r.get(n, np.nan) for n in names] for q in questions for r in q.rows], dtype=float)
    y = np.array([g for q in questions for g in q.gold], dtype=int)
    mean = np.nanmean(x, axis=0)
    x = np.where(np.isnan(x), mean, x)
    scale = x.std(axis=0)
    scale[scale == 0] = 1.0
    model = LogisticRegression(C=C, max_iter=1000).fit((x - mean) / scale, y)
    return {"features": list(names), "mean": [round(float(v), 6) for v in mean],
            "scale": [round(float(v), 6) for v in scale], "coef": [round(float(v), 6) for v in model.coef_[0]],
            "intercept": round(float(model.intercept_[0]), 6)}


def probabilities(params: dict[str, Any], q: Question) -> list[float]:
    from helpdesk.assistant.answerability import from_dict

    model = from_dict({**params, "threshold": 0.5}, "fit")
    return [model.probability(r) for r in q.rows]


def out_of_fold(questions: Sequence[Question], names: Sequence[str],
                asked: Sequence[Question] | None = None) -> list[list[float]]:
    """Each question's passage probabilities from a model fitted without it (folds by question); `asked`: the
    same questions as the model then sees them (without the reader's features, say), default as fitted."""
    result: list[list[float]] = [[] for _ in questions]
    asked = questions if asked is None else asked
    for fold in range(FOLDS):
        train = [q for i, q in enumerate(questions) if i % FOLDS != fold]
        params = fit(train, names)
        for i, q in enumerate(asked):
            if i % FOLDS == fold:
                result[i] = probabilities(params, q)
    return result


def _pick(scores: Sequence[float], threshold: float, best_first: bool) -> int | None:
    """The passage the chat cites: the most probable one, or with a plain cosine the retriever's first one
    reaching the threshold; None when it abstains."""
    if best_first:
        pick = max(range(len(scores)), key=lambda i: scores[i], default=None)
        return pick if pick is not None and scores[pick] >= threshold else None
    return next((i for i, v in enumerate(scores) if v >= threshold), None)


def figures(questions: Sequence[Question], scores: Sequence[Sequence[float]], threshold: float,
            best_first: bool, cosine_for_others: float | None = None) -> dict[str, Any]:
    """The chat's outcomes at `threshold`: the chosen passage is cited when it reaches the threshold. With
    `cosine_for_others`, as a reader model ships with `without_reader: cosine`: English questions by the model's
    scores, the others by the single cosine at that threshold."""
    counts = {"grounded": 0, "misleading": 0, "abstained": 0, "ood_abstained": 0}
    inside = sum(q.in_domain for q in questions)
    for q, s in zip(questions, scores, strict=True):
        if cosine_for_others is not None and q.language != "en":
            pick = _pick([r["relevance"] for r in q.rows], cosine_for_others, best_first=False)
        else:
            pick = _pick(s, threshold, best_first)
        if not q.in_domain:
            counts["ood_abstained"] += pick is None
        elif pick is None:
            counts["abstained"] += 1
        else:
            counts["grounded" if q.gold[pick] else "misleading"] += 1
    outside = len(questions) - inside
    return {"threshold": round(threshold, 4),
            **{k: round(v / max(1, outside if k == "ood_abstained" else inside), 4) for k, v in counts.items()}}


def choose(rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """The chat evaluation's rule (most grounded within the misleading and out-of-domain targets)."""
    from helpdesk.chat.evaluation import choose_threshold

    return choose_threshold(rows)


def without_reader(questions: Sequence[Question], variants: dict[str, tuple[str, ...]],
                   oofs: dict[str, list[list[float]]], chosen: dict[str, dict[str, Any]],
                   cosine: float) -> dict[str, Any]:
    """Out of fold, each model at its chosen threshold and the embedder's calibrated `cosine` threshold, on the
    questions the reader does not read: those not in English (its features are left out for them), and every
    question as asked where MiniLM is not installed. The assistant's decision for them is chosen from these."""
    foreign = [i for i, q in enumerate(questions) if q.language != "en"]
    stripped = [q.without_reader() for q in questions]

    def table(subset: Sequence[Question], scores: dict[str, list[list[float]]]) -> dict[str, Any]:
        return {"questions": len(subset), "in_domain": sum(q.in_domain for q in subset),
                f"cosine {cosine}": figures(subset, [[r["relevance"] for r in q.rows] for q in subset], cosine,
                                            best_first=False),
                **{f"model {name}": figures(subset, scores[name], chosen[name]["threshold"], best_first=True)
                   for name in scores}}

    no_minilm = {name: out_of_fold(questions, names, stripped) if name in READER_VARIANTS else oofs[name]
                 for name, names in variants.items()}
    return {"not English": table([questions[i] for i in foreign], {n: [o[i] for i in foreign]
                                                                   for n, o in oofs.items()}),
            "MiniLM not installed": table(stripped, no_minilm)}


def check(questions: Sequence[Question], other: Sequence[Question], variants: dict[str, tuple[str, ...]],
          chosen: dict[str, dict[str, Any]], cosine: float) -> dict[str, Any]:
    """Models fitted on `questions`, at the thresholds chosen there, on a set they never saw, beside the embedder's
    calibrated `cosine` threshold (what the assistant uses without a model)."""
    out = {f"cosine {cosine}": figures(other, [[r["relevance"] for r in q.rows] for q in other], cosine,
                                       best_first=False)}
    for name, names in variants.items():
        params = fit(questions, names)
        out[f"model {name}"] = figures(other, [probabilities(params, q) for q in other], chosen[name]["threshold"],
                                       best_first=True)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--set", nargs=3, action="append", type=Path, required=True,
                        metavar=("CORPUS", "QUERIES", "QRELS"), help="a validation set (repeatable)")
    parser.add_argument("--variant", default="all", choices=sorted(VARIANTS), help="the feature set to write")
    parser.add_argument("--reader", action="store_true", help="also measure MiniLM's cosines (the reader)")
    parser.add_argument("--check", nargs=3, type=Path, metavar=("CORPUS", "QUERIES", "QRELS"),
                        help="another set, not fitted on: each model (threshold from the fit sets) and the cosine "
                             "threshold in use, applied to it")
    parser.add_argument("--wrapped", action="store_true",
                        help="also ask every English question wrapped as customers write (greeting, context, thanks): "
                             "each model out of fold at its chosen threshold on those")
    parser.add_argument("--write", type=Path, help="merge the fitted model into this answerability.json")
    parser.add_argument("--without-reader", choices=("cosine", "model"), default="cosine",
                        help="how a reader model decides the questions its reader does not read (not English): "
                             "the calibrated single cosine or itself with the reader's features at their mean "
                             "(choose from the 'where the reader does not apply' table)")
    args = parser.parse_args()
    from helpdesk.bootstrap import make_embedder
    from helpdesk.knowledge.adapters.onnx_minilm import MODEL_ID
    from helpdesk.knowledge.calibration import calibration_for
    from helpdesk.settings import KnowledgeSection

    reader = make_embedder(KnowledgeSection(embedder="onnx")) if args.reader else None
    variants = {k: v for k, v in VARIANTS.items() if reader is not None or k not in READER_VARIANTS}
    if args.variant not in variants:
        parser.error(f"--variant {args.variant} needs --reader")
    questions = [q for corpus, queries, qrels in args.set for q in extract(corpus, queries, qrels, reader)]
    report: dict[str, Any] = {"questions": len(questions), "in_domain": sum(q.in_domain for q in questions),
                              "gold_in_candidates": round(sum(any(q.gold) for q in questions if q.in_domain)
                                                          / max(1, sum(q.in_domain for q in questions)), 4),
                              "targets": TARGETS}
    relevance = [[r["relevance"] for r in q.rows] for q in questions]
    base = [figures(questions, relevance, 0.30 + 0.01 * i, best_first=False) for i in range(66)]
    report["baseline single cosine"] = choose(base)
    grid = [0.02 * i for i in range(1, 50)]
    chosen: dict[str, dict[str, Any]] = {}
    oofs: dict[str, list[list[float]]] = {}
    # The embedder's calibrated single-cosine threshold: how the assistant decides without a model (or its reader).
    embedder_id = make_embedder(KnowledgeSection()).model_id
    cosine = calibration_for(embedder_id).answer_min_relevance
    shipped: dict[str, dict[str, Any]] = {}
    for name, names in variants.items():
        oofs[name] = oof = out_of_fold(questions, names)
        chosen[name] = choose([figures(questions, oof, t, best_first=True) for t in grid])
        report[f"model {name} (out of fold)"] = chosen[name]
        if name in READER_VARIANTS:  # as it ships: English by the model, other languages by the cosine
            shipped[name] = choose([figures(questions, oof, t, best_first=True, cosine_for_others=cosine)
                                    for t in grid])
            report[f"model {name}, others by cosine {cosine} (out of fold)"] = shipped[name]
    report["where the reader does not apply"] = without_reader(questions, variants, oofs, chosen, cosine)
    if args.wrapped:
        asked = [q for corpus, queries, qrels in args.set for q in extract(corpus, queries, qrels, reader, wrapped)]
        report["wrapped (out of fold)"] = {
            name: figures(asked, out_of_fold(questions, names, asked), (shipped.get(name) or chosen[name])["threshold"],
                          best_first=True, cosine_for_others=cosine if name in shipped else None)
            for name, names in variants.items()}
    if args.check:
        corpus, queries, qrels = args.check
        other = extract(corpus, queries, qrels, reader)
        report["check"] = check(questions, other, variants, chosen, cosine)
    print(json.dumps(report, indent=2))
    if args.write:
        params = fit(questions, VARIANTS[args.variant])
        data = json.loads(args.write.read_text("utf-8")) if args.write.exists() else {"models": {}}
        # A reader model whose other-language questions go to the cosine keeps the threshold chosen that way.
        picked = (shipped[args.variant] if args.variant in shipped and args.without_reader == "cosine"
                  else chosen[args.variant])
        data["models"][embedder_id] = {**params, "threshold": picked["threshold"],
                                       **({"reader": MODEL_ID, "without_reader": {
                                           "rule": args.without_reader,
                                           "validation": report["where the reader does not apply"]["not English"]}}
                                          if args.variant in READER_VARIANTS else {}),
                                       "trained_on": [str(p) for s in args.set for p in s[1:2]],
                                       "validation": picked}
        args.write.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {embedder_id} to {args.write}")


if __name__ == "__main__":
    main()
