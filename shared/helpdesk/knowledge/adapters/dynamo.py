"""ArticleRepository on the Meta table: the source of truth for articles and their versions.

  pk = KB#<tenant>                 sk = ART#<article id>     the current article (value = its version)
  pk = KB#<tenant>#ART#<id>        sk = V#<version, 6 digits> one snapshot per version
  pk = KB#<tenant>                 sk = SECTIONS             the help centre's ordered sections (value = version)
  pk = KB#<tenant>                 sk = TRANSLATION#<original id>#<language>: the original's translation in that
                                   language (data = {"article_id"}); taken by condition, so at most one (a draft or
                                   published one: an archived translation gives its language back)

The tenant is in every key. An article and its new snapshot are written in one transaction,
conditioned on the stored version (optimistic concurrency, like tickets).
"""

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from pynamodb.connection import Connection
from pynamodb.exceptions import DeleteError, PutError, TransactWriteError
from pynamodb.transactions import TransactWrite

from helpdesk.kernel.errors import ConcurrentUpdate, Conflict
from helpdesk.knowledge.articles import (
    Article,
    ArticleFeedback,
    ArticlePage,
    ArticleStatus,
    ArticleVersion,
    HelpCenterSections,
    version_snapshot,
)
from helpdesk.platform.dynamo.cursor import decode_cursor, encode_cursor
from helpdesk.platform.dynamo.models import MetaModel

if TYPE_CHECKING:
    from helpdesk.platform.dynamo.models import Tables


def _article_pk(tenant_id: str) -> str:
    return f"KB#{tenant_id}"


def _versions_pk(tenant_id: str, article_id: str) -> str:
    return f"KB#{tenant_id}#ART#{article_id}"


def _article_item(article: Article) -> MetaModel:
    return MetaModel(pk=_article_pk(article.tenant_id), sk=f"ART#{article.id}", value=article.version,
                     data=article.model_dump(mode="json"))


def _version_item(article: Article) -> MetaModel:
    return MetaModel(pk=_versions_pk(article.tenant_id, article.id), sk=f"V#{article.version:06d}",
                     data=version_snapshot(article).model_dump(mode="json"))


