"""Opaque pagination cursors: DynamoDB's LastEvaluatedKey, base64url JSON, checked on the way back."""

import base64
import binascii
import json
from typing import Any

from helpdesk.kernel.errors import InvalidInput


def encode_cursor(key: dict[str, Any] | None) -> str | None:
    if not key:
        return None
    return base64.urlsafe_b64encode(json.dumps(key, separators=(",", ":")).encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None, expected: dict[str, str], keys: set[str]) -> dict[str, Any] | None:
    """`expected` pins key attributes (the tenant) to the caller's values: a cursor never crosses tenants."""
    if not cursor:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        key = json.loads(raw)
    except (binascii.Error, ValueError, UnicodeDecodeError) as exc:
        raise InvalidInput("cursor is not valid", {"cursor": cursor[:64]}) from exc
    if not isinstance(key, dict) or set(key) != keys or not all(isinstance(v, dict) for v in key.values()):
        raise InvalidInput("cursor does not belong to this listing", {"cursor": cursor[:64]})
    for name, value in expected.items():
        if key[name].get("S") != value:
            raise InvalidInput("cursor does not belong to this listing", {"cursor": cursor[:64]})
    return key
