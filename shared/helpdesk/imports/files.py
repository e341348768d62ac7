"""A message's files brought over: each checked as an upload is here (type, name, size, not a program) and stored
under its ticket as mail's are (the attachment scanner sees them as any new object); one that fails stays in the old
helpdesk, named with the reason on the message."""

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field

from helpdesk.attachments.model import SNIFF_BYTES, check_declared, key_name, looks_executable
from helpdesk.attachments.ports import AttachmentBlobs
from helpdesk.imports.model import ImportReport, SourceComment
from helpdesk.imports.ports import FileUnavailable, HelpdeskSource
from helpdesk.kernel.errors import DomainError


@dataclass
class BroughtFiles:
    """A message's files: those stored here (its event's `attachments`, described as mail's are) and those left in
    the old helpdesk, each with the reason."""

    stored: list[dict[str, object]] = field(default_factory=list)
    left: list[dict[str, str]] = field(default_factory=list)


class MessageFiles:
    def __init__(self, blobs: AttachmentBlobs, max_bytes: int) -> None:
        self._files = blobs
        self._max_bytes = max_bytes  # what an upload may be here (HELPDESK_ATTACHMENTS_MAX_BYTES)

    def bring(self, source: HelpdeskSource, tenant_id: str, ticket_id: str, comment: SourceComment,
                     report: ImportReport, dry_run: bool) -> BroughtFiles:
        """Each file of the message checked as an upload is (type, name, size, not a program) and stored under the
        ticket, as mail's are; the attachment scanner sees them as any new object. One that fails stays behind."""
        brought = BroughtFiles()
        for index, file in enumerate(comment.attachments[:100]):
            try:
                kind = check_declared(file.name, file.content_type, max(file.size, 1), self._max_bytes)
                if dry_run:
                    report.attachments_imported += 1
                    continue
                data = source.download(file, self._max_bytes)
                if not data or looks_executable(data[:SNIFF_BYTES]):
                    raise FileUnavailable("empty" if not data else "a program")
            except (DomainError, FileUnavailable) as exc:
                reason = exc.message if isinstance(exc, DomainError) else str(exc)
                brought.left.append({"filename": file.name, "reason": reason})
                report.attachments_left += 1
                continue
            key = f"tickets/{tenant_id}/{ticket_id}/import-{key_name(comment.id)}/{index:03d}-{key_name(file.name)}"
            self._files.put(key, data, kind)
            brought.stored.append({"key": key, "filename": file.name, "content_type": kind, "size": len(data),
                                   "sha256": hashlib.sha256(data).hexdigest(), "source": "import"})
            report.attachments_imported += 1
        return brought

    def discard(self, brought: Iterable[BroughtFiles]) -> None:
        """The files stored for a ticket that was not written (a rerun stores them again)."""
        for entry in (entry for files in brought for entry in files.stored):
            self._files.delete(str(entry["key"]))


def file_data(files: BroughtFiles | None) -> dict[str, object]:
    if files is None:
        return {}
    return {**({"attachments": files.stored} if files.stored else {}),
            **({"attachments_left": files.left} if files.left else {})}
