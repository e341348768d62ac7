"""Zammad's knowledge base as help centre articles: `POST /api/v1/knowledge_bases/init` lists its locales, categories,
answers and their translations (no bodies); each answer's bodies come with
`GET /api/v1/knowledge_bases/{kb}/answers/{id}?full=1&include_contents=1` (one request per answer, every translation).

An answer published there is published (with `--publish`), one marked internal is an internal article (agents only),
one neither is a draft; archived ones stay there. Each translation is an article of its own: the knowledge base's
primary locale keeps the answer's id, the others `<id>-<locale>` and are its translations here (the help centre
lists them as one, in the reader's language). A translation's language is its locale's, when
the answer names the system locale (a `Locale` asset); else it is read from its text. The category is the section.
Pictures in an answer are Zammad's own attachments (`/api/v1/attachments/<id>`): made absolute, so the import fetches
them from Zammad, with the token, like any picture."""

import re
from collections.abc import Iterator
from typing import Any

from helpdesk.imports.adapters.http import HelpdeskApi
from helpdesk.imports.model import SourceArticle

_RELATIVE_SRC = re.compile(r"""(\ssrc=["'])(/[^/"'][^"']*)""", re.IGNORECASE)


def knowledge_base_articles(api: HelpdeskApi) -> Iterator[SourceArticle]:
    found = api.post("/api/v1/knowledge_bases/init", {}, missing_ok=True)
    assets: dict[str, Any] = found.get("assets", found) if isinstance(found, dict) else {}  # [] without a KB
    locales = _table(assets, "KnowledgeBaseLocale")
    system_locales = _table(assets, "Locale")
    categories = _table(assets, "KnowledgeBaseCategory")
    category_titles = {(str(t.get("category_id")), str(t.get("kb_locale_id"))): str(t.get("title") or "")
                       for t in _table(assets, "KnowledgeBaseCategoryTranslation").values()}
    translations = _table(assets, "KnowledgeBaseAnswerTranslation")
    for answer_id, answer in sorted(_table(assets, "KnowledgeBaseAnswer").items(), key=lambda kv: _number(kv[0])):
        if answer.get("archived_at"):
            continue
        category = categories.get(str(answer.get("category_id")), {})
        kb_id = category.get("knowledge_base_id") or next(iter(_table(assets, "KnowledgeBase")), None)
        full = api.get_object(f"/api/v1/knowledge_bases/{kb_id}/answers/{answer_id}",
                              {"full": "1", "include_contents": "1"})
        contents = _table(full.get("assets", full), "KnowledgeBaseAnswerTranslationContent")
        found = [t for t in (translations.get(str(i)) for i in answer.get("translation_ids") or []) if t is not None]
        primary = [t for t in found if locales.get(str(t.get("kb_locale_id")), {}).get("primary")]
        for t in primary + [t for t in found if t not in primary]:  # the original first: the others translate it
            kb_locale = locales.get(str(t.get("kb_locale_id")), {})
            html = str(contents.get(str(t.get("content_id")), {}).get("body") or "")
            locale = _locale(system_locales.get(str(kb_locale.get("system_locale_id")), {}), html)
            yield SourceArticle(
                id=answer_id if kb_locale.get("primary") else f"{answer_id}-{locale.lower()}",
                title=str(t.get("title") or answer_id), html=_absolute_pictures(html, api.base), locale=locale,
                section=category_titles.get((str(answer.get("category_id")), str(t.get("kb_locale_id"))), ""),
                labels=[str(tag) for tag in answer.get("tags") or []],
                draft=not answer.get("published_at") and not answer.get("internal_at"),
                restricted=bool(answer.get("internal_at")) and not answer.get("published_at"),
                translation_of=answer_id if primary and not kb_locale.get("primary") else None)


def _table(assets: Any, name: str) -> dict[str, dict[str, Any]]:
    """One asset table by id (Zammad names them by model: `KnowledgeBaseAnswer`, ...)."""
    table = assets.get(name) if isinstance(assets, dict) else None
    return {str(k): v for k, v in table.items() if isinstance(v, dict)} if isinstance(table, dict) else {}


def _locale(system_locale: dict[str, Any], html: str) -> str:
    """`en-us` as Zammad names its locales; without it, the language the text is written in."""
    if system_locale.get("locale"):
        return str(system_locale["locale"])
    from helpdesk.imports.adapters.http import html_text
    from helpdesk.kernel.i18n import identify

    return identify(html_text(html)) or "en"


def _absolute_pictures(html: str, base: str) -> str:
    return _RELATIVE_SRC.sub(lambda m: f"{m.group(1)}{base}{m.group(2)}", html)


def _number(value: str) -> int:
    return int(value) if value.isdigit() else 0
