"""What an attachment is and which files are accepted.

A file is accepted when its declared type is on the allow-list, its name ends in an extension of that
type, it is not an executable by name, and (checked after the upload, on the stored bytes) it does not
start like an executable. Unknown types are refused rather than guessed at: a helpdesk receives files
from strangers and shows them to agents.
"""

import hashlib
import re
from datetime import datetime
from pathlib import PurePosixPath
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from helpdesk.kernel.errors import InvalidInput, TooLarge, UnsupportedType

MAX_FILENAME_CHARS = 200
ScanVerdict = Literal["unscanned", "pending", "clean", "infected", "failed"]

# Declared content type -> the file name extensions it may carry.
ALLOWED_TYPES: dict[str, frozenset[str]] = {
    "application/pdf": frozenset({".pdf"}),
    "image/png": frozenset({".png"}),
    "image/jpeg": frozenset({".jpg", ".jpeg"}),
    "image/gif": frozenset({".gif"}),
    "image/webp": frozenset({".webp"}),
    "image/heic": frozenset({".heic"}),
    "text/plain": frozenset({".txt", ".log", ".text"}),
    "text/csv": frozenset({".csv"}),
    "application/json": frozenset({".json"}),
    "application/zip": frozenset({".zip"}),
    "message/rfc822": frozenset({".eml"}),
    "application/msword": frozenset({".doc"}),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": frozenset({".docx"}),
    "application/vnd.ms-excel": frozenset({".xls"}),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": frozenset({".xlsx"}),
    "application/vnd.ms-powerpoint": frozenset({".ppt"}),
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": frozenset({".pptx"}),
    "application/vnd.oasis.opendocument.text": frozenset({".odt"}),
    "application/vnd.oasis.opendocument.spreadsheet": frozenset({".ods"}),
    "audio/mpeg": frozenset({".mp3"}),
    "video/mp4": frozenset({".mp4"}),
}
EXECUTABLE_EXTENSIONS = frozenset({
    ".exe", ".dll", ".com", ".bat", ".cmd", ".scr", ".msi", ".msp", ".pif", ".cpl", ".ps1", ".psm1", ".vbs",
    ".vbe", ".js", ".jse", ".wsf", ".wsh", ".hta", ".jar", ".sh", ".bash", ".app", ".apk", ".dmg", ".pkg",
    ".deb", ".rpm", ".run", ".bin", ".elf", ".so", ".dylib", ".lnk", ".reg", ".iso", ".img", ".vhd", ".xll",
    ".docm", ".xlsm", ".pptm",
})
# Leading bytes of programs (PE, ELF, Mach-O 32/64 both byte orders and fat binaries, scripts with #!).
EXECUTABLE_MAGIC = (b"MZ", b"\x7fELF", b"\xfe\xed\xfa\xce", b"\xfe\xed\xfa\xcf", b"\xce\xfa\xed\xfe",
                    b"\xcf\xfa\xed\xfe", b"\xca\xfe\xba\xbe", b"#!")
SNIFF_BYTES = 16
# Pictures a page may show (an article's): the types browsers draw as images without running anything. SVG is not
# one of them: it is a document that can carry script. Each is told by its leading bytes, never by its name.
IMAGE_TYPES: dict[str, frozenset[str]] = {kind: ALLOWED_TYPES[kind]
                                          for kind in ("image/png", "image/jpeg", "image/gif", "image/webp")}


class AttachmentRecord(BaseModel):
    """One file on a ticket. Uploads are `pending` until a message takes them; mail attachments are
    described by their message's event and have no record of their own."""

    id: str
    tenant_id: str
    ticket_id: str
    filename: str
    content_type: str
    size: int
    key: str  # object key in the attachment bucket
    uploaded_by: str
    created_at: datetime
    status: Literal["pending", "attached"] = "pending"
    sha256: str | None = None
    scan: ScanVerdict = "unscanned"
    message_seq: int | None = None
    public: bool | None = None  # of the message it is attached to


