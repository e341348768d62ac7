"""Mail to agents about their tickets: a ticket someone else assigned to them, a customer's new message on a
ticket assigned to them (or the customer marking it solved in the portal, or rating the help bad: someone
should follow it up), a colleague mentioning them in an
internal note (`@handle`, the local part of their directory address), the news of a ticket they follow (a
customer's message, a colleague's reply or note, the customer solving or rating it: Zendesk's followers), and
(for those who ask for it) a new
unassigned ticket in their queue: one of their groups, or, for a ticket no rule or triage put in a group, the
queue of the admins and of the agents in no group. The console shows all of it, but an agent is not always
looking at it; a support team expects the mail (Zendesk, Zammad and FreeScout all send it).

An agent answers by replying: the mail's Message-ID is remembered with the ticket and the agent, and their
authenticated reply becomes their public reply on the ticket (`MailIngest`), or an internal note when it answers
a mention or for a follower (who does not have the ticket: their word goes to the team, not the customer); nobody
else's mail threads in through it. Once per ticket event and agent (a delivery record keyed by
both, as customer mail; a new ticket once per ticket and agent, however often it moves between groups before
someone takes it), in the agent's language (the directory's `language`, else English), marked automatic
(RFC 3834) and without the ticket's subject tag. The customer's words are quoted as data.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from helpdesk.directory.model import AssignmentMethod
from helpdesk.kernel.clock import Clock, system_clock, wall_time
from helpdesk.kernel.console import console_ticket_link
from helpdesk.kernel.i18n import has_phrase, phrase
from helpdesk.kernel.mentions import handle_of, mentions
from helpdesk.kernel.principal import SYSTEM_ACTORS, Principal, Role, TicketAccess, system_principal
from helpdesk.mail.message_tags import agent_tags
from helpdesk.mail.outbound import claimed, compose, new_message_id, team_address, thread_context
from helpdesk.mail.ports import MailRecords, MailSender
from helpdesk.mail.side import SIDE_REPLY
from helpdesk.mail.threading import clean_subject
from helpdesk.settings import MailSection
from helpdesk.tickets.history import KEPT_SOLVED, EventType
from helpdesk.tickets.model import UNSOLVED, Status, Ticket
from helpdesk.tickets.service import TicketService, can_see

if TYPE_CHECKING:
    from helpdesk.inbox.model import NoticeKind
    from helpdesk.inbox.ports import InboxStore

QUOTED_CHARS = 1_500  # of the customer's message: enough to triage from the inbox, the rest is on the ticket
# What an agent's mail answer to such a notice is: an internal note, never a reply to the customer (a mention is
# the team's; a side conversation's answer came from outside the ticket; a trigger's mail may reach a whole group).
# A bounce's notice too: a reply by mail to it would go to the address that bounces.
NOTE_ANSWERS = frozenset({"mentioned", "side_replied", "triggered", "undelivered"})


def answered_with_note(kind: str, ticket: Ticket) -> bool:
    """Whether an agent's mail answer to this notice goes on the ticket as an internal note: a kind above, or any
    notice about the team's own ticket (no customer to answer)."""
    return kind in NOTE_ANSWERS or ticket.no_customer
# What a teammate did (the inbox names them): given, mentioned, a colleague's reply or note on a followed ticket.
TEAMMATE_NEWS = frozenset({"assigned", "mentioned", "colleague_replied", "colleague_noted"})


@dataclass(frozen=True)
class Agent:
    """Whom a notification goes to (or names), from the team directory."""

    id: str  # the directory's user id (whom a delivery record is for; not the actor of the event)
    name: str
    email: str
    language: str | None = None
    time_zone: str | None = None  # the times their mails name (None: UTC)
    wants_mail: bool = True  # the directory's `notify_by_mail`: they may turn these mails off
    new_tickets: bool = False  # `notify_new_tickets`: also every new ticket of their groups
    role: Role = Role.AGENT
    groups: tuple[str, ...] = ()  # their groups, as read (`directory.service.with_groups`)
    ticket_access: TicketAccess = TicketAccess.ALL  # the directory's: limited to their groups' tickets or not

    def sees(self, ticket: Ticket) -> bool:
        """Whether they may open the ticket: a mention must not mail a note to someone it is hidden from."""
        return can_see(Principal(user_id=self.id, tenant_id=ticket.tenant_id, role=self.role,
                                 groups=self.groups, ticket_access=self.ticket_access), ticket)


