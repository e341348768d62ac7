"""Local stack extension: an SNS topic and SES sender on moto, and the SLA scan every minute."""

import os
import threading
from collections.abc import Callable

from helpdesk.local.extensions import LocalStackContext

INTERVAL_SECONDS = 60.0
LOCAL_SENDER = "sla@helpdesk.local"


def start_sla_scheduler(ctx: LocalStackContext) -> Callable[[], None]:
    import boto3

    topic = boto3.client("sns").create_topic(Name="helpdesk-sla")["TopicArn"]
    boto3.client("ses").verify_email_identity(EmailAddress=LOCAL_SENDER)
    os.environ.setdefault("SLA_TOPIC_ARN", topic)
    os.environ.setdefault("SLA_MAIL_FROM", LOCAL_SENDER)
    stop = threading.Event()

    def loop() -> None:
        from helpdesk.bootstrap import sla_scan
        from helpdesk.observability import logger

        while not stop.wait(INTERVAL_SECONDS):
            try:
                summary = sla_scan().run().as_dict()
                if any(summary.values()):
                    logger.info("local sla scan", extra=summary)
            except Exception as exc:  # keep scanning; the next minute may work
                logger.warning("local sla scan failed", extra={"error": repr(exc)})

    thread = threading.Thread(target=loop, name="sla-scheduler", daemon=True)
    thread.start()

    def halt() -> None:
        stop.set()
        thread.join(timeout=5)

    return halt
