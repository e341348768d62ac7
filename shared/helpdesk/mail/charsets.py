"""Bytes to text for mail, where declared charsets are often wrong or missing.

Mail clients label GBK text "gb2312", Windows-1252 text "iso-8859-1", CP949 text "ks_c_5601-1987",
and send raw 8-bit headers with no charset at all. Each label maps to the superset that real
senders mean; undecodable or undeclared bytes go to UTF-8, then to charset detection
(charset-normalizer), then to a lossy decode that never raises.
"""

import codecs
import re

# Label as written in mail (lowercased) -> the codec that decodes what senders really use under it.
SUPERSETS: dict[str, str] = {
    "gb2312": "gb18030", "gb_2312-80": "gb18030", "csgb2312": "gb18030", "euc-cn": "gb18030",
    "chinese": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "cp936": "gb18030", "hz-gb-2312": "hz",
    "big5": "big5hkscs", "x-big5": "big5hkscs",
    "ks_c_5601-1987": "cp949", "ks_c_5601": "cp949", "euc-kr": "cp949", "korean": "cp949",
    "iso-8859-1": "cp1252", "iso8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252",
    "l1": "cp1252", "iso_8859-1": "cp1252", "us-ascii": "cp1252", "ascii": "cp1252", "ansi_x3.4-1968": "cp1252",
    "iso-8859-9": "cp1254", "iso-8859-11": "cp874", "tis-620": "cp874", "windows-874": "cp874",
    "shift_jis": "cp932", "shift-jis": "cp932", "sjis": "cp932", "x-sjis": "cp932", "ms_kanji": "cp932",
    "iso-2022-jp": "iso2022_jp_ext", "euc-jp": "euc_jis_2004",
    "utf8": "utf-8", "utf-8": "utf-8", "x-utf-8": "utf-8", "unicode-1-1-utf-7": "utf-7",
}
# Labels that say "we do not know".
# Registered charset names (RFC 2978: up to 40 characters of letters, digits and a little punctuation).
_LABEL = re.compile(r"[a-z0-9][a-z0-9._:+()-]{0,39}")
UNKNOWN = frozenset({"unknown-8bit", "x-unknown", "unknown", "default", "charset", "x-user-defined", ""})


def codec_for(label: str | None) -> str | None:
    """The Python codec for a declared charset label, None when unknown or unusable."""
    if label is None:
        return None
    name = label.strip().strip("\"'").lower()
    if name in UNKNOWN or not _LABEL.fullmatch(name):
        return None  # a label is a short token; anything else (NUL bytes, 450 KB of it) names no codec
    name = SUPERSETS.get(name, name)
    try:
        info = codecs.lookup(name)
    except (LookupError, ValueError):
        return None
    # "base64", "rot13", "zlib" are codecs but not charsets: bytes.decode refuses them
    return info.name if getattr(info, "_is_text_encoding", True) else None


def decode_bytes(data: bytes, label: str | None = None, *, detect: bool = True) -> tuple[str, bool]:
    """Decode mail bytes; returns (text, exact) where exact is False when something was guessed or lost.
    `detect=False` skips charset detection (for snippets too short to detect from)."""
    if not data:
        return "", True
    codec = codec_for(label)
    if codec is not None and codec != "cp1252":
        try:
            return data.decode(codec), True
        except (UnicodeDecodeError, LookupError):
            pass
    try:
        return data.decode("utf-8"), codec in (None, "utf-8", "cp1252") or data.isascii()
    except UnicodeDecodeError:
        pass
    if codec == "cp1252":  # Latin-1 label on non-UTF-8 bytes: Windows-1252 is what senders mean
        try:
            return data.decode("cp1252"), True
        except UnicodeDecodeError:
            pass
    if (codec is None and _UTF8_SEQUENCE.search(data)) or (not detect and codec == "utf-8"):
        # Mostly UTF-8 with a few stray Latin bytes (text pasted together): keep the UTF-8, map the rest.
        return data.decode("utf-8", errors=_CP1252_FALLBACK), False
    guessed = _detect(data) if detect else None
    if guessed is not None:
        return guessed, False
    return data.decode(codec or "cp1252", errors="replace"), False


_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
_CP1252_FALLBACK = "helpdesk-cp1252-fallback"


def _cp1252_fallback(error: UnicodeError) -> tuple[str, int]:
    assert isinstance(error, UnicodeDecodeError)
    bad = error.object[error.start:error.end]
    return bad.decode("cp1252", errors="replace"), error.end


codecs.register_error(_CP1252_FALLBACK, _cp1252_fallback)


def _detect(data: bytes) -> str | None:
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # detection is an optional improvement
        return None
    results = from_bytes(data[:65536])
    best = results.best()
    if best is None:
        return None
    # Short Western text fits several single-byte code pages equally well; Windows-1252 is the one mail
    # senders use (a tie to Cyrillic, Greek, ... code pages does not arise: their letters score better).
    tied = [m.encoding for m in results if m.chaos == best.chaos and m.coherence == best.coherence]
    encoding = "cp1252" if "cp1252" in tied else best.encoding
    try:
        return data.decode(encoding, errors="replace")
    except LookupError:
        return None
