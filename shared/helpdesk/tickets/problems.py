"""A problem ticket solved solves its incidents: Zendesk's rule, so an outage is closed in one act however it is
solved (the status in Properties, a reply set to solved, a bulk change, a trigger, an API client).

The tickets stream delivers the problem's change (`functions/incident_solver`): each ticket linked to it as a
`child` that is still unsolved becomes solved too, by whoever solved the problem, with what it was solved with
named on the change (`data.parent_id`, `parent_number`: the team's, not shown to customers); not when the problem was
closed as spam. A problem merged into another ticket solved nothing either: its incidents become that ticket's
(their `parent` link moved, both ends), so a reply there reaches them. No message is written
on the incidents: a reply meant for their customers goes with "Also send to the child tickets"
(`macros.child_replies`), rendered for each customer in the same write, and those incidents are solved already
when this runs. Each incident is written on its own, so one that refuses (a required field left empty, a group
the person may not open) is logged and the others are solved; a replay finds them solved and does nothing."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from helpdesk.kernel.errors import DomainError, NotFound
from helpdesk.kernel.principal import SYSTEM_ACTORS, Principal, system_principal
from helpdesk.platform.observability import logger
from helpdesk.tickets.bulk import BulkOutcome, BulkResult, failed_result
from helpdesk.tickets.history import PARENT_ID, PARENT_NUMBER, EventType, TicketEvent
from helpdesk.tickets.links import link, unlink
from helpdesk.tickets.model import UNSOLVED, Status, Ticket
from helpdesk.tickets.service import TicketService

AgentLookup = Callable[[str, str], Principal | None]  # (tenant, user id) -> the active agent as a caller


@dataclass(frozen=True)
class ProblemIncidents:
    tickets: TicketService
    agent: AgentLookup  # the directory: the person who solved the problem, with their groups

    def on_change(self, before: Ticket | None, after: Ticket) -> list[BulkResult]:
        """What became of each incident when `after` is a problem that has just been solved (or closed unsolved),
        or merged into another ticket; nothing for any other change."""
        if before is None or before.status not in UNSOLVED or after.status in UNSOLVED:
            return []
        incidents = list(dict.fromkeys(link.ticket_id for link in after.links if link.type == "child"))
        if not incidents:
            return []
        system = system_principal(after.tenant_id)
        solves = [e for e in self.tickets.events(system, after.id) if e.type == EventType.STATUS_CHANGED
                  and e.data.get("to") in (Status.RESOLVED.value, Status.CLOSED.value)]
        caller = self._solver(after.tenant_id, solves[-1].actor if solves else "system")
        if after.merged_into is not None:  # nothing was solved: its incidents go on under the ticket it went into
            return [self._move(caller, incident, after, after.merged_into) for incident in incidents]
        if solves and solves[-1].data.get("reason") == "spam":  # closed as spam: nothing was solved either
            return []
        solved_with = {PARENT_ID: after.id, PARENT_NUMBER: after.key}
        return [self._solve(caller, incident, solved_with) for incident in incidents]

    def _solver(self, tenant_id: str, actor: str) -> Principal:
        """Who solved the problem (its last status change out of the unsolved ones), as a caller: an agent with
        their own ticket access, the automation that did it, or the system where that agent is gone."""
        if actor in SYSTEM_ACTORS:
            return system_principal(tenant_id, actor)
        return self.agent(tenant_id, actor) or system_principal(tenant_id)

    def _solve(self, caller: Principal, incident_id: str, solved_with: dict[str, str]) -> BulkResult:
        def solve(ticket: Ticket, now: datetime) -> list[TicketEvent]:
            if ticket.status not in UNSOLVED:  # solved or closed already (a reply to the children, a person)
                return []
            events = ticket.change_status(Status.RESOLVED, caller.user_id, now)
            events[0].data.update(solved_with)
            return events

        try:
            incident, written = self.tickets.run_change(caller, incident_id, solve)  # nothing written: no change
        except NotFound as exc:
            result = failed_result(incident_id, BulkOutcome.NOT_FOUND, exc)
        except DomainError as exc:  # a required field left empty, a group this person may not work in
            result = failed_result(incident_id, BulkOutcome.FORBIDDEN, exc)
        else:
            if not written:
                return BulkResult(id=incident.id, outcome=BulkOutcome.SKIPPED, version=incident.version,
                                  number=incident.key, code=incident.status.value)
            return BulkResult(id=incident.id, outcome=BulkOutcome.UPDATED, version=incident.version,
                              number=incident.key)
        logger.warning("incident left unsolved with its problem", extra={
            "tenant_id": caller.tenant_id, "ticket_id": incident_id, "parent_id": solved_with[PARENT_ID],
            "code": result.code, "reason": result.message})
        return result

    def _move(self, caller: Principal, incident_id: str, problem: Ticket, into: str) -> BulkResult:
        """The incident's problem is now `into` (its `parent` link moved, both ends): the problem merged into it."""
        try:
            if incident_id != into:  # merged into one of its own incidents: that one is simply no incident now
                link(self.tickets, caller, incident_id, "parent", into)
            incident = unlink(self.tickets, caller, incident_id, "parent", problem.id)
        except NotFound as exc:
            result = failed_result(incident_id, BulkOutcome.NOT_FOUND, exc)
        except DomainError as exc:  # the ticket merged into has no room for another link, a group not theirs
            result = failed_result(incident_id, BulkOutcome.FORBIDDEN, exc)
        else:
            return BulkResult(id=incident.id, outcome=BulkOutcome.UPDATED, version=incident.version,
                              number=incident.key)
        logger.warning("incident left with its merged problem", extra={
            "tenant_id": caller.tenant_id, "ticket_id": incident_id, "parent_id": problem.id, "into": into,
            "code": result.code, "reason": result.message})
        return result
