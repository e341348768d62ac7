"""Free-form JSON objects a request may carry (a ticket's custom fields, a macro's): bounded before any write.

Here and not in the web layer because domain request models (a macro's actions) take such objects too.
"""

import math
from collections.abc import Callable
from typing import Any

from pydantic_core import PydanticCustomError

from helpdesk.kernel.text import stored_size

MAX_JSON_DEPTH = 8  # nesting beyond this is refused
MAX_KEY_CHARS = 128


def bounded_json(max_bytes: int, max_depth: int = MAX_JSON_DEPTH) -> Callable[[dict[str, Any]], dict[str, Any]]:
    """A free-form JSON object no deeper than `max_depth` (422), with finite numbers only (422) and at most
    `max_bytes` stored (413): DynamoDB refuses items over 400 KB and nesting over 32 levels, so both are checked
    before a write; Python's parser reads `NaN` and `1e999`, which no JSON answer can give back (they came back
    as null)."""

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
            elif isinstance(node, float) and not math.isfinite(node):
                raise PydanticCustomError("finite_number", "NaN and infinity are not JSON numbers")
        size = stored_size(value)
        if size > max_bytes:
            raise PydanticCustomError("payload_too_large", "takes {size} bytes once stored; the limit is {limit}",
                                      {"size": size, "limit": max_bytes})
        return value

    return check
