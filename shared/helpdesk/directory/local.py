"""The team directory in the local stack: the demo tenant's team, so a newcomer's console works at once.

The sign-in page's demo agent and admin are enrolled, and every group the built-in triage catalog routes
tickets to is created with them as members (only groups that do not exist: what an admin changed stays).
Without it, "Assign to me" on a ticket triage put in `billing` would be 422 (no such group) on a fresh stack.
"""

from collections.abc import Callable

from helpdesk.local.extensions import LocalStackContext


def start_auto_assignment(ctx: LocalStackContext) -> Callable[[], None]:
    """The tickets stream polled from moto into automatic assignment, as the auto_assign Lambda runs it in AWS."""
    from helpdesk.directory.events import handle_ticket_changes
    from helpdesk.local.streams import StreamSource, start_stream_poller

    assignment = ctx.container.auto_assignment
    return start_stream_poller(ctx, ctx.container.settings.tables.tickets_table,
                               lambda event, context: handle_ticket_changes(event, context, assignment),
                               "auto-assign", StreamSource("AutoAssignFunction", "TicketChanges"))


def seed_demo_team(ctx: LocalStackContext) -> None:
    from helpdesk.directory.model import Group
    from helpdesk.intents.model import TRIAGE_CATALOG
    from helpdesk.local.stack import LOCAL_TENANT
    from helpdesk.local.web import DEMO_STAFF

    store = ctx.container.directory_store
    members = [person.user_id for person in DEMO_STAFF
               if person.tenant_id == LOCAL_TENANT and ctx.container.enrolment(person) is not None]
    now = ctx.container.clock()
    for group_id in sorted(set(TRIAGE_CATALOG.category_groups.values())):
        if store.get_group(LOCAL_TENANT, group_id) is None:
            store.add_group(Group(id=group_id, tenant_id=LOCAL_TENANT, name=group_id.capitalize(),
                                  description="Created by the local stack for the built-in triage routing",
                                  members=members, created_at=now, updated_at=now))
