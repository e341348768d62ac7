"""The embedded ticket index: BM25 over the text the caller may see, filters, order, paging, persistence."""

from dataclasses import replace
from pathlib import Path

from helpdesk.search.adapters.embedded import EmbeddedTicketIndex
from helpdesk.search.highlight import highlight, query_terms
from helpdesk.search.model import IndexQuery, SearchFilters, TicketDocument


def doc(ticket_id: str, *public: str, internal: tuple[str, ...] = (), created: int = 0, **fields: object
        ) -> TicketDocument:
    base = TicketDocument(tenant_id="acme", ticket_id=ticket_id, number=1, version=1, status="open",
                          priority="normal", channel="web", group=None, assignee_id=None, requester_id="c1",
                          requester_key="email:dana@example.com", tags=(), sla_state=None, created_at=created,
                          updated_at=created, public=public, internal=internal)
    return replace(base, **fields)  # type: ignore[arg-type]


def ids(index: EmbeddedTicketIndex, **query: object) -> list[str]:
    return [h.ticket_id for h in index.search(IndexQuery(tenant_id="acme", **query)).hits]  # type: ignore[arg-type]


def test_words_are_stemmed_internal_text_is_staff_only_and_filters_apply(tmp_path: Path) -> None:
    index = EmbeddedTicketIndex(tmp_path)
    index.upsert_many([
        doc("t1", "Refunds for annual plans", internal=("fraud suspected",), created=1, group="billing"),
        doc("t2", "I want a refund", created=2, requester_id="c2", requester_key="c2", sla_state="warning"),
        doc("t3", "Printer on fire", created=3),
    ])
    assert set(ids(index, text="refunding")) == {"t1", "t2"}
    assert ids(index, text="fraud") == []
    assert ids(index, text="fraud", internal=True) == ["t1"]
    assert ids(index, text="refund", requesters=("c2",)) == ["t2"]
    assert ids(index, text="refund", groups=("billing",)) == ["t1"]
    assert ids(index, text="refund", filters=SearchFilters(sla_state="warning")) == ["t2"]
    assert ids(index, text="", order="newest") == ["t3", "t2", "t1"]

    reopened = EmbeddedTicketIndex(tmp_path)  # another process (the CLI) sees the same file
    assert set(ids(reopened, text="refund")) == {"t1", "t2"}


def test_pages_follow_the_last_hit_and_older_versions_never_replace_newer(tmp_path: Path) -> None:
    index = EmbeddedTicketIndex(None)
    index.upsert_many([doc(f"t{i}", "printer jam", created=i) for i in range(5)])
    first = index.search(IndexQuery(tenant_id="acme", text="printer", order="newest", limit=2))
    second = index.search(IndexQuery(tenant_id="acme", text="printer", order="newest", limit=2,
                                     after=first.hits[-1].sort))
    assert [h.ticket_id for h in first.hits + second.hits] == ["t4", "t3", "t2", "t1"]
    assert second.more

    index.upsert_many([doc("t0", "new words", version=3)])
    index.upsert_many([doc("t0", "old words", version=2)])
    assert ids(index, text="new") == ["t0"]
    assert ids(index, text="old") == []
    assert index.replace_tenant("acme", [doc("t9", "only me")]) == 1
    assert ids(index, text="printer") == []


def test_snippets_mark_stemmed_matches_and_escape_html() -> None:
    terms = query_terms("refunds")
    assert highlight("<b>Refunded</b> twice", terms) == "&lt;b&gt;<mark>Refunded</mark>&lt;/b&gt; twice"
    assert highlight("nothing here", terms) is None
    long = "word " * 60 + "refund at the end"
    marked = highlight(long, terms)
    assert marked is not None
    assert marked.startswith("…")
    assert "<mark>refund</mark>" in marked


def test_a_change_is_scored_against_the_built_model_as_a_rebuild_would_score_it() -> None:
    import pytest

    from helpdesk.search.adapters.embedded import _Tenant

    docs = {f"t{i}": doc(f"t{i}", f"printer jam number {i}", "toner low" if i % 3 else "paper") for i in range(30)}
    tenant = _Tenant(dict(docs))
    tenant.scores("printer", internal=False)  # builds the model
    changed = doc("t5", "printer printer jam with a quokka", version=2)
    tenant.put([changed])

    incremental = tenant.scores("printer quokka", internal=False)
    rebuilt = _Tenant({**docs, "t5": changed}).scores("printer quokka", internal=False)
    assert set(incremental) == set(rebuilt)
    assert max(incremental, key=incremental.__getitem__) == "t5"  # a word the model never saw is found
    assert incremental["t1"] == pytest.approx(rebuilt["t1"], rel=0.05)
    # the changed ticket's words the model knew score as after a rebuild ("quokka" weighs more: it was unseen)
    assert tenant.scores("printer", internal=False)["t5"] == pytest.approx(
        _Tenant({**docs, "t5": changed}).scores("printer", internal=False)["t5"], rel=0.05)