class DynamoArticleRepository:
    def __init__(self, tables: "Tables") -> None:
        self._tables = tables
        self._connection = Connection(region=tables.meta.Meta.region)

    def add(self, article: Article) -> None:
        self._write(article, self._tables.meta.pk.does_not_exist(), Conflict("an article with this id exists",
                                                                     {"article_id": article.id}), None)

    def save(self, article: Article, expected_version: int, *, was: Article | None = None) -> None:
        self._write(article, self._tables.meta.value == expected_version, ConcurrentUpdate(
            "the article was changed by someone else; read it again",
            {"article_id": article.id, "version": expected_version}), _language_held(article if was is None else was))

    def _write(self, article: Article, condition: Any, on_condition_failed: Conflict,
               held: tuple[str, str] | None) -> None:
        """The article, its snapshot and, when its translation key moved from `held`, the key freed and the one
        taken (the last item of the transaction, so its failed condition is told from the article's)."""
        meta = self._tables.meta
        key = _language_held(article)
        try:
            with TransactWrite(connection=self._connection) as tx:
                tx.save(_article_item(article), condition=condition)
                tx.save(_version_item(article), condition=meta.pk.does_not_exist())
                if key != held and held is not None:
                    tx.delete(meta(pk=_article_pk(article.tenant_id), sk=_translation_sk(*held)))
                if key != held and key is not None:
                    tx.save(meta(pk=_article_pk(article.tenant_id), sk=_translation_sk(*key),
                                 data={"article_id": article.id}), condition=meta.pk.does_not_exist())
        except TransactWriteError as exc:
            reasons = [r.code if r is not None else None for r in (exc.cancellation_reasons or [])]
            if reasons[:1] == ["ConditionalCheckFailed"]:
                raise on_condition_failed from exc
            if key is not None and key != held and reasons[-1:] == ["ConditionalCheckFailed"]:
                raise Conflict("the original already has a translation in this language",
                               {"translation_of": key[0], "language": article.content.language,
                                "translation": self.translations(article.tenant_id, key[0]).get(key[1])}) from exc
            raise

    def translations(self, tenant_id: str, original_id: str) -> dict[str, str]:
        meta = self._tables.meta
        prefix = _translation_sk(original_id, "")
        return {item.sk.removeprefix(prefix): str(item.data["article_id"])
                for item in meta.query(_article_pk(tenant_id), meta.sk.startswith(prefix), consistent_read=True)}

    def get(self, tenant_id: str, article_id: str) -> Article | None:
        try:
            item = self._tables.meta.get(_article_pk(tenant_id), f"ART#{article_id}", consistent_read=True)
        except self._tables.meta.DoesNotExist:
            return None
        return Article.model_validate(item.data)

    def list_articles(self, tenant_id: str, limit: int, cursor: str | None) -> ArticlePage:
        pk = _article_pk(tenant_id)
        start = decode_cursor(cursor, {"pk": pk}, {"pk", "sk"})
        meta = self._tables.meta
        result = meta.query(pk, meta.sk.startswith("ART#"), limit=limit, last_evaluated_key=start)
        items = [Article.model_validate(item.data) for item in result]
        return ArticlePage(items=items, next_cursor=encode_cursor(result.last_evaluated_key))

    def versions(self, tenant_id: str, article_id: str) -> list[ArticleVersion]:
        result = self._tables.meta.query(_versions_pk(tenant_id, article_id), self._tables.meta.sk.startswith("V#"))
        return [ArticleVersion.model_validate(item.data) for item in result]

    def delete_draft(self, tenant_id: str, article_id: str) -> bool:
        article = self.get(tenant_id, article_id)
        if article is None or article.status != ArticleStatus.DRAFT or article.published_version is not None:
            return False
        meta = self._tables.meta
        try:  # only the version read: a person who edited or published it meanwhile keeps it
            meta(pk=_article_pk(tenant_id), sk=f"ART#{article_id}").delete(condition=meta.value == article.version)
        except DeleteError as exc:
            if exc.cause_response_code == "ConditionalCheckFailedException":
                return False
            raise
        # One DeleteItem each (a draft has few versions): the erasing function needs no BatchWriteItem, which
        # would let it put items too.
        for item in meta.query(_versions_pk(tenant_id, article_id), meta.sk.startswith("V#")):
            item.delete()
        key = article.content.translation_key()
        if key is not None:  # its language is free for another translation
            meta(pk=_article_pk(tenant_id), sk=_translation_sk(*key)).delete()
        return True

    def add_feedback(self, tenant_id: str, article_id: str, helpful: bool) -> None:
        meta = self._tables.meta
        meta(pk=_article_pk(tenant_id), sk=_feedback_sk(article_id, helpful)).update(actions=[meta.value.add(1)])

    def feedback(self, tenant_id: str, article_id: str) -> ArticleFeedback:
        meta = self._tables.meta
        counts = {item.sk: int(item.value or 0) for item in meta.query(
            _article_pk(tenant_id), meta.sk.startswith(f"FEEDBACK#{article_id}#"), consistent_read=True)}
        return ArticleFeedback(helpful=counts.get(_feedback_sk(article_id, True), 0),
                               not_helpful=counts.get(_feedback_sk(article_id, False), 0))


    def sections(self, tenant_id: str) -> tuple[HelpCenterSections, int]:
        try:
            item = self._tables.meta.get(_article_pk(tenant_id), SECTIONS_SK, consistent_read=True)
        except self._tables.meta.DoesNotExist:
            return HelpCenterSections(), 0
        return HelpCenterSections.model_validate(item.data), int(item.value or 0)

    def put_sections(self, tenant_id: str, sections: HelpCenterSections, expected_version: int | None) -> int:
        meta = self._tables.meta
        current = self.sections(tenant_id)[1] if expected_version is None else expected_version
        condition = meta.pk.does_not_exist() if current == 0 else meta.value == current
        try:
            meta(pk=_article_pk(tenant_id), sk=SECTIONS_SK, value=current + 1,
                 data=sections.model_dump(mode="json")).save(condition=condition)
        except PutError as exc:
            if exc.cause_response_code == "ConditionalCheckFailedException":
                raise ConcurrentUpdate("the help centre's sections changed since you read them",
                                       {"expected_version": current}) from exc
            raise
        return current + 1


SECTIONS_SK = "SECTIONS"  # beside the articles (listings read `ART#` only): one item, the ordered list


def _language_held(article: Article) -> tuple[str, str] | None:
    """The translation key an article holds: a draft's or a published translation's. An archived one gives its
    language back (a new translation may take it; publishing the archived one again takes it back, or is refused)."""
    return article.content.translation_key() if article.status != ArticleStatus.ARCHIVED else None


def _translation_sk(original_id: str, language: str) -> str:
    """Beside the article's own item (`ART#<id>`): listings read `ART#` only."""
    return f"TRANSLATION#{original_id}#{language}"


def _feedback_sk(article_id: str, helpful: bool) -> str:
    """Beside the article's own item (`ART#<id>`): listings read `ART#` only."""
    return f"FEEDBACK#{article_id}#{'yes' if helpful else 'no'}"


def scan_all_articles(tables: "Tables") -> Iterator[Article]:
    """Every tenant's current articles: a full scan of the Meta table, for the local stack's start-up
    reconciliation of its index (never on a request path: requests are always scoped to one tenant)."""
    meta = tables.meta
    for item in meta.scan(meta.pk.startswith("KB#") & meta.sk.startswith("ART#")):
        yield Article.model_validate(item.data)
