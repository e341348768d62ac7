"""SLA notifications: one SNS message per warning or breach, and a mail through SES to the group."""

import json
from typing import Any

from helpdesk.kernel.console import console_ticket_link
from helpdesk.platform.observability import logger
from helpdesk.sla.ports import SlaNotification


class SnsSesNotifier:
    """`HELPDESK_SLA_TOPIC_ARN` and `HELPDESK_SLA_MAIL_FROM` switch each channel on; either may be absent."""

    def __init__(self, topic_arn: str | None = None, mail_from: str | None = None,
                 console_url: str | None = None) -> None:
        self.topic_arn = topic_arn or None
        self.mail_from = mail_from or None
        self.console_url = console_url or None
        self._sns: Any = None
        self._ses: Any = None

    def notify(self, notification: SlaNotification) -> list[str]:
        message = notification.as_message()
        channels: list[str] = []
        if self.topic_arn:
            if self._sns is None:
                import boto3

                self._sns = boto3.client("sns")
            self._sns.publish(TopicArn=self.topic_arn, Message=json.dumps(message),
                              Subject=f"SLA {notification.kind}: {notification.ticket_number}",
                              MessageAttributes={"kind": {"DataType": "String", "StringValue": notification.kind},
                                                 "tenant_id": {"DataType": "String",
                                                               "StringValue": notification.tenant_id}})
            channels.append("sns")
        if self.mail_from and notification.recipients:
            if self._ses is None:
                import boto3

                self._ses = boto3.client("ses")
            self._ses.send_email(
                Source=self.mail_from,
                Destination={"ToAddresses": list(notification.recipients)},
                Message={"Subject": {"Data": _mail_subject(notification)},
                         "Body": {"Text": {"Data": _mail_body(notification, self.console_url)}}})
            channels.append("ses")
        fields = {k: v for k, v in message.items() if k != "tenant_id"}
        if channels:
            logger.info("sla notification sent", extra={**fields, "channels": channels})
        else:
            logger.warning("sla notification not sent: no channel configured and no group address", extra=fields)
        return channels


def _mail_subject(n: SlaNotification) -> str:
    what = "breached" if n.kind == "breached" else "due soon"
    return f"[{n.ticket_number}] SLA {n.target.replace('_', ' ')} {what}"


def _mail_body(n: SlaNotification, console_url: str | None = None) -> str:
    # The ticket subject is customer text: quoted as data, never used as anything else.
    body = (f"Ticket {n.ticket_number} ({n.priority}, group {n.group or '-'})\n"
            f"Subject: {n.subject[:200]!r}\n"
            f"Target: {n.target.replace('_', ' ')}, due {n.due_at.isoformat()}\n"
            f"State: {n.kind}\n")
    if console_url:
        body += f"Open: {console_ticket_link(console_url, n.ticket_id)}\n"
    return body
