"""A second chat answer set, from StackFAQ, to check that the answer-or-abstain model holds beyond the manual it
was fitted on: every fifth thread is left out of the corpus, so its questions are in the product's world but
unanswered (they must be abstained on, as the manual set's unanswerable questions), CLINC150's out-of-scope
queries are the out-of-domain ones (val / test as in `build.py`), and the remaining questions alternate
between validation and test. Written to `--out` (never into the repository: the sources live outside it).

    .venv/bin/python -m bench.chat_dev.stackfaq ../shared/datasets/retrieval-stackfaq \\
        ../shared/datasets/intents-clinc150/intents.jsonl --out /tmp/stackfaq-chat
"""

import argparse
import json
from pathlib import Path

from bench.chat_dev.build import OOS_PER_SPLIT

HELD_OUT_EVERY = 5


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("stackfaq", type=Path, help="retrieval-stackfaq folder")
    parser.add_argument("clinc", type=Path, help="intents-clinc150/intents.jsonl")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    docs = [json.loads(line) for line in (args.stackfaq / "corpus.jsonl").read_text("utf-8").splitlines() if line]
    held = {d["id"] for n, d in enumerate(docs) if n % HELD_OUT_EVERY == HELD_OUT_EVERY - 1}
    with (args.out / "corpus.jsonl").open("w", encoding="utf-8") as out:
        for d in docs:
            if d["id"] not in held:
                out.write(json.dumps(d, ensure_ascii=False) + "\n")
    gold: dict[str, list[str]] = {}
    for line in (args.stackfaq / "qrels.tsv").read_text("utf-8").splitlines()[1:]:
        query_id, doc_id, _ = line.split("\t")
        gold.setdefault(query_id, []).append(doc_id)
    queries = [json.loads(line) for line in (args.stackfaq / "queries.jsonl").read_text("utf-8").splitlines() if line]
    split_of = {q["id"]: ("val" if n % 2 == 0 else "test") for n, q in enumerate(queries)}
    clinc = [json.loads(line) for line in args.clinc.read_text("utf-8").splitlines() if line.strip()]
    with (args.out / "qrels.tsv").open("w", encoding="utf-8") as out:
        out.write("query_id\tdoc_id\trelevance\n")
        for query_id, doc_ids in gold.items():
            for doc_id in doc_ids:
                if doc_id not in held:
                    out.write(f"{query_id}\t{doc_id}\t1\n")
    for split in ("val", "test"):
        rows = [q for q in queries if split_of[q["id"]] == split]
        oos = [r["text"] for r in clinc if r["split"] == split and r["label"] == "oos"][:OOS_PER_SPLIT]
        rows += [{"id": f"{split}-oos-{i:03d}", "text": t} for i, t in enumerate(oos)]
        with (args.out / f"queries-{split}.jsonl").open("w", encoding="utf-8") as out:
            for q in rows:
                out.write(json.dumps({"id": q["id"], "text": q["text"]}, ensure_ascii=False) + "\n")
    print(json.dumps({"sections": len(docs) - len(held), "held_out": len(held)}))


if __name__ == "__main__":
    main()
