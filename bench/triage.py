"""Triage quality: routing (category -> group) and suggested priority on a labelled set built from the
Bitext customer-support intents, beside a majority-class baseline. All in one run, embedded models only.

    python bench/triage.py [DATASETS_DIR]        (default: ../shared/datasets)

Labelled set: the dataset's fixed `test` split (888 utterances). Gold routing is the dataset's
`category` (11 classes; the group follows from the category). The dataset has no priorities, so gold
priority is derived from the gold *intent* with the table PRIORITY_OF_INTENT below (blocked or
money-is-wrong intents high, information requests low, the rest normal): priority accuracy therefore
measures intent recognition plus how often the urgency cues and sentiment move a ticket off its label.

Rows:
- majority: always the most frequent class of the `train` split (the baseline);
- shipped: the classifier as deployed, 3-5 hand-written seed examples per intent
  (helpdesk/intents/data/triage_catalog.json);
- train-split: the same code with the 3,553 `train` utterances as examples (headroom with tenant data).

`high-conf share` is the share of tickets whose category confidence is >= 0.75 (the `high` level) and
`high-conf acc` the accuracy on those: what auto-apply at that threshold would get right. `ms/ticket` is
classification time per ticket, printed beside the embedding alone (the timing baseline).
"""

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# Gold priority per intent, for the evaluation only (see the module docstring).
PRIORITY_OF_INTENT = {
    "payment_issue": "high", "recover_password": "high", "registration_problems": "high", "complaint": "high",
    "cancel_order": "high", "contact_human_agent": "high",
    "check_cancellation_fee": "low", "delivery_options": "low", "newsletter_subscription": "low", "review": "low",
    "check_payment_methods": "low", "check_refund_policy": "low",
}


def gold_priority(intent: str) -> str:
    return PRIORITY_OF_INTENT.get(intent, "normal")


def macro_f1(gold: list[str], pred: list[str]) -> float:
    """Macro-F1 over the labels present in the gold set (the same measure `helpdesk intents eval` prints)."""
    from helpdesk.intents.evaluation import macro_f1 as macro_f1_over

    return macro_f1_over(gold, pred, sorted(set(gold)))


def accuracy(gold: list[str], pred: list[str]) -> float:
    return sum(g == p for g, p in zip(gold, pred, strict=True)) / len(gold)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("datasets", nargs="?", default=str(ROOT.parent / "shared" / "datasets"))
    args = parser.parse_args()
    path = Path(args.datasets) / "intents-bitext" / "intents.jsonl"
    rows = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    train = [r for r in rows if r["split"] == "train"]
    test = [r for r in rows if r["split"] == "test"]

    from helpdesk.intents.classifier import NearestExampleIntentClassifier
    from helpdesk.intents.model import TRIAGE_CATALOG
    from helpdesk.knowledge.adapters.onnx_minilm import OnnxMiniLmEmbedder
    from helpdesk.triage import signals
    from helpdesk.triage.priority import suggest_priority

    catalog = TRIAGE_CATALOG
    embedder = OnnxMiniLmEmbedder(threads=1)
    texts = [r["text"] for r in test]
    gold_cat = [r["category"] for r in test]
    gold_group = [catalog.group_of(c) or "" for c in gold_cat]
    gold_prio = [gold_priority(r["label"]) for r in test]
    sentiments = [signals.sentiment(t).value for t in texts]

    majority_cat = Counter(r["category"] for r in train).most_common(1)[0][0]
    majority_prio = Counter(gold_priority(r["label"]) for r in train).most_common(1)[0][0]
    majority_group = Counter(catalog.group_of(r["category"]) for r in train).most_common(1)[0][0] or ""
    print(f"labelled set: {len(test)} test utterances, {len(set(gold_cat))} categories, "
          f"priority labels {dict(Counter(gold_prio))}")
    header = (f"{'system':<12} {'category acc':>12} {'category F1':>11} {'group acc':>9} {'priority acc':>12} "
              f"{'priority F1':>11} {'high-conf share':>15} {'high-conf acc':>13} {'ms/ticket':>9}")
    print(header)
    print(f"{'majority':<12} {accuracy(gold_cat, [majority_cat] * len(test)):>12.3f} "
          f"{macro_f1(gold_cat, [majority_cat] * len(test)):>11.3f} "
          f"{accuracy(gold_group, [majority_group] * len(test)):>9.3f} "
          f"{accuracy(gold_prio, [majority_prio] * len(test)):>12.3f} "
          f"{macro_f1(gold_prio, [majority_prio] * len(test)):>11.3f} {'-':>15} {'-':>13} {'-':>9}")

    embedder.embed(["warm up"])
    start = time.perf_counter()
    embedder.embed(texts)
    embed_ms = (time.perf_counter() - start) * 1000 / len(texts)
    systems = {
        "shipped": NearestExampleIntentClassifier(embedder, catalog),
        "train-split": NearestExampleIntentClassifier(embedder, catalog, [(r["text"], r["label"]) for r in train]),
    }
    for name, classifier in systems.items():
        classifier.predict(["warm up"])  # embeds the examples: not part of the per-ticket time
        start = time.perf_counter()
        predictions = classifier.predict(texts)
        per_ticket_ms = (time.perf_counter() - start) * 1000 / len(texts)
        cats = [p.category or "" for p in predictions]
        groups = [catalog.group_of(c) or "" for c in cats]
        prios = [suggest_priority(t, p, catalog, s).priority.value
                 for t, p, s in zip(texts, predictions, sentiments, strict=True)]
        confident = [i for i, p in enumerate(predictions) if p.category_confidence >= 0.75]
        confident_acc = (sum(cats[i] == gold_cat[i] for i in confident) / len(confident)) if confident else 0.0
        print(f"{name:<12} {accuracy(gold_cat, cats):>12.3f} {macro_f1(gold_cat, cats):>11.3f} "
              f"{accuracy(gold_group, groups):>9.3f} {accuracy(gold_prio, prios):>12.3f} "
              f"{macro_f1(gold_prio, prios):>11.3f} {len(confident) / len(texts):>15.3f} {confident_acc:>13.3f} "
              f"{per_ticket_ms:>9.2f}")
    print(f"timing baseline: embedding alone {embed_ms:.2f} ms/ticket (same run, batched, 1 thread); "
          "classification adds the example comparison on top")
    coverage(Path(args.datasets) / "retrieval-stackfaq", embedder)


