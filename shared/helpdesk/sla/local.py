"""Local stack extension: an SNS topic and SES sender on moto, and the SLA scan (with the agents' reminders and the
time triggers' sweeps, as the sla_scan function) every minute."""

import threading
from collections.abc import Callable

from helpdesk.local.extensions import LocalStackContext

INTERVAL_SECONDS = 60.0


def start_sla_scheduler(ctx: LocalStackContext) -> Callable[[], None]:
    import boto3

    settings = ctx.container.settings.sla
    if settings.topic_arn:  # the topic and sender the local settings name
        boto3.client("sns").create_topic(Name=settings.topic_arn.rpartition(":")[2])
    if settings.mail_from:
        boto3.client("ses").verify_email_identity(EmailAddress=settings.mail_from)
    stop = threading.Event()

    def loop() -> None:
        from helpdesk.platform.observability import logger

        while not stop.wait(INTERVAL_SECONDS):
            try:
                done = ctx.container.scheduled_round.run()  # as the sla_scan function does
                if done.did_anything:
                    logger.info("local sla scan", extra=done.as_dict())
            except Exception as exc:  # keep scanning; the next minute may work
                logger.warning("local sla scan failed", extra={"error": repr(exc)})

    thread = threading.Thread(target=loop, name="sla-scheduler", daemon=True)
    thread.start()

    def halt() -> None:
        stop.set()
        thread.join(timeout=5)

    return halt
