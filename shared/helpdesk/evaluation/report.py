"""The figures of `helpdesk ai eval`, each computed on the data sets found, beside a baseline from the same run
and the target it must reach. Thresholds are always chosen on a validation part and reported on a test part.

- CLINC150 (`intents-clinc150/intents.jsonl`, splits train/val/test): the embedded classifier fitted on train,
  its out-of-scope threshold chosen on val, figures on test; TF-IDF + logistic regression the same way.
- Bitext (`intents-bitext/intents.jsonl`, train/test): accuracy and macro-F1 beside TF-IDF + LR.
- StackFAQ (`retrieval-stackfaq/`): recall@5 and MRR@10 of hybrid retrieval beside BM25 alone; and the
  knowledge loop's coverage decision (half the threads published; threshold chosen on the odd questions,
  accuracy on the even ones) beside the majority decision.
- The chat dev set (`bench/chat_dev` in the repository, or `--chat-dev`): answers through the chat service,
  answer threshold chosen on `queries-val.jsonl`, figures on `queries-test.jsonl`; the baseline is the same test
  run answering from the first retrieved passage whatever its relevance (an uncalibrated RAG).
"""

import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from helpdesk.kernel.lines import numbered_lines

if TYPE_CHECKING:
    from helpdesk.assistant.evidence import EvidenceJudge
    from helpdesk.knowledge.ports import Embedder

# (corpus, queries, qrels, threshold) -> outcomes
ChatRunner = Callable[[Path, Path, Path, float | None], list[Any]]


@dataclass
class Figure:
    name: str
    ours: float | None
    baseline: float | None
    target: str = ""  # ">= 0.95", "<= 0.10", "" (reported, no target)
    note: str = ""

    def met(self) -> bool | None:
        if not self.target or self.ours is None:
            return None
        op, value = self.target.split()
        return self.ours >= float(value) if op == ">=" else self.ours <= float(value)

    def as_json(self) -> dict[str, Any]:
        return {"figure": self.name, "ours": self.ours, "baseline": self.baseline, "target": self.target or None,
                "met": self.met(), "note": self.note}


def _rows(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for _, line in numbered_lines(path) if line.strip()]


def _tfidf_lr(train: Sequence[Any], rows: Sequence[Sequence[Any]]) -> list[tuple[list[str], list[float]]] | None:
    """TF-IDF (word 1-2 grams) + logistic regression, fitted on `train`'s in-scope rows: (predicted, max prob)
    for each list of `rows`. None without scikit-learn (a dev dependency only)."""
    try:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
    except ImportError:
        return None
    vectorizer = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)
    x = vectorizer.fit_transform([r.text for r in train])
    model = LogisticRegression(max_iter=2000, C=10.0).fit(x, [r.label for r in train])
    out = []
    for part in rows:
        probs = model.predict_proba(vectorizer.transform([r.text for r in part]))
        out.append(([str(model.classes_[i]) for i in probs.argmax(axis=1)], [float(p) for p in probs.max(axis=1)]))
    return out


def clinc(path: Path, embedder: "Embedder") -> list[Figure]:
    from helpdesk.intents.evaluation import LabelledRow, auroc, best_threshold, evaluate, summarise

    data = _rows(path)
    split = {s: [LabelledRow(text=r["text"], label=r["label"]) for r in data if r["split"] == s]
             for s in ("train", "val", "test")}
    train = [r for r in split["train"] if r.label != "oos"]
    ours, _ = evaluate(train, split["test"], embedder, val=split["val"])
    known = {r.label for r in train}
    base: dict[str, Any] = {}
    fitted = _tfidf_lr(train, [split["val"], split["test"]])
    if fitted is not None:
        (val_pred, val_conf), (test_pred, test_conf) = fitted
        as_preds = [{"predicted": p, "confidence": c, "in_scope": True}
                    for p, c in zip(val_pred, val_conf, strict=True)]
        threshold = best_threshold(split["val"], as_preds, known)
        test_preds = [{"predicted": p, "confidence": c, "in_scope": c >= threshold}
                      for p, c in zip(test_pred, test_conf, strict=True)]
        base = summarise(split["test"], test_preds, known)
        base["out_of_scope_auroc"] = round(auroc(
            [-c for r, c in zip(split["test"], test_conf, strict=True) if r.label == "oos"],
            [-c for r, c in zip(split["test"], test_conf, strict=True) if r.label != "oos"]) or 0.0, 4)
    return [
        Figure("CLINC150 in-scope accuracy (test)", ours["accuracy"], base.get("accuracy"), ">= 0.95"),
        Figure("CLINC150 out-of-scope AUROC (test)", ours.get("out_of_scope_auroc"), base.get("out_of_scope_auroc"),
               ">= 0.96"),
        Figure("CLINC150 out-of-scope recall, threshold from val", ours.get("out_of_scope_recall"),
               base.get("out_of_scope_recall"), note="in-scope rows rejected: "
               f"{ours.get('in_scope_rejected')} (baseline {base.get('in_scope_rejected')})"),
        Figure("CLINC150 in-scope accuracy, rejections count as errors", ours.get("in_scope_accuracy_kept"),
               base.get("in_scope_accuracy_kept")),
    ]


