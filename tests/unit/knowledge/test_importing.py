from pathlib import Path

from helpdesk.knowledge.importing import ImportedArticle, ImportProblem, iter_articles, read_markdown

ROOT = Path(__file__).resolve().parents[3]


def test_front_matter_and_fallback_titles(tmp_path: Path) -> None:
    (tmp_path / "with-meta.md").write_text("---\ntitle: Plans\ntags: [billing]\nvisibility: internal\n---\nBody.")
    (tmp_path / "with_h1.md").write_text("# Export data\n\nHow to export.")
    (tmp_path / "plain-notes.md").write_text("Just text.")
    (tmp_path / "README.md").write_text("not an article")
    items = list(iter_articles(tmp_path, id_prefix="kb-"))
    assert [(i.id, i.title, i.visibility, i.tags) for i in items if isinstance(i, ImportedArticle)] == [
        ("kb-plain-notes", "Plain notes", "public", []),
        ("kb-with-meta", "Plans", "internal", ["billing"]),
        ("kb-with_h1", "Export data", "public", []),
    ]


def test_bad_rows_are_reported_not_fatal(tmp_path: Path) -> None:
    source = tmp_path / "rows.jsonl"
    source.write_text('{"id": "a", "title": "A", "text": "alpha"}\n\n{"id": "b", "title": "B"}\nnot json\n'
                      '{"id": "../x", "title": "X", "text": "x"}\n')
    items = list(iter_articles(source))
    assert [i.id for i in items if isinstance(i, ImportedArticle)] == ["a"]
    assert [p.source for p in items if isinstance(p, ImportProblem)] == [f"{source}:3", f"{source}:4", f"{source}:5"]


def test_the_seed_help_center_is_valid() -> None:
    folder = ROOT / "infra" / "seed" / "knowledge"
    items = [i for i in iter_articles(folder, id_prefix="seed-") if isinstance(i, ImportedArticle)]
    assert len(items) == len(list(folder.glob("*.md"))) - 1  # every file but the README parses
    assert len(items) >= 10
    assert len({i.id for i in items}) == len(items)
    assert {i.visibility for i in items} == {"public", "internal"}
    assert read_markdown(folder / "refunds.md").title == "Refund policy"
    assert read_markdown(folder / "refunds.md").section == "Billing and plans"
    assert all(i.section for i in items)  # the sample help centre lists every article under a section


def test_translations_name_their_original_and_come_after_every_original(tmp_path: Path) -> None:
    """`translation_of` names the original as its own id is made (a file's stem, with the prefix); a translation
    is read after every original, so it is imported once its original exists, whatever the files' order."""
    (tmp_path / "a-passwort.md").write_text("---\nlanguage: de\ntranslation_of: reset-password\n---\n# Passwort\n\nx")
    (tmp_path / "reset-password.md").write_text("# Reset your password\n\nx")
    items = [i for i in iter_articles(tmp_path, id_prefix="kb-") if isinstance(i, ImportedArticle)]
    assert [(i.id, i.translation_of) for i in items] == [("kb-reset-password", None),
                                                         ("kb-a-passwort", "kb-reset-password")]
    rows = tmp_path / "rows.jsonl"
    rows.write_text('{"id": "b-de", "title": "B", "text": "b", "language": "de", "translation_of": "b"}\n'
                    '{"id": "b", "title": "B", "text": "b"}\n')
    assert [i.id for i in iter_articles(rows) if isinstance(i, ImportedArticle)] == ["b", "b-de"]
    assert items[1].as_new_article().translation_of == "kb-reset-password"
