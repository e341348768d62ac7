from datetime import UTC, datetime
import pytest
from helpdesk.kernel.errors import ConcurrentUpdate
from helpdesk.tickets.history import EventType, TicketEvent
from helpdesk.tickets.model import Requester, Ticket, Status
from helpdesk.tickets.ports import TicketQuery
from tests.fakes import InMemoryTicketRepository

T0 = datetime(2026, 1, 1, tzinfo=UTC)

def scenario(repo):
    out = []
    for i in range(3):
        n = repo.next_number("acme")
        t = Ticket(id=f"id{i}", number=n, tenant_id="acme", subject="s", description="d", requester=Requester(id="c1"),
                   created_at=T0, updated_at=T0, group="g" if i else None)
        ev = [TicketEvent(ticket_id=t.id, tenant_id="acme", type=EventType.CREATED, actor="x", at=T0)]
        r = repo.add(t, ev)
        out.append(("add", r.version, ev[0].seq))
    try:
        repo.add(t, [])
        out.append("dup ok")
    except ConcurrentUpdate as e:
        out.append(("dup", e.message, e.details))
    a = repo.get("acme", "id0"); b = repo.get("acme", "id0")
    evs = a.change_status(Status.OPEN, "x", T0)
    r = repo.save(a, evs); out.append(("save", r.version, evs[0].seq))
    try:
        repo.save(b, b.change_status(Status.PENDING, "x", T0)); out.append("stale ok")
    except ConcurrentUpdate as e:
        out.append(("stale", e.message, e.details))
    ghost = b.model_copy(update={"id": "ghost"})
    try:
        repo.save(ghost, []); out.append("ghost ok")
    except ConcurrentUpdate as e:
        out.append(("ghost", e.details))
    out.append([e.seq for e in repo.events("acme", "id0")])
    for q in [TicketQuery(tenant_id="acme", limit=2), TicketQuery(tenant_id="acme", limit=3),
              TicketQuery(tenant_id="acme", limit=5), TicketQuery(tenant_id="acme", status=Status.NEW, limit=1),
              TicketQuery(tenant_id="acme", groups=("g",), limit=1)]:
        page = repo.query(q)
        items = [t.id for t in page.items]
        pages = [items]
        while page.next_cursor:
            from dataclasses import replace
            page = repo.query(replace(q, cursor=page.next_cursor))
            pages.append([t.id for t in page.items])
        out.append(pages)
    out.append(repo.get_by_number("acme", 2).id)
    return out

def test_parity(aws):
    from helpdesk import bootstrap
    dyn = scenario(bootstrap.container().ticket_repository)
    mem = scenario(InMemoryTicketRepository())
    for d, m in zip(dyn, mem):
        print(d, "|", m)
    assert dyn == mem
