"""Records of articles' pictures in the meta table, beside the articles (tenant and article in the key):

  pk `KB#<tenant>#IMG#<article>`   sk `<picture id>`   data: ArticleImage; TTL while pending
"""

from datetime import timedelta
from typing import TYPE_CHECKING

from helpdesk.knowledge.images import ArticleImage

if TYPE_CHECKING:
    from helpdesk.platform.dynamo.models import Tables

PENDING_TTL = timedelta(days=2)  # an upload never completed is forgotten (its object stays until removed)


def _pk(tenant_id: str, article_id: str) -> str:
    return f"KB#{tenant_id}#IMG#{article_id}"


class DynamoArticleImageRecords:
    def __init__(self, tables: "Tables") -> None:
        self._tables = tables

    def add(self, image: ArticleImage) -> None:
        meta = self._tables.meta
        meta(_pk(image.tenant_id, image.article_id), image.id, data=image.model_dump(mode="json"),
             expires_at=image.created_at + PENDING_TTL).save(condition=meta.pk.does_not_exist())

    def get(self, tenant_id: str, article_id: str, image_id: str) -> ArticleImage | None:
        try:
            item = self._tables.meta.get(_pk(tenant_id, article_id), image_id, consistent_read=True)
        except self._tables.meta.DoesNotExist:
            return None
        return ArticleImage.model_validate(item.data)

    def mark_ready(self, image: ArticleImage) -> None:
        meta = self._tables.meta
        meta(_pk(image.tenant_id, image.article_id), image.id).update(actions=[
            meta.data.set(image.model_dump(mode="json")),
            meta.expires_at.remove(),
        ])
