"""Knowledge articles: the domain model, its rules and its repository port. No AWS here."""

import uuid
from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, model_validator

from helpdesk.kernel.errors import InvalidTransition
from helpdesk.kernel.text import OneLine
from helpdesk.knowledge.indexing import IndexableArticle
from helpdesk.knowledge.ports import Visibility

MAX_TITLE_CHARS = 300
MAX_BODY_BYTES = 100_000  # a help article, not a manual; keeps every version well inside a DynamoDB item
MAX_TAGS = 20
MAX_SECTION_CHARS = 100
ARTICLE_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$"  # ours are kb_<hex>; imports may keep their own ids
LANGUAGE_PATTERN = r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$"  # BCP 47, as help centers use it: en, pt-BR


class ArticleStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    ARCHIVED = "archived"


class ArticleContent(BaseModel):
    """What an author writes; every version keeps a copy."""

    model_config = ConfigDict(frozen=True)

    title: str
    body: str  # Markdown
    language: str = "en"
    tags: tuple[str, ...] = ()
    visibility: Visibility = "public"
    section: str = ""  # where the help centre lists it ("Account and sign-in"); "" for none
    # The article this one translates (its original's id), None for an original. An article and its translations
    # are one help-centre entry that readers see in their language (`translation_key`); each stays an article of its
    # own (its text, its status, its chunks in the index).
    translation_of: str | None = None

    def translation_key(self) -> tuple[str, str] | None:
        """(original's id, language): what one translation of an original holds, at most one article per key."""
        return (self.translation_of, self.language.lower()) if self.translation_of else None


class Article(BaseModel):
    tenant_id: str
    id: str
    content: ArticleContent
    status: ArticleStatus = ArticleStatus.DRAFT
    version: int = 1  # bumps on every content change and status change
    published_version: int | None = None  # the version whose chunks are in the index
    created_at: datetime
    updated_at: datetime
    created_by: str
    updated_by: str

    @classmethod
    def new(cls, tenant_id: str, content: ArticleContent, author: str, article_id: str | None = None, *,
            now: datetime) -> "Article":
        return cls(tenant_id=tenant_id, id=article_id or f"kb_{uuid.uuid4().hex[:20]}", content=content, created_at=now,
                   updated_at=now, created_by=author, updated_by=author)

    def _touch(self, author: str, now: datetime) -> None:
        self.version += 1
        self.updated_at = now
        self.updated_by = author

    def edit(self, content: ArticleContent, author: str, now: datetime) -> None:
        if self.status == ArticleStatus.ARCHIVED:
            raise InvalidTransition("archived articles are read-only; publish it again to change it",
                                    {"status": self.status.value})
        self.content = content
        self._touch(author, now)
        if self.status == ArticleStatus.PUBLISHED:
            self.published_version = self.version  # an edit to a live article goes live

    def publish(self, author: str, now: datetime) -> None:
        if self.status == ArticleStatus.PUBLISHED:
            raise InvalidTransition("the article is already published", {"status": self.status.value})
        self.status = ArticleStatus.PUBLISHED
        self._touch(author, now)
        self.published_version = self.version

    def archive(self, author: str, now: datetime) -> None:
        if self.status == ArticleStatus.ARCHIVED:
            raise InvalidTransition("the article is already archived", {"status": self.status.value})
        self.status = ArticleStatus.ARCHIVED
        self._touch(author, now)
        self.published_version = None

    def indexable(self) -> IndexableArticle:
        return IndexableArticle(tenant_id=self.tenant_id, article_id=self.id, version=self.version,
                                title=self.content.title, body=self.content.body,
                                visibility=self.content.visibility, language=self.content.language,
                                tags=self.content.tags, translation_of=self.content.translation_of)


class ArticleVersion(BaseModel):
    """One snapshot in an article's history."""

    version: int
    status: ArticleStatus
    content: ArticleContent
    at: datetime
    by: str


class ArticleFeedback(BaseModel):
    """Readers' answers to "Was this article helpful?": what tells an author which articles fail their readers."""

    helpful: int = 0
    not_helpful: int = 0


class Translation(BaseModel):
    """One of an article's other languages: its original or one of the original's translations."""

    id: str
    language: str
    title: str
    status: ArticleStatus


class ArticlePage(BaseModel):
    items: list[Article]
    next_cursor: str | None = None


def same_language(a: str, b: str) -> bool:
    """Whether two BCP 47 tags name one language for a reader ("de-CH" reads "de", "pt-BR" reads "pt-PT")."""
    return a.split("-")[0].lower() == b.split("-")[0].lower()


def version_snapshot(article: Article) -> ArticleVersion:
    return ArticleVersion(version=article.version, status=article.status, content=article.content,
                          at=article.updated_at, by=article.updated_by)




class HelpCenterSection(BaseModel):
    """A section of the help centre as the admin orders and describes it; articles name it in `section`."""

    model_config = ConfigDict(extra="forbid")

    # One line, as an article's `section` is kept: a pasted line break splits no heading.
    name: OneLine = Field(min_length=1, max_length=MAX_SECTION_CHARS)
    description: OneLine = Field(default="", max_length=300, description="a line under its heading")


class HelpCenterSections(BaseModel):
    """The help centre's sections in the order readers see them (Zendesk's and Zammad's categories are ordered by
    hand: "Getting started" first, not by name). Sections articles name but this list does not come after these,
    by name; articles in none come last."""

    model_config = ConfigDict(extra="forbid")

    sections: list[HelpCenterSection] = Field(default_factory=list, max_length=50)

    @model_validator(mode="after")
    def _each_once(self) -> "HelpCenterSections":
        seen: set[str] = set()
        for section in self.sections:
            if not section.name:
                raise ValueError("a section needs a name")
            if section.name.casefold() in seen:
                raise ValueError(f"section {section.name!r} is listed twice")
            seen.add(section.name.casefold())
        return self


class HelpCenterSectionsView(HelpCenterSections):
    version: int  # 0: never saved; send it as If-Match to save over exactly this list
