"""Large ticket exports in S3 (under `exports/<tenant>/`, expired by the bucket's lifecycle rule after a day),
downloaded through a presigned GET."""

from typing import TYPE_CHECKING, BinaryIO

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client


class S3ExportFiles:
    def __init__(self, bucket: str, client: "S3Client | None" = None) -> None:
        import boto3

        self.bucket = bucket
        self._s3 = client or boto3.client("s3")

    def store(self, key: str, body: BinaryIO, content_type: str) -> None:
        # The managed transfer switches to a multipart upload for large files and never holds one in memory.
        self._s3.upload_fileobj(body, self.bucket, key, ExtraArgs={"ContentType": content_type})

    def download_url(self, key: str, filename: str, content_type: str, expires_s: int) -> str:
        from helpdesk.attachments.adapters.s3 import presigned_download

        return presigned_download(self._s3, self.bucket, key, filename, content_type, expires_s)
