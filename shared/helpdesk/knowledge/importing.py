"""Read articles from files for `helpdesk kb import` and the local seed: JSONL rows or Markdown files.

JSONL rows are `{"id", "title", "text"}` (extra keys `tags`, `visibility`, `language`, `section`, `translation_of`
are honoured). A Markdown file may start with YAML front matter (`title`, `tags`, `visibility`, `language`,
`section`, `translation_of`); without it the first `# heading` is the title, else the file name. The article id is
the row id, or `<prefix><file stem>`, so importing again updates the same articles instead of duplicating them.
`translation_of` names the original the same way (a row's id, a file's stem); translations come after every
original, whatever order the rows or files are in, so their originals exist when they are imported.
"""

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field, ValidationError, field_validator

from helpdesk.knowledge.articles import (
    ARTICLE_ID_PATTERN,
    LANGUAGE_PATTERN,
    MAX_BODY_BYTES,
    MAX_SECTION_CHARS,
    MAX_TITLE_CHARS,
)
from helpdesk.knowledge.ports import KnowledgeIndex, Visibility
from helpdesk.knowledge.service import NewArticle

_FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*(?:\n|\Z)", re.DOTALL)
_H1 = re.compile(r"^#\s+(.+?)\s*#*\s*$", re.MULTILINE)


class ImportedArticle(BaseModel):
    id: str = Field(pattern=ARTICLE_ID_PATTERN)
    title: str = Field(min_length=1, max_length=MAX_TITLE_CHARS)
    text: str = Field(min_length=1)
    tags: list[str] = Field(default_factory=list, max_length=20)
    visibility: Visibility = "public"
    language: str = Field(default="en", pattern=LANGUAGE_PATTERN)
    section: str = Field(default="", max_length=MAX_SECTION_CHARS)
    translation_of: str | None = Field(default=None, pattern=ARTICLE_ID_PATTERN)

    def as_new_article(self) -> NewArticle:
        return NewArticle(id=self.id, title=self.title, body=self.text, tags=self.tags, visibility=self.visibility,
                          language=self.language, section=self.section, translation_of=self.translation_of)

    @field_validator("text")
    @classmethod
    def _bounded(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("text is blank")
        if len(value.encode()) > MAX_BODY_BYTES:
            raise ValueError(f"text is over {MAX_BODY_BYTES} bytes")
        return value


class ImportProblem(BaseModel):
    source: str
    message: str


def _slug_id(stem: str, prefix: str) -> str:
    return (prefix + re.sub(r"[^A-Za-z0-9_.-]+", "-", stem).strip("-."))[:128]


def read_markdown(path: Path, id_prefix: str = "") -> ImportedArticle:
    raw = path.read_text(encoding="utf-8")
    meta: dict[str, Any] = {}
    match = _FRONT_MATTER.match(raw)
    if match:
        import yaml

        loaded = yaml.safe_load(match.group(1)) or {}
        if not isinstance(loaded, dict):
            raise ValueError("front matter is not a mapping")
        meta, raw = loaded, raw[match.end():]
    title = meta.get("title")
    if not title:
        heading = _H1.search(raw)
        title = heading.group(1) if heading else path.stem.replace("-", " ").replace("_", " ").capitalize()
    return ImportedArticle(id=str(meta.get("id") or _slug_id(path.stem, id_prefix)), title=str(title).strip(),
                           text=raw.strip(), tags=[str(t) for t in meta.get("tags") or []],
                           visibility=meta.get("visibility", "public"), language=str(meta.get("language", "en")),
                           section=str(meta.get("section") or "").strip(),
                           translation_of=_slug_id(str(meta["translation_of"]), id_prefix)
                           if meta.get("translation_of") else None)


def iter_articles(source: Path, id_prefix: str = "") -> Iterator[ImportedArticle | ImportProblem]:
    """Every article in a JSONL file, a Markdown file or a folder of Markdown files, originals before translations;
    problems inline."""
    translations: list[ImportedArticle] = []
    for item in _read_articles(source, id_prefix):
        if isinstance(item, ImportedArticle) and item.translation_of:
            translations.append(item)
        else:
            yield item
    yield from translations


def _read_articles(source: Path, id_prefix: str) -> Iterator[ImportedArticle | ImportProblem]:
    if source.is_dir():
        for path in sorted(source.glob("*.md")):
            if path.name.lower() == "readme.md":
                continue
            try:
                yield read_markdown(path, id_prefix)
            except (ValueError, ValidationError, UnicodeDecodeError) as exc:
                yield ImportProblem(source=str(path), message=str(exc).splitlines()[0][:300])
    elif source.suffix.lower() in (".md", ".markdown"):
        try:
            yield read_markdown(source, id_prefix)
        except (ValueError, ValidationError, UnicodeDecodeError) as exc:
            yield ImportProblem(source=str(source), message=str(exc).splitlines()[0][:300])
    else:
        with source.open(encoding="utf-8") as handle:
            for number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                try:
                    yield ImportedArticle.model_validate_json(line)
                except ValidationError as exc:
                    yield ImportProblem(source=f"{source}:{number}", message=str(exc).splitlines()[0][:300])


def count_articles(source: Path) -> int:
    if source.is_dir():
        return len([p for p in source.glob("*.md") if p.name.lower() != "readme.md"])
    if source.suffix.lower() in (".md", ".markdown"):
        return 1
    with source.open(encoding="utf-8") as handle:
        return sum(1 for line in handle if line.strip())


@contextmanager
def indexed_in_bulk(index: KnowledgeIndex) -> Iterator[None]:
    """Around an import of many articles: the embedded index (the local stack's) rewrites its file once at the end
    instead of once per article; other indexes write as they go."""
    from helpdesk.knowledge.adapters.embedded_index import EmbeddedIndex

    if isinstance(index, EmbeddedIndex):
        with index.bulk():
            yield
    else:
        yield
