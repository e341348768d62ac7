"""Records of articles' pictures in the meta table, beside the articles (tenant and article in the key):

  pk `KB#<tenant>#IMG#<article>`   sk `<picture id>`   data: ArticleImage; TTL while pending

An upload never completed is forgotten after two days (its object stays in the bucket).
"""

from typing import TYPE_CHECKING

from helpdesk.knowledge.images import ArticleImage
from helpdesk.platform.dynamo.pending import PendingRecords

if TYPE_CHECKING:
    from helpdesk.platform.dynamo.models import Tables


def _pk(tenant_id: str, article_id: str) -> str:
    return f"KB#{tenant_id}#IMG#{article_id}"


class DynamoArticleImageRecords:
    def __init__(self, tables: "Tables") -> None:
        self._records = PendingRecords(tables, ArticleImage, _pk)

    def add(self, image: ArticleImage) -> None:
        self._records.add(image.tenant_id, image.article_id, image.id, image, image.created_at)

    def get(self, tenant_id: str, article_id: str, image_id: str) -> ArticleImage | None:
        return self._records.get(tenant_id, article_id, image_id)

    def mark_ready(self, image: ArticleImage) -> None:
        self._records.keep(image.tenant_id, image.article_id, image.id, image)
