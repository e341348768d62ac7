"""The reminder mail: plain text through SES, from the address SLA mail comes from, with the ticket's console link."""

from typing import Any

from helpdesk.kernel.console import console_ticket_link
from helpdesk.tickets.model import Ticket


class SesReminderMailer:
    def __init__(self, mail_from: str, console_url: str | None = None) -> None:
        self.mail_from, self.console_url = mail_from, console_url or None
        self._ses: Any = None

    def remind(self, address: str, name: str | None, ticket: Ticket) -> None:
        if self._ses is None:
            import boto3

            self._ses = boto3.client("ses")
        # The subject is customer text: quoted as data (repr), never anything else.
        lines = [f"Hello {name}," if name else "Hello,", "",
                 f"you asked to be reminded of ticket {ticket.key}: {ticket.subject[:200]!r}",
                 f"Status: {ticket.status.value}"]
        if self.console_url:
            lines.append(f"Open: {console_ticket_link(self.console_url, ticket.id)}")
        self._ses.send_email(Source=self.mail_from, Destination={"ToAddresses": [address]},
                             Message={"Subject": {"Data": f"[{ticket.key}] Reminder"},
                                      "Body": {"Text": {"Data": "\n".join(lines) + "\n"}}})
