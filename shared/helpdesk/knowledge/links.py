"""Where a customer reads an article: the one rule for reply drafts' footnotes and the agents' "insert link"."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from urllib.parse import quote

from helpdesk.knowledge.ports import Citation


@dataclass(frozen=True)
class ArticleLinks:
    """An article's own address where it was imported with one, else its page in the customer portal at
    `portal_url`: `#/help/<tenant>/<id>` where the tenant's help centre is public (read without signing in,
    whoever the mail reaches), `#/kb/<id>` otherwise (after signing in). The chat widget links the same way."""

    portal_url: str
    public_help_center: Callable[[str], bool] = lambda tenant_id: True

    def to(self, article_id: str, tenant_id: str, url: str | None = None) -> str:
        if url:
            return url
        portal, article = self.portal_url.rstrip("/"), quote(article_id, safe="")
        return f"{portal}/#/help/{quote(tenant_id, safe='')}/{article}" if self.public_help_center(tenant_id) \
            else f"{portal}/#/kb/{article}"

    def link(self, citation: Citation, tenant_id: str) -> str:
        return self.to(citation.article_id, tenant_id, citation.url)

    def with_sources(self, text: str, citations: Sequence[Citation], tenant_id: str) -> str:
        """The draft with its cited articles as footnotes at its end ("[1] Refund policy: <link>"). A customer
        never sees the event's citations (AI context, `tickets.history.AI_DATA_KEYS`), so without them the reply's
        [n] markers pointed nowhere in the mail and the portal."""
        if not citations:
            return text
        notes = [f"[{c.n or n}] {c.title}: {self.link(c, tenant_id)}" for n, c in enumerate(citations, start=1)]
        return "\n".join([text.rstrip(), "", *notes])
