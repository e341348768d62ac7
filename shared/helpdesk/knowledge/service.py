"""KnowledgeService: article use cases, permissions, and keeping the index in step with DynamoDB.

Order of writes, so search never serves what the source of truth does not say:
- publish / edit a live article: index the new chunks first, then save. If indexing fails nothing is
  saved and the previous chunks stay searchable; if the save then loses a race, the stored version's
  chunks are put back.
- archive: remove the chunks first (withdrawn content must stop being served), then save; if the save
  fails, the stored version is indexed again.
"""

from collections.abc import Callable

from pydantic import BaseModel

from helpdesk.kernel.clock import Clock, system_clock
from helpdesk.kernel.errors import ConcurrentUpdate, Conflict, DomainError, Forbidden, InvalidInput, NotFound
from helpdesk.kernel.principal import SYSTEM_ACTORS, Principal, Role
from helpdesk.kernel.text import collapsed, is_blank, normalise_tags
from helpdesk.knowledge.articles import (
    Article,
    ArticleContent,
    ArticleFeedback,
    ArticlePage,
    ArticleStatus,
    ArticleVersion,
    HelpCenterSections,
    HelpCenterSectionsView,
    Translation,
    same_language,
)
from helpdesk.knowledge.indexing import ArticleIndexer
from helpdesk.knowledge.ports import ArticleRepository, Audience, Retriever, SearchHit, Visibility
from helpdesk.knowledge.retrieval import one_per_family
from helpdesk.knowledge.text import clean_text


class IndexUnavailable(DomainError):
    """The search index could not be updated; the article is unchanged."""

    code = "index_unavailable"


class NewArticle(BaseModel):
    title: str
    body: str
    language: str = "en"
    tags: list[str] = []
    visibility: Visibility = "public"
    section: str = ""
    status: ArticleStatus = ArticleStatus.DRAFT
    id: str | None = None  # imports keep their source ids; the API always lets us choose
    translation_of: str | None = None  # the original's id when this is a translation of it


class ArticleChanges(BaseModel):
    title: str | None = None
    body: str | None = None
    language: str | None = None
    tags: list[str] | None = None
    visibility: Visibility | None = None
    section: str | None = None  # "" takes the article out of its section
    translation_of: str | None = None  # "" makes it an original again


def _public(article: Article) -> bool:
    return article.status == ArticleStatus.PUBLISHED and article.content.visibility == "public"


def _readable(caller: Principal, article: Article) -> bool:
    return caller.is_staff or _public(article)


