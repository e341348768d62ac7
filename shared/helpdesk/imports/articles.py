"""The old helpdesk's help centre as articles here. Bodies are HTML there and Markdown here: markdownify turns one into
the other keeping headings as headings, so the chat still answers from the section that answers. Each article keeps
its id (`zendesk-<id>`): a rerun updates what changed there and leaves alone what a person changed here (as
`helpdesk kb import` does). Drafts for a person to review, unless the operator publishes what was published there."""

from pydantic import ValidationError

from helpdesk.imports.model import ArticleImportReport, SourceArticle
from helpdesk.imports.ports import HelpdeskSource
from helpdesk.kernel.errors import DomainError
from helpdesk.kernel.principal import Principal
from helpdesk.knowledge.importing import ImportedArticle
from helpdesk.knowledge.service import KnowledgeService, NewArticle


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


class ArticleImport:
    def __init__(self, knowledge: KnowledgeService) -> None:
        self._knowledge = knowledge

    def run(self, caller: Principal, source: HelpdeskSource, *, publish: bool = False,
            dry_run: bool = False) -> ArticleImportReport:
        report = ArticleImportReport()
        for old in source.articles():
            try:
                article = self._article(source.name, old)
                outcome = "would import" if dry_run else self._knowledge.import_article(caller, NewArticle(
                    id=article.id, title=article.title, body=article.text, tags=article.tags,
                    visibility=article.visibility, language=article.language, section=article.section),
                    publish=publish and not old.draft)
            except (ValidationError, DomainError) as exc:
                message = exc.message if isinstance(exc, DomainError) else "; ".join(
                    f"{'.'.join(str(part) for part in error['loc'])}: {error['msg']}" for error in exc.errors()[:3])
                report.skipped.append(f"article {old.id} ({old.title[:80]!r}): {message[:300]}")
                continue
            report.outcomes[outcome] = report.outcomes.get(outcome, 0) + 1
        return report

    def _article(self, source: str, old: SourceArticle) -> ImportedArticle:
        return ImportedArticle(id=f"{source}-{old.id}", title=old.title.strip(), text=as_markdown(old.html),
                               tags=old.labels[:20], visibility="internal" if old.restricted else "public",
                               language=language_tag(old.locale), section=old.section.strip()[:200])
