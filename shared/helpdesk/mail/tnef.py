"""winmail.dat (application/ms-tnef): the files and the body Outlook packed inside it.

The MAPI property decoding is `tnefparse`'s (imported on first use: most mail has no TNEF). Its `TNEF`
class is not used: it copies the rest of the stream for every attribute (quadratic in the attribute
count) and decodes attached Outlook items recursively. Here the attribute frames (MS-OXTNEF 2.1.3.1:
level, id, type, length, data, checksum) are walked once, and each property block handed to
`decode_mapi` is bounded: its count cannot exceed what the block could hold, and a read past the block's
end stops the decoding (without that, a forged multi-value count loops for billions of iterations).
"""

import codecs
import logging
import mimetypes
import struct
from dataclasses import dataclass, field
from typing import Any

SIGNATURE = 0x223E9F78
MAX_ATTRIBUTES = 5000
MAX_FILES = 200
# Attribute ids (MS-OXTNEF 2.1.3.2) and MAPI property tags (MS-OXPROPS) read here.
ATT_BODY, ATT_ATTACH_DATA, ATT_ATTACH_TITLE = 0x800C, 0x800F, 0x8010
ATT_ATTACH_REND_DATA, ATT_MAPI_PROPS, ATT_ATTACHMENT, ATT_OEM_CODEPAGE = 0x9002, 0x9003, 0x9005, 0x9007
PR_BODY, PR_BODY_HTML, PR_INTERNET_CPID = 0x1000, 0x1013, 0x3FDE
PR_ATTACH_DATA, PR_ATTACH_FILENAME, PR_ATTACH_LONG_FILENAME, PR_ATTACH_MIME_TAG = 0x3701, 0x3704, 0x3707, 0x370E
PR_DISPLAY_NAME = 0x3001
_WANTED = frozenset({PR_BODY, PR_BODY_HTML, PR_INTERNET_CPID, PR_ATTACH_DATA, PR_ATTACH_FILENAME,
                     PR_ATTACH_LONG_FILENAME, PR_ATTACH_MIME_TAG, PR_DISPLAY_NAME})
_READ_TYPES = frozenset({0x0003, 0x001E, 0x001F, 0x0102, 0x000D})  # integer, strings, binary, object
EMBEDDED_MESSAGE = b"\x07\x03\x02\x00\x00\x00\x00\x00\xc0\x00\x00\x00\x00\x00\x00\x46"


@dataclass
class TnefFile:
    filename: str
    content_type: str
    data: bytes


@dataclass
class TnefContent:
    text: str | None = None
    html: str | None = None
    files: list[TnefFile] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # what was inside but not extracted, and why


@dataclass
class _Pending:
    title: str | None = None
    long_name: str | None = None
    mime: str | None = None
    data: bytes = b""
    embedded: bool = False


class _Bounded(bytes):
    """A property block that refuses reads starting past its end, so every step of `decode_mapi` either
    consumes bytes or stops it."""

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, slice) and key.start is not None and key.start >= len(self) and key.stop != key.start:
            raise IndexError("read past the end of the property block")
        return super().__getitem__(key)


def _codec(codepage: int) -> str:
    name = {20127: "ascii", 28591: "latin-1", 65001: "utf-8", 20866: "koi8-r"}.get(codepage, f"cp{codepage}")
    try:
        return codecs.lookup(name).name
    except LookupError:
        return "cp1252"


