"""`helpdesk serve --demo` (what `make serve` runs): the demo tenant's queue has sample tickets, opened the way real
ones are, once; a stack started without `--demo` (every test stack) opens none."""

from pathlib import Path
from typing import Any

import pytest

from helpdesk.kernel.principal import Principal, Role
from helpdesk.local.extensions import LocalStackContext
from helpdesk.local.stack import StackInfo
from helpdesk.tickets.ports import TicketQuery
from tests.conftest import rebuild
from tests.integration.mail.conftest import SUPPORT

ROOT = Path(__file__).resolve().parents[3]
ADMIN = Principal(user_id="ada", tenant_id="acme", role=Role.ADMIN)


def context(demo: bool) -> LocalStackContext:
    return LocalStackContext(root=ROOT, info=StackInfo(api_url="http://x", aws_endpoint="http://y"), host="127.0.0.1",
                             container=rebuild(), demo=demo)


def test_the_demo_opens_sample_tickets_once_by_the_paths_real_ones_take(mail: Any,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    from helpdesk.local.demo import DEMO_CUSTOMER, seed_demo_tickets

    monkeypatch.setenv("HELPDESK_MAIL_SUPPORT_ADDRESS", SUPPORT)
    seed_demo_tickets(context(demo=False))
    tickets = rebuild().ticket_service
    assert tickets.count(ADMIN, TicketQuery(tenant_id="acme")) == 0

    seed_demo_tickets(context(demo=True))
    tickets = rebuild().ticket_service
    page = tickets.query(ADMIN, TicketQuery(tenant_id="acme", oldest_first=True)).items
    assert [(t.channel.value, t.requester.email) for t in page] == [
        ("email", "jana.mueller@example.com"), ("email", "lukas.becker@example.de"), ("api", DEMO_CUSTOMER)]
    request = page[2]
    kinds = [(e.type.value, e.actor) for e in tickets.events(ADMIN, request.id) if e.type.value == "public_message"]
    assert kinds == [("public_message", "alice"), ("public_message", f"email:{DEMO_CUSTOMER}")]
    assert request.status.value == "open"  # the customer answered the agent's question
    assert request.time_spent_minutes == 20  # Alice logged her work: the Reports page's "Time logged" shows it
    dana = Principal(user_id="dana", tenant_id="acme", role=Role.CUSTOMER, email=DEMO_CUSTOMER, email_verified=True)
    assert [t.id for t in tickets.query(dana, TicketQuery(tenant_id="acme")).items] == [request.id]  # her portal

    seed_demo_tickets(context(demo=True))  # a restart adds none
    assert rebuild().ticket_service.count(ADMIN, TicketQuery(tenant_id="acme")) == 3


def test_the_demo_defines_request_forms_and_billing_hands_out_its_tickets_once(aws: None) -> None:
    from helpdesk.directory.model import Group
    from helpdesk.local.demo import seed_demo_forms

    seed_demo_forms(context(demo=False))
    assert rebuild().ticket_field_store.get("acme")[1] == 0  # test stacks define none

    container = rebuild()
    now = container.clock()
    for group_id in ("billing", "support"):  # what seed_demo_team makes first
        container.directory_store.add_group(Group(id=group_id, tenant_id="acme", name=group_id, created_at=now,
                                                  updated_at=now))
    seed_demo_forms(context(demo=True))
    fields, version = rebuild().ticket_field_store.get("acme")
    assert version == 1
    assert [(f.key, f.group) for f in fields.forms] == [("billing", "billing"), ("bug", "support")]
    billing = rebuild().directory_store.get_group("acme", "billing")
    assert billing is not None
    assert billing.auto_assign

    seed_demo_forms(context(demo=True))  # a restart, or an admin's own fields: left alone
    assert rebuild().ticket_field_store.get("acme")[1] == 1
