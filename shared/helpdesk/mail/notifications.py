"""Mail to agents about their tickets: a ticket someone else assigned to them, and a customer's new message on a
ticket assigned to them. The console shows both, but an agent is not always looking at it; a support team
expects the mail (Zendesk, Zammad and FreeScout all send it).

Once per ticket event (a delivery record keyed by the event, as customer mail), in the agent's language (the
directory's `language`, else English), marked automatic (RFC 3834) and without the ticket's subject tag, so the
mail is never threaded into the ticket. The customer's words are quoted as data.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from helpdesk.kernel.clock import Clock, system_clock
from helpdesk.kernel.i18n import phrase
from helpdesk.kernel.principal import system_principal
from helpdesk.mail.outbound import claimed, compose, new_message_id, thread_context
from helpdesk.mail.ports import MailRecords, MailSender
from helpdesk.mail.threading import clean_subject
from helpdesk.settings import MailSection
from helpdesk.tickets.history import EventType
from helpdesk.tickets.model import Ticket
from helpdesk.tickets.service import TicketService

QUOTED_CHARS = 1_500  # of the customer's message: enough to triage from the inbox, the rest is on the ticket


@dataclass(frozen=True)
class Agent:
    """Whom a notification goes to (or names), from the team directory."""

    name: str
    email: str
    language: str | None = None
    wants_mail: bool = True  # the directory's `notify_by_mail`: they may turn these mails off


class AgentNotifications:
    def __init__(self, tickets: TicketService, records: MailRecords, sender: MailSender, config: MailSection,
                 agent: Callable[[str, str], Agent | None], *, console_url: str | None = None,
                 clock: Clock = system_clock) -> None:
        self.tickets, self.records, self.sender, self.config = tickets, records, sender, config
        self._agent = agent  # (tenant, user id) -> an active agent's or admin's directory record
        self._console_url = console_url.rstrip("/") if console_url else None
        self._clock = clock

    def on_event(self, tenant_id: str, ticket_id: str, seq: int, event_type: str, data: dict[str, Any],
                 actor: str | None = None) -> str | None:
        """Mail the agent one appended ticket event concerns, if it concerns one. Returns the Message-ID sent,
        or None (nobody to tell, or told before)."""
        if event_type == EventType.ASSIGNEE_CHANGED.value:
            user_id = data.get("to")
            if not isinstance(user_id, str) or not user_id or user_id == actor:
                return None  # unassigned, or they took it themselves
            ticket = self.tickets.get(system_principal(tenant_id, "email"), ticket_id)
            kind = "assigned"
        elif event_type == EventType.PUBLIC_MESSAGE.value and (data.get("from_customer") or data.get("channel")):
            ticket = self.tickets.get(system_principal(tenant_id, "email"), ticket_id)
            if not ticket.assignee_id:
                return None
            user_id, kind = ticket.assignee_id, "customer_replied"
        else:
            return None
        agent = self._agent(tenant_id, user_id)
        if agent is None or not agent.wants_mail or "@" not in agent.email:
            return None  # not (or no longer) an active agent with an address, or they turned these mails off
        delivery_id = f"NOTIFY#{tenant_id}#{ticket_id}#{seq}"
        if not claimed(self.records, delivery_id, "notification"):
            return None  # sent before: a retried batch
        try:
            message_id = self._send(ticket, agent, kind, data, actor)
        except Exception:
            self.records.release_delivery(delivery_id)
            raise
        self.records.complete_delivery(delivery_id, {"message_id": message_id, "tenant_id": tenant_id,
                                                     "ticket_id": ticket_id, "kind": kind})
        return message_id

    def _send(self, ticket: Ticket, agent: Agent, kind: str, data: dict[str, Any], actor: str | None) -> str:
        settings = self.records.settings(ticket.tenant_id)
        # From the address the team's mail comes from, as a reply to the customer would be.
        events = self.tickets.events(system_principal(ticket.tenant_id, "email"), ticket.id)
        from_address = (settings.support_address or thread_context(events).support_address
                        or self.config.support_address)
        language = agent.language
        subject = clean_subject(ticket.subject) or "-"
        if kind == "assigned":
            by = self._agent(ticket.tenant_id, actor) if actor else None
            title = phrase("notify_assigned_subject", language, number=ticket.key, subject=subject)
            lines = [phrase("notify_assigned", language, number=ticket.key, subject=subject,
                            by=by.name if by is not None else (actor or "-"))]
        else:
            name = ticket.requester.name or ticket.requester.email or ticket.requester.id
            title = phrase("notify_replied_subject", language, number=ticket.key, subject=subject)
            said = str(data.get("body") or "").strip()
            quoted = "\n".join(f"> {line}".rstrip() for line in said[:QUOTED_CHARS].splitlines())
            lines = [phrase("notify_replied", language, number=ticket.key, subject=subject, name=name), "", quoted]
            if len(said) > QUOTED_CHARS:
                lines.append("> …")
        if self._console_url:
            lines += ["", phrase("notify_open", language,
                                 link=f"{self._console_url}/#/t/{quote(ticket.id, safe='')}")]
        lines += ["", phrase("notify_why", language)]
        message_id = new_message_id(ticket, from_address)
        raw = compose(from_address=from_address, from_name=settings.from_name, to=[agent.email], subject=title,
                      body="\n".join(lines) + "\n", message_id=message_id, in_reply_to=None, references=[],
                      date=self._clock(), auto_submitted=True)
        self.sender.send_raw(from_address, [agent.email], raw)
        return message_id
