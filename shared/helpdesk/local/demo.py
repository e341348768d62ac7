"""Sample tickets in the local stack (`helpdesk serve --demo`, what `make serve` runs), so a newcomer's queue has
work in it: a customer's mail about a double charge, a German mail about a reset link, and a portal request that
an agent answered (logging 20 minutes on it) and the customer replied to. Before them, request forms for the
portal (a billing question asking the order number, a bug report asking the browser) and the Billing group
handing its tickets out in turn, so a newcomer sees both at work (`seed_demo_forms`).

Each comes in by the path a real one takes (mail through the SES path into email ingest, the portal's request
through the ticket service as the customer), so triage, SLAs, drafts and the search index treat them like any
other. Opened only while the demo tenant has no ticket at all: a restart, or a team that started working, adds
none. Tests start stacks without `--demo`, so their queues start empty.
"""

from email.message import EmailMessage
from email.utils import formataddr, make_msgid

from helpdesk.local.extensions import LocalStackContext

DEMO_CUSTOMER = "dana@example.com"  # the sign-in page's customer: her portal shows her request

DEMO_MAILS: list[tuple[str, str, str, str]] = [  # (name, address, subject, body)
    ("Jana Müller", "jana.mueller@example.com", "Charged twice for my March invoice",
     "Hello,\n\nmy card was charged twice for invoice INV-2031 this month (two payments of 49.00 EUR on "
     "March 3). Could you refund the duplicate payment?\n\nThanks,\nJana"),
    ("Lukas Becker", "lukas.becker@example.de", "Link zum Zurücksetzen des Passworts kommt nicht an",
     "Hallo,\n\nich habe dreimal \"Passwort vergessen\" geklickt, aber keine E-Mail bekommen. Im Spam-Ordner ist "
     "auch nichts. Was kann ich tun?\n\nViele Grüße\nLukas Becker"),
]


DEMO_FIELDS: list[dict[str, object]] = [
    {"key": "order_number", "label": "Order number", "type": "text", "description": "From your order mail",
     "customer_editable": True, "required_for_customers": True},
    {"key": "browser", "label": "Browser and version", "type": "text", "customer_editable": True},
    {"key": "plan", "label": "Plan", "type": "dropdown", "options": ["free", "pro", "enterprise"]},
]
DEMO_FORMS: list[dict[str, object]] = [
    {"key": "billing", "name": "Billing question", "description": "Invoices, payments and refunds",
     "fields": ["order_number"], "group": "billing"},
    {"key": "bug", "name": "Something is not working", "description": "Errors, crashes, pages that do not load",
     "fields": ["browser"], "group": "support"},
]


def seed_demo_forms(ctx: LocalStackContext) -> None:
    """The demo tenant's ticket fields and request forms, and automatic assignment for Billing: only on a tenant
    that never saved ticket fields (what an admin changed stays)."""
    if not ctx.demo:
        return
    from helpdesk.local.stack import LOCAL_TENANT
    from helpdesk.tickets.fields import TicketFields

    container = ctx.container
    if container.ticket_field_store.get(LOCAL_TENANT)[1] == 0:
        container.ticket_field_store.put(LOCAL_TENANT, TicketFields.model_validate(
            {"fields": DEMO_FIELDS, "forms": DEMO_FORMS}), expected_version=0)
        billing = container.directory_store.get_group(LOCAL_TENANT, "billing")
        if billing is not None and not billing.auto_assign:
            container.directory_store.replace_group(billing.model_copy(update={
                "auto_assign": True, "updated_at": container.clock(), "version": billing.version + 1}),
                billing.version)


def seed_demo_tickets(ctx: LocalStackContext) -> None:
    if not ctx.demo:
        return
    from helpdesk.kernel.principal import Principal, Role
    from helpdesk.local.stack import LOCAL_TENANT
    from helpdesk.local.web import DEMO_STAFF
    from helpdesk.mail.local import deliver_raw
    from helpdesk.tickets.model import Status
    from helpdesk.tickets.ports import TicketQuery
    from helpdesk.tickets.service import CreateTicket, UpdateTicket
    from helpdesk.tickets.time_spent import log_time

    container = ctx.container
    tickets = container.ticket_service
    agent = next(p for p in DEMO_STAFF if p.role == Role.AGENT)
    if tickets.count(agent.model_copy(update={"role": Role.ADMIN}), TicketQuery(tenant_id=LOCAL_TENANT)):
        return
    for name, address, subject, body in DEMO_MAILS:
        deliver_raw(container, _mail(name, address, subject, body, container.settings.mail.support_address))

    dana = Principal(user_id=f"email:{DEMO_CUSTOMER}", tenant_id=LOCAL_TENANT, role=Role.CUSTOMER,
                     email=DEMO_CUSTOMER, email_verified=True, name="Dana Scott")
    request = tickets.create(dana, CreateTicket(
        subject="CSV export stops at 10,000 rows",
        description="When I export our contacts to CSV the file always ends after 10,000 rows, but we have about "
                    "14,500. Is there a limit, and how do I get all of them?"))
    tickets.add_message(agent, request.id, "Hello Dana,\n\nthe CSV export sends at most 10,000 rows at a time. "
                        "Filter the list by creation date and export it in two parts; or tell us and we raise the "
                        "limit for your account.\n\nBest regards,\nAlice", public=True)
    log_time(tickets, agent, request.id, 20)  # the Reports page's "Time logged" has a line
    tickets.update(agent, request.id, UpdateTicket(status=Status.PENDING))
    tickets.add_message(dana, request.id, "Thanks! Could you raise the limit for us? Exporting in parts every "
                        "week is tedious.", public=True)


def _mail(name: str, address: str, subject: str, body: str, to: str) -> bytes:
    message = EmailMessage()
    message["From"] = formataddr((name, address))
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = make_msgid(domain=address.rpartition("@")[2])
    message.set_content(body)
    return message.as_bytes()
