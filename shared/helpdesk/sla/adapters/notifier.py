"""SLA notifications: one SNS message per warning or breach, and a mail through SES to the group."""

import json
from typing import Any

from helpdesk.kernel.clock import wall_time
from helpdesk.kernel.console import console_ticket_link
from helpdesk.kernel.i18n import has_phrase, language_of, phrase
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
            for (language, zone), addresses in _by_reader(notification).items():  # each in their own words
                self._ses.send_email(
                    Source=self.mail_from,
                    Destination={"ToAddresses": addresses},
                    Message={"Subject": {"Data": _mail_subject(notification, language)},
                             "Body": {"Text": {"Data": _mail_body(notification, language, zone, self.console_url)}}})
            channels.append("ses")
        fields = {k: v for k, v in message.items() if k != "tenant_id"}
        if channels:
            logger.info("sla notification sent", extra={**fields, "channels": channels})
        else:
            logger.warning("sla notification not sent: no channel configured and no group address", extra=fields)
        return channels


def _by_reader(n: SlaNotification) -> dict[tuple[str, str | None], list[str]]:
    """The recipients by the language and time zone they read (the group addresses: the policy's language, in the
    zone of the calendar it runs on)."""
    known = {r.address: r for r in n.readers}
    grouped: dict[tuple[str, str | None], list[str]] = {}
    for address in n.recipients:
        reader = known.get(address)
        key = (language_of(reader.language), reader.time_zone) if reader else (language_of(n.team_language),
                                                                                  n.team_time_zone)
        grouped.setdefault(key, []).append(address)
    return grouped


def _target(n: SlaNotification, language: str) -> str:
    key = f"sla_target_{n.target}"
    return phrase(key, language) if has_phrase(key) else n.target.replace("_", " ")


def _mail_subject(n: SlaNotification, language: str = "en") -> str:
    return phrase("sla_mail_breached" if n.kind == "breached" else "sla_mail_warning", language,
                  number=n.ticket_number, target=_target(n, language))


def _mail_body(n: SlaNotification, language: str = "en", zone: str | None = None,
               console_url: str | None = None) -> str:
    # The ticket subject is customer text: quoted as data on a line of its own, never used as anything else.
    lines = [phrase("sla_mail_ticket", language, number=n.ticket_number, priority=n.priority, group=n.group or "-"),
             phrase("sla_mail_subject", language, subject=" ".join(n.subject.split())[:200]),
             phrase("sla_mail_target", language, target=_target(n, language),
                    due=wall_time(n.due_at, zone))]
    if console_url:
        lines.append(phrase("notify_open", language, link=console_ticket_link(console_url, n.ticket_id)))
    return "\n".join(lines) + "\n"
