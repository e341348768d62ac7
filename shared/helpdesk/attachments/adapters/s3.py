"""Attachment files in S3: presigned POST for uploads (size and type in the signed policy), presigned GET
for downloads, streamed hashing."""

import hashlib
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from helpdesk.attachments.model import PresignedUpload

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

CHUNK = 1024 * 1024


def presigned_download(s3: "S3Client", bucket: str, key: str, filename: str, content_type: str,
                       expires_s: int) -> str:
    """A short-lived GET of `key` that downloads as `filename` (RFC 5987 encoded) with `content_type`."""
    disposition = f"attachment; filename*=UTF-8''{quote(filename, safe='')}"
    return str(s3.generate_presigned_url(
        "get_object", ExpiresIn=expires_s,
        Params={"Bucket": bucket, "Key": key, "ResponseContentDisposition": disposition,
                "ResponseContentType": content_type}))


class S3AttachmentBlobs:
    def __init__(self, bucket: str, client: "S3Client | None" = None) -> None:
        import boto3

        self.bucket = bucket
        self._s3 = client or boto3.client("s3")

    def presign_upload(self, key: str, content_type: str, size: int, expires_s: int) -> PresignedUpload:
        post: dict[str, Any] = self._s3.generate_presigned_post(
            Bucket=self.bucket, Key=key, Fields={"Content-Type": content_type},
            Conditions=[{"Content-Type": content_type}, ["content-length-range", size, size]],
            ExpiresIn=expires_s)
        return PresignedUpload(url=str(post["url"]), fields={k: str(v) for k, v in post["fields"].items()})

    def presign_download(self, key: str, filename: str, content_type: str, expires_s: int) -> str:
        return presigned_download(self._s3, self.bucket, key, filename, content_type, expires_s)

    def size(self, key: str) -> int | None:
        from botocore.exceptions import ClientError

        try:
            return int(self._s3.head_object(Bucket=self.bucket, Key=key)["ContentLength"])
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return None
            raise

    def head_bytes(self, key: str, count: int) -> bytes:
        return self._s3.get_object(Bucket=self.bucket, Key=key, Range=f"bytes=0-{count - 1}")["Body"].read()

    def sha256(self, key: str) -> str:
        digest = hashlib.sha256()
        body = self._s3.get_object(Bucket=self.bucket, Key=key)["Body"]
        for chunk in iter(lambda: body.read(CHUNK), b""):
            digest.update(chunk)
        return digest.hexdigest()

    def read(self, key: str) -> bytes:
        return self._s3.get_object(Bucket=self.bucket, Key=key)["Body"].read()

    def put(self, key: str, data: bytes, content_type: str) -> None:
        # Served only as a download, as mail's files are: never let a browser render what a stranger sent.
        self._s3.put_object(Bucket=self.bucket, Key=key, Body=data, ContentType="application/octet-stream",
                            ContentDisposition="attachment", Metadata={"original-content-type": content_type[:200]})

    def delete(self, key: str) -> None:
        self._s3.delete_object(Bucket=self.bucket, Key=key)
