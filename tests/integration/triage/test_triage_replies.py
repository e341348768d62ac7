"""Reply drafts through the LLM port (here the chat capability's offline LlmPort, a real implementation)."""

from pathlib import Path

import pytest

from helpdesk.knowledge.links import ArticleLinks
from helpdesk.knowledge.ports import SearchHit
from helpdesk.triage.model import ReplyDraft
from helpdesk.triage.replies import (
    GroundedHit,
    LlmReplyWriter,
    ReplyWriter,
    TemplateReplyWriter,
    ground,
    judged_passages,
)
from tests.conftest import rebuild


def test_llm_writer_answers_from_passages_and_cites(published_articles: list[str], triage_env: Path) -> None:
    from helpdesk import bootstrap

    c = bootstrap.container()
    grounded = judged_passages(c.evidence, c.retriever, tenant_id="acme", question="How long does a card refund take?",
                               k=4)
    writer = LlmReplyWriter(c.offline_llm, TemplateReplyWriter())
    draft = writer.write(tenant_id="acme", customer_name="Dana", subject="refund",
                         question="How long does a card refund take?", language="en", grounded=grounded,
                         generated_by="ai")
    assert draft.method == writer.method
    assert draft.method.startswith("llm:offline:")
    assert [c.article_id for c in draft.citations] == ["kb_refunds"]
    assert "5 business days" in draft.text or "3 to 5 days" in draft.text


def test_drafts_end_with_links_to_the_articles_they_cite(triage_env: Path) -> None:
    """The [n] markers resolve for the customer: the help centre's page of an article, or the address it was
    imported with. Both writers; a writer without a portal address leaves the text as it was."""
    from helpdesk import bootstrap

    portal = "https://help.example.com/portal/"
    grounded = [
        GroundedHit(SearchHit(article_id="kb refunds/2", chunk_id="c1", title="Refund policy", score=1.0,
                              text="Card refunds reach your card within 3 to 5 days after we receive the return."),
                    0.8, answers=True),
        GroundedHit(SearchHit(article_id="kb_returns", chunk_id="c2", title="Returns", score=0.9,
                              url="https://docs.example.com/returns",
                              text="Returns are free within 30 days: print the label from your order page."), 0.7,
                    answers=True)]

    def ask(writer: ReplyWriter) -> ReplyDraft:
        return writer.write(tenant_id="acme", customer_name="Dana", subject="refund",
                            question="How long does a card refund take?", language="en", grounded=grounded,
                            generated_by="ai")

    template = ask(TemplateReplyWriter(links=ArticleLinks(portal)))
    assert template.text.endswith("\n\n[1] Refund policy: https://help.example.com/portal/#/help/acme/kb%20refunds%2F2\n"
                                  "[2] Returns: https://docs.example.com/returns"), template.text
    assert "reach your card within 3 to 5 days after we receive the return. [1]" in template.text

    llm = LlmReplyWriter(bootstrap.container().offline_llm, TemplateReplyWriter(), links=ArticleLinks(portal))
    answered = ask(llm)
    assert answered.method == llm.method
    links = {"kb refunds/2": "https://help.example.com/portal/#/help/acme/kb%20refunds%2F2",
             "kb_returns": "https://docs.example.com/returns"}
    assert answered.citations
    assert answered.text.endswith("\n\n" + "\n".join(f"[{n}] {c.title}: {links[c.article_id]}"
                                                     for n, c in enumerate(answered.citations, start=1)))

    assert "https://" not in ask(TemplateReplyWriter()).text
    # a help centre that is not public: the portal's page behind sign-in (the public one would answer 404)
    private = ask(TemplateReplyWriter(links=ArticleLinks(portal, lambda tenant_id: False)))
    assert "[1] Refund policy: https://help.example.com/portal/#/kb/kb%20refunds%2F2\n" in private.text


def test_llm_writer_falls_back_to_template_without_passages(triage_env: Path) -> None:
    from helpdesk import bootstrap

    writer = LlmReplyWriter(bootstrap.container().offline_llm, TemplateReplyWriter())
    draft = writer.write(tenant_id="acme", customer_name=None, subject="x", question="Where is the moon?",
                         language="en", grounded=[], generated_by="ai")
    assert draft.method == "template:retrieved-passages"
    assert draft.citations == []
    assert draft.level == "low"
    assert any("no grounded answer" in n for n in draft.notes)


def test_other_tenant_articles_are_never_cited(published_articles: list[str], triage_env: Path) -> None:
    from helpdesk import bootstrap

    c = bootstrap.container()
    assert ground(c.embedder, c.retriever, tenant_id="globex", question="How do I reset my password?") == []
    assert judged_passages(c.evidence, c.retriever, tenant_id="globex", question="How do I reset my password?",
                           k=4) == []


def test_llm_port_classifies_and_events_carry_its_model(published_articles: list[str], triage_env: Path) -> None:
    from helpdesk import bootstrap
    from helpdesk.intents.classifier import NearestExampleIntentClassifier
    from helpdesk.intents.tenant_categories import TenantCategories
    from helpdesk.kernel.principal import Principal, Role, system_principal
    from helpdesk.tickets.model import Requester
    from helpdesk.tickets.service import CreateTicket
    from helpdesk.triage.llm_classifier import LlmIntentClassifier
    from helpdesk.triage.service import Triage

    llm = bootstrap.container().offline_llm
    c = bootstrap.container()
    categories = TenantCategories(
        c.taxonomy_store, lambda catalog: LlmIntentClassifier(llm, catalog, NearestExampleIntentClassifier(c.embedder,
                                                                                                            catalog)))
    engine = Triage(c.ticket_service, c.triage_store, c.triage_settings, c.ticket_vectors, c.embedder, categories,
                    c.retriever, LlmReplyWriter(llm, TemplateReplyWriter(c.embedder)), model=llm.model_id,
                    evidence=c.evidence)
    ticket = bootstrap.container().ticket_service.create(system_principal("acme", "email"), CreateTicket(
        subject="Refund", description="I returned the shoes, how long until the refund reaches my card?",
        requester=Requester(id="cust-1")))
    result = engine.run(ticket)
    assert result.model == llm.model_id
    assert result.category.value == "REFUND"
    assert result.category.method == f"llm:offline:{llm.model_id}"
    assert result.group.method.startswith(f"llm:offline:{llm.model_id}")
    assert result.reply is not None
    assert result.reply.method.startswith("llm:offline:")
    agent = Principal(user_id="a", tenant_id="acme", role=Role.AGENT)
    ai_events = [e for e in bootstrap.container().ticket_service.events(agent, ticket.id) if e.actor == "ai"]
    assert ai_events
    assert {e.data["model"] for e in ai_events} == {llm.model_id}


def test_offline_provider_means_embedded_triage(triage_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from helpdesk import bootstrap

    monkeypatch.setenv("HELPDESK_AI_PROVIDER", "offline")
    rebuild()
    try:
        assert bootstrap.container().configured_llm() is None
        assert bootstrap.container().triage.model == "embedded"
    finally:
        rebuild()
