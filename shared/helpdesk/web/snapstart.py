"""Lambda SnapStart hooks of the HTTP API functions (template parameter `SnapStart=Enabled`).

With SnapStart, Lambda runs a function's init once when a version is published, snapshots the memory and
restores that snapshot on a cold start instead of importing FastAPI, pydantic, botocore and our code again.
Whatever init leaves in memory is shared by every environment restored from the snapshot, so:

- before the snapshot we import what the first request would import lazily (the DynamoDB adapters,
  PynamoDB, the boto3 session machinery) so the restored environment does not pay for it either, and
  we create **no** AWS client, connection or credential: those would be frozen in the snapshot;
- after a restore we reseed `random` (every restored environment would otherwise draw the same numbers:
  retry jitter; ids use `uuid4`/`secrets`, which read the OS's entropy and need nothing) and drop the
  container built during init, so clients, credentials and the per-container caches (SLA settings,
  triage settings) are created fresh in the restored environment, on first use.

`snapshot_restore_py` is part of Lambda's Python runtime; elsewhere (tests, the local stack) it is absent
and registering does nothing.
"""

import importlib
import logging
import random
from collections.abc import Callable, Sequence

log = logging.getLogger("helpdesk.snapstart")

# What the first request of any API function imports on its way to DynamoDB.
PREWARM = ("boto3", "botocore.client", "pynamodb.connection", "pynamodb.transactions",
           "helpdesk.platform.dynamo.models", "helpdesk.tickets.adapters.dynamo",
           "aws_lambda_powertools.utilities.idempotency")

_registered = False


def before_snapshot(modules: Sequence[str] = PREWARM) -> None:
    for name in modules:
        try:
            importlib.import_module(name)
        except ImportError:  # a function packaged without it never needs it
            log.debug("snapstart prewarm: %s not importable", name)


def after_restore() -> None:
    from helpdesk import bootstrap

    random.seed()
    bootstrap.use(None)


def register(modules: Sequence[str] = PREWARM) -> bool:
    """Register the hooks once per process; False when not running on a SnapStart-capable runtime."""
    global _registered
    if _registered:
        return True
    try:
        from snapshot_restore_py import (  # type: ignore[import-not-found]
            register_after_restore,
            register_before_snapshot,
        )
    except ImportError:
        return False
    hook: Callable[[], None] = lambda: before_snapshot(modules)  # noqa: E731 - the runtime calls it with no args
    register_before_snapshot(hook)
    register_after_restore(after_restore)
    _registered = True
    return True