def _properties(block: bytes, codec: str) -> dict[int, Any]:
    """The MAPI properties read here (first value of each tag) from one attribute's property block."""
    from tnefparse.mapi import decode_mapi

    if len(block) < 4:
        return {}
    count = min(struct.unpack_from("<I", block)[0], (len(block) - 4) // 4)
    props: dict[int, Any] = {}
    for prop in decode_mapi(_Bounded(struct.pack("<I", count) + block[4:]), codec):
        if prop.name not in _WANTED or prop.name in props or prop.attr_type not in _READ_TYPES:
            continue
        try:  # binary values whole (tnefparse's `data` strips trailing NUL bytes off them)
            props[prop.name] = b"".join(prop.raw_data) if prop.attr_type in (0x0102, 0x000D) else prop.data
        except Exception:  # noqa: S112  a value too short for its type: not read (the block was damaged)
            continue
    return props


def _text(value: Any, codec: str) -> str | None:
    if isinstance(value, str):
        return value.strip("\x00") or None
    if isinstance(value, bytes):
        return value.rstrip(b"\x00").decode(codec, errors="replace") or None
    return None


def read_tnef(data: bytes) -> TnefContent:
    """The body and files of a TNEF stream. Raises ValueError when `data` is not TNEF."""
    logging.getLogger("tnefparse").setLevel(logging.CRITICAL)  # damage is reported as defects instead
    if len(data) < 6 or struct.unpack_from("<I", data)[0] != SIGNATURE:
        raise ValueError("not a TNEF stream")
    content = TnefContent()
    codec = "cp1252"
    pending: list[_Pending] = []
    offset, seen = 6, 0
    while offset + 11 <= len(data) and seen < MAX_ATTRIBUTES:
        level, attr_id, _type, length = struct.unpack_from("<BHHI", data, offset)
        payload = data[offset + 9:offset + 9 + length]
        offset += 9 + length + 2
        seen += 1
        if level == 1 and attr_id == ATT_OEM_CODEPAGE and len(payload) >= 4:
            codec = _codec(struct.unpack_from("<I", payload)[0])
        elif level == 1 and attr_id == ATT_BODY:
            content.text = _text(payload, codec)
        elif level == 1 and attr_id == ATT_MAPI_PROPS:
            _message_properties(_properties(payload, codec), codec, content)
        elif level == 2:
            _attachment_attribute(attr_id, payload, codec, pending)
    if offset < len(data) and seen < MAX_ATTRIBUTES:
        content.skipped.append("truncated TNEF stream")
    elif seen >= MAX_ATTRIBUTES:
        content.skipped.append(f"more than {MAX_ATTRIBUTES} TNEF attributes")
    for index, item in enumerate(pending[:MAX_FILES]):
        if item.embedded:
            content.skipped.append("an attached Outlook item")
            continue
        name = item.long_name or item.title or f"attachment-{index + 1}.bin"
        mime = item.mime or mimetypes.guess_type(name)[0] or "application/octet-stream"
        content.files.append(TnefFile(name, mime.lower(), item.data))
    return content


def _message_properties(props: dict[int, Any], codec: str, content: TnefContent) -> None:
    cpid = props.get(PR_INTERNET_CPID)
    body_codec = _codec(cpid) if isinstance(cpid, int) else codec
    content.text = _text(props.get(PR_BODY), body_codec) or content.text
    content.html = _text(props.get(PR_BODY_HTML), body_codec) or content.html


def _attachment_attribute(attr_id: int, payload: bytes, codec: str, pending: list[_Pending]) -> None:
    if attr_id == ATT_ATTACH_REND_DATA or not pending:  # each attachment starts with its rendering data
        pending.append(_Pending())
    item = pending[-1]
    if attr_id == ATT_ATTACH_TITLE:
        item.title = _text(payload, codec)
    elif attr_id == ATT_ATTACH_DATA:
        item.data = payload
    elif attr_id == ATT_ATTACHMENT:
        props = _properties(payload, codec)
        item.long_name = _text(props.get(PR_ATTACH_LONG_FILENAME), codec) or item.long_name
        item.title = item.title or _text(props.get(PR_ATTACH_FILENAME) or props.get(PR_DISPLAY_NAME), codec)
        item.mime = _text(props.get(PR_ATTACH_MIME_TAG), codec) or item.mime
        obj = props.get(PR_ATTACH_DATA)
        if isinstance(obj, bytes) and obj:
            item.embedded = obj.startswith(EMBEDDED_MESSAGE)
            item.data = item.data or obj
