"""Links in text shown to customers: only to the tenant's allowed domains.

Article text is untrusted (anyone with edit rights, an import, a ticket thread turned into a draft), and
an answer quotes it. A link to another domain ("reset at https://evil.example/r4") is removed from the
answer, whatever produced it (the model or the extractive offline adapter). Pure functions, no I/O.
"""

import re
from collections.abc import Collection
from dataclasses import dataclass, field
from urllib.parse import urlsplit

REMOVED = "[link removed]"

# Scheme links (`x://`, and script/data URLs), `www.` links, and bare host names with a path ("evil.example/r4").
_LINK = re.compile(
    r"(?<![@\w.-])(?:"
    r"[a-z][a-z0-9+.-]{1,15}://[^\s<>\"'`]+"
    r"|(?:javascript|data|vbscript):[^\s<>\"'`]+"
    r"|www\.[^\s<>\"'`]+"
    r"|(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,24}/[^\s<>\"'`]*"
    r")",
    re.IGNORECASE,
)
_TRAILING = ".,;:!?)]}>*_"


@dataclass
class Screened:
    text: str
    removed_hosts: list[str] = field(default_factory=list)


def normalise_domain(domain: str) -> str:
    return domain.strip().lower().lstrip("*").lstrip(".").rstrip(".")


def host_of(link: str) -> str:
    target = link if "://" in link else f"http://{link}"
    try:
        host = urlsplit(target).hostname or ""
    except ValueError:
        return ""
    return host.lower().rstrip(".")


def allowed_host(host: str, allowed: Collection[str]) -> bool:
    """`host` is an allowed domain or a subdomain of one."""
    host = host.lower().rstrip(".")
    return any(host == d or host.endswith("." + d) for d in (normalise_domain(a) for a in allowed) if d)


def restrict_links(text: str, allowed: Collection[str]) -> Screened:
    """`text` with every link outside `allowed` replaced by REMOVED; the hosts removed, in order."""
    removed: list[str] = []

    def replace(match: re.Match[str]) -> str:
        link = match.group(0)
        trail = ""
        while link and link[-1] in _TRAILING:  # sentence punctuation after a link is not part of it
            link, trail = link[:-1], link[-1] + trail
        host = host_of(link)
        if host and allowed_host(host, allowed):
            return match.group(0)
        removed.append(host or link[:60])
        return REMOVED + trail

    return Screened(_LINK.sub(replace, text), removed)
