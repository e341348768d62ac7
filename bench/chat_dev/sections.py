"""Which section of a multi-section article the chat quotes: the retriever's best passage of the article beside
the assistant's choice (`ChatAssistant.choose_sections`), on the chat dev set's section-level gold.

The dev set's corpus has one row per section (`<article>#<n>`), so in `helpdesk chat eval` sibling sections never
compete. Here the same help centre is loaded as the customer has it, whole articles whose sections the chunker
splits, and each in-domain question whose gold article is retrieved with more than one matching section counts
once: is the passage that represents the article (the one the answer quotes) the gold section? Both choices are
made in the same run on the same retrieval.

    PYTHONPATH=$PWD/shared .venv/bin/python -m bench.chat_dev.sections [--split val] [--split test] [--multilingual]

--multilingual reads the translated dev set (`bench.chat_dev.multilingual`) instead.
"""

import argparse
import json
import re

from bench.chat_dev.build import HERE, ROOT
from helpdesk.chat.evaluation import EVAL_TENANT, ChatEvaluation
from helpdesk.kernel.i18n import detect
from helpdesk.knowledge.evaluation import CorpusRow, QueryRow, read_jsonl, read_qrels
from helpdesk.knowledge.ports import SearchHit


def articles() -> dict[str, tuple[CorpusRow, list[str]]]:
    """Each public article of the dev set's sources, whole, with its `## ` headings in order."""
    paths = sorted((ROOT / "infra" / "seed" / "knowledge").glob("*.md")) + sorted((HERE / "extra").glob("*.md"))
    found: dict[str, tuple[CorpusRow, list[str]]] = {}
    for path in paths:
        if path.name == "README.md":
            continue
        _, front, body = path.read_text(encoding="utf-8").split("---", 2)
        meta = dict(line.split(":", 1) for line in front.strip().splitlines() if ":" in line)
        if meta.get("visibility", "public").split("#")[0].strip() != "public":
            continue
        headings = [h.strip() for h in re.findall(r"^## +(.+)$", body, flags=re.MULTILINE)]
        found[path.stem] = (CorpusRow(id=path.stem, title=meta["title"].strip(), text=body.strip()), headings)
    return found


def section_id(hit: SearchHit, headings: list[str]) -> str:
    """The dev set's id of the section a passage comes from (`#0`: a long intro, or an article without `## `)."""
    number = headings.index(hit.heading) + 1 if hit.heading in headings else 0
    return f"{hit.article_id}#{number}"


def main() -> None:
    from helpdesk.bootstrap import make_embedder
    from helpdesk.local.evaluation import offline_container
    from helpdesk.settings import KnowledgeSection

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--split", action="append", choices=["val", "test"], help="default: val")
    parser.add_argument("--multilingual", action="store_true", help="the dev set's questions in other languages")
    args = parser.parse_args()
    suffix = "-multilingual" if args.multilingual else ""
    corpus = articles()
    judgements = read_qrels(HERE / f"qrels{suffix}.tsv")
    with offline_container(make_embedder(KnowledgeSection()), EVAL_TENANT) as container:
        ChatEvaluation(container, [row for row, _ in corpus.values()])
        evidence, k = container.evidence, container.settings.ai.passages
        for split in args.split or ["val"]:
            counts = {"english": [0, 0, 0], "other": [0, 0, 0]}  # [cases, retriever right, assistant right]
            for query in read_jsonl(HERE / f"queries-{split}{suffix}.jsonl", QueryRow):
                gold = judgements.get(query.id, set())
                found = container.retriever.search_sections(tenant_id=EVAL_TENANT, query=query.text, k=k)
                chosen = evidence.choose_sections(query.text, found)
                for passages, pick in zip(found, chosen, strict=True):
                    article = passages[0].article_id
                    if not any(g.startswith(f"{article}#") for g in gold) or len(passages) < 2:
                        continue
                    headings = corpus[article][1]
                    row = counts["english" if detect(query.text) == "en" else "other"]
                    row[0] += 1
                    row[1] += section_id(passages[0], headings) in gold
                    row[2] += section_id(pick, headings) in gold
                    break
            report = {language: {"articles": n, "retriever_best": round(a / n, 3) if n else None,
                                 "assistant": round(b / n, 3) if n else None}
                      for language, (n, a, b) in counts.items()}
            print(json.dumps({"split": split, "right_section": report}))


if __name__ == "__main__":
    main()
