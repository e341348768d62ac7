"""Which articles a rating counts: the answer's stored citations, each article once, a few at most."""

from typing import Any

from helpdesk.chat.feedback import MAX_ARTICLES_COUNTED, cited_articles
from helpdesk.chat.model import CitedArticle


def test_each_cited_article_is_counted_once_in_the_answers_order() -> None:
    citations: list[Any] = [{"article_id": "kb-b", "title": "B", "url": None},
                            {"article_id": "kb-a", "title": "  A  "},
                            {"article_id": "kb-b", "title": "B again"}]
    assert cited_articles(citations) == [CitedArticle(article_id="kb-b", title="B"),
                                         CitedArticle(article_id="kb-a", title="A")]


def test_a_malformed_citation_is_skipped_and_a_missing_title_is_the_id() -> None:
    citations: list[Any] = ["kb-a", {"title": "no id"}, {"article_id": "KB#other#HELPFUL"}, {"article_id": 7},
                            {"article_id": "kb-c", "title": ""}, {"article_id": "kb-d", "title": "x" * 1000}]
    assert cited_articles(citations) == [CitedArticle(article_id="kb-c", title="kb-c"),
                                         CitedArticle(article_id="kb-d", title="x" * 300)]
    assert cited_articles(None) == cited_articles({"article_id": "kb-a"}) == []


def test_an_answer_citing_many_articles_counts_the_first_few() -> None:
    citations = [{"article_id": f"kb-{n}", "title": str(n)} for n in range(MAX_ARTICLES_COUNTED + 3)]
    assert [a.article_id for a in cited_articles(citations)] == [f"kb-{n}" for n in range(MAX_ARTICLES_COUNTED)]
