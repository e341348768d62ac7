"""Large ticket exports in S3 (under `exports/<tenant>/`, expired by the bucket's lifecycle rule after a day),
downloaded through a presigned GET."""

from typing import TYPE_CHECKING, BinaryIO
from urllib.parse import quote

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
        disposition = f"attachment; filename*=UTF-8''{quote(filename, safe='')}"
        return str(self._s3.generate_presigned_url(
            "get_object", ExpiresIn=expires_s,
            Params={"Bucket": self.bucket, "Key": key, "ResponseContentDisposition": disposition,
                    "ResponseContentType": content_type}))
