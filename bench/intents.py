"""Intent classification and chat turn latency.

1. Intents on intents-bitext (fixed train/test split): the embedded classifier (MiniLM + calibrated
   softmax regression, what the offline assistant runs) beside a TF-IDF + logistic-regression baseline
   fitted on the same rows in the same run. Bitext is easy: a smoke test, not a goal.
2. Out-of-scope smoke test: three intents left out of training; how many of their test rows the
   embedded classifier flags out of scope, and how many in-scope rows it wrongly rejects.
3. Chat turn latency (p50/p99) through ChatService with the offline adapter, the seed knowledge base
   (infra/seed/knowledge) indexed in the embedded index, and moto for sessions and tickets; beside it the
   bare retrieval call of the same questions (the floor a turn cannot go below).
4. Import cost of chat intake vs the `anthropic` SDK (fresh interpreters): why intake never imports it.

    .venv/bin/python -m bench.intents [/work/shared/datasets] [--turns 200] [--only intents|chat|imports]
"""

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench._common import BENCH_TABLES, ROOT, import_time, summary, timed, use_moto_env

os.environ.setdefault("POWERTOOLS_LOG_LEVEL", "WARNING")  # keep stdout for the JSON figures
os.environ.setdefault("POWERTOOLS_METRICS_DISABLED", "true")
for _name, _table in BENCH_TABLES.items():
    os.environ.setdefault(_name, _table)  # the intent figures build a container for its embedder

DEFAULT_DATASETS = Path("/work/shared/datasets")
HELD_OUT = ("delete_account", "newsletter_subscription", "check_invoice")


def load_bitext(datasets: Path) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    rows = [json.loads(line) for line in (datasets / "intents-bitext" / "intents.jsonl").read_text().splitlines()
            if line.strip()]
    return [r for r in rows if r["split"] == "train"], [r for r in rows if r["split"] == "test"]


def bench_intents(train: list[dict[str, Any]], test: list[dict[str, Any]]) -> dict[str, Any]:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import accuracy_score, f1_score
    from sklearn.pipeline import make_pipeline

    from helpdesk import bootstrap
    from helpdesk.intents.evaluation import LabelledRow, evaluate

    truth = [r["label"] for r in test]
    start = time.perf_counter()
    baseline = make_pipeline(TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True),
                             LogisticRegression(max_iter=2000, C=10.0))
    baseline.fit([r["text"] for r in train], [r["label"] for r in train])
    baseline_pred = list(baseline.predict([r["text"] for r in test]))
    baseline_s = time.perf_counter() - start

    bootstrap.container().embedder.embed(["warm up"])
    start = time.perf_counter()
    as_rows = [LabelledRow(text=r["text"], label=r["label"]) for r in train]
    ours, predictions = evaluate(as_rows, [LabelledRow(text=r["text"], label=r["label"]) for r in test],
                                 bootstrap.container().embedder, min_confidence=0.45)
    ours_s = time.perf_counter() - start
    ours_pred = [p["predicted"] for p in predictions]
    return {
        "train_rows": len(train), "test_rows": len(test), "labels": len(set(truth)),
        "embedded": {"accuracy": round(accuracy_score(truth, ours_pred), 4),
                     "macro_f1": round(f1_score(truth, ours_pred, average="macro"), 4),
                     "in_scope_rejected": ours["in_scope_rejected"], "fit_and_predict_s": round(ours_s, 2)},
        "tfidf_logreg_baseline": {"accuracy": round(accuracy_score(truth, baseline_pred), 4),
                                  "macro_f1": round(f1_score(truth, baseline_pred, average="macro"), 4),
                                  "fit_and_predict_s": round(baseline_s, 2)},
    }


def bench_out_of_scope(train: list[dict[str, Any]], test: list[dict[str, Any]]) -> dict[str, Any]:
    from helpdesk import bootstrap
    from helpdesk.intents.evaluation import LabelledRow, evaluate

    fit = [LabelledRow(text=r["text"], label=r["label"]) for r in train if r["label"] not in HELD_OUT]
    rows = [LabelledRow(text=r["text"], label=r["label"]) for r in test]
    result, _ = evaluate(fit, rows, bootstrap.container().embedder, min_confidence=0.45)
    return {"held_out_intents": list(HELD_OUT), **{k: result.get(k) for k in (
        "out_of_scope_rows", "out_of_scope_recall", "in_scope_rows", "in_scope_rejected", "accuracy")}}


# (question, what a right turn does): the seed article it must cite, "unanswered" (I don't know + ticket
# offer) or "greeting".
QUESTIONS = [
    ("How do I reset my password?", "seed-reset-password"),
    ("I never got the password reset email", "seed-reset-password"),
    ("How can I export my data?", "seed-export-data"), ("How do I get a refund?", "seed-refunds"),
    ("How do I cancel my subscription?", "seed-cancel-subscription"),
    ("Where can I download my invoices?", "seed-invoices"),
    ("How do I turn on two-factor authentication?", "seed-two-factor-authentication"),
    ("I can't log in with SSO", "seed-sso-login-problems"), ("How do I create an API key?", "seed-api-keys"),
    ("How do I delete my account?", "seed-delete-account"),
    ("Which integrations do you support?", "seed-integrations"),
    ("What is the capital of France?", "unanswered"), ("Do you sell garden furniture?", "unanswered"),
    ("How do I reset my car's oil light?", "unanswered"), ("hello", "greeting"), ("thanks, bye", "greeting"),
]


