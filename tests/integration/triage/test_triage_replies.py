"""Reply drafts through the LLM port (here the chat capability's offline LlmPort, a real implementation)."""

from pathlib import Path

from helpdesk.triage.replies import LlmReplyWriter, TemplateReplyWriter, ground


def test_llm_writer_answers_from_passages_and_cites(published_articles: list[str], triage_env: Path) -> None:
    from helpdesk.ai.wiring import offline_llm
    from helpdesk.knowledge.wiring import embedder, retriever

    grounded = ground(embedder(), retriever(), tenant_id="acme", question="How long does a card refund take?")
    writer = LlmReplyWriter(offline_llm(), TemplateReplyWriter())
    draft = writer.write(customer_name="Dana", subject="refund", question="How long does a card refund take?",
                         language="en", grounded=grounded, generated_by="ai")
    assert draft.method == writer.method
    assert draft.method.startswith("llm:offline:")
    assert [c.article_id for c in draft.citations] == ["kb_refunds"]
    assert "5 business days" in draft.text or "3 to 5 days" in draft.text


def test_llm_writer_falls_back_to_template_without_passages(triage_env: Path) -> None:
    from helpdesk.ai.wiring import offline_llm

    writer = LlmReplyWriter(offline_llm(), TemplateReplyWriter())
    draft = writer.write(customer_name=None, subject="x", question="Where is the moon?", language="en",
                         grounded=[], generated_by="ai")
    assert draft.method == "template:retrieved-passages"
    assert draft.citations == []
    assert draft.level == "low"
    assert any("no grounded answer" in n for n in draft.notes)


def test_other_tenant_articles_are_never_cited(published_articles: list[str], triage_env: Path) -> None:
    from helpdesk.knowledge.wiring import embedder, retriever

    assert ground(embedder(), retriever(), tenant_id="globex", question="How do I reset my password?") == []
