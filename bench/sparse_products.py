"""The lexical intent model's sparse products (`intents.classifier.SparseRows`), a block at a time, beside the same
products as one array of every non-zero (how they were computed before; the baseline), in the same run.

    python bench/sparse_products.py [INTENTS_JSONL] [--classes 150] [--repeats 20]

INTENTS_JSONL: rows {"text", "label"} or CLINC150's file (its `train` split is used); without it, 15,000 texts
made of words drawn from a fixed vocabulary (seeded). Prints ms per `dot` (X @ W) and `tdot` (X.T @ G) for both,
their ratio, and whether the results are equal to the bit (they must be: each row's and column's terms are summed
in the same order). A training step of `SoftmaxIntentClassifier` runs one of each; CLINC150's training runs 600.
"""

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "shared"))


def texts_from(path: Path | None) -> list[str]:
    if path is None:
        import numpy as np

        rng = np.random.default_rng(7)
        words = [f"w{i}" for i in range(8000)]
        return [" ".join(rng.choice(words, size=int(rng.integers(3, 15)))) for _ in range(15_000)]
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [r["text"] for r in rows if r.get("split", "train") == "train"]


def one_array_dot(x: Any, w: Any) -> Any:
    """X @ W with every non-zero's products in one (non-zeros x classes) array, then summed per row."""
    import numpy as np

    out = np.zeros((x.rows, w.shape[1]), dtype=np.float32)
    filled = np.flatnonzero(np.diff(x.indptr))
    if filled.size:
        out[filled] = np.add.reduceat(w.astype(np.float32)[x.indices] * x.data[:, None], x.indptr[filled], axis=0)
    return out


def one_array_tdot(x: Any, g: Any) -> Any:
    """X.T @ G the same way, the non-zeros grouped by column."""
    import numpy as np

    out = np.zeros((x.columns, g.shape[1]), dtype=np.float32)
    if x.data.size:
        summed = np.add.reduceat(g.astype(np.float32)[x._rows_by_column] * x._data_by_column[:, None],
                                 x._column_starts, axis=0)
        out[x._columns_present] = summed
    return out


def timed(run: Any, repeats: int) -> tuple[float, Any]:
    best, result = float("inf"), None
    for _ in range(repeats):
        started = time.perf_counter()
        result = run()
        best = min(best, time.perf_counter() - started)
    return best * 1000, result


def main() -> None:
    import numpy as np

    from helpdesk.intents.classifier import LexicalFeatures

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("intents", nargs="?", type=Path, default=None)
    parser.add_argument("--classes", type=int, default=150)
    parser.add_argument("--repeats", type=int, default=20)
    args = parser.parse_args()

    texts = texts_from(args.intents)
    x = LexicalFeatures().fit(texts).transform(texts)
    rng = np.random.default_rng(1)
    w = rng.standard_normal((x.columns, args.classes))
    g = rng.standard_normal((x.rows, args.classes))
    report: dict[str, Any] = {"rows": x.rows, "columns": x.columns, "non_zeros": int(x.data.size),
                              "classes": args.classes}
    for name, blocked, baseline in (("dot", lambda: x.dot(w), lambda: one_array_dot(x, w)),
                                    ("tdot", lambda: x.tdot(g), lambda: one_array_tdot(x, g))):
        base_ms, expected = timed(baseline, args.repeats)
        ours_ms, got = timed(blocked, args.repeats)
        report[name] = {"blocks_ms": round(ours_ms, 2), "one_array_ms": round(base_ms, 2),
                        "one_array_over_blocks": round(base_ms / ours_ms, 2),
                        "equal_to_the_bit": bool(np.array_equal(expected, got))}
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
