"""Tickets in the local stack: a problem solved solves its incidents, as functions/incident_solver does in AWS."""

from collections.abc import Callable

from helpdesk.local.extensions import LocalStackContext


def start_incident_solver(ctx: LocalStackContext) -> Callable[[], None]:
    """The tickets stream polled from moto into `ProblemIncidents`, with the template's filter."""
    from helpdesk.local.streams import StreamSource, start_stream_poller
    from helpdesk.tickets.events import handle_problem_changes

    incidents = ctx.container.problem_incidents
    return start_stream_poller(ctx, ctx.container.settings.tables.tickets_table,
                               lambda event, context: handle_problem_changes(event, context, incidents),
                               "incident-solver", StreamSource("IncidentSolverFunction", "ProblemsSolved"))