class KnowledgeService:
    def __init__(self, articles: ArticleRepository, indexer: ArticleIndexer, retriever: Retriever, *,
                 public_help_center: Callable[[str], bool] = lambda tenant_id: False,
                 clock: Clock = system_clock) -> None:
        self._articles = articles
        self._indexer = indexer
        self._retriever = retriever
        self._public_help_center = public_help_center
        self._clock = clock

    # -- commands (staff) ------------------------------------------------------------------

    def create(self, caller: Principal, new: NewArticle) -> Article:
        _require_staff(caller)
        if new.status == ArticleStatus.PUBLISHED:
            _require_person(caller)
        content = ArticleContent(title=_title(new.title), body=_body(new.body), language=new.language,
                                 tags=normalise_tags(new.tags), visibility=new.visibility,
                                 section=collapsed(new.section), translation_of=new.translation_of or None)
        self._check_translation(caller.tenant_id, new.id, content)
        article = Article.new(caller.tenant_id, content, caller.user_id, new.id, now=self._clock())
        if new.status == ArticleStatus.PUBLISHED:
            article.status, article.published_version = ArticleStatus.PUBLISHED, article.version
            self._index(article)
        elif new.status == ArticleStatus.ARCHIVED:
            article.status = ArticleStatus.ARCHIVED
        try:
            self._articles.add(article)
        except Exception:
            if article.status == ArticleStatus.PUBLISHED:
                self._indexer.remove(article.tenant_id, article.id)
            raise
        return article

    def update(self, caller: Principal, article_id: str, changes: ArticleChanges,
               expected_version: int | None = None) -> Article:
        _require_staff(caller)
        article = self._get(caller, article_id)
        _check_version(article, expected_version)
        fields = changes.model_dump(exclude_none=True)
        if "body" in fields:
            fields["body"] = _body(fields["body"])
        if "title" in fields:
            fields["title"] = _title(fields["title"])
        if "tags" in fields:
            fields["tags"] = normalise_tags(fields["tags"])
        if "section" in fields:
            fields["section"] = collapsed(fields["section"])
        if "translation_of" in fields:
            fields["translation_of"] = fields["translation_of"] or None
        content = article.content.model_copy(update=fields)
        if content == article.content:
            return article
        if (content.translation_of, content.language) != (article.content.translation_of, article.content.language):
            self._check_translation(caller.tenant_id, article.id, content)
        if article.status == ArticleStatus.PUBLISHED:  # an edit to a live article goes live
            _require_person(caller)
        return self._change(article, lambda a: a.edit(content, caller.user_id, self._clock()))

    def publish(self, caller: Principal, article_id: str, expected_version: int | None = None) -> Article:
        _require_staff(caller)
        _require_person(caller)
        article = self._get(caller, article_id)
        _check_version(article, expected_version)
        return self._change(article, lambda a: a.publish(caller.user_id, self._clock()))

    def archive(self, caller: Principal, article_id: str, expected_version: int | None = None) -> Article:
        _require_staff(caller)
        article = self._get(caller, article_id)
        _check_version(article, expected_version)
        return self._change(article, lambda a: a.archive(caller.user_id, self._clock()))

    def _change(self, article: Article, mutate: Callable[[Article], None]) -> Article:
        stored = article.model_copy(deep=True)
        mutate(article)
        if article.status == ArticleStatus.PUBLISHED:
            self._index(article)
        elif stored.status == ArticleStatus.PUBLISHED:
            self._unindex(article)
        try:
            self._articles.save(article, expected_version=stored.version, was=stored)
        except Exception:
            self._restore(stored)
            raise
        return article

    def _check_translation(self, tenant_id: str, article_id: str | None, content: ArticleContent) -> None:
        """An article and its translations stay one flat family, one article per language: a translation names
        an original (an article that translates none) in another language; an original with translations stays
        one, and keeps a language none of them has. Two translations saved at once in one language are told apart
        by the repository (`Conflict`)."""
        translations = self._articles.translations(tenant_id, article_id) if article_id else {}
        if content.translation_of is None:
            if content.language.lower() in translations:
                raise Conflict("a translation of this article is in that language", {
                    "field": "language", "translation": translations[content.language.lower()]})
            return
        field = {"field": "translation_of", "translation_of": content.translation_of}
        if content.translation_of == article_id:
            raise InvalidInput("an article does not translate itself", field)
        original = self._articles.get(tenant_id, content.translation_of)
        if original is None:
            raise InvalidInput("there is no article with that id to translate", field)
        if original.content.translation_of is not None:
            raise InvalidInput("that article is a translation itself: name its original",
                               {**field, "original": original.content.translation_of})
        if original.content.language.lower() == content.language.lower():
            raise InvalidInput("a translation is in another language than its original",
                               {**field, "language": content.language})
        if translations:
            raise InvalidInput("this article has translations of its own, so it stays their original",
                               {**field, "translations": sorted(translations.values())})

    def _index(self, article: Article) -> None:
        try:
            self._indexer.index(article.indexable())
        except DomainError:
            raise
        except Exception as exc:
            raise IndexUnavailable("the search index could not be updated; the article is unchanged, "
                                   "try again", {"article_id": article.id}) from exc

    def _unindex(self, article: Article) -> None:
        try:
            self._indexer.remove(article.tenant_id, article.id)
        except Exception as exc:
            raise IndexUnavailable("the search index could not be updated; the article is unchanged, "
                                   "try again", {"article_id": article.id}) from exc

    def _restore(self, stored: Article) -> None:
        """Put the index back to what the stored article says (after a failed save)."""
        current = self._articles.get(stored.tenant_id, stored.id) or stored
        if current.status == ArticleStatus.PUBLISHED:
            self._indexer.index(current.indexable())
        else:
            self._indexer.remove(current.tenant_id, current.id)

    def import_article(self, caller: Principal, new: NewArticle, *, publish: bool = False) -> str:
        """Create or update an article under the given id. Imported text is untrusted: it lands as a `draft`
        for a person to review and publish, unless that person imports with `publish=True` (then `caller`
        must be a person). Outcomes: "created", "updated", "unchanged", "archived" (left alone: someone
        withdrew it on purpose), or "held" (the live article differs from the import and stays as it is)."""
        assert new.id is not None
        if publish:
            _require_person(caller)
        existing = self._articles.get(caller.tenant_id, new.id)
        if existing is None:
            status = ArticleStatus.PUBLISHED if publish else ArticleStatus.DRAFT
            self.create(caller, new.model_copy(update={"status": status}))
            return "created"
        if existing.status == ArticleStatus.ARCHIVED:
            return "archived"
        changes = ArticleChanges(title=new.title, body=new.body, language=new.language, tags=new.tags,
                                 visibility=new.visibility, section=new.section,
                                 translation_of=new.translation_of or "")
        if existing.status == ArticleStatus.PUBLISHED and not publish:
            candidate = existing.content.model_copy(update={
                "title": _title(new.title), "body": _body(new.body), "language": new.language,
                "tags": normalise_tags(new.tags), "visibility": new.visibility,
                "section": collapsed(new.section), "translation_of": new.translation_of or None})
            return "unchanged" if candidate == existing.content else "held"
        updated = self.update(caller, new.id, changes)
        if publish and updated.status == ArticleStatus.DRAFT:
            self.publish(caller, new.id)
            return "updated"
        return "unchanged" if updated.version == existing.version else "updated"

    # -- queries ---------------------------------------------------------------------------

    def get(self, caller: Principal, article_id: str) -> Article:
        return self._get(caller, article_id)

    def translations(self, caller: Principal, article: Article) -> list[Translation]:
        """The article's other languages the caller may read: its original and the original's translations."""
        return [_translation(a) for a in self._family(article) if _readable(caller, a)]

    def public_translations(self, article: Article) -> list[Translation]:
        """The article's other languages a help centre's reader may open (published, public)."""
        return [_translation(a) for a in self._family(article) if _public(a)]

    def _family(self, article: Article) -> list[Article]:
        """The other articles of its family (its original and the original's translations), by language."""
        original_id = article.content.translation_of or article.id
        ids = [original_id, *self._articles.translations(article.tenant_id, original_id).values()]
        found = (self._articles.get(article.tenant_id, i) for i in dict.fromkeys(ids) if i != article.id)
        return sorted((a for a in found if a is not None), key=lambda a: a.content.language)

    def _in_language(self, articles: list[Article], language: str | None) -> list[Article]:
        """A list of published public articles as a reader in `language` browses it: each family once, under its
        original, shown in the reader's language where a published public translation has it. A translation
        whose original is not published and public stands for itself (on whatever page it comes)."""
        listed = {a.id: a for a in articles}  # an original on the same page needs no read
        shown: list[Article] = []
        for article in articles:
            original_id = article.content.translation_of
            if original_id is not None:
                original = listed.get(original_id) or self._articles.get(article.tenant_id, original_id)
                if original is None or not _public(original):
                    shown.append(article)
                continue  # its original's entry stands for it
            if language and not same_language(article.content.language, language):
                article = self._public_translation_in(article, language) or article
            shown.append(article)
        return shown

    def _public_translation_in(self, original: Article, language: str) -> Article | None:
        """The original's published public translation a reader in `language` reads: only that one is read."""
        for written_in, article_id in self._articles.translations(original.tenant_id, original.id).items():
            if same_language(written_in, language):
                found = self._articles.get(original.tenant_id, article_id)
                if found is not None and _public(found):
                    return found
        return None

    def public_article(self, tenant_id: str, article_id: str) -> Article:
        """A published public article for anyone, signed in or not, in a tenant whose help centre is public: the
        page a chat visitor or a mail's reader opens from a citation. Anything else is "no such article" (no
        tenant, a private help centre, a draft, an internal article: not told apart)."""
        article = self._articles.get(tenant_id, article_id) if self._public_help_center(tenant_id) else None
        if article is None or not _public(article):
            raise NotFound("no such article", {"article_id": article_id})
        return article

    def public_feedback(self, tenant_id: str, article_id: str, helpful: bool) -> None:
        """Anyone's answer to "Was this article helpful?" on a public article page (404 as `public_article`)."""
        self.public_article(tenant_id, article_id)
        self._articles.add_feedback(tenant_id, article_id, helpful)

    def give_feedback(self, caller: Principal, article_id: str, helpful: bool) -> None:
        """A signed-in reader's answer, on an article they may read."""
        article = self._get(caller, article_id)
        if article.status != ArticleStatus.PUBLISHED:
            raise NotFound("no such article", {"article_id": article_id})  # drafts are not read by readers
        self._articles.add_feedback(caller.tenant_id, article_id, helpful)

    def feedback(self, caller: Principal, article_id: str) -> ArticleFeedback:
        """What readers answered (staff: the authors)."""
        _require_staff(caller)
        self._get(caller, article_id)
        return self._articles.feedback(caller.tenant_id, article_id)

    def public_articles(self, tenant_id: str, limit: int = 25, cursor: str | None = None,
                        language: str | None = None) -> ArticlePage:
        """The help centre's published public articles for anyone, in the repository's order (a page may hold
        fewer than `limit`: drafts and internal articles are left out after the read), each family once, in
        `language` where it has it (`_in_language`)."""
        self._require_public_help_center(tenant_id)
        page = self._articles.list_articles(tenant_id, limit, cursor)
        page.items = self._in_language([a for a in page.items if _public(a)], language)
        return page

    def public_search(self, tenant_id: str, query: str, k: int = 5, language: str | None = None) -> list[SearchHit]:
        """The help centre's own search, for anyone: published public articles of a tenant whose help centre is
        public (the same hits a signed-in customer gets); any other tenant is "no such help centre". With
        `language`, as a reader in it reads them (`retrieval.one_per_family`)."""
        self._require_public_help_center(tenant_id)
        return self._search(tenant_id, query, k, "public", language)

    def sections(self, caller: Principal) -> HelpCenterSectionsView:
        """The help centre's sections in the admin's order: anyone signed in (the portal lists articles by them)."""
        sections, version = self._articles.sections(caller.tenant_id)
        return HelpCenterSectionsView(sections=sections.sections, version=version)

    def public_sections(self, tenant_id: str) -> HelpCenterSections:
        self._require_public_help_center(tenant_id)
        return self._articles.sections(tenant_id)[0]

    def replace_sections(self, caller: Principal, sections: HelpCenterSections,
                         expected_version: int | None = None) -> HelpCenterSectionsView:
        """Admins order and describe the sections; with `expected_version` (the view's) only over that list."""
        if caller.role != Role.ADMIN:
            raise Forbidden("only admins arrange the help centre")
        for position, section in enumerate(sections.sections):  # not on the model, which reads stored lists too
            if is_blank(section.name):
                raise InvalidInput("a section needs a name readers can read",
                                   {"field": f"sections[{position}].name"})
        version = self._articles.put_sections(caller.tenant_id, sections, expected_version)
        return HelpCenterSectionsView(sections=sections.sections, version=version)

    def _require_public_help_center(self, tenant_id: str) -> None:
        """The help centre's list and search answer only for a tenant whose help centre is public (a single
        article's page says "no such article" instead, so it cannot tell a private centre from a missing page)."""
        if not self._public_help_center(tenant_id):
            raise NotFound("no such help centre", {"tenant_id": tenant_id})

    def list_articles(self, caller: Principal, limit: int = 25, cursor: str | None = None,
             status: ArticleStatus | None = None, language: str | None = None) -> ArticlePage:
        """Staff list every article; customers browse the published public ones as the help centre lists them
        (each family once, in `language` where it has it)."""
        page = self._articles.list_articles(caller.tenant_id, limit, cursor)
        # Filtering after the page read keeps one key design; a page may then hold fewer than `limit`.
        page.items = [a for a in page.items if _readable(caller, a) and (status is None or a.status == status)]
        if not caller.is_staff:
            page.items = self._in_language(page.items, language)
        return page

    def versions(self, caller: Principal, article_id: str) -> list[ArticleVersion]:
        _require_staff(caller)
        self._get(caller, article_id)
        return self._articles.versions(caller.tenant_id, article_id)

    def search(self, caller: Principal, query: str, k: int = 5, language: str | None = None) -> list[SearchHit]:
        return self._search(caller.tenant_id, query, k, "internal" if caller.is_staff else "public", language)

    def _search(self, tenant_id: str, query: str, k: int, audience: Audience,
                language: str | None = None) -> list[SearchHit]:
        try:
            # a reader's search asks for more, since an article and its translations become one hit
            hits = self._retriever.search(tenant_id=tenant_id, query=query, k=k * 2 if language else k,
                                          audience=audience)
        except DomainError:
            raise
        except Exception as exc:  # the index or embedder is down: a retryable 503, not a 500
            raise IndexUnavailable("search is unavailable right now, try again", {}) from exc
        return one_per_family(hits, language)[:k] if language else hits

    def _get(self, caller: Principal, article_id: str) -> Article:
        article = self._articles.get(caller.tenant_id, article_id)
        if article is None or not _readable(caller, article):
            raise NotFound("no such article", {"article_id": article_id})
        return article


