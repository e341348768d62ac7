"""The chat dev set in German, Spanish, French and Portuguese: every English question of a split, translated
into one of the four in turn (`translations-<split>.jsonl`: id, source, lang, text; written by a person from the
question alone, without the articles or the assistant), beside the split's own questions in those languages.

Writes `queries-<split>-multilingual.jsonl` and `qrels-multilingual.tsv` (a translation has its source's gold
sections; none for an out-of-domain or unanswerable one), to be run like the English set:

    PYTHONPATH=$PWD/shared .venv/bin/python -m bench.chat_dev.multilingual
    PYTHONPATH=$PWD/shared .venv/bin/helpdesk chat eval --corpus bench/chat_dev/corpus.jsonl \\
        --queries bench/chat_dev/queries-val-multilingual.jsonl --qrels bench/chat_dev/qrels-multilingual.tsv
"""

import json

from bench.chat_dev.build import HERE
from helpdesk.kernel.i18n import detect
from helpdesk.knowledge.evaluation import QueryRow, read_jsonl, read_qrels

SPLITS = ("val", "test")


def main() -> None:
    gold = read_qrels(HERE / "qrels.tsv")
    lines = ["query_id\tdoc_id\trelevance"]
    for split in SPLITS:
        asked = read_jsonl(HERE / f"queries-{split}.jsonl", QueryRow)
        native = [q for q in asked if detect(q.text) not in ("en", None)]
        written = (HERE / f"translations-{split}.jsonl").read_text("utf-8")
        translated = [json.loads(line) for line in written.splitlines() if line.strip()]
        rows = [(q.id, q.text, q.id) for q in native] + [(t["id"], t["text"], t["source"]) for t in translated]
        with (HERE / f"queries-{split}-multilingual.jsonl").open("w", encoding="utf-8") as out:
            for query_id, text, source in rows:
                out.write(json.dumps({"id": query_id, "text": text}, ensure_ascii=False) + "\n")
                lines += [f"{query_id}\t{section}\t1" for section in sorted(gold.get(source, ()))]
        print(f"{split}: {len(native)} native + {len(translated)} translated questions")
    (HERE / "qrels-multilingual.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
