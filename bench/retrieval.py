"""Retrieval quality and cost on StackFAQ: our hybrid retriever beside BM25 baselines in the same run.

    python bench/retrieval.py [DATASET_DIR] [--chunks 10000] [--queries 200] [--threads 1]

1. Quality: recall@5 and MRR@10 for a *plain BM25* baseline (bm25s, lowercase word tokens, English
   stop words, no stemming: the "about 0.92 / 0.79" reference), and for our retriever's three modes
   (lexical = our BM25 leg alone, dense = MiniLM alone, hybrid = both fused by reciprocal rank, what
   the API runs). Everything goes through `build_retriever` / `HybridRetriever.search`, the paths
   `helpdesk kb eval` and the API use. Fusion is RRF with the paper's k=60: nothing tuned on this set.
2. Indexing cost per document (chunking + embedding + index write).
3. Query latency with `--chunks` chunks in one tenant of the embedded index: the corpus' real chunks
   (texts and vectors) repeated under new article ids until the target is reached, so the index has
   realistic vocabulary and vector distributions at that size; BM25-only latency in the same run is
   the baseline (ratio hybrid / lexical).
4. Cold import of functions/knowledge_api/app.py beside `import boto3` (fresh interpreters).
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench._common import use_moto_env  # noqa: E402

use_moto_env()

from bench._common import import_time, percentile  # noqa: E402

DEFAULT_DATASET = ROOT.parent / "shared" / "datasets" / "retrieval-stackfaq"


def plain_bm25(corpus: list[Any], queries: list[Any], qrels: dict[str, set[str]], k: int) -> dict[str, float]:
    """The reference baseline: one BM25 document per corpus row (title + text), no stemming."""
    import bm25s

    from helpdesk.knowledge.evaluation import recall_at, reciprocal_rank

    texts = [f"{row.title}\n{row.text}" for row in corpus]
    model = bm25s.BM25()
    model.index(bm25s.tokenize(texts, stopwords="en", show_progress=False), show_progress=False)
    recall, rr = [], []
    for query in queries:
        tokens = bm25s.tokenize([query.text], stopwords="en", return_ids=False, show_progress=False)[0]
        ids = model.get_tokens_ids(tokens)
        scores = model.get_scores_from_ids(ids) if ids else [0.0] * len(texts)
        ranked = [corpus[i].id for i in sorted(range(len(texts)), key=lambda i: -scores[i])[:k] if scores[i] > 0]
        recall.append(recall_at(ranked, qrels.get(query.id, set()), 5))
        rr.append(reciprocal_rank(ranked, qrels.get(query.id, set()), 10))
    return {"recall@5": round(statistics.fmean(recall), 4), "mrr@10": round(statistics.fmean(rr), 4)}


def grow_index(retriever: object, target_chunks: int) -> int:
    """Repeat the indexed chunks under new article ids (texts and vectors as they are) up to the target."""
    from dataclasses import replace

    from helpdesk.knowledge.adapters.embedded_index import EmbeddedIndex
    from helpdesk.knowledge.evaluation import EVAL_TENANT

    index: EmbeddedIndex = retriever._index  # type: ignore[attr-defined]
    base = index._files.load(EVAL_TENANT)
    by_article: dict[str, list[int]] = {}
    for i, chunk in enumerate(base.chunks):
        by_article.setdefault(chunk.article_id, []).append(i)
    copy = 0
    with index.bulk():
        while index.chunk_count(EVAL_TENANT) < target_chunks:
            copy += 1
            for article_id, rows in by_article.items():
                new_id = f"{article_id}~{copy}"
                chunks = [replace(base.chunks[i], article_id=new_id, chunk_id=f"{new_id}#{base.chunks[i].position}")
                          for i in rows]
                index.replace_article(EVAL_TENANT, new_id, chunks, base.vectors[rows])
                if index.chunk_count(EVAL_TENANT) >= target_chunks:
                    break
    return index.chunk_count(EVAL_TENANT)


def latency(retriever: object, queries: list[Any], mode: str) -> dict[str, float]:
    from helpdesk.knowledge.evaluation import EVAL_TENANT

    samples = []
    for query in queries:
        start = time.perf_counter()
        retriever.search(tenant_id=EVAL_TENANT, query=query.text, k=10, mode=mode)  # type: ignore[attr-defined]
        samples.append((time.perf_counter() - start) * 1000)
    return {"p50_ms": round(percentile(samples, 50), 2), "p99_ms": round(percentile(samples, 99), 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("dataset", nargs="?", type=Path, default=DEFAULT_DATASET)
    parser.add_argument("--chunks", type=int, default=10_000, help="index size for the latency figures")
    parser.add_argument("--queries", type=int, default=200, help="queries timed at that size")
    parser.add_argument("--threads", type=int, default=1, help="onnxruntime intra-op threads")
    parser.add_argument("--skip-import", action="store_true", help="skip the cold-import measurement")
    args = parser.parse_args()

    from helpdesk.knowledge.adapters.onnx_minilm import OnnxMiniLmEmbedder
    from helpdesk.knowledge.evaluation import CorpusRow, QueryRow, build_retriever, read_jsonl, read_qrels, run_queries
    from helpdesk.knowledge.retrieval import HybridRetriever

    corpus = read_jsonl(args.dataset / "corpus.jsonl", CorpusRow)
    queries = read_jsonl(args.dataset / "queries.jsonl", QueryRow)
    qrels = read_qrels(args.dataset / "qrels.tsv")
    embedder = OnnxMiniLmEmbedder(threads=args.threads)
    embedder.embed(["warm up"])  # model load is a cold-start cost, not an indexing cost

    retriever, index_seconds = build_retriever(corpus, embedder)
    assert isinstance(retriever, HybridRetriever)  # no reader given: the hybrid alone
    chunk_count = retriever._index.chunk_count("eval")  # type: ignore[attr-defined]
    quality: dict[str, object] = {"plain_bm25_baseline": plain_bm25(corpus, queries, qrels, 10)}
    for mode in ("lexical", "dense", "hybrid"):
        run = run_queries(retriever, queries, 10, mode, index_seconds)
        summary = run.summary(qrels, len(corpus))
        quality[mode] = {key: summary[key] for key in ("recall@5", "mrr@10", "query_ms_p50", "query_ms_p99")}
    base = quality["plain_bm25_baseline"]
    hybrid = quality["hybrid"]
    assert isinstance(base, dict)
    assert isinstance(hybrid, dict)
    ratios = {"hybrid_over_plain_bm25_recall@5": round(hybrid["recall@5"] / base["recall@5"], 3),
              "hybrid_over_plain_bm25_mrr@10": round(hybrid["mrr@10"] / base["mrr@10"], 3)}

    indexing = {"documents": len(corpus), "chunks": chunk_count, "seconds": round(index_seconds, 2),
                "ms_per_document": round(1000 * index_seconds / len(corpus), 1),
                "ms_per_chunk": round(1000 * index_seconds / chunk_count, 1), "onnx_threads": args.threads}

    size = grow_index(retriever, args.chunks)
    timed = queries[: args.queries]
    lexical_latency = latency(retriever, timed, "lexical")
    hybrid_latency = latency(retriever, timed, "hybrid")
    scale = {"chunks_in_index": size, "queries_timed": len(timed), "lexical": lexical_latency,
             "dense": latency(retriever, timed, "dense"), "hybrid": hybrid_latency,
             "hybrid_over_lexical_p50": round(hybrid_latency["p50_ms"] / lexical_latency["p50_ms"], 2)}

    result: dict[str, object] = {"dataset": str(args.dataset), "quality": quality, "ratios": ratios,
                                 "indexing": indexing, "latency_at_scale": scale}
    if not args.skip_import:
        env = {**os.environ, "PYTHONPATH": str(ROOT / "functions" / "knowledge_api")}
        boto3_ms = import_time("import boto3", env=env)
        app_ms = import_time("import app", env=env)
        result["cold_import"] = {"import_boto3_ms": boto3_ms, "import_knowledge_api_app_ms": app_ms,
                                 "app_over_boto3": round(app_ms / boto3_ms, 2)}
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
