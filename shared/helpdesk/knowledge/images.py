"""Pictures in articles: an agent uploads a screenshot into an article, the article's Markdown names it
(`![alt](/kb/public/<tenant>/articles/<article>/images/<id>)`), and the help centre shows it.

Upload as ticket attachments do (the attachments capability's pieces): the API grants a presigned POST of exactly the
declared size, the browser stores the file in the attachment bucket (under `kb/<tenant>/<article>/`), then
`complete` checks what was stored: its size, and its type by its leading bytes (PNG, JPEG, GIF or WebP; never the
browser's word, never SVG, which can carry script). Only a checked picture is ever served, with the type its bytes
said.

Who may see one follows the article named in its address:
- anyone, without sign-in: a picture the published public article of a public help centre shows (its Markdown names
  the picture's id), as the article itself (`KnowledgeService.public_article`);
- signed in: the team of the article's tenant any checked picture of the article (a draft's preview); a customer
  those of a published public article that shows them.
Every key and record carries the tenant: an id of one tenant names nothing in another.
"""

import hashlib
import re
import uuid
from datetime import datetime, timedelta
from pathlib import PurePosixPath
from typing import Literal

from pydantic import BaseModel

from helpdesk.attachments.model import (
    IMAGE_TYPES,
    SNIFF_BYTES,
    PresignedUpload,
    ScanVerdict,
    check_declared,
    sniffed_image,
)
from helpdesk.attachments.ports import AttachmentBlobs, MalwareScanner
from helpdesk.kernel.clock import Clock, system_clock
from helpdesk.kernel.errors import Conflict, Forbidden, NotFound, TooLarge, UnsupportedType
from helpdesk.kernel.principal import Principal
from helpdesk.knowledge.articles import Article, ArticleStatus
from helpdesk.knowledge.ports import ArticleImageRecords
from helpdesk.knowledge.service import KnowledgeService

IMAGE_ID_PATTERN = r"^[0-9a-f]{32}$"
_ALT_UNSAFE = re.compile(r"[\[\]()\\<>`*_#!\r\n\t]+")


class ArticleImage(BaseModel):
    """One picture of an article: `pending` until `complete` checked the stored bytes, then `ready`."""

    id: str
    tenant_id: str
    article_id: str
    filename: str
    content_type: str  # declared while pending; the type the bytes say once ready
    size: int
    key: str  # object key in the attachment bucket
    uploaded_by: str
    created_at: datetime
    status: Literal["pending", "ready"] = "pending"
    sha256: str | None = None
    scan: ScanVerdict = "unscanned"


class ImageUploadGrant(BaseModel):
    image_id: str
    upload: PresignedUpload
    expires_at: str
    max_bytes: int


class ArticleImageView(BaseModel):
    """A checked picture: `url` is the address to put in the article (relative to the API), `markdown` the line."""

    id: str
    article_id: str
    filename: str
    content_type: str
    size: int
    sha256: str | None
    url: str
    markdown: str


class Picture(BaseModel):
    """The bytes to serve and the type to serve them as."""

    content_type: str
    data: bytes
    sha256: str | None


class ImageInfected(Conflict):
    code = "image_infected"


def image_path(tenant_id: str, article_id: str, image_id: str) -> str:
    """The picture's address as the article's Markdown names it (the public route; signed-in pages load it from
    `/kb/articles/<article>/images/<id>` with their token)."""
    return f"/kb/public/{tenant_id}/articles/{article_id}/images/{image_id}"


def alt_text(filename: str) -> str:
    """A file name as a picture's alternative text: its stem, without what Markdown would read as syntax."""
    stem = PurePosixPath(filename.strip()).stem
    return collapsed if (collapsed := " ".join(_ALT_UNSAFE.sub(" ", stem).split())[:120]) else "picture"


def importable_picture(data: bytes, max_bytes: int) -> str:
    """The type of a picture fetched from elsewhere, by its leading bytes; `TooLarge` or `UnsupportedType` otherwise."""
    if len(data) > max_bytes:
        raise TooLarge(f"a picture is at most {max_bytes} bytes", {"size": len(data), "limit": max_bytes})
    kind = sniffed_image(data[:SNIFF_BYTES])
    if kind is None:
        raise UnsupportedType("not a PNG, JPEG, GIF or WebP picture (by its contents)",
                              {"allowed": sorted(IMAGE_TYPES)})
    return kind


def shows(article: Article, image_id: str) -> bool:
    """Whether the article's Markdown names the picture (its id is random: no other text holds it)."""
    return f"/images/{image_id}" in article.content.body


