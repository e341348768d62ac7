"""Scan hooks. `NoScanner` is the default: nothing scanned files, and the verdict says so.

In AWS, enable Amazon GuardDuty Malware Protection for S3 on the attachment bucket (README, "Attachments"):
it scans every new object and tags it `GuardDutyMalwareScanStatus`; `GuardDutyTagScanner` reads that tag.
"""

from typing import TYPE_CHECKING

from helpdesk.attachments.model import ScanVerdict

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

GUARDDUTY_TAG = "GuardDutyMalwareScanStatus"
_GUARDDUTY_VERDICTS: dict[str, ScanVerdict] = {
    "NO_THREATS_FOUND": "clean",
    "THREATS_FOUND": "infected",
    "UNSUPPORTED": "failed",
    "ACCESS_DENIED": "failed",
    "FAILED": "failed",
}


class NoScanner:
    def verdict(self, key: str) -> ScanVerdict:
        return "unscanned"


class GuardDutyTagScanner:
    """Reads the tag GuardDuty Malware Protection for S3 puts on each scanned object; no tag yet: `pending`."""

    def __init__(self, bucket: str, client: "S3Client | None" = None) -> None:
        import boto3

        self.bucket = bucket
        self._s3 = client or boto3.client("s3")

    def verdict(self, key: str) -> ScanVerdict:
        tags = self._s3.get_object_tagging(Bucket=self.bucket, Key=key).get("TagSet", [])
        status = next((t["Value"] for t in tags if t["Key"] == GUARDDUTY_TAG), None)
        if status is None:
            return "pending"
        return _GUARDDUTY_VERDICTS.get(status, "failed")