def bitext(path: Path, embedder: "Embedder") -> list[Figure]:
    from helpdesk.intents.evaluation import LabelledRow, evaluate, macro_f1

    data = _rows(path)
    train = [LabelledRow(text=r["text"], label=r["label"]) for r in data if r["split"] == "train"]
    test = [LabelledRow(text=r["text"], label=r["label"]) for r in data if r["split"] == "test"]
    ours, _ = evaluate(train, test, embedder)
    fitted = _tfidf_lr(train, [test])
    base_acc = base_f1 = None
    if fitted is not None:
        predicted = fitted[0][0]
        truth = [r.label for r in test]
        base_acc = round(sum(t == p for t, p in zip(truth, predicted, strict=True)) / len(truth), 4)
        base_f1 = round(macro_f1(truth, predicted, sorted(set(truth))), 4)
    return [Figure("Bitext accuracy (test)", ours["accuracy"], base_acc),
            Figure("Bitext macro-F1 (test)", ours["macro_f1"], base_f1)]


def stackfaq(folder: Path, embedder: "Embedder", reader: "Embedder | None" = None,
             evidence: "EvidenceJudge | None" = None) -> list[Figure]:
    from helpdesk.knowledge.evaluation import CorpusRow, QueryRow, read_jsonl, read_qrels

    corpus = read_jsonl(folder / "corpus.jsonl", CorpusRow)
    queries = read_jsonl(folder / "queries.jsonl", QueryRow)
    qrels = read_qrels(folder / "qrels.tsv")
    # MiniLM's training data includes Stack Exchange duplicate questions: its re-ranking flatters this set.
    note = f"search re-ranked by {reader.model_id} (trained on Stack Exchange pairs)" if reader is not None else ""
    return search("StackFAQ", corpus, queries, qrels, embedder, reader, note) + coverage(corpus, queries, qrels,
                                                                                         embedder, evidence)


def manual_search(folder: Path, embedder: "Embedder", reader: "Embedder | None" = None,
                  evidence: "EvidenceJudge | None" = None) -> list[Figure]:
    """The knowledge search on the chat dev set's manual-style help centre, its test questions."""
    from helpdesk.knowledge.evaluation import CorpusRow, QueryRow, read_jsonl, read_qrels

    note = f"search re-ranked by {reader.model_id} for English questions" if reader is not None else ""
    corpus = read_jsonl(folder / "corpus.jsonl", CorpusRow)
    queries, qrels = read_jsonl(folder / "queries-test.jsonl", QueryRow), read_qrels(folder / "qrels.tsv")
    # Coverage here too: MiniLM, which the answerability model reads with, never saw this set (StackFAQ flatters it).
    return (search("Manual (chat dev set, test)", corpus, queries, qrels, embedder, reader, note)
            + coverage(corpus, queries, qrels, embedder, evidence, name="chat dev set's test questions"))


def search(name: str, corpus: Sequence[Any], queries: Sequence[Any], qrels: dict[str, set[str]],
           embedder: "Embedder", reader: "Embedder | None", note: str) -> list[Figure]:
    """Recall@5 and MRR@10 of the knowledge search (as the API searches) beside BM25 alone, in one run."""
    from helpdesk.knowledge.evaluation import build_retriever, run_queries

    retriever, seconds = build_retriever(corpus, embedder, reader=reader)
    api = run_queries(retriever, queries, 10, "hybrid", seconds).summary(qrels, len(corpus))
    lexical = run_queries(retriever, queries, 10, "lexical", seconds).summary(qrels, len(corpus))
    return [Figure(f"{name} recall@5 (search vs BM25)", _f(api["recall@5"]), _f(lexical["recall@5"])),
            Figure(f"{name} MRR@10 (search vs BM25)", _f(api["mrr@10"]), _f(lexical["mrr@10"]), note=note)]


def _f(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) else None


