"""Local stack extension: the retention scan every hour (daily in AWS), so a short retention period is seen to
work without waiting a day. `helpdesk privacy retention` runs it at once."""

import threading
from collections.abc import Callable

from helpdesk.local.extensions import LocalStackContext

INTERVAL_SECONDS = 3600.0


def start_retention_scheduler(ctx: LocalStackContext) -> Callable[[], None]:
    stop = threading.Event()

    def loop() -> None:
        from helpdesk.platform.observability import logger

        while not stop.wait(INTERVAL_SECONDS):
            try:
                run = ctx.container.privacy.apply_retention()
                if run.tickets:
                    logger.info("local retention scan", extra=run.model_dump())
            except Exception as exc:  # keep scanning; the next hour may work
                logger.warning("local retention scan failed", extra={"error": repr(exc)})

    thread = threading.Thread(target=loop, name="retention-scheduler", daemon=True)
    thread.start()

    def halt() -> None:
        stop.set()
        thread.join(timeout=5)

    return halt
