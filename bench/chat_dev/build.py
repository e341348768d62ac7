"""Build the chat answer dev set (corpus, validation and test questions, qrels) from its sources.

- corpus: every public section of the seed help centre (infra/seed/knowledge) and of the extra articles here
  (extra/*.md, written to resemble the seed: the same product, sections that look alike), one row per section,
  id `<article>#<n>` (n-th `## ` section; `#0`: an article without sections, whose whole text is the row);
- questions.tsv: questions reworded so they share few words with their section (some in German, Spanish,
  French and Portuguese), with their gold sections, or `-` for a question about the product that no section
  answers (it must be abstained on); alternate rows go to validation and test;
- out-of-domain questions: the first 100 out-of-scope queries of CLINC150's `val` split go to validation,
  the first 100 of its `test` split to test (CC BY 3.0, clinc/oos-eval).

    .venv/bin/python -m bench.chat_dev.build /work/shared/datasets/intents-clinc150/intents.jsonl
"""

import argparse
import json
import re
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
OOS_PER_SPLIT = 100
INTRO_CHARS = 300


def sections(path: Path) -> list[tuple[str, str, str]]:
    """(id, title, text) per section of a public article; a short intro opens the first section."""
    raw = path.read_text(encoding="utf-8")
    _, front, body = raw.split("---", 2)
    meta = dict(line.split(":", 1) for line in front.strip().splitlines() if ":" in line)
    if meta.get("visibility", "public").split("#")[0].strip() != "public":
        return []
    title = meta["title"].strip()
    parts = re.split(r"^## +(.+)$", body.strip(), flags=re.MULTILINE)
    intro, rest = parts[0].strip(), parts[1:]
    if not rest:
        return [(f"{path.stem}#0", title, intro)]
    # A long intro (a price table) is a section of its own, `#0`, as the help centre's chunking keeps it.
    out = [(f"{path.stem}#0", title, intro)] if len(intro) > INTRO_CHARS else []
    for n in range(0, len(rest), 2):
        heading, text = rest[n].strip(), rest[n + 1].strip()
        if n == 0 and intro and len(intro) <= INTRO_CHARS:
            text = f"{intro}\n\n{text}"
        out.append((f"{path.stem}#{n // 2 + 1}", f"{title}: {heading}", text))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("clinc", type=Path, help="intents-clinc150/intents.jsonl")
    args = parser.parse_args()
    articles = sorted((ROOT / "infra" / "seed" / "knowledge").glob("*.md")) + sorted((HERE / "extra").glob("*.md"))
    corpus = [row for path in articles if path.name != "README.md" for row in sections(path)]
    ids = {row[0] for row in corpus}
    with (HERE / "corpus.jsonl").open("w", encoding="utf-8") as out:
        for doc_id, title, text in corpus:
            out.write(json.dumps({"id": doc_id, "title": title, "text": text}, ensure_ascii=False) + "\n")
    queries: dict[str, list[dict[str, str]]] = {"val": [], "test": []}
    qrels: list[tuple[str, str]] = []
    lines = [line for line in (HERE / "questions.tsv").read_text(encoding="utf-8").splitlines()
             if line.strip() and not line.startswith("#")]
    for n, line in enumerate(lines):
        text, gold = line.split("\t")
        split = "val" if n % 2 == 0 else "test"
        query_id = f"{split}-{n:03d}"
        queries[split].append({"id": query_id, "text": text})
        for doc_id in ([] if gold.strip() == "-" else gold.split(",")):
            if doc_id.strip() not in ids:
                raise SystemExit(f"{line!r}: no section {doc_id!r}")
            qrels.append((query_id, doc_id.strip()))
    rows = [json.loads(line) for line in args.clinc.read_text(encoding="utf-8").splitlines() if line.strip()]
    for split in ("val", "test"):
        oos = [r["text"] for r in rows if r["split"] == split and r["label"] == "oos"][:OOS_PER_SPLIT]
        queries[split] += [{"id": f"{split}-oos-{i:03d}", "text": t} for i, t in enumerate(oos)]
        with (HERE / f"queries-{split}.jsonl").open("w", encoding="utf-8") as out:
            for q in queries[split]:
                out.write(json.dumps(q, ensure_ascii=False) + "\n")
    with (HERE / "qrels.tsv").open("w", encoding="utf-8") as out:
        out.write("query_id\tdoc_id\trelevance\n")
        for query_id, doc_id in qrels:
            out.write(f"{query_id}\t{doc_id}\t1\n")
    print(json.dumps({"sections": len(corpus), **{f"{s}_questions": len(q) for s, q in queries.items()},
                      "judged": len({q for q, _ in qrels})}))


if __name__ == "__main__":
    main()
