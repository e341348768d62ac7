"""What attachments need from the outside: where files and their records live, and who scans them."""

from typing import Protocol

from helpdesk.attachments.model import AttachmentRecord, PresignedUpload, ScanVerdict


class AttachmentRecords(Protocol):
    def add(self, record: AttachmentRecord) -> None: ...

    def get(self, tenant_id: str, ticket_id: str, attachment_id: str) -> AttachmentRecord | None: ...

    def mark_attached(self, record: AttachmentRecord) -> None:
        """Store the record as attached (status, message, visibility, hash, verdict)."""
        ...


class AttachmentBlobs(Protocol):
    def presign_upload(self, key: str, content_type: str, size: int, expires_s: int) -> PresignedUpload:
        """A browser form POST that can store exactly `size` bytes of `content_type` at `key`."""
        ...

    def presign_download(self, key: str, filename: str, content_type: str, expires_s: int) -> str: ...

    def size(self, key: str) -> int | None:
        """The stored object's size, None when nothing was uploaded."""
        ...

    def head_bytes(self, key: str, count: int) -> bytes: ...

    def sha256(self, key: str) -> str:
        """The object's SHA-256, read as a stream."""
        ...

    def read(self, key: str) -> bytes: ...

    def put(self, key: str, data: bytes, content_type: str) -> None:
        """Store a file that came another way than a browser upload (a ticket's history brought over)."""
        ...

    def delete(self, key: str) -> None: ...


class MalwareScanner(Protocol):
    """The scan hook: a verdict for a stored object. The default says `unscanned`; in AWS, GuardDuty Malware
    Protection for S3 tags each new object and `GuardDutyTagScanner` reads that tag."""

    def verdict(self, key: str) -> ScanVerdict: ...
