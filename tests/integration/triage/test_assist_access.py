"""Every list the APIs return follows the caller's access: a group-restricted agent never sees another
group's ticket numbers or subjects, in the assist API's similar tickets, the ticket list or the SLA report."""

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from helpdesk.kernel.principal import system_principal
from helpdesk.tickets.model import Requester
from helpdesk.tickets.service import CreateTicket
from tests.conftest import claims, http_event
from tests.integration.mail.conftest import mail  # noqa: F401 (the privacy API's bucket)

if TYPE_CHECKING:
    from tests.integration.triage.conftest import StreamPump

Invoke = Callable[[str, dict[str, Any]], dict[str, Any]]
BILLING_AGENT = claims("agent-b", "acme", "agent", groups=["billing"])
ADMIN = claims("admin-1", "acme", "admin")


def _ticket(subject: str, description: str, group: str, requester: str = "cust-1") -> str:
    from helpdesk import bootstrap

    return bootstrap.container().ticket_service.create(system_principal("acme", "email"), CreateTicket(
        subject=subject, description=description, group=group, requester=Requester(id=requester))).id


def _similar(invoke: Invoke, path: str, who: dict[str, Any], method: str = "GET") -> list[dict[str, Any]]:
    response = invoke("agent_assist", http_event(method, path, claims_=who))
    assert response["statusCode"] == 200, response["json"]
    return list(response["json"]["triage"]["similar_tickets"])


def test_similar_tickets_leave_out_tickets_of_groups_the_agent_cannot_open(
        published_articles: list[str], pump: "StreamPump", invoke: Invoke) -> None:
    shipping = _ticket("Refund not received", "I am still waiting for my refund for the returned jacket.",
                       "shipping", requester="cust-2")
    billing = _ticket("Refund still missing", "Where is the refund for the jacket I returned?", "billing")
    pump.drain()
    new = _ticket("No refund yet", "My refund for the returned jacket has not arrived.", "billing")
    pump.drain()

    seen_by_admin = {s["ticket_id"] for s in _similar(invoke, f"/tickets/{new}/assist", ADMIN)}
    assert {shipping, billing} <= seen_by_admin  # the stored record holds both

    restricted = _similar(invoke, f"/tickets/{new}/assist", BILLING_AGENT)
    assert [s["ticket_id"] for s in restricted] == [billing]
    assert "Refund not received" not in str(restricted)
    # every assist answer is filtered, not only the read
    for path in (f"/tickets/{new}/assist/priority/reject", f"/tickets/{new}/assist/draft"):
        assert shipping not in {s["ticket_id"] for s in _similar(invoke, path, BILLING_AGENT, "POST")}
    # and the stored record is unchanged by what the restricted agent was shown
    from helpdesk import bootstrap

    stored = bootstrap.container().triage.store.get("acme", new)
    assert stored is not None
    assert shipping in {s.ticket_id for s in stored.similar_tickets}


def test_ticket_list_and_sla_report_count_only_the_agents_groups(aws: None, invoke: Invoke) -> None:
    mine = _ticket("Invoice wrong", "The invoice total is wrong.", "billing")
    _ticket("Parcel lost", "My parcel never came.", "shipping")
    listed = invoke("ticket_commands", http_event("GET", "/tickets", claims_=BILLING_AGENT))
    assert [t["id"] for t in listed["json"]["items"]] == [mine]
    report = invoke("sla_api", http_event("GET", "/reports/sla", claims_=BILLING_AGENT,
                                          template="sla_api/sla_report.json"))
    assert report["statusCode"] == 200, report["json"]
    assert report["json"]["tickets"] == 1
    other_group = invoke("sla_api", http_event("GET", "/reports/sla", claims_=BILLING_AGENT,
                                               query={"group": "shipping"}, template="sla_api/sla_report.json"))
    assert other_group["json"]["tickets"] == 0


def test_similar_tickets_show_their_subject_as_it_is_now(published_articles: list[str], pump: "StreamPump",
                                                         invoke: Invoke, mail: Any) -> None:  # noqa: F811
    """A similar ticket's subject was kept in the record as it was at triage: a card number the team redacted from
    that ticket since (or a subject renamed or erased) still showed on every ticket listing it as similar."""
    from helpdesk import bootstrap

    card = _ticket("Refund to card 4111-1111-1111-1111", "Refund the returned jacket to card 4111 1111 1111 1111.",
                   "billing")
    pump.drain()
    new = _ticket("No refund yet", "My refund for the returned jacket has not arrived.", "billing")
    pump.drain()
    assert card in {s["ticket_id"] for s in _similar(invoke, f"/tickets/{new}/assist", ADMIN)}
    redacted = invoke("privacy_api", http_event("POST", "/privacy/redactions", claims_=ADMIN,
                                                body={"ticket_id": card, "text": "4111111111111111"}))
    assert redacted["statusCode"] == 200, redacted["json"]
    shown = _similar(invoke, f"/tickets/{new}/assist", ADMIN)
    assert [s["subject"] for s in shown if s["ticket_id"] == card] == ["Refund to card [redacted]"]
    stored = bootstrap.container().triage.store.get("acme", new)
    assert stored is not None  # the record is left as made: what changes is what it is shown with
