"""RawMailStore on S3: SES writes raw messages under the inbound prefix; attachments go under the ticket."""

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client


class S3MailStore:
    def __init__(self, bucket: str, client: "S3Client | None" = None) -> None:
        import boto3

        self.bucket = bucket
        self._s3 = client or boto3.client("s3")

    def get_raw(self, key: str) -> bytes:
        try:
            return self._s3.get_object(Bucket=self.bucket, Key=key)["Body"].read()
        except self._s3.exceptions.NoSuchKey as exc:
            raise KeyError(key) from exc

    def size(self, key: str) -> int:
        from botocore.exceptions import ClientError

        try:
            return int(self._s3.head_object(Bucket=self.bucket, Key=key)["ContentLength"])
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                raise KeyError(key) from exc
            raise

    def put_raw(self, key: str, data: bytes) -> None:
        self._s3.put_object(Bucket=self.bucket, Key=key, Body=data, ContentType="message/rfc822")

    def copy_raw(self, source: str, key: str) -> None:
        from botocore.exceptions import ClientError

        try:
            self._s3.copy_object(Bucket=self.bucket, Key=key, CopySource={"Bucket": self.bucket, "Key": source},
                                 ContentType="message/rfc822", MetadataDirective="REPLACE")
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                raise KeyError(source) from exc
            raise

    def put_attachment(self, key: str, data: bytes, content_type: str) -> None:
        # Served only as a download: never let a browser render what a stranger sent.
        self._s3.put_object(Bucket=self.bucket, Key=key, Body=data, ContentType="application/octet-stream",
                            ContentDisposition="attachment", Metadata={"original-content-type": content_type[:200]})