def coverage(corpus: Sequence[Any], queries: Sequence[Any], qrels: dict[str, set[str]],
             embedder: "Embedder", evidence: "EvidenceJudge | None" = None, name: str = "StackFAQ") -> list[Figure]:
    """The knowledge loop's decision: with the even threads published, is a question's answer published? Decided
    as the loop decides (`knowledge_loop.coverage`: the chat's answer-or-abstain decision where the embedder's
    model reads the question, else the cosine threshold), beside the cosine threshold alone."""
    from helpdesk.knowledge.calibration import calibration_for
    from helpdesk.knowledge.evaluation import build_retriever
    from helpdesk.settings import AiSection
    from helpdesk.triage.knowledge_loop import coverage as loop_coverage
    from helpdesk.triage.replies import ground

    published = [row for i, row in enumerate(corpus) if i % 2 == 0]
    ids = {row.id for row in published}
    retriever, _ = build_retriever(published, embedder)
    passages = AiSection().passages
    decided: list[tuple[bool, bool]] = []  # (published, the loop says covered)
    scored: list[tuple[bool, float]] = []  # (published, the best passage's cosine)
    for query in queries:
        if query.id not in qrels:
            continue
        published_answer = bool(qrels[query.id] & ids)
        found = loop_coverage(evidence, embedder, retriever, tenant_id="eval", question=query.text, configured=None,
                              passages=passages)
        decided.append((published_answer, found.article_id is not None))
        best = ground(embedder, retriever, tenant_id="eval", question=query.text, audience="internal")
        scored.append((published_answer, best[0].similarity if best else -1.0))
    test, cosine_val, cosine_test = decided[0::2], scored[1::2], scored[0::2]
    threshold = fit_threshold(cosine_val)
    configured = calibration_for(embedder.model_id).kb_coverage
    majority = max(sum(c for c, _ in test), sum(not c for c, _ in test)) / len(test)
    how = ("the chat's answer-or-abstain decision" if evidence is not None and evidence.model is not None
           else f"cosine >= {configured}")
    return [Figure(f"Coverage decision accuracy ({name}, test half)",
                   round(sum(c == d for c, d in test) / len(test), 4), round(majority, 4),
                   note=f"decided by {how}; the cosine threshold alone: {configured} for {embedder.model_id} "
                   f"{_accuracy(cosine_test, configured):.4f}, {threshold} (best on the validation half) "
                   f"{_accuracy(cosine_test, threshold):.4f}")]


def fit_threshold(scored: Sequence[tuple[bool, float]]) -> float:
    candidates = sorted({round(s, 2) for _, s in scored})
    return max(candidates, key=lambda t: (_accuracy(scored, t), -abs(t - 0.6))) if candidates else 0.6


def _accuracy(scored: Sequence[tuple[bool, float]], threshold: float) -> float:
    return sum(covered == (s >= threshold) for covered, s in scored) / max(len(scored), 1)


def chat(folder: Path, runner: ChatRunner) -> list[Figure]:
    from dataclasses import replace

    from helpdesk.chat.evaluation import choose_threshold, outcome_at, summarise, sweep, swept_rule

    # An answerability model is fitted on the validation questions, and its threshold was chosen there out of
    # fold when it was fitted: choosing again on validation would pick on the data the model has seen. So a
    # model's turns are reported as the chat decided them. A cosine rule (an embedder without a model) has
    # nothing fitted: its threshold is chosen on validation and applied to the test run's records.
    grid = [round(0.01 * i, 2) for i in range(1, 100)]
    validation = runner(folder / "corpus.jsonl", folder / "queries-val.jsonl", folder / "qrels.tsv", None)
    test = runner(folder / "corpus.jsonl", folder / "queries-test.jsonl", folder / "qrels.tsv", None)
    rule = swept_rule(test)
    if rule == "model":
        ours, checked = summarise(test), summarise(validation)
        note = (f"as shipped: the answerability model's threshold, chosen out of fold on validation; validation "
                f"({len(validation)} questions, in sample) grounded {checked['grounded']}, misleading "
                f"{checked['misleading']}")
    else:
        chosen = choose_threshold(sweep(validation, grid))["threshold"]
        ours = summarise([replace(o, outcome=outcome_at(o, chosen, rule)) for o in test])
        note = f"answer threshold {chosen} chosen on validation ({len(validation)} questions)"
    return chat_figures("Chat", test, ours, note)