@dataclass(frozen=True)
class Notice:
    """One mail of an event: what happened for them (`kind`) and to whom; `following`: they hear of it as a
    follower of the ticket, not as its assignee (their mail answer is a note)."""

    kind: "NoticeKind"  # checked by mypy against the inbox's list: an item of an unknown kind would fail its batch
    agent: Agent
    following: bool = False
    mailed: bool = True  # False: the console's inbox only (another function mails it: the SLA scan its warnings)


class AgentNotifications:
    def __init__(self, tickets: TicketService, records: MailRecords, sender: MailSender, config: MailSection,
                 agent: Callable[[str, str], Agent | None], *, console_url: str | None = None,
                 queue_watchers: Callable[[str, str | None], list[Agent]] | None = None,
                 mentioned: Callable[[str, Sequence[str]], list[Agent]] | None = None,
                 followers: Callable[[str, Sequence[str]], list[Agent]] | None = None,
                 team_of: Callable[[str, str | None], list[Agent]] | None = None,
                 inbox: "InboxStore | None" = None, clock: Clock = system_clock) -> None:
        self.tickets, self.records, self.sender, self.config = tickets, records, sender, config
        self._agent = agent  # (tenant, user id) -> an active agent's or admin's directory record
        # (tenant, group or None) -> the active agents and admins whose queue a new ticket of that group is in
        self._queue_watchers = queue_watchers
        self._mentioned = mentioned  # (tenant, handles) -> the active agents and admins with those handles
        self._followers = followers  # (tenant, user ids) -> those of them who are active agents and admins
        # (tenant, group or None) -> the active agents and admins whose queue the group's tickets are in (a trigger's
        # mail to the group: its members even when the group hands its tickets out)
        self._team_of = team_of
        self._console_url = console_url or None
        self._inbox = inbox  # the console's inbox: every notice is kept there, mailed or not
        self._clock = clock

    def on_event(self, tenant_id: str, ticket_id: str, seq: int, event_type: str, data: dict[str, Any],
                 actor: str | None = None, at: datetime | None = None) -> list[str]:
        """Tell the agents one appended ticket event (made `at`) concerns, if it concerns any: in their console's
        inbox and by mail. Returns the Message-IDs sent (none: nobody to tell by mail, or told before)."""
        found = self._recipients(tenant_id, ticket_id, event_type, data, actor)
        if found is None:
            return []
        ticket, notices = found
        sent: list[str] = []
        from_address: str | None = None  # read once for all of this event's mails, and only if one is sent
        for notice in notices:
            agent, kind = notice.agent, notice.kind
            self._keep(ticket, notice, seq, at, actor)
            if not notice.mailed or not agent.wants_mail or "@" not in agent.email:
                continue  # they turned these mails off, or have no address
            # a new ticket is news once: opened without a group and routed a moment later, it is not mailed twice
            delivery_id = f"NOTIFY#{tenant_id}#{ticket_id}#{'new' if kind == 'new_ticket' else seq}#{agent.id}"
            if not claimed(self.records, delivery_id, "notification"):
                continue  # sent before: a retried batch
            try:
                from_address = from_address or self._from_address(ticket)
                message_id = new_message_id(ticket, from_address)
                # before sending: a reply can come back faster than a stream batch ends
                self.records.remember_notification(tenant_id, message_id, ticket_id, agent.id,
                                                   internal=answered_with_note(kind, ticket) or notice.following)
                if notice.following:
                    self._send_followed(ticket, notice, data, actor, from_address, message_id)
                else:
                    self._send(ticket, agent, kind, data, actor, from_address, message_id)
            except Exception:
                self.records.release_delivery(delivery_id)
                raise
            self.records.complete_delivery(delivery_id, {"message_id": message_id, "tenant_id": tenant_id,
                                                         "ticket_id": ticket_id, "kind": kind})
            sent.append(message_id)
        return sent

    def _keep(self, ticket: Ticket, notice: Notice, seq: int, at: datetime | None, actor: str | None) -> None:
        """The notice in the agent's inbox (once: a retried batch finds it there). It names a teammate who acted,
        never a customer: an inbox item holds no one's personal data (the ticket's own is read when it is shown)."""
        if self._inbox is None:
            return
        from helpdesk.inbox.model import InboxItem

        new = notice.kind == "new_ticket"  # news once per ticket, as its mail, however often it is routed
        by_teammate = notice.kind in TEAMMATE_NEWS and actor is not None and actor not in SYSTEM_ACTORS
        self._inbox.add(InboxItem(tenant_id=ticket.tenant_id, user_id=notice.agent.id, ticket_id=ticket.id,
                                  kind=notice.kind, event="new" if new else str(seq),
                                  at=ticket.created_at if new else (at or self._clock()),
                                  actor=actor if by_teammate else None, following=notice.following))

    def _recipients(self, tenant_id: str, ticket_id: str, event_type: str, data: dict[str, Any],
                    actor: str | None) -> tuple[Ticket, list[Notice]] | None:
        """The ticket, and whom to tell what (active agents from the directory; each once)."""
        caller = system_principal(tenant_id, "email")
        # someone outside the ticket answered the team's side mail: the assignee's news, as a customer's message is
        side_replied = event_type == EventType.INTERNAL_NOTE.value and bool(data.get(SIDE_REPLY))
        if event_type == EventType.INTERNAL_NOTE.value and not side_replied:  # mentions: in notes only
            ticket = self.tickets.get(caller, ticket_id)
            handles = mentions(str(data.get("body") or ""))
            mentioned = [a for a in self._mentioned(tenant_id, handles) if a.id != actor] \
                if handles and self._mentioned is not None else []
            told = [Notice("mentioned", a) for a in mentioned if a.sees(ticket)]  # the console offers only those
            return self._with_followers(ticket, told, "colleague_noted", actor)
        if event_type == EventType.ASSIGNEE_CHANGED.value:
            user_id = data.get("to")
            if not isinstance(user_id, str) or not user_id or user_id == actor or data.get("to_actor"):
                return None  # unassigned, or they took it themselves (or a trigger gave it them for their change)
            agent = self._agent(tenant_id, user_id)
            return (self.tickets.get(caller, ticket_id), [Notice("assigned", agent)]) if agent is not None else None
        if event_type == EventType.SNOOZED.value and data.get("woke") == "time":
            return self._snooze_ended(tenant_id, ticket_id, data)
        if event_type == EventType.TRIGGERED.value:
            return self._triggered(tenant_id, ticket_id, data)
        if event_type == EventType.SLA.value and data.get("kind") in ("warning", "breached"):
            # the SLA scan mailed the one who has it (and the group's addresses); their console shows it too
            ticket = self.tickets.get(caller, ticket_id)
            agent = self._agent(tenant_id, ticket.assignee_id) if ticket.assignee_id else None
            sla: NoticeKind = "sla_warning" if data["kind"] == "warning" else "sla_breached"
            return (ticket, [Notice(sla, agent, mailed=False)]) if agent is not None and agent.sees(ticket) else None
        if event_type == EventType.MAIL_UNDELIVERED.value:  # our mail bounced: the one who has the ticket must know
            ticket = self.tickets.get(caller, ticket_id)
            agent = self._agent(tenant_id, ticket.assignee_id) if ticket.assignee_id else None
            return (ticket, [Notice("undelivered", agent)]) if agent is not None and agent.sees(ticket) else None
        from_customer = bool(data.get("from_customer") or data.get("channel"))
        customer_replied = event_type == EventType.PUBLIC_MESSAGE.value and from_customer
        customer_solved = event_type == EventType.STATUS_CHANGED.value and data.get("by_customer") \
            and data.get("to") == Status.RESOLVED.value
        rated_bad = event_type == EventType.CSAT_RATED.value and data.get("rating") == "bad"
        if customer_replied or customer_solved or rated_bad or side_replied:
            ticket = self.tickets.get(caller, ticket_id)
            agent = self._agent(tenant_id, ticket.assignee_id) if ticket.assignee_id else None
            kind: NoticeKind = ("customer_replied" if customer_replied else "customer_solved" if customer_solved
                                else "rated_bad" if rated_bad else "side_replied")
            if customer_replied and data.get(KEPT_SOLVED):  # only thanks, the ticket still solved: in the console
                return (ticket, [Notice(kind, agent, mailed=False)]) if agent is not None else None
            return self._with_followers(ticket, [Notice(kind, agent)] if agent is not None else [], kind, actor)
        if event_type == EventType.PUBLIC_MESSAGE.value and actor and actor not in SYSTEM_ACTORS:
            # a colleague's reply (not the SLA scan's reminder): news to the followers only
            return self._with_followers(self.tickets.get(caller, ticket_id), [], "colleague_replied", actor)
        if event_type == EventType.CREATED.value:
            group = data.get("group") or None
        elif event_type == EventType.GROUP_CHANGED.value and data.get("to"):
            group = data.get("to")
        else:
            return None
        if (group is not None and not isinstance(group, str)) or self._queue_watchers is None:
            return None
        ticket = self.tickets.get(caller, ticket_id)
        if ticket.group != group or ticket.assignee_id or ticket.status != Status.NEW:
            return None  # moved on since (its next group's event tells that group), or someone has it already
        watchers = [a for a in self._queue_watchers(tenant_id, group) if a.new_tickets and a.id != actor]
        return ticket, [Notice("new_ticket", a) for a in watchers]

    def _snooze_ended(self, tenant_id: str, ticket_id: str,
                      data: dict[str, Any]) -> tuple[Ticket, list[Notice]] | None:
        """A snooze ended by its time: news to the one who has the ticket, else to the one who snoozed it (nobody
        else is waiting for it); not when it was snoozed again or solved before this mail would go."""
        ticket = self.tickets.get(system_principal(tenant_id, "email"), ticket_id)
        if ticket.snoozed(self._clock()) or ticket.status not in UNSOLVED:
            return None
        whom = ticket.assignee_id or data.get("by")
        agent = self._agent(tenant_id, whom) if isinstance(whom, str) and whom else None
        return (ticket, [Notice("snooze_ended", agent)]) if agent is not None and agent.sees(ticket) else None

    def _triggered(self, tenant_id: str, ticket_id: str,
                   data: dict[str, Any]) -> tuple[Ticket, list[Notice]] | None:
        """A trigger's mail: to the one who has the ticket and/or the team whose queue it is in, each once, those who
        may open it."""
        ticket = self.tickets.get(system_principal(tenant_id, "email"), ticket_id)
        whom = data.get("notify") or []
        agents: dict[str, Agent] = {}
        if "assignee" in whom and ticket.assignee_id:
            assignee = self._agent(tenant_id, ticket.assignee_id)
            if assignee is not None:
                agents[assignee.id] = assignee
        if "group" in whom and self._team_of is not None:
            for member in self._team_of(tenant_id, ticket.group):
                agents.setdefault(member.id, member)
        notices = [Notice("triggered", a) for a in agents.values() if a.sees(ticket)]
        return (ticket, notices) if notices else None

    def _with_followers(self, ticket: Ticket, notices: list[Notice], kind: "NoticeKind",
                        actor: str | None) -> tuple[Ticket, list[Notice]] | None:
        """`notices` and the ticket's followers told of `kind`, each once (the assignee or a mentioned colleague
        hears of it as such), never the one who did it, and only those who may still open the ticket."""
        told = {n.agent.id for n in notices}
        wanted = [f for f in ticket.followers if f not in told and f != actor]
        if wanted and self._followers is not None:
            notices = notices + [Notice(kind, a, following=True) for a in self._followers(ticket.tenant_id, wanted)
                                 if a.sees(ticket)]
        return (ticket, notices) if notices else None

    def _from_address(self, ticket: Ticket) -> str:
        """The address the team's mail comes from, as a reply to the customer would be (the thread is read only
        when the tenant set no address of its own)."""
        settings = self.records.settings(ticket.tenant_id)
        if settings.support_address:
            return team_address(settings, None, self.config.support_address)
        events = self.tickets.events(system_principal(ticket.tenant_id, "email"), ticket.id)
        return team_address(settings, thread_context(events).support_address, self.config.support_address)

    def _send(self, ticket: Ticket, agent: Agent, kind: str, data: dict[str, Any], actor: str | None,
              from_address: str, message_id: str) -> None:
        language = agent.language
        subject = clean_subject(ticket.subject) or "-"
        name = _who_wrote(kind, ticket, data)
        if kind == "new_ticket":
            title = phrase("notify_new_subject", language, number=ticket.key, subject=subject)
            said = ticket.description.strip()
            opened = phrase("notify_new", language, number=ticket.key, subject=subject, name=name,
                            group=ticket.group) if ticket.group else \
                phrase("notify_new_ungrouped", language, number=ticket.key, subject=subject, name=name)
            lines = [opened, "", _quoted(said)]
        elif kind == "assigned":
            title = phrase("notify_assigned_subject", language, number=ticket.key, subject=subject)
            trigger = data.get("trigger")
            if isinstance(trigger, dict):  # a trigger of the team's gave it: named as in the trigger's own mails
                lines = [phrase("notify_assigned_by_trigger", language, number=ticket.key, subject=subject,
                                trigger=str(trigger.get("name") or trigger.get("id") or "-"), name=name), "",
                         _quoted(ticket.description.strip())]
            elif data.get("automatic"):  # the group's automatic assignment: nobody to name, the group's turn or load
                key = "notify_assigned_least_busy" if data["automatic"] == AssignmentMethod.LEAST_BUSY \
                    else "notify_assigned_in_turn"
                lines = [phrase(key, language, number=ticket.key, subject=subject,
                                group=ticket.group or "-", name=name), "", _quoted(ticket.description.strip())]
            else:
                by = self._agent(ticket.tenant_id, actor) if actor else None
                lines = [phrase("notify_assigned", language, number=ticket.key, subject=subject,
                                by=by.name if by is not None else (actor or "-"))]
        elif kind == "customer_solved":
            title = phrase("notify_solved_subject", language, number=ticket.key, subject=subject)
            lines = [phrase("notify_solved", language, number=ticket.key, subject=subject, name=name)]
        elif kind == "rated_bad":
            title = phrase("notify_rated_bad_subject", language, number=ticket.key, subject=subject)
            comment = str(data.get("comment") or "").strip()
            lines = [phrase("notify_rated_bad", language, number=ticket.key, subject=subject, name=name)]
            lines += ["", _quoted(comment)] if comment else []
        elif kind == "side_replied":
            title = phrase("notify_side_subject", language, number=ticket.key, subject=subject, name=name)
            lines = [phrase("notify_side_replied", language, number=ticket.key, subject=subject, name=name), "",
                     _quoted(str(data.get("body") or "").strip())]
        elif kind == "snooze_ended":
            title = phrase("notify_snooze_ended_subject", language, number=ticket.key, subject=subject)
            lines = [phrase("notify_snooze_ended", language, number=ticket.key, subject=subject,
                            until=_until(data.get("from"), agent.time_zone), status=ticket.status.value)]
        elif kind == "triggered":
            rule = str((data.get("trigger") or {}).get("name") or "-")
            title = phrase("notify_triggered_subject", language, number=ticket.key, subject=subject, trigger=rule)
            lines = [phrase("notify_triggered", language, number=ticket.key, subject=subject, trigger=rule,
                            name=name, status=ticket.status.value, priority=ticket.priority.value)]
            waited = _waited((data.get("trigger") or {}).get("after"), language)
            lines += [waited] if waited else []
            said = str(data.get("body") or "").strip()
            lines += ["", _quoted(said)] if said else []
        elif kind == "undelivered":
            title = phrase("notify_undelivered_subject", language, number=ticket.key, subject=subject)
            lines = [_undelivered(ticket, data, language, subject)]
        elif kind == "mentioned":
            by = self._agent(ticket.tenant_id, actor) if actor else None
            by_name = by.name if by is not None else (actor or "-")
            title = phrase("notify_mentioned_subject", language, number=ticket.key, subject=subject, by=by_name)
            lines = [phrase("notify_mentioned", language, number=ticket.key, subject=subject, by=by_name), "",
                     _quoted(str(data.get("body") or "").strip())]
        else:
            title = phrase("notify_replied_subject", language, number=ticket.key, subject=subject)
            said = str(data.get("body") or "").strip()
            lines = [phrase("notify_replied", language, number=ticket.key, subject=subject, name=name), "",
                     _quoted(said)]
        if self._console_url:
            lines += ["", phrase("notify_open", language, link=console_ticket_link(self._console_url, ticket.id))]
        if kind == "mentioned":
            lines += ["", phrase("notify_answer_note", language),
                      phrase("notify_why_mentioned", language, handle=handle_of(agent.email))]
        elif answered_with_note(kind, ticket):  # their answer is a note: why they were told
            lines += ["", phrase("notify_answer_note", language),
                      phrase("notify_why_triggered" if kind == "triggered" else "notify_why", language)]
        else:
            lines += ["", phrase("notify_answer_by_reply", language, name=name),
                      phrase("notify_why_new" if kind == "new_ticket" else "notify_why", language)]
        lines += ["", phrase("notify_mail_commands", language)]
        self._mail(ticket, agent, title, lines, from_address, message_id)

    def _send_followed(self, ticket: Ticket, notice: Notice, data: dict[str, Any], actor: str | None,
                       from_address: str, message_id: str) -> None:
        """A ticket's news to one who follows it: what happened, the words quoted, and that an answer by mail is
        a note for the team (they follow it; it is not theirs to answer for)."""
        agent, language = notice.agent, notice.agent.language
        subject = clean_subject(ticket.subject) or "-"
        name = _who_wrote(notice.kind, ticket, data)
        by = self._agent(ticket.tenant_id, actor) if actor and notice.kind.startswith("colleague") else None
        said = str(data.get("comment" if notice.kind == "rated_bad" else "body") or "").strip()
        title = phrase("notify_follow_subject", language, number=ticket.key, subject=subject)
        lines = [phrase(f"notify_follow_{notice.kind}", language, number=ticket.key, subject=subject, name=name,
                        by=by.name if by is not None else (actor or "-"))]
        lines += ["", _quoted(said)] if said else []
        if self._console_url:
            lines += ["", phrase("notify_open", language, link=console_ticket_link(self._console_url, ticket.id))]
        lines += ["", phrase("notify_answer_note", language), phrase("notify_why_following", language),
                  "", phrase("notify_mail_commands", language)]
        self._mail(ticket, agent, title, lines, from_address, message_id)

    def _mail(self, ticket: Ticket, agent: Agent, title: str, lines: list[str], from_address: str,
              message_id: str) -> None:
        settings = self.records.settings(ticket.tenant_id)
        raw = compose(from_address=from_address, from_name=settings.from_name, to=[agent.email], subject=title,
                      body="\n".join(lines) + "\n", message_id=message_id, in_reply_to=None, references=[],
                      date=self._clock(), auto_submitted=True)
        self.sender.send_raw(from_address, [agent.email], raw, agent_tags(ticket.tenant_id, ticket.id, agent.id))


