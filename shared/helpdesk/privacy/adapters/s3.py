"""Export archives and the person's stored files in S3 (the bucket attachments and mail use). The bucket keeps
versions, so deleting an object removes every version of it, not only the current one."""

import json
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client


class S3Objects:
    def __init__(self, bucket: str, client: "S3Client | None" = None) -> None:
        import boto3

        self.bucket = bucket
        self._s3 = client or boto3.client("s3")

    def put_json(self, key: str, document: Any) -> None:
        self._s3.put_object(Bucket=self.bucket, Key=key, ContentType="application/json",
                            Body=json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8"))

    def presign(self, key: str, filename: str, expires_s: int) -> str:
        disposition = f"attachment; filename*=UTF-8''{quote(filename, safe='')}"
        return str(self._s3.generate_presigned_url(
            "get_object", ExpiresIn=expires_s,
            Params={"Bucket": self.bucket, "Key": key, "ResponseContentDisposition": disposition}))

    def read(self, key: str) -> bytes | None:
        try:
            body: bytes = self._s3.get_object(Bucket=self.bucket, Key=key)["Body"].read()
        except self._s3.exceptions.NoSuchKey:
            return None
        return body

    def delete(self, key: str) -> int:
        versions: list[dict[str, str]] = []
        paginator = self._s3.get_paginator("list_object_versions")
        for page in paginator.paginate(Bucket=self.bucket, Prefix=key):
            for entry in [*page.get("Versions", []), *page.get("DeleteMarkers", [])]:
                if entry.get("Key") == key:  # the prefix also matches longer keys
                    versions.append({"Key": key, "VersionId": str(entry.get("VersionId") or "null")})
        for start in range(0, len(versions), 1000):
            self._s3.delete_objects(Bucket=self.bucket, Delete={"Objects": versions[start:start + 1000],  # type: ignore[typeddict-item]
                                                                "Quiet": True})
        return len(versions)