def coverage(folder: Path, embedder: Any) -> None:
    """Part 2, the knowledge loop's "an article already covers it" decision, on StackFAQ.

    Half of the FAQ threads (even positions) are published; a question whose gold thread is published is
    covered (no draft should be made), the others are not (a draft should be). The decision is the one
    `KnowledgeLoop` makes: cosine between the question and the best retrieved passage >= threshold.
    Baseline: the majority decision, always "covered" or always "not covered".
    """
    import tempfile

    from helpdesk.knowledge.adapters.embedded_index import EmbeddedIndex
    from helpdesk.knowledge.indexing import ArticleIndexer, IndexableArticle
    from helpdesk.knowledge.retrieval import HybridRetriever
    from helpdesk.triage.replies import ground
    from helpdesk.triage.settings import TriageSettings

    docs = [json.loads(line) for line in (folder / "corpus.jsonl").read_text().splitlines() if line.strip()]
    queries = {q["id"]: q["text"] for q in map(json.loads, (folder / "queries.jsonl").read_text().splitlines())}
    gold: dict[str, set[str]] = {}
    for line in (folder / "qrels.tsv").read_text().splitlines()[1:]:
        query_id, doc_id, relevance = line.split("\t")
        if int(relevance) > 0:
            gold.setdefault(query_id, set()).add(doc_id)
    published = {d["id"] for i, d in enumerate(docs) if i % 2 == 0}
    with tempfile.TemporaryDirectory() as tmp:
        index = EmbeddedIndex(Path(tmp), dimension=embedder.dimension)
        ArticleIndexer(index, embedder).index_many(
            IndexableArticle(tenant_id="bench", article_id=d["id"], version=1, title=d["title"], body=d["text"])
            for d in docs if d["id"] in published)
        retriever = HybridRetriever(index, embedder)
        rows = []
        for query_id, doc_ids in gold.items():
            grounded = ground(embedder, retriever, tenant_id="bench", question=queries[query_id], audience="internal")
            rows.append((bool(doc_ids & published), grounded[0].similarity if grounded else -1.0))
    covered_share = sum(c for c, _ in rows) / len(rows)
    from helpdesk.knowledge.calibration import calibration_for

    current = TriageSettings().kb_coverage_threshold or calibration_for(embedder.model_id).kb_coverage
    print(f"\ncoverage decision: {len(rows)} StackFAQ questions, {covered_share:.3f} covered by a published thread")
    print(f"{'threshold':>10} {'accuracy':>9} {'covered precision':>17} {'covered recall':>14} {'drafts made':>11}")
    print(f"{'majority':>10} {max(covered_share, 1 - covered_share):>9.3f} {'-':>17} {'-':>14} {'-':>11}")
    for threshold in sorted({0.5, 0.55, 0.6, 0.65, 0.7, current, 0.75, 0.8, 0.85}):
        said = [(c, s >= threshold) for c, s in rows]
        tp = sum(c and d for c, d in said)
        precision = tp / max(1, sum(d for _, d in said))
        recall = tp / max(1, sum(c for c, _ in said))
        acc = sum(c == d for c, d in said) / len(said)
        drafts = sum(not d for _, d in said) / len(said)
        mark = "  <- default" if threshold == current else ""
        print(f"{threshold:>10.2f} {acc:>9.3f} {precision:>17.3f} {recall:>14.3f} {drafts:>11.3f}{mark}")


if __name__ == "__main__":
    main()
