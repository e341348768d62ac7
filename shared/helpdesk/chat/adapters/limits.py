"""Chat abuse-limit counters in the meta table, apart from the sessions (its own key prefix, so the
IAM policy can name it):

pk = CHATLIMIT#<tenant>#<key>   sk = <action>#<window length>#<window number>   value = count, TTL
<key> is `tenant` or `ip:<keyed hash of the address>`.
"""

from datetime import UTC, timedelta
from typing import TYPE_CHECKING

from helpdesk.kernel.clock import Clock, system_clock

if TYPE_CHECKING:
    from helpdesk.platform.dynamo.models import Tables


class DynamoWindowCounter:
    """Implements `helpdesk.chat.limits.WindowCounter` with one atomic ADD per hit."""

    def __init__(self, tables: "Tables", *, clock: Clock = system_clock) -> None:
        self._tables = tables
        self._clock = clock

    def hit(self, tenant_id: str, key: str, window: str, ttl_s: int) -> int:
        meta = self._tables.meta
        item = meta(f"CHATLIMIT#{tenant_id}#{key}", window)
        expires = self._clock().astimezone(UTC) + timedelta(seconds=ttl_s)
        item.update(actions=[meta.value.add(1), meta.expires_at.set(expires)])
        return int(item.value or 0)