def _translation(article: Article) -> Translation:
    return Translation(id=article.id, language=article.content.language, title=article.content.title,
                       status=article.status)


def _title(title: str) -> str:
    """One line, no control characters; a title of nothing but those is refused."""
    cleaned = collapsed(clean_text(title))
    if is_blank(cleaned):
        raise InvalidInput("title is empty once control and invisible characters are removed", {"field": "title"})
    return cleaned


def _body(body: str) -> str:
    cleaned = clean_text(body)
    if is_blank(cleaned):
        raise InvalidInput("body is empty once control and invisible characters are removed", {"field": "body"})
    return cleaned


def _require_person(caller: Principal) -> None:
    """Text from outside (imports, the knowledge loop's drafts from ticket threads) goes live only when a
    person publishes it: an internal actor (`ai`, `email`, `system`) may write drafts, never publish."""
    if caller.user_id in SYSTEM_ACTORS:
        raise Forbidden("an article goes live only when a person publishes it; it stays a draft",
                        {"actor": caller.user_id})


def _require_staff(caller: Principal) -> None:
    if not caller.is_staff:
        raise Forbidden("only agents and admins manage knowledge articles")


def _check_version(article: Article, expected: int | None) -> None:
    if expected is not None and expected != article.version:
        raise ConcurrentUpdate("the article was changed by someone else; read it again",
                               {"article_id": article.id, "version": article.version})