def _outcome(reply: Any) -> str:
    if "offer_ticket" in reply.actions:
        return "unanswered"
    if reply.citations:
        return str(reply.citations[0]["article_id"])
    return "greeting" if reply.intent == "greeting" else "other"


def bench_chat_turns(turns: int) -> dict[str, Any]:
    """Chat turns through ChatService (in-process assistant) on moto with the seed KB."""
    from moto import mock_aws

    index_dir = Path(tempfile.mkdtemp(prefix="bench-kb-"))
    use_moto_env()
    os.environ.update(HELPDESK_KB_INDEX_DIR=str(index_dir), HELPDESK_AI_PROVIDER="offline",
                      HELPDESK_CHAT_TOKEN_SECRET="bench-only-secret-0123456789abcdef",
                      HELPDESK_CHAT_RATE_PER_MINUTE="100000")
    with mock_aws():
        from helpdesk import bootstrap
        from helpdesk.knowledge.embedding_cache import CachingEmbedder
        from helpdesk.knowledge.importing import ImportedArticle, iter_articles
        from helpdesk.knowledge.indexing import IndexableArticle
        from helpdesk.platform.dynamo.tables import create_tables

        bootstrap.use(None)
        c = bootstrap.container()
        create_tables(c.tables)
        seed = [a for a in iter_articles(ROOT / "infra" / "seed" / "knowledge", id_prefix="seed-")
                if isinstance(a, ImportedArticle) and a.visibility == "public"]
        c.article_indexer.index_many(IndexableArticle(tenant_id="acme", article_id=a.id, version=1, title=a.title,
                                                      body=a.text) for a in seed)
        service = c.chat_service
        _ = c.assistant  # build adapters and train the catalog's classifier before timing (a warm container)
        service.post(service.session_for(*_started(service)), "warm up")
        embedder = c.embedder
        assert isinstance(embedder, CachingEmbedder)  # make_embedder puts the cache in front of every embedder

        results: dict[str, Any] = {}
        for mode in ("cold_cache", "warm_cache"):
            samples: list[float] = []
            right = 0
            wrong: dict[str, str] = {}
            for i in range(turns):
                if i % 20 == 0:
                    token, session_id = _started(service)
                session = service.session_for(token, session_id)
                text, expected = QUESTIONS[i % len(QUESTIONS)]
                if mode == "cold_cache":
                    embedder.clear()  # every embedding computed again: a message and passages never seen
                start = time.perf_counter()
                reply = service.post(session, text)
                samples.append((time.perf_counter() - start) * 1000)
                got = _outcome(reply)
                right += got == expected
                if got != expected:
                    wrong[text] = got
            results[mode] = {"chat_turn": summary(samples), "right_outcome_rate": round(right / turns, 4),
                             "wrong_outcomes": wrong}
        questions = iter(range(turns))

        def search_uncached() -> object:
            # The retriever shares the cached embedder: clear it so the baseline embeds the query, as it always did.
            embedder.clear()
            return c.retriever.search(tenant_id="acme", k=4, query=QUESTIONS[next(questions) % len(QUESTIONS)][0])

        retrieval = timed(search_uncached, runs=turns)
    return {"turns_per_mode": turns, "seed_articles": len(seed), **results,
            "retrieval_only_baseline": summary(retrieval),
            "cold_turn_over_retrieval_p50": round(results["cold_cache"]["chat_turn"]["p50_ms"]
                                                  / summary(retrieval)["p50_ms"], 2)}


def _started(service: Any) -> tuple[str, str]:
    started = service.start_anonymous("acme")
    return started.token, started.id


def bench_imports() -> dict[str, Any]:
    env = {**os.environ, "HELPDESK_CHAT_TOKEN_SECRET": "x" * 40}
    intake = ("import importlib.util, sys; spec = importlib.util.spec_from_file_location('app', "
              "'functions/chat_intake/app.py'); m = importlib.util.module_from_spec(spec); "
              "spec.loader.exec_module(m); assert 'anthropic' not in sys.modules")
    return {"chat_intake_app_import_ms": import_time(intake, env=env),
            "anthropic_sdk_import_ms": import_time("import anthropic", env=env),
            "baseline_fastapi_import_ms": import_time("import fastapi", env=env)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("datasets", nargs="?", type=Path, default=DEFAULT_DATASETS)
    parser.add_argument("--turns", type=int, default=200)
    parser.add_argument("--only", choices=["intents", "chat", "imports"], help="run one part only")
    args = parser.parse_args()
    results: dict[str, Any] = {}
    if args.only in (None, "intents"):
        train, test = load_bitext(args.datasets)
        results["intents_bitext"] = bench_intents(train, test)
        results["out_of_scope"] = bench_out_of_scope(train, test)
    if args.only in (None, "chat"):
        results["chat_turns_offline"] = bench_chat_turns(args.turns)
    if args.only in (None, "imports"):
        results["imports"] = bench_imports()
    json.dump(results, sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    main()