class ArticleImages:
    def __init__(self, knowledge: KnowledgeService, records: ArticleImageRecords, blobs: AttachmentBlobs,
                 scanner: MalwareScanner, *, max_bytes: int, upload_expiry_s: int,
                 clock: Clock = system_clock) -> None:
        self._knowledge, self._records, self._blobs, self._scanner = knowledge, records, blobs, scanner
        self._max_bytes, self._upload_expiry_s = max_bytes, upload_expiry_s
        self._clock = clock

    def request_upload(self, caller: Principal, article_id: str, filename: str, content_type: str,
                       size: int) -> ImageUploadGrant:
        """A presigned POST for one picture of the article (agents and admins)."""
        _require_staff(caller)
        article = self._knowledge.get(caller, article_id)
        kind = check_declared(filename, content_type, size, self._max_bytes, IMAGE_TYPES, noun="a picture")
        now = self._clock()
        image_id = uuid.uuid4().hex
        record = ArticleImage(id=image_id, tenant_id=caller.tenant_id, article_id=article.id,
                              filename=filename.strip(), content_type=kind, size=size,
                              key=f"kb/{caller.tenant_id}/{article.id}/{image_id}", uploaded_by=caller.user_id,
                              created_at=now)
        self._records.add(record)
        upload = self._blobs.presign_upload(record.key, kind, size, self._upload_expiry_s)
        return ImageUploadGrant(image_id=image_id, upload=upload, max_bytes=size,
                                expires_at=(now + timedelta(seconds=self._upload_expiry_s)).isoformat())

    def complete(self, caller: Principal, article_id: str, image_id: str) -> ArticleImageView:
        """Check the uploaded bytes (size, a picture by its leading bytes, the scan) and make the picture
        servable; a refused file is deleted. Again on a checked picture: its view."""
        _require_staff(caller)
        article = self._knowledge.get(caller, article_id)
        record = self._records.get(caller.tenant_id, article.id, image_id)
        if record is None or record.uploaded_by != caller.user_id:
            raise NotFound(f"picture {image_id} is not an upload of yours on this article", {"image_id": image_id})
        if record.status == "ready":
            return _view(record)
        stored = self._blobs.size(record.key)
        if stored is None:
            raise Conflict(f"picture {image_id} has not been uploaded yet",
                           {"image_id": image_id, "reason": "not_uploaded"})
        if stored != record.size or stored > self._max_bytes:
            self._blobs.delete(record.key)
            raise TooLarge(f"picture {image_id} is not the size it was declared with: upload it again",
                           {"image_id": image_id, "declared": record.size, "stored": stored})
        kind = sniffed_image(self._blobs.head_bytes(record.key, SNIFF_BYTES))
        if kind is None:
            self._blobs.delete(record.key)
            raise UnsupportedType("the file is not a PNG, JPEG, GIF or WebP picture (by its contents)",
                                  {"image_id": image_id, "allowed": sorted(IMAGE_TYPES)})
        record.content_type = kind
        return self._scanned_ready(record, self._blobs.sha256(record.key))

    def add_imported(self, caller: Principal, article_id: str, image_id: str, filename: str,
                     data: bytes) -> ArticleImageView:
        """A picture an imported article shows, fetched from the old help centre: stored and checked as an upload is
        on `complete` (size, a picture by its leading bytes, the scan). Again for one stored before: its view."""
        _require_staff(caller)
        existing = self._records.get(caller.tenant_id, article_id, image_id)
        if existing is not None and existing.status == "ready":
            return _view(existing)
        kind = importable_picture(data, self._max_bytes)
        record = ArticleImage(id=image_id, tenant_id=caller.tenant_id, article_id=article_id,
                              filename=filename.strip()[:200] or "picture", content_type=kind, size=len(data),
                              key=f"kb/{caller.tenant_id}/{article_id}/{image_id}", uploaded_by=caller.user_id,
                              created_at=self._clock())
        self._blobs.put(record.key, data, kind)
        self._records.add(record)
        return self._scanned_ready(record, hashlib.sha256(data).hexdigest())

    def _scanned_ready(self, record: ArticleImage, sha256: str) -> ArticleImageView:
        """The last step of an upload and an import alike: the scan (an infected file is deleted), then servable."""
        record.scan = self._scanner.verdict(record.key)
        if record.scan == "infected":
            self._blobs.delete(record.key)
            raise ImageInfected(f"picture {record.id} was found to carry malware", {"image_id": record.id})
        record.sha256, record.status = sha256, "ready"
        self._records.mark_ready(record)
        return _view(record)

    def is_stored(self, tenant_id: str, article_id: str, image_id: str) -> bool:
        found = self._records.get(tenant_id, article_id, image_id)
        return found is not None and found.status == "ready"

    def public_picture(self, tenant_id: str, article_id: str, image_id: str) -> Picture:
        """For anyone: a picture the published public article of a public help centre shows; else 404."""
        article = self._knowledge.public_article(tenant_id, article_id)
        if not shows(article, image_id):
            raise NotFound("no such picture", {"image_id": image_id})
        return self._picture(tenant_id, article.id, image_id)

    def picture(self, caller: Principal, article_id: str, image_id: str) -> Picture:
        """Signed in: the team any checked picture of an article of theirs; others those a published article they
        may read shows."""
        article = self._knowledge.get(caller, article_id)
        if not caller.is_staff and (article.status != ArticleStatus.PUBLISHED or not shows(article, image_id)):
            raise NotFound("no such picture", {"image_id": image_id})
        return self._picture(caller.tenant_id, article.id, image_id)

    def _picture(self, tenant_id: str, article_id: str, image_id: str) -> Picture:
        record = self._records.get(tenant_id, article_id, image_id)
        if record is None or record.status != "ready" or record.content_type not in IMAGE_TYPES:
            raise NotFound("no such picture", {"image_id": image_id})
        if record.scan == "pending" and self._scanner.verdict(record.key) == "infected":
            raise ImageInfected(f"picture {image_id} was found to carry malware", {"image_id": image_id})
        return Picture(content_type=record.content_type, data=self._blobs.read(record.key), sha256=record.sha256)


def _view(record: ArticleImage) -> ArticleImageView:
    url = image_path(record.tenant_id, record.article_id, record.id)
    return ArticleImageView(id=record.id, article_id=record.article_id, filename=record.filename,
                            content_type=record.content_type, size=record.size, sha256=record.sha256, url=url,
                            markdown=f"![{alt_text(record.filename)}]({url})")


def _require_staff(caller: Principal) -> None:
    if not caller.is_staff:
        raise Forbidden("only agents and admins add pictures to articles")
