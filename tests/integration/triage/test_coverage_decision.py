"""Whether a published article already answers a resolved ticket's question (the knowledge loop's "covered"), on the
sample help centre with the shipped configuration (USE, the answerability model read with MiniLM): the chat's
answer-or-abstain decision where the model reads the question, the cosine threshold otherwise."""

from collections.abc import Callable
from pathlib import Path

import pytest

from helpdesk.triage.knowledge_loop import Coverage, coverage

CHARGED_TWICE = ("Charged twice for my March invoice\nMy card was charged twice for invoice INV-2031 this month. Could "
                 "you refund the duplicate payment?")
Decide = Callable[[str, float | None], Coverage]  # the question, the tenant's own threshold (None: not set)
NEW_FIX = ("Exporting a board to PDF crashes the desktop app\nEvery time I export a board to PDF the desktop app "
           "closes with error E42.")


@pytest.fixture(scope="module")
def decide(seed_kb: Path) -> Decide:
    from helpdesk.bootstrap import make_embedder, make_evidence, make_reader
    from helpdesk.knowledge.adapters.embedded_index import EmbeddedIndex
    from helpdesk.knowledge.retrieval import HybridRetriever
    from helpdesk.settings import AiSection, KnowledgeSection

    kb = KnowledgeSection(embedder="use")
    embedder = make_embedder(kb)
    retriever = HybridRetriever(EmbeddedIndex(seed_kb / embedder.model_id, dimension=embedder.dimension), embedder)
    evidence = make_evidence(embedder, make_reader(kb, embedder.model_id), AiSection())
    assert evidence.model is not None, "the shipped answerability model needs MiniLM, its reader: is it installed?"

    def run(question: str, configured: float | None) -> Coverage:
        return coverage(evidence, embedder, retriever, tenant_id="acme", question=question, configured=configured,
                        passages=4)

    return run


def test_an_article_that_answers_the_question_covers_it(decide: Decide) -> None:
    charged = decide(CHARGED_TWICE, None)
    assert charged.article_id == "seed-refunds"  # the "charged twice", which the refund article covers
    assert charged.why is not None
    assert "the chat would answer from it" in charged.why
    # The help centre's own question: the single cosine (0.445 < 0.48) said no article covered it.
    assert decide("How do I reset my password?", None).article_id == "seed-reset-password"
    assert decide("How do I reset my password?", 0.48).article_id is None


def test_a_new_fix_is_not_covered_and_other_ways_of_deciding_stay(decide: Decide) -> None:
    new = decide(NEW_FIX, None)
    assert new.article_id is None
    assert new.score is not None
    assert new.score < 0.5  # the model's probability, recorded on the resolution
    # A tenant's own threshold is a cosine: it decides as it always did.
    assert decide(CHARGED_TWICE, 0.99).article_id is None
    # A question the model's reader does not read (German) is decided by the cosine threshold.
    german = decide("Zweimal abgebucht\nMeine Karte wurde für die Rechnung zweimal belastet.", None)
    assert german.score == decide("Zweimal abgebucht\nMeine Karte wurde für die Rechnung zweimal belastet.", 0.48).score
