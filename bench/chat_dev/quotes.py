"""Which sentences the offline answer quotes: does the quote hold a sentence that answers the question?

`answer_sentences.jsonl` labels, for every in-domain question of the chat dev set and its gold section, the
sentence(s) a support agent would quote as the direct answer (labelled by a helper session from the question and
the section's sentences alone, without running the assistant). For each pair the section's quotable sentences are
ranked as the offline writer ranks them (`offline.quoted_sentences`), by USE (the embedder, floor 0.25: the
baseline, and what other languages use) and by the MiniLM reader (floor 0.40: what English questions use), in the
same run: how often the best sentence is an answering one, how often the quote holds one, and its length.

    PYTHONPATH=$PWD/shared .venv/bin/python -m bench.chat_dev.quotes
"""

import json
from collections import defaultdict

from bench.chat_dev.build import HERE


def main() -> None:
    from helpdesk.assistant.adapters.offline import (
        MIN_SENTENCE_RELEVANCE,
        READER_MIN_SENTENCE_RELEVANCE,
        quotable_sentences,
        quoted_sentences,
    )
    from helpdesk.bootstrap import make_embedder
    from helpdesk.kernel.i18n import detect
    from helpdesk.settings import KnowledgeSection

    sections = {row["id"]: row["text"] for row in map(json.loads, (HERE / "corpus.jsonl").open(encoding="utf-8"))}
    questions = {row["id"]: row["text"] for split in ("val", "test")
                 for row in map(json.loads, (HERE / f"queries-{split}.jsonl").open(encoding="utf-8"))}
    rankers = {"use": (make_embedder(KnowledgeSection()), MIN_SENTENCE_RELEVANCE),
               "minilm": (make_embedder(KnowledgeSection(embedder="onnx")), READER_MIN_SENTENCE_RELEVANCE)}
    tally: dict[tuple[str, str, str], list[tuple[bool, bool, int]]] = defaultdict(list)
    unmatched = 0
    for label in map(json.loads, (HERE / "answer_sentences.jsonl").open(encoding="utf-8")):
        sentences = quotable_sentences(sections[label["section_id"]])
        answers = {i for i, s in enumerate(sentences) if s in label["answer"]}
        if len(answers) != len(label["answer"]):  # the sentence splitter changed since labelling
            unmatched += 1
            continue
        question = questions[label["query_id"]]
        split, language = label["query_id"].split("-")[0], "english" if detect(question) == "en" else "other"
        for name, (embedder, floor) in rankers.items():
            quoted = quoted_sentences(embedder, question, sentences, floor)
            tally[(split, language, name)].append((quoted[0] in answers, bool(answers & set(quoted)), len(quoted)))
    for (split, language, name), rows in sorted(tally.items()):
        n = len(rows)
        print(json.dumps({"split": split, "language": language, "ranker": name, "pairs": n,
                          "best_answers": round(sum(r[0] for r in rows) / n, 3),
                          "quote_holds_answer": round(sum(r[1] for r in rows) / n, 3),
                          "sentences_quoted": round(sum(r[2] for r in rows) / n, 2)}))
    if unmatched:
        print(json.dumps({"labels_not_matching_the_sentence_splitter": unmatched}))


if __name__ == "__main__":
    main()
