"""Offline retrieval evaluation (`helpdesk kb eval`, bench/retrieval.py).

Builds a fresh in-memory embedded index from a corpus through `ArticleIndexer` (publishing's path)
and runs each query through the retriever's `search` (the API's path: hybrid, re-ranked by the reader where it is
installed). Rankings are per document.
"""

import csv
import json
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import AliasChoices, BaseModel, ConfigDict, Field

from helpdesk.kernel.lines import numbered_lines
from helpdesk.knowledge.indexing import ArticleIndexer, IndexableArticle
from helpdesk.knowledge.ports import Embedder, SearchMode
from helpdesk.knowledge.reranking import reranked
from helpdesk.knowledge.retrieval import ArticleRetriever, HybridRetriever

EVAL_TENANT = "eval"


# Rows as this project writes them ({"id", ...}) or as BEIR does ({"_id", ...}); numbered ids are ids too.
_ID = Field(min_length=1, max_length=200, validation_alias=AliasChoices("id", "_id"))


class CorpusRow(BaseModel):
    model_config = ConfigDict(coerce_numbers_to_str=True)

    id: str = _ID
    title: str = ""
    text: str


class QueryRow(BaseModel):
    model_config = ConfigDict(coerce_numbers_to_str=True)

    id: str = _ID
    text: str


def read_jsonl[M: BaseModel](path: Path, model: type[M]) -> list[M]:
    rows: list[M] = []
    for number, line in numbered_lines(path):
        if line.strip():
            try:
                rows.append(model.model_validate_json(line))
            except ValueError as exc:
                raise ValueError(f"{path}:{number}: {exc}") from exc
    return rows


def read_qrels(path: Path) -> dict[str, set[str]]:
    """Judgements as TSV (query_id, doc_id[, relevance]) with or without a header (ours, or BEIR's "query-id
    corpus-id score"), the same separated by commas or spaces, or TREC's "query_id iteration doc_id relevance";
    relevance > 0 counts. A line that is none of these is a ValueError naming it: skipped, a whole CSV file read
    as no judgements at all and every question as out of domain."""
    qrels: dict[str, set[str]] = {}
    for number, line in numbered_lines(path):
        if not line.strip():
            continue
        row = line.rstrip("\r\n").split("\t")
        if len(row) == 1:
            row = line.split()
            if len(row) == 4:  # TREC: the iteration unused
                row = [row[0], row[2], row[3]]
            elif len(row) == 1:
                row = next(csv.reader([line.strip()]))
        if len(row) < 2 or not row[0].strip() or not row[1].strip():
            raise ValueError(f"{path}:{number}: expected query_id, doc_id and an optional relevance, separated by "
                             "tabs (or commas, or spaces)")
        try:
            relevance = float(row[2]) if len(row) > 2 else 1.0
        except ValueError:
            if number == 1:
                continue  # a header
            raise ValueError(f"{path}:{number}: relevance {row[2]!r} is not a number") from None
        if relevance > 0:
            qrels.setdefault(row[0].strip(), set()).add(row[1].strip())
    return qrels


def recall_at(ranked: Sequence[str], relevant: set[str], k: int) -> float:
    return len(relevant.intersection(ranked[:k])) / len(relevant) if relevant else 0.0


def reciprocal_rank(ranked: Sequence[str], relevant: set[str], k: int) -> float:
    for rank, doc_id in enumerate(ranked[:k], start=1):
        if doc_id in relevant:
            return 1.0 / rank
    return 0.0


@dataclass
class EvalRun:
    mode: SearchMode
    rankings: dict[str, list[str]]
    index_seconds: float
    query_seconds: list[float] = field(default_factory=list)

    def summary(self, qrels: dict[str, set[str]] | None, documents: int) -> dict[str, object]:
        latencies = sorted(self.query_seconds)
        result: dict[str, object] = {
            "mode": self.mode,
            "documents": documents,
            "queries": len(self.rankings),
            "index_seconds": round(self.index_seconds, 3),
            "index_ms_per_document": round(1000 * self.index_seconds / max(documents, 1), 2),
            "query_ms_p50": round(1000 * latencies[len(latencies) // 2], 2) if latencies else None,
            "query_ms_p99": round(1000 * latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))], 2)
            if latencies else None,
        }
        if qrels is not None:
            judged = [q for q in self.rankings if q in qrels]
            result["judged_queries"] = len(judged)
            result["recall@5"] = round(sum(recall_at(self.rankings[q], qrels[q], 5) for q in judged)
                                       / max(len(judged), 1), 4)
            result["mrr@10"] = round(sum(reciprocal_rank(self.rankings[q], qrels[q], 10) for q in judged)
                                     / max(len(judged), 1), 4)
        return result


def build_retriever(corpus: Iterable[CorpusRow], embedder: Embedder,
                    progress: Callable[[int], None] | None = None,
                    reader: Embedder | None = None) -> tuple[ArticleRetriever, float]:
    """A fresh in-memory embedded index holding the corpus, and the seconds it took to index; with `reader`,
    searched as the knowledge API searches (`knowledge.reranking`)."""
    from helpdesk.knowledge.adapters.embedded_index import EmbeddedIndex

    index = EmbeddedIndex(None, dimension=embedder.dimension)
    indexer = ArticleIndexer(index, embedder)
    started = time.perf_counter()
    with index.bulk():
        for row in corpus:
            indexer.index(IndexableArticle(tenant_id=EVAL_TENANT, article_id=row.id, version=1,
                                           title=row.title or row.text[:80], body=row.text))
            if progress:
                progress(1)
    return reranked(HybridRetriever(index, embedder), reader), time.perf_counter() - started


def run_queries(retriever: ArticleRetriever, queries: Sequence[QueryRow], k: int, mode: SearchMode,
                index_seconds: float) -> EvalRun:
    run = EvalRun(mode=mode, rankings={}, index_seconds=index_seconds)
    for query in queries:
        started = time.perf_counter()
        hits = retriever.search(tenant_id=EVAL_TENANT, query=query.text, k=k, audience="public", mode=mode)
        run.query_seconds.append(time.perf_counter() - started)
        run.rankings[query.id] = [hit.article_id for hit in hits]
    return run


def write_run(run: EvalRun, path: Path) -> None:
    with path.open("w", encoding="utf-8") as handle:
        for query_id, doc_ids in run.rankings.items():
            handle.write(json.dumps({"query_id": query_id, "doc_ids": doc_ids}) + "\n")
