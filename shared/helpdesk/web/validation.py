"""Field validators shared by the request models of every API."""

import re
from collections.abc import Callable
from typing import Any

from pydantic_core import PydanticCustomError

from helpdesk.kernel.text import MAX_TAG_CHARS, normalise_tag, single_line, stored_size

MAX_JSON_DEPTH = 8  # free-form JSON fields (custom fields): nesting beyond this is refused
MAX_KEY_CHARS = 128


def bounded_text(max_bytes: int) -> Callable[[str], str]:
    """Non-blank text taking at most `max_bytes` once stored (`stored_size`: the UTF-8 size for plain
    text, more for other scripts and control characters); too big answers 413, not 422."""

    def check(value: str) -> str:
        size = stored_size(value)
        if size > max_bytes:
            raise PydanticCustomError("payload_too_large",
                                      "text takes {size} bytes once stored; the limit is {limit}",
                                      {"size": size, "limit": max_bytes})
        if not value.strip():
            raise PydanticCustomError("blank", "text must not be blank")
        return value

    return check


def one_line(value: str) -> str:
    """A subject as a queue shows it (`single_line`); blank is refused."""
    try:
        return single_line(value)
    except ValueError as exc:
        raise PydanticCustomError("blank", "text must not be blank") from exc


def tag_list(tags: list[str] | None) -> list[str] | None:
    if tags is None:
        return None
    for tag in tags:
        if not normalise_tag(tag) or len(tag) > MAX_TAG_CHARS:
            raise PydanticCustomError("tag", f"tags are 1 to {MAX_TAG_CHARS} characters")
    return tags


def bounded_json(max_bytes: int, max_depth: int = MAX_JSON_DEPTH) -> Callable[[dict[str, Any]], dict[str, Any]]:
    """A free-form JSON object no deeper than `max_depth` (422) and at most `max_bytes` stored (413):
    DynamoDB refuses items over 400 KB and nesting over 32 levels, so both are checked before a write."""

    def check(value: dict[str, Any]) -> dict[str, Any]:
        stack: list[tuple[Any, int]] = [(value, 1)]
        while stack:  # iterative: a deep value must not exhaust the interpreter's stack here
            node, depth = stack.pop()
            if isinstance(node, dict | list) and depth > max_depth:
                raise PydanticCustomError("too_deep", "nested more than {limit} levels", {"limit": max_depth})
            if isinstance(node, dict):
                for key, child in node.items():
                    if len(key) > MAX_KEY_CHARS:
                        raise PydanticCustomError("key_too_long", "a key is longer than {limit} characters",
                                                  {"limit": MAX_KEY_CHARS})
                    stack.append((child, depth + 1))
            elif isinstance(node, list):
                stack.extend((child, depth + 1) for child in node)
        size = stored_size(value)
        if size > max_bytes:
            raise PydanticCustomError("payload_too_large", "takes {size} bytes once stored; the limit is {limit}",
                                      {"size": size, "limit": max_bytes})
        return value

    return check


_EMAIL_ADDRESS = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
                            r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$")


def email_list(addresses: list[str]) -> list[str]:
    """Plain addresses (`local@domain.tld`, no display names), each at most 254 characters."""
    for address in addresses:
        if len(address) > 254 or not _EMAIL_ADDRESS.match(address.strip()):
            raise PydanticCustomError("email", "'{address}' is not an e-mail address", {"address": address[:254]})
    return [a.strip().lower() for a in addresses]
