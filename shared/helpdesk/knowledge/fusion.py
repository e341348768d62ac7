"""Rank fusion for hybrid search: one function, used by every index backend so they rank alike.

Reciprocal-rank fusion (Cormack, Clarke & Buettcher, SIGIR 2009): score(d) = sum over lists of
1 / (k + rank(d)). It needs no score calibration between BM25 (unbounded) and cosine (bounded), and
its constant is the paper's k = 60, not tuned on any of our query sets.
"""

from collections.abc import Hashable, Sequence

RRF_K = 60


def reciprocal_rank_fusion[T: Hashable](rankings: Sequence[Sequence[T]], k: int = RRF_K) -> list[tuple[T, float]]:
    """Fuse best-first rankings into one, best first. Ties keep the order of first appearance."""
    scores: dict[T, float] = {}
    for ranking in rankings:
        for rank, item in enumerate(ranking, start=1):
            scores[item] = scores.get(item, 0.0) + 1.0 / (k + rank)
    return sorted(scores.items(), key=lambda pair: pair[1], reverse=True)
