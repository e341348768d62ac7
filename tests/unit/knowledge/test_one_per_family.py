"""An article and its translations are one search result for a reader: once, at the best one's place, in the
reader's language where the search found it."""

from helpdesk.knowledge.ports import SearchHit
from helpdesk.knowledge.retrieval import one_per_family


def hit(article_id: str, language: str = "en", translation_of: str | None = None) -> SearchHit:
    return SearchHit(article_id=article_id, chunk_id=f"{article_id}#0", title=article_id, text="", score=1.0,
                     language=language, translation_of=translation_of)


def test_the_readers_language_takes_the_familys_best_place() -> None:
    found = [hit("reset"), hit("refunds"), hit("reset-de", "de", "reset"), hit("reset-es", "es", "reset")]
    assert [h.article_id for h in one_per_family(found, "de-CH")] == ["reset-de", "refunds"]
    assert [h.article_id for h in one_per_family(found, "en")] == ["reset", "refunds"]
    assert [h.article_id for h in one_per_family(found, "fr")] == ["reset", "refunds"]  # none in French: the best
    assert [h.article_id for h in one_per_family(found, None)] == ["reset", "refunds"]


def test_a_translation_found_first_stands_for_its_original_and_sections_work_alike() -> None:
    found = [[hit("reset-de", "de", "reset"), hit("reset-de", "de", "reset")], [hit("reset")], [hit("refunds")]]
    assert [s[0].article_id for s in one_per_family(found, "en")] == ["reset", "refunds"]
    assert [len(s) for s in one_per_family(found, "de")] == [2, 1]  # an article's passages stay together