class AttachmentView(BaseModel):
    """What the API shows about an attachment (the storage key stays inside)."""

    id: str
    filename: str
    content_type: str
    size: int
    sha256: str | None = None
    scan: str = "unscanned"
    inline: bool = False
    content_id: str | None = None
    public: bool = True
    message_seq: int | None = None
    source: Literal["upload", "mail", "import"] = "upload"  # import: brought over with the ticket's history
    # On a merge target: the merged ticket whose message carries the file (`message_seq` is in its log).
    merged_from: str | None = None


class UploadRequest(BaseModel):
    """A file the browser is about to upload (what the presigned POST will hold it to)."""

    model_config = ConfigDict(extra="forbid")

    filename: str = Field(min_length=1, max_length=MAX_FILENAME_CHARS)
    content_type: str = Field(min_length=1, max_length=200)
    size: int = Field(ge=1, description="bytes (the route says how many at most)")


class PresignedUpload(BaseModel):
    url: str
    fields: dict[str, str] = Field(default_factory=dict)


class UploadGrant(BaseModel):
    attachment_id: str
    upload: PresignedUpload
    expires_at: str
    max_bytes: int


def check_declared(filename: str, content_type: str, size: int, max_bytes: int,
                   allowed: dict[str, frozenset[str]] = ALLOWED_TYPES, noun: str = "an attachment") -> str:
    """The normalised content type of an upload that may proceed; raises with a clear reason otherwise. `allowed`:
    the accepted types and their extensions; `noun`: what the messages call the file."""
    name = filename.strip()
    if not name or len(name) > MAX_FILENAME_CHARS or any(c in name for c in "/\\\x00"):
        raise InvalidInput("a file name is 1-200 characters without slashes", {"filename": filename[:200]})
    suffixes = [s.lower() for s in PurePosixPath(name).suffixes]
    if any(s in EXECUTABLE_EXTENSIONS for s in suffixes):
        raise UnsupportedType("executable files are not accepted", {"filename": name})
    if size <= 0:
        raise InvalidInput(f"{noun} has at least one byte", {"size": size})
    if size > max_bytes:
        raise TooLarge(f"{noun} is at most {max_bytes} bytes", {"size": size, "limit": max_bytes})
    kind = content_type.split(";")[0].strip().lower()
    extensions = allowed.get(kind)
    if extensions is None:
        raise UnsupportedType(f"files of type {kind or '(none)'} are not accepted",
                              {"content_type": kind, "allowed": sorted(allowed)})
    if not suffixes or suffixes[-1] not in extensions:
        raise UnsupportedType(f"a {kind} file must be named *{' or *'.join(sorted(extensions))}",
                              {"filename": name, "content_type": kind})
    return kind


def looks_executable(head: bytes) -> bool:
    return head.startswith(EXECUTABLE_MAGIC)


def sniffed_image(head: bytes) -> str | None:
    """The picture type (of IMAGE_TYPES) the leading bytes say, None when they are no such picture."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return None


_UNSAFE_NAME = re.compile(r"[^\w.-]+")


def key_name(filename: str) -> str:
    """A file's name as the last part of its object key: word characters, dots and dashes, at most 120."""
    return _UNSAFE_NAME.sub("_", filename.strip())[:120] or "attachment"


def mail_attachment_id(key: str) -> str:
    """A stable id for an attachment mail ingest (or an import) stored: described by its event, keyed by its
    object."""
    return "ma" + hashlib.sha256(key.encode()).hexdigest()[:30]


def shown_entry(entry: Any) -> Any:
    """A file as a message's event shows it to API clients: with the id `GET /tickets/{id}/attachments/{id}` serves
    it by (mail's and imported files are named by their object) and without the storage key."""
    if not isinstance(entry, dict) or not isinstance(entry.get("key"), str):
        return entry
    return {**{name: value for name, value in entry.items() if name != "key"}, "id": entry_id(entry)}


def entry_id(entry: dict[str, Any]) -> str:
    """The id a message's file is downloaded by: an upload's own, else the one its object key gives (mail, import)."""
    return str(entry.get("id") or mail_attachment_id(str(entry["key"])))