def _undelivered(ticket: Ticket, data: dict[str, Any], language: str | None, subject: str) -> str:
    """A bounce's or complaint's news (`mail_undelivered`): whom our mail did not reach, and the server's words."""
    recipients = [r for r in data.get("recipients") or [] if isinstance(r, dict)]
    address = ", ".join(str(r.get("address") or "") for r in recipients) or "-"
    why = next((str(r["diagnostic"]) for r in recipients if r.get("diagnostic")), "-")
    return phrase("notify_complained" if data.get("kind") == "complaint" else "notify_undelivered", language,
                  number=ticket.key, subject=subject, address=address, why=why)


def _who_wrote(kind: str, ticket: Ticket, data: dict[str, Any]) -> str:
    """Whom a notice names: the customer, or for a side conversation's answer the person outside the ticket."""
    if kind == "side_replied":
        return str(data.get("from_name") or data.get("from") or "-")
    return ticket.requester.name or ticket.requester.email or ticket.requester.id


def _until(value: object, zone: str | None) -> str:
    """When a snooze was set to end, as a mail says it: in the agent's time zone (UTC without one)."""
    try:
        return wall_time(datetime.fromisoformat(str(value)), zone)
    except ValueError:
        return "-"


def _quoted(text: str) -> str:
    """The customer's words as a quote, cut at `QUOTED_CHARS` (the rest is on the ticket)."""
    quoted = "\n".join(f"> {line}".rstrip() for line in text[:QUOTED_CHARS].splitlines())
    return quoted + ("\n> …" if len(text) > QUOTED_CHARS else "")


def _waited(after: Any, language: str | None) -> str | None:
    """What a time trigger waited for, as its mail says it ("It acted 48 h after the team's last reply."); None for
    a trigger on a change, or a record this version does not know."""
    if not isinstance(after, dict) or not isinstance(after.get("hours"), int):
        return None
    since = str(after.get("since") or "")
    if not has_phrase(f"waited_since_{since}"):
        return None
    wait = phrase("waited_business_hours" if after.get("business_hours") else "waited_hours", language,
                  hours=str(after["hours"]))
    return phrase("notify_waited", language, wait=wait,
                  since=phrase(f"waited_since_{since}", language, status=str(after.get("status") or "-")))
