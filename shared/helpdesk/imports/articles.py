"""The old helpdesk's help centre as articles here. Bodies are HTML there and Markdown here: markdownify turns one into
the other keeping headings as headings, so the chat still answers from the section that answers. Each article keeps
its id (`zendesk-<id>`): a rerun updates what changed there and leaves alone what a person changed here (as
`helpdesk kb import` does). Drafts for a person to review, unless the operator publishes what was published there."""

import re
import uuid
from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import urlsplit

from pydantic import ValidationError

from helpdesk.imports.model import ArticleImportReport, SourceArticle, SourceFile
from helpdesk.imports.ports import FileUnavailable, HelpdeskSource
from helpdesk.kernel.errors import DomainError
from helpdesk.kernel.principal import Principal
from helpdesk.knowledge.images import ArticleImages, image_path, importable_picture
from helpdesk.knowledge.importing import ImportedArticle
from helpdesk.knowledge.service import KnowledgeService


def as_markdown(html: str) -> str:
    """Markdown of an article's HTML: ATX headings, `-` bullets. The HTML is sanitised first (nh3, as mail's is):
    scripts and styles go with their text, and so does any markup this helpdesk would not show."""
    import nh3
    from markdownify import markdownify

    text: str = markdownify(nh3.clean(html), heading_style="ATX", bullets="-")
    lines = [line.rstrip() for line in text.strip().splitlines()]
    squeezed: list[str] = []
    for line in lines:  # markdownify leaves runs of blank lines between blocks
        if line or (squeezed and squeezed[-1]):
            squeezed.append(line)
    return "\n".join(squeezed)


def language_tag(locale: str) -> str:
    """A help centre locale as a language tag: `en-us` -> `en-US`, `de` -> `de`."""
    primary, _, region = locale.strip().partition("-")
    return f"{primary.lower()}-{region.upper()}" if region else primary.lower() or "en"


_PICTURE = re.compile(r"!\[([^\]]*)\]\((https?://[^)\s]+)((?:\s+\"[^\"]*\")?)\)")


@dataclass
class _Picture:
    url: str
    image_id: str
    data: bytes | None  # fetched now; None when stored by an earlier run


class ArticleImport:
    def __init__(self, knowledge: KnowledgeService, images: ArticleImages, *, max_picture_bytes: int) -> None:
        self._knowledge = knowledge
        self._images = images
        self._max_picture_bytes = max_picture_bytes

    def run(self, caller: Principal, source: HelpdeskSource, *, publish: bool = False,
            dry_run: bool = False) -> ArticleImportReport:
        report = ArticleImportReport()
        for old in source.articles():
            try:
                article = self._article(source.name, old)
                if dry_run:
                    outcome = "would import"
                else:
                    pictures = self._pictures(caller, source, article, report)
                    body = _pointing_here(article.text, pictures, caller, article.id)
                    outcome = self._knowledge.import_article(
                        caller, article.as_new_article().model_copy(update={"body": body}),
                        publish=publish and not old.draft)
                    self._store(caller, article.id, pictures, report)
            except (ValidationError, DomainError) as exc:
                message = exc.message if isinstance(exc, DomainError) else "; ".join(
                    f"{'.'.join(str(part) for part in error['loc'])}: {error['msg']}" for error in exc.errors()[:3])
                report.skipped.append(f"article {old.id} ({old.title[:80]!r}): {message[:300]}")
                continue
            report.outcomes[outcome] = report.outcomes.get(outcome, 0) + 1
        return report

    def _pictures(self, caller: Principal, source: HelpdeskSource, article: ImportedArticle,
                  report: ArticleImportReport) -> list[_Picture]:
        """The pictures the article shows from the web (the old help centre's, mostly: they go when it closes), each
        fetched and checked now, or found stored by an earlier run. One that cannot be had keeps its old address."""
        found: list[_Picture] = []
        for url in dict.fromkeys(match.group(2) for match in _PICTURE.finditer(article.text)):
            image_id = uuid.uuid5(uuid.NAMESPACE_URL, f"helpdesk-import:{caller.tenant_id}:{article.id}:{url}").hex
            if self._images.is_stored(caller.tenant_id, article.id, image_id):
                found.append(_Picture(url, image_id, None))
                continue
            try:
                data = source.download(SourceFile(name=_file_name(url), content_type="", size=0, url=url),
                                       self._max_picture_bytes)
                importable_picture(data, self._max_picture_bytes)
            except (FileUnavailable, DomainError) as exc:
                reason = exc.message if isinstance(exc, DomainError) else str(exc)
                report.pictures_left.append(f"article {article.id}: {url[:200]} ({reason})")
                continue
            found.append(_Picture(url, image_id, data))
        return found

    def _store(self, caller: Principal, article_id: str, pictures: list[_Picture],
               report: ArticleImportReport) -> None:
        for picture in pictures:
            if picture.data is not None:
                self._images.add_imported(caller, article_id, picture.image_id, _file_name(picture.url),
                                          picture.data)
                report.pictures_imported += 1

    def _article(self, source: str, old: SourceArticle) -> ImportedArticle:
        return ImportedArticle(id=f"{source}-{old.id}", title=old.title.strip(), text=as_markdown(old.html),
                               tags=old.labels[:20], visibility="internal" if old.restricted else "public",
                               language=language_tag(old.locale), section=old.section.strip()[:200],
                               translation_of=f"{source}-{old.translation_of}" if old.translation_of else None)


def _pointing_here(markdown: str, pictures: list[_Picture], caller: Principal, article_id: str) -> str:
    """The article's Markdown with each picture brought over named by its address here."""
    here = {p.url: image_path(caller.tenant_id, article_id, p.image_id) for p in pictures}

    def replace(match: re.Match[str]) -> str:
        url = here.get(match.group(2))
        return match.group(0) if url is None else f"![{match.group(1)}]({url}{match.group(3)})"

    return _PICTURE.sub(replace, markdown)


def _file_name(url: str) -> str:
    return PurePosixPath(urlsplit(url).path).name or "picture"
