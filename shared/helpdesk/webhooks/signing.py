"""Standard Webhooks signatures (`webhook-id`, `webhook-timestamp`, `webhook-signature: v1,<base64 HMAC-SHA256>`)
with the `standardwebhooks` package, the specification's reference implementation.

Receivers verify with `verify` (or any Standard Webhooks library): it refuses a signature that does not match
and a timestamp more than five minutes old or ahead, so a captured delivery cannot be replayed later.
"""

import base64
import secrets
from datetime import UTC, datetime
from typing import Any

from standardwebhooks.webhooks import Webhook, WebhookVerificationError

SECRET_PREFIX = "whsec_"  # noqa: S105 - the format's prefix, not a secret
TOLERANCE_S = 5 * 60


def new_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def signed_headers(secret: str, message_id: str, body: str, at: datetime) -> dict[str, str]:
    at = at.astimezone(UTC)
    return {"webhook-id": message_id, "webhook-timestamp": str(int(at.timestamp())),
            "webhook-signature": Webhook(secret).sign(message_id, at, body)}


class InvalidSignature(Exception):
    pass


def verify(secret: str, body: bytes | str, headers: dict[str, str]) -> Any:
    """The verification helper we document for receivers: the parsed JSON body, or InvalidSignature (wrong
    secret or body, missing headers, or a timestamp outside five minutes of now)."""
    try:
        return Webhook(secret).verify(body, headers)
    except (WebhookVerificationError, ValueError) as exc:  # ValueError: a malformed signature header
        raise InvalidSignature(str(exc)) from exc
