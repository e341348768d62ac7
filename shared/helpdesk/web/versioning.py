"""Optimistic concurrency over HTTP: the version as the ETag, `If-Match` back as the expected version."""

from typing import Annotated

from fastapi import Header, Response

# `If-Match: "<version>"`, the ETag of a GET: a change made since then turns the write into 409.
IfMatch = Annotated[str | None, Header(max_length=64)]


def set_etag(response: Response, version: int) -> None:
    response.headers["ETag"] = f'"{version}"'


def expected_version(if_match: str | None) -> int | None:
    """The version an `If-Match` header pins; one that is no version of ours matches nothing (-1). `*` pins none:
    it asks only that the resource exists (RFC 9110 13.1.1), which the write checks anyway."""
    if if_match is None or if_match.strip() == "*":
        return None
    stripped = if_match.strip().removeprefix("W/").strip('"')
    return int(stripped) if stripped.isdigit() else -1
