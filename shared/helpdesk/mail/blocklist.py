"""Senders a tenant no longer takes mail from: an address, or a domain with its subdomains. Their mail is kept
(raw in S3, a quarantine record marked ignored) but opens no ticket and joins none: a persistent spammer or a
runaway system that SES's spam verdict lets through would otherwise fill the queue."""

import re

MAX_BLOCKED_SENDERS = 500
_DOMAIN = re.compile(r"^(?=.{3,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
_LOCAL = re.compile(r"^[^@\s<>,;\"]{1,64}$")


def blocked_entry(entry: str) -> str:
    """One entry as kept: lower case; `*@domain` and `@domain` are the domain. ValueError when it is neither an
    address nor a domain."""
    value = entry.strip().lower().removeprefix("*").removeprefix("@")
    local, at, domain = value.rpartition("@")
    if _DOMAIN.match(domain) and (not at or _LOCAL.match(local)):
        return value
    raise ValueError(f"not an address or a domain: {entry[:100]!r}")


def is_blocked(sender: str, entries: list[str]) -> bool:
    sender = sender.strip().lower()
    domain = sender.rpartition("@")[2]
    return any(sender == entry if "@" in entry else domain == entry or domain.endswith("." + entry)
               for entry in entries)
