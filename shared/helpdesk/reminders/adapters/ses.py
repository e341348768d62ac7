"""The reminder mail: plain text through SES, from the address SLA mail comes from, in the agent's language, with the
ticket's console link."""

from typing import Any

from helpdesk.kernel.console import console_ticket_link
from helpdesk.kernel.i18n import phrase
from helpdesk.mail.threading import clean_subject
from helpdesk.tickets.model import Ticket


class SesReminderMailer:
    def __init__(self, mail_from: str, console_url: str | None = None) -> None:
        self.mail_from, self.console_url = mail_from, console_url or None
        self._ses: Any = None

    def remind(self, address: str, language: str | None, ticket: Ticket) -> None:
        if self._ses is None:
            import boto3

            self._ses = boto3.client("ses")
        subject = clean_subject(ticket.subject) or "-"  # customer text: one line, as the other notifications
        lines = [phrase("remind", language, number=ticket.key, subject=subject, status=ticket.status.value)]
        if self.console_url:
            lines += ["", phrase("notify_open", language, link=console_ticket_link(self.console_url, ticket.id))]
        self._ses.send_email(Source=self.mail_from, Destination={"ToAddresses": [address]},
                             Message={"Subject": {"Data": phrase("remind_subject", language, number=ticket.key,
                                                                 subject=subject)},
                                      "Body": {"Text": {"Data": "\n".join(lines) + "\n"}}})
