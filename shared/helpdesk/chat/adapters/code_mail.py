"""The one-time code that proves a chat visitor reads the address they gave, sent as mail from the tenant's
support address (the same sender and settings as ticket replies)."""

import secrets

from helpdesk.assistant.sentences import say
from helpdesk.kernel.clock import Clock, system_clock
from helpdesk.mail.outbound import compose
from helpdesk.mail.ports import MailRecords, MailSender
from helpdesk.settings import MailSection


class MailedCodes:
    """Implements `helpdesk.chat.ports.CodeMailer`."""

    def __init__(self, records: MailRecords, sender: MailSender, config: MailSection, *,
                 clock: Clock = system_clock) -> None:
        self._records, self._sender, self._config, self._clock = records, sender, config, clock

    def send_code(self, tenant_id: str, to: str, code: str, ticket_number: str | None,
                  language: str | None = None) -> None:
        settings = self._records.settings(tenant_id)
        from_address = settings.support_address or self._config.support_address
        about = say("code_mail_about", language, number=ticket_number) if ticket_number else ""
        body = (say("code_mail_body", language, about=about, code=code) + f"\n\n-- \n{settings.from_name}\n")
        domain = from_address.rsplit("@", 1)[-1] or "helpdesk.invalid"
        raw = compose(from_address=from_address, from_name=settings.from_name, to=[to],
                      subject=say("code_mail_subject", language, code=code), body=body,
                      message_id=f"verify.{secrets.token_hex(8)}@{domain}", in_reply_to=None, references=[],
                      date=self._clock(), auto_submitted=True)
        self._sender.send_raw(from_address, [to], raw)
