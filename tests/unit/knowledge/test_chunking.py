from itertools import pairwise

from helpdesk.knowledge.chunking import MAX_CHARS, chunk_markdown, slugify
from helpdesk.knowledge.fusion import reciprocal_rank_fusion
from helpdesk.knowledge.text import MAX_QUERY_CHARS, clean_query, clean_text


def test_sections_follow_headings_not_hashes_in_code() -> None:
    md = "Intro.\n\n# Reset\n\nGo to Settings.\n\n```\n# not a heading\n```\n\n## Still stuck?\n\nWrite to us."
    passages = chunk_markdown(md)
    assert [(p.heading, p.anchor) for p in passages] == [("Reset", "reset"), ("Still stuck?", "still-stuck")]
    assert "# not a heading" in passages[0].text


def test_a_short_intro_opens_the_first_section_and_a_long_one_stands_alone() -> None:
    passages = chunk_markdown("Reset it yourself.\n\n## Steps\n\n1. Click Forgot password.")
    assert [(p.heading, p.text) for p in passages] == [("Steps", "Reset it yourself.\n\n1. Click Forgot password.")]
    long_intro = " ".join(["This article explains every part of billing in detail."] * 8)
    passages = chunk_markdown(long_intro + "\n\n## Steps\n\nClick Billing.")
    assert [p.heading for p in passages] == [None, "Steps"]


def test_long_sections_are_bounded_and_overlap() -> None:
    sentences = [f"Step {i} explains one more detail of the export." for i in range(200)]
    passages = chunk_markdown("# Export\n\n" + " ".join(sentences), max_chars=600, overlap_chars=100)
    assert len(passages) > 5
    assert all(len(p.text) <= 600 for p in passages)
    assert all(p.heading == "Export" for p in passages)
    for previous, current in pairwise(passages):
        assert current.text.split(" … ")[0].strip() in previous.text
        assert len(current.text.split(" … ")) == 2  # each window starts with the last one's tail
    joined = " ".join(p.text for p in passages)
    assert all(s in joined for s in sentences)  # nothing is lost at a cut


def test_a_single_giant_word_is_cut_hard() -> None:
    passages = chunk_markdown("x" * 5000)
    assert all(len(p.text) <= MAX_CHARS for p in passages)
    assert sum(len(p.text) for p in passages) >= 5000


def test_empty_and_heading_only_articles() -> None:
    assert chunk_markdown("   \n\n ") == []
    assert [p.text for p in chunk_markdown("# Contact support")] == ["Contact support"]


def test_text_cleaning() -> None:
    assert clean_text("a\x00b\x1b[31m\r\nc\t\td") == "a b [31m\nc d"
    assert clean_query("  " + "word " * 1000) == ("word " * 1000).strip()[:MAX_QUERY_CHARS]
    assert clean_query("\x00\x07") == ""
    assert slugify("Ça marche? Yes!") == "ca-marche-yes"


def test_rrf_prefers_items_both_lists_agree_on() -> None:
    fused = reciprocal_rank_fusion([["a", "b", "c"], ["b", "d", "a"]])
    assert [item for item, _ in fused] == ["b", "a", "d", "c"]
    assert fused[0][1] == 1 / 62 + 1 / 61
