"""Macros in the local stack: a few of the demo tenant's, so a newcomer's ticket page has something to apply.

Added only while the demo tenant has no macro at all (what an admin made or changed stays as it is), through the
service as the demo admin would, so each is checked like any other (templates, groups).
"""

from helpdesk.local.extensions import LocalStackContext

DEMO_MACROS: list[dict[str, object]] = [
    {"name": "Ask for the order number", "description": "The customer did not say which order",
     "actions": {"reply": "Hello {{ requester.first_name | default('there', true) }},\n\nthank you for writing to us. "
                          "Which order is this about? The order number is in your confirmation mail; with it we "
                          "can look into this right away.",
                 "status": "pending"}},
    {"name": "Solved: close with thanks", "description": "The customer confirmed it works",
     "actions": {"reply": "Hello {{ requester.first_name | default('there', true) }},\n\nglad to hear it works again. "
                          "If anything else comes up, just reply to this message.",
                 "status": "resolved"}},
    {"name": "Hand to billing", "description": "Charges, refunds and invoices",
     "actions": {"note": "Billing: please check the charges on {{ ticket.number }} ({{ ticket.subject }}).",
                 "group": "billing", "add_tags": ["billing-review"]}},
]


def seed_demo_macros(ctx: LocalStackContext) -> None:
    from helpdesk.kernel.principal import Role
    from helpdesk.local.stack import LOCAL_TENANT
    from helpdesk.local.web import DEMO_STAFF
    from helpdesk.macros.model import MacroDraft

    service = ctx.container.macro_service
    if service.store.list(LOCAL_TENANT):
        return
    admin = next(p for p in DEMO_STAFF if p.tenant_id == LOCAL_TENANT and p.role == Role.ADMIN)
    for fields in DEMO_MACROS:
        service.create(admin, MacroDraft.model_validate({**fields, "scope": "tenant"}))
