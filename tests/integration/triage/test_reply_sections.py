"""Reply drafts quote the section of a matching article that answers, on the sample help centre (USE embeddings,
MiniLM as the reader), decided as the chat decides (`assistant.evidence`)."""

from pathlib import Path

from helpdesk.assistant.evidence import EvidenceJudge
from helpdesk.knowledge.ports import Embedder
from helpdesk.triage.replies import GroundedHit


def by_article(grounded: list[GroundedHit]) -> dict[str, GroundedHit]:
    return {g.hit.article_id: g for g in grounded}


def shipped_judge(embedder: Embedder) -> EvidenceJudge:
    """The chat's judge as the local stack builds it: the answerability model read with MiniLM, sections chosen."""
    from helpdesk.assistant.answerability import SectionChooser, model_for
    from helpdesk.bootstrap import make_embedder
    from helpdesk.knowledge.calibration import calibration_for
    from helpdesk.settings import KnowledgeSection

    reader = make_embedder(KnowledgeSection(embedder="onnx"))
    return EvidenceJudge(embedder, model=model_for(embedder.model_id), reader=reader,
                         min_relevance=calibration_for(embedder.model_id).answer_min_relevance,
                         sections=SectionChooser(embedder, reader))


def test_a_reply_draft_quotes_and_links_the_section_that_answers(seed_kb: Path) -> None:
    from helpdesk.bootstrap import make_embedder
    from helpdesk.knowledge.adapters.embedded_index import EmbeddedIndex
    from helpdesk.knowledge.retrieval import HybridRetriever
    from helpdesk.settings import KnowledgeSection
    from helpdesk.triage.replies import TemplateReplyWriter, ground, judged_passages

    embedder = make_embedder(KnowledgeSection(embedder="use"))
    retriever = HybridRetriever(EmbeddedIndex(seed_kb / embedder.model_id, dimension=embedder.dimension), embedder)
    question = "How do I export my data?"

    best = ground(embedder, retriever, tenant_id="acme", question=question)
    chosen = judged_passages(shipped_judge(embedder), retriever, tenant_id="acme", question=question, k=4)

    # The retriever's best passage of "Export your data" is its shortest section, about importing.
    assert by_article(best)["seed-export-data"].hit.heading == "Import from another tool"
    assert chosen[0].hit.article_id == "seed-export-data"
    assert chosen[0].answers
    assert chosen[0].hit.heading == "Export a project"

    draft = TemplateReplyWriter(embedder).write(tenant_id="acme", customer_name="Dana Scully", subject="Export",
                                                question=question, language="en", grounded=chosen,
                                                generated_by="test")
    cited = {c.article_id: c for c in draft.citations}
    assert cited["seed-export-data"].anchor == "export-a-project"
    assert "Tandem imports CSV files" not in draft.text


def test_a_reply_draft_quotes_an_article_or_its_translation_once_in_the_customers_language(tmp_path: Path) -> None:
    import json

    from helpdesk.bootstrap import make_embedder
    from helpdesk.knowledge.adapters.embedded_index import EmbeddedIndex
    from helpdesk.knowledge.indexing import ArticleIndexer, IndexableArticle
    from helpdesk.knowledge.retrieval import HybridRetriever
    from helpdesk.settings import KnowledgeSection
    from helpdesk.triage.replies import ground, judged_passages

    embedder = make_embedder(KnowledgeSection(embedder="use"))
    index = EmbeddedIndex(tmp_path, dimension=embedder.dimension)
    fixtures = Path(__file__).resolve().parents[2] / "fixtures" / "ai" / "kb.json"
    articles = [IndexableArticle(tenant_id="acme", article_id=a["article_id"], version=1, title=a["title"],
                                 body=a["body"]) for a in json.loads(fixtures.read_text())]
    articles.append(IndexableArticle(
        tenant_id="acme", article_id="kb-reset-password-es", version=1, title="Restablecer la contraseña",
        language="es", translation_of="kb-reset-password",
        body="Si olvidó su contraseña, abra la página de inicio de sesión y haga clic en ¿Olvidó su contraseña?. "
             "Le enviamos un enlace para restablecerla."))
    ArticleIndexer(index, embedder).index_many(articles)
    retriever = HybridRetriever(index, embedder)
    question = "Olvidé mi contraseña, ¿cómo la restablezco?"

    anyone = [g.hit.article_id for g in ground(embedder, retriever, tenant_id="acme", question=question)]
    assert {"kb-reset-password", "kb-reset-password-es"} <= set(anyone)  # both found: the same article twice
    spanish = [g.hit.article_id for g in judged_passages(shipped_judge(embedder), retriever, tenant_id="acme",
                                                         question=question, k=4, language="es")]
    assert "kb-reset-password-es" in spanish
    assert "kb-reset-password" not in spanish
