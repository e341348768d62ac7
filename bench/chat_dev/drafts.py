"""Which articles the agents' reply drafts cite, on the chat dev set, beside how drafts chose them before.

Each question is drafted for as triage drafts for a ticket whose subject it is, as the local stack does (USE, the
answerability model read with MiniLM, the offline writer); `tests/integration/triage/test_drafts_cite_as_the_chat.py`
checks that triage's own drafts cite the same. Outcomes as `helpdesk chat eval` counts
them: an answerable question's draft cites a gold section (grounded), only wrong ones (misleading) or nothing
(acknowledges only); an out-of-domain question's draft should cite nothing. The baseline is the rule drafts
followed until the fortieth session: the retriever's first three articles, the two with a cosine to the question
of at least 0.30 (`knowledge.calibration`'s former `grounding` for USE), in cosine order.

It also prints how well a draft's confidence tells a draft citing a right section from one citing only wrong ones
(out-of-domain questions' citations included), as the ROC AUC over the drafts that cite: the shipped confidence (the
answerability model's probability where it decided) beside the former one (the cosine plus 0.1).

    PYTHONPATH=$PWD/shared .venv/bin/python -m bench.chat_dev.drafts [--split val test]
"""

import argparse
from pathlib import Path

HERE = Path(__file__).resolve().parent
FORMER_GROUNDING = 0.30
FORMER_CANDIDATES = 3
CITED = 2


def main() -> None:
    from helpdesk.bootstrap import make_embedder
    from helpdesk.chat.evaluation import EVAL_TENANT, ChatEvaluation, outcome_of
    from helpdesk.knowledge.evaluation import CorpusRow, QueryRow, read_jsonl, read_qrels
    from helpdesk.local.evaluation import offline_container
    from helpdesk.settings import KnowledgeSection
    from helpdesk.triage.replies import ground, judged_passages

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--split", nargs="+", default=["val", "test"])
    args = parser.parse_args()
    qrels = read_qrels(HERE / "qrels.tsv")
    embedder = make_embedder(KnowledgeSection(embedder="use"))
    with offline_container(embedder, EVAL_TENANT) as container:
        ChatEvaluation(container, read_jsonl(HERE / "corpus.jsonl", CorpusRow))
        k = container.settings.ai.passages
        print(f"{'split':6} {'rule':9} {'grounded':>9} {'misleading':>11} {'acknowledged':>13} {'OOD cited':>10}")
        for split in args.split:
            counts = {rule: {"grounded": 0, "misleading": 0, "abstained": 0, "ood_cited": 0}
                      for rule in ("shipped", "former")}
            sure: dict[bool, list[tuple[float, float]]] = {True: [], False: []}  # right? -> (shipped, former)
            questions = read_jsonl(HERE / f"queries-{split}.jsonl", QueryRow)
            for question in questions:
                gold = qrels.get(question.id, set())
                judged = judged_passages(container.evidence, container.retriever, tenant_id=EVAL_TENANT,
                                         question=question.text, k=k, language="en")
                draft = container.triage.replies.write(tenant_id=EVAL_TENANT, customer_name=None, subject="",
                                                       question=question.text, language="en", grounded=judged,
                                                       generated_by="bench")
                shipped = [c.article_id for c in draft.citations]
                if shipped:
                    first = judged[0]
                    sure[outcome_of(shipped, gold) == "grounded"].append((draft.confidence,
                                                                          min(0.9, first.similarity + 0.1)))
                scored = ground(embedder, container.retriever, tenant_id=EVAL_TENANT, question=question.text,
                                k=FORMER_CANDIDATES)
                former = [g.hit.article_id for g in scored if g.similarity >= FORMER_GROUNDING][:CITED]
                for rule, cited in (("shipped", shipped), ("former", former)):
                    if gold:
                        counts[rule][outcome_of(cited, gold)] += 1
                    elif cited:
                        counts[rule]["ood_cited"] += 1
            answerable = sum(1 for q in questions if qrels.get(q.id))
            unanswerable = len(questions) - answerable
            for rule, c in counts.items():
                print(f"{split:6} {rule:9} {c['grounded'] / answerable:9.4f} {c['misleading'] / answerable:11.4f} "
                      f"{c['abstained'] / answerable:13.4f} {c['ood_cited'] / unanswerable:10.4f}")
            for which, name in ((0, "shipped"), (1, "former")):
                right, wrong = [s[which] for s in sure[True]], [s[which] for s in sure[False]]
                print(f"{split:6} confidence {name:8} ROC AUC right vs wrong drafts {_auroc(right, wrong):.3f} "
                      f"({len(right)} right, {len(wrong)} wrong)")


def _auroc(positive: list[float], negative: list[float]) -> float:
    """The chance a right draft's confidence is above a wrong one's (ties count half)."""
    if not positive or not negative:
        return float("nan")
    pairs = sum((p > n) + 0.5 * (p == n) for p in positive for n in negative)
    return pairs / (len(positive) * len(negative))


if __name__ == "__main__":
    main()