def chat_figures(name: str, test: Sequence[Any], ours: dict[str, Any], note: str) -> list[Figure]:
    """The chat's four figures on the test questions, beside the baseline that always cites the retriever's
    first passage."""
    from dataclasses import replace

    from helpdesk.chat.evaluation import TARGETS, outcome_at, summarise

    baseline = summarise([replace(o, outcome=outcome_at(o, -1.0, cites=1)) for o in test])
    return [
        Figure(f"{name} answered citing a gold section (test)", ours["grounded"], baseline["grounded"],
               f">= {TARGETS['grounded']}", note),
        Figure(f"{name} answered citing only wrong sections (test)", ours["misleading"], baseline["misleading"],
               f"<= {TARGETS['misleading']}"),
        Figure(f"{name} abstained, in domain (test)", ours["abstained"], baseline["abstained"]),
        Figure(f"{name} abstained out of domain (test)", ours["ood_abstained"], baseline["ood_abstained"],
               f">= {TARGETS['ood_abstained']}"),
    ]


def chat_other_languages(folder: Path, runner: ChatRunner) -> list[Figure]:
    """The dev set's questions in German, Spanish, French and Portuguese (`bench.chat_dev.multilingual`), as the
    chat decides them: mostly by the embedder's calibrated cosine (the answerability model's reader reads English),
    whose threshold is not chosen again here."""
    from helpdesk.chat.evaluation import summarise

    qrels = folder / "qrels-multilingual.tsv"
    validation = summarise(runner(folder / "corpus.jsonl", folder / "queries-val-multilingual.jsonl", qrels, None))
    test = runner(folder / "corpus.jsonl", folder / "queries-test-multilingual.jsonl", qrels, None)
    note = (f"as shipped; validation ({validation['in_domain']} in domain) grounded {validation['grounded']}, "
            f"misleading {validation['misleading']}")
    return chat_figures("Chat in de/es/fr/pt:", test, summarise(test), note)


def run_all(data: Path, chat_dev: Path | None, embedder: "Embedder", runner: ChatRunner,
            progress: Callable[[str], None] = lambda _: None, reader: "Embedder | None" = None,
            evidence: "EvidenceJudge | None" = None) -> list[Figure]:
    """`reader`: MiniLM where installed: the knowledge search re-ranks with it and intents are classified on both
    embedders' vectors side by side (`intents.embedding.intent_embedder`), as the product does. `evidence`: the
    answer-or-abstain decision the knowledge loop's coverage asks (`bootstrap.make_evidence`; None: the cosine)."""
    from helpdesk.intents.embedding import intent_embedder

    intents = intent_embedder(embedder, reader)
    sections: list[tuple[str, Path, Callable[[], list[Figure]]]] = [
        ("CLINC150", data / "intents-clinc150" / "intents.jsonl", lambda: clinc(data / "intents-clinc150" /
                                                                              "intents.jsonl", intents)),
        ("Bitext", data / "intents-bitext" / "intents.jsonl", lambda: bitext(data / "intents-bitext" /
                                                                          "intents.jsonl", intents)),
        ("StackFAQ", data / "retrieval-stackfaq" / "corpus.jsonl", lambda: stackfaq(data / "retrieval-stackfaq",
                                                                                  embedder, reader, evidence)),
    ]
    if chat_dev is not None:
        sections.append(("manual search", chat_dev / "queries-test.jsonl",
                         lambda: manual_search(chat_dev, embedder, reader, evidence)))
        sections.append(("chat dev set", chat_dev / "queries-val.jsonl", lambda: chat(chat_dev, runner)))
        sections.append(("chat dev set in other languages", chat_dev / "queries-test-multilingual.jsonl",
                         lambda: chat_other_languages(chat_dev, runner)))
    figures: list[Figure] = []
    for name, marker, compute in sections:
        if not marker.exists():
            progress(f"{name}: not found ({marker}), skipped")
            continue
        started = time.perf_counter()
        figures += compute()
        progress(f"{name}: {time.perf_counter() - started:.0f} s")
    return figures


def table(figures: Sequence[Figure]) -> str:
    def show(value: float | None) -> str:
        return "-" if value is None else f"{value:.4f}"

    width = max([len(f.name) for f in figures] + [6])
    lines = [f"{'figure':<{width}}  {'ours':>8}  {'baseline':>8}  {'target':>8}  met",
             "-" * (width + 36)]
    for f in figures:
        met = {True: "yes", False: "NO", None: ""}[f.met()]
        lines.append(f"{f.name:<{width}}  {show(f.ours):>8}  {show(f.baseline):>8}  {f.target or '-':>8}  {met}")
        if f.note:
            lines.append(f"{'':<{width}}  {f.note}")
    return "\n".join(lines)
