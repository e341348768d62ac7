"""Triage from the tickets stream: moto's real stream records through the real stream handler."""

from pathlib import Path
from typing import TYPE_CHECKING, Any

from helpdesk.kernel.principal import Principal, Role, system_principal
from helpdesk.tickets.model import Priority, Requester
from helpdesk.tickets.service import CreateTicket, UpdateTicket

if TYPE_CHECKING:
    from tests.integration.triage.conftest import StreamPump


AGENT = Principal(user_id="agent-1", tenant_id="acme", role=Role.AGENT)


def _create(subject: str, description: str, requester: str = "cust-1", **extra: Any) -> str:
    from helpdesk import bootstrap

    ticket = bootstrap.container().ticket_service.create(system_principal("acme", "email"), CreateTicket(
        subject=subject, description=description, requester=Requester(id=requester, name="Dana Smith"), **extra))
    return ticket.id


def test_new_ticket_is_triaged_applied_and_cited(published_articles: list[str], pump: "StreamPump") -> None:
    from helpdesk import bootstrap

    ticket_id = _create("Cannot log in", "I forgot my password and the reset link does not work. "
                                         "I am locked out of my account since this morning.")
    assert pump.drain() == 1
    ticket, result = bootstrap.container().triage.get(AGENT, ticket_id)
    assert result is not None
    assert result.category.value == "ACCOUNT"
    assert result.intent.value == "recover_password"
    assert result.language.value == "en"
    assert result.sentiment.value in ("negative", "very_negative", "neutral")
    assert result.summary.value
    assert result.summary.method.startswith("extractive")
    assert result.group.value == "accounts"
    assert result.group.state == "applied"
    assert result.priority.value in ("high", "urgent")
    assert result.priority.state == "suggested"
    assert result.reply is not None
    assert result.reply.citations
    assert result.reply.citations[0].article_id == "kb_reset_password"
    assert "[1]" in result.reply.text
    # applied as the ai actor, with model and prompt version on the event
    assert ticket.group == "accounts"
    assert "category:account" in ticket.tags
    assert ticket.priority == Priority.NORMAL  # suggested only by default
    ai_events = [e for e in bootstrap.container().ticket_service.events(AGENT, ticket_id) if e.actor == "ai"]
    assert {e.type.value for e in ai_events} == {"group_changed", "tags_changed"}
    assert all(e.data["model"] == "embedded" and e.data["prompt_version"] == "triage-v1" for e in ai_events)


def test_the_teams_own_ticket_is_triaged_without_a_reply_draft(published_articles: list[str],
                                                                pump: "StreamPump") -> None:
    """A problem an agent opened with no customer is categorised and routed like any ticket, but no reply is drafted:
    nobody waits for one (its customers' tickets get theirs)."""
    from helpdesk import bootstrap

    ticket = bootstrap.container().ticket_service.create(AGENT, CreateTicket(
        subject="Password reset mails not sent", description="The reset link never arrives for many customers."))
    assert ticket.no_customer
    assert pump.drain() == 1
    _, result = bootstrap.container().triage.get(AGENT, ticket.id)
    assert result is not None
    assert result.category.value == "ACCOUNT"
    assert result.reply is None


def test_a_ticket_the_team_opened_by_writing_to_the_customer_gets_no_reply_draft(published_articles: list[str],
                                                                                  pump: "StreamPump") -> None:
    """An agent's mail to a customer with support copied opens the customer's ticket with the team's words first
    (`description_by_team`): categorised like any ticket, but no draft greets the customer about the team's own
    offer; the customer's answer is what waits for a reply."""
    from helpdesk import bootstrap

    ticket = bootstrap.container().ticket_service.create(AGENT, CreateTicket(
        subject="Your password reset", description="Hello Dana, I reset your password: the link is on its way.",
        requester=Requester(id="cust-7", name="Dana Smith"), description_by_team=True))
    assert pump.drain() == 1
    _, result = bootstrap.container().triage.get(AGENT, ticket.id)
    assert result is not None
    assert result.reply is None


def test_a_group_the_directory_lacks_is_named_not_applied(published_articles: list[str], pump: "StreamPump") -> None:
    """A ticket routed to a group nobody is in would reach nobody: the field stays empty and says what to create.
    Tenant globex has no groups (acme's fixture has the catalog's)."""
    from helpdesk import bootstrap

    ticket = bootstrap.container().ticket_service.create(system_principal("globex", "email"), CreateTicket(
        subject="Cannot log in", description="I forgot my password and the reset link does not work. "
                                             "I am locked out of my account since this morning.",
        requester=Requester(id="cust-9", name="Dana Smith")))
    assert pump.drain() == 1
    agent = Principal(user_id="agent-1", tenant_id="globex", role=Role.AGENT)
    seen, result = bootstrap.container().triage.get(agent, ticket.id)
    assert result is not None
    assert result.category.value == "ACCOUNT"  # classified as anywhere
    assert (result.group.value, seen.group) == (None, None)
    assert result.group.detail["missing_group"] == "accounts"
    assert "POST /groups" in result.group.reasons[-1]


def test_same_record_twice_changes_nothing(published_articles: list[str], pump: "StreamPump") -> None:
    from helpdesk import bootstrap
    from helpdesk.triage.events import process_stream_event

    ticket_id = _create("Where is my refund?", "I returned the shoes two weeks ago and still have no refund.")
    pump.drain()
    first = bootstrap.container().triage.store.get("acme", ticket_id)
    events_before = bootstrap.container().ticket_service.events(AGENT, ticket_id)
    insert_batch = next(b for b in pump.batches if b["Records"][0]["eventName"] == "INSERT")
    assert process_stream_event(insert_batch, None, bootstrap.container().ticket_stream) == {"batchItemFailures": []}
    assert bootstrap.container().triage.store.get("acme", ticket_id) == first
    assert bootstrap.container().ticket_service.events(AGENT, ticket_id) == events_before


def test_similar_open_tickets_same_requester_first(published_articles: list[str], pump: "StreamPump") -> None:
    from helpdesk import bootstrap

    other = _create("Refund not received", "I am still waiting for my refund for the returned jacket.",
                    requester="cust-2")
    mine = _create("Refund still missing", "Where is the refund for the jacket I returned?", requester="cust-1")
    pump.drain()
    new = _create("No refund yet", "My refund for the returned jacket has not arrived.", requester="cust-1")
    pump.drain()
    result = bootstrap.container().triage.store.get("acme", new)
    assert result is not None
    ids = [s.ticket_id for s in result.similar_tickets]
    assert ids[:2] == [mine, other]
    assert result.similar_tickets[0].same_requester
    assert result.similar_tickets[0].score >= 0.6
    other_tenant = bootstrap.container().triage.store.get("globex", new)
    assert other_tenant is None


def test_bad_input_gives_low_confidence_not_errors(published_articles: list[str], pump: "StreamPump") -> None:
    from helpdesk import bootstrap

    logs = "\n".join(f"2026-11-23 10:{i % 60:02d}:00 ERROR worker-{i} connection reset by peer" for i in range(4000))
    empty = _create("?", " ", channel="email", event_data={"attachments": [{"filename": "screenshot.png"}]})
    pasted = _create("app crash", "It crashed again, logs below.\n" + logs)
    mixed = _create("Factura", "Hello, my invoice is wrong. Mi factura está mal, por favor arréglenla ahora mismo.")
    pump.drain()
    assert sum(len(b["Records"]) for b in pump.batches) == 3
    assert pump.failures == []
    r_empty, r_logs, r_mixed = (bootstrap.container().triage.store.get("acme", t) for t in (empty, pasted, mixed))
    assert r_empty is not None
    assert r_logs is not None
    assert r_mixed is not None
    assert r_empty.category.level == "low"
    assert r_empty.category.value is None
    assert any("empty" in n for n in r_empty.notes)
    assert any("attachment" in n for n in r_empty.notes)
    assert any("log-like lines folded" in n for n in r_logs.notes)
    assert r_mixed.language.detail.get("mixed")
    assert r_mixed.language.level != "high"
    assert any("mixed languages" in n for n in r_mixed.notes)


def test_resolving_uncovered_ticket_leaves_a_draft_article(published_articles: list[str], pump: "StreamPump",
                                                           triage_env: Path) -> None:
    from helpdesk import bootstrap

    covered = _create("Reset password", "How do I reset my password? The sign-in page rejects me.")
    novel = _create("Export invoices to CSV", "How can I export all my invoices of last year as a CSV file? "
                    "My card is 4111 1111 1111 1111, reach me at dana.smith@example.com.")
    pump.drain()
    service = bootstrap.container().ticket_service
    service.add_message(AGENT, novel, "Checked with admin key sk-live-abcdefghijklmnop1234: NOT a bug, "
                        "customer is on the legacy plan.", public=False)
    for ticket_id, answer in ((covered, "Use Forgot password on the sign-in page."),
                              (novel, "Go to Billing > Invoices, pick the year and choose Export CSV. "
                                      "If it fails, call +1 555 123 4567.")):
        bootstrap.container().ticket_service.add_message(AGENT, ticket_id, answer, public=True)
        bootstrap.container().ticket_service.update(AGENT, ticket_id, UpdateTicket(status="resolved"))
    pump.drain()
    covered_result = bootstrap.container().triage.store.get("acme", covered)
    novel_result = bootstrap.container().triage.store.get("acme", novel)
    assert covered_result is not None
    assert covered_result.resolution is not None
    assert covered_result.resolution.covered_by == "kb_reset_password"
    assert covered_result.resolution.draft_article_id is None
    assert novel_result is not None
    assert novel_result.resolution is not None
    draft_id = novel_result.resolution.draft_article_id
    assert draft_id is not None
    article = bootstrap.container().knowledge_service.get(AGENT, draft_id)
    assert article.status.value == "draft"
    body = article.content.body
    assert "Export CSV" in body
    # Only public replies and the customer's words, with secrets and personal data redacted.
    assert "legacy plan" not in body
    assert "sk-live" not in body
    assert "4111" not in body
    assert "dana.smith@example.com" not in body
    assert "555 123" not in body
    assert "[card number]" in body
    assert "[email]" in body
    assert "[phone]" in body
    assert "Export invoices" in novel_result.resolution.summary or "export" in novel_result.resolution.summary


def test_resolving_a_never_triaged_ticket_suggests_only(published_articles: list[str], triage_env: Path) -> None:
    from helpdesk import bootstrap

    ticket_id = _create("Locked out", "I forgot my password and the reset link does not work.")
    c = bootstrap.container()
    c.ticket_service.add_message(AGENT, ticket_id, "Use Forgot password on the sign-in page.", public=True)
    ticket = c.ticket_service.update(AGENT, ticket_id, UpdateTicket(status="resolved"))
    result = c.knowledge_loop.on_resolved(ticket)  # as the stream would, with the INSERT never seen
    assert result.resolution is not None
    assert result.group.state == "suggested"
    assert not [e for e in c.ticket_service.events(AGENT, ticket_id) if e.actor == "ai"]
    assert c.knowledge_loop.on_resolved(ticket) == result  # the same resolution twice changes nothing


def test_incidents_answered_with_their_problem_leave_no_draft_each(published_articles: list[str], pump: "StreamPump",
                                                                   triage_env: Path) -> None:
    from helpdesk import bootstrap
    from helpdesk.tickets.links import link
    from helpdesk.tickets.model import Status

    c = bootstrap.container()
    incidents = [_create("Export invoices to CSV fails", f"Since this morning the CSV export of invoices fails ({n}).",
                         requester=f"cust-{n}") for n in (1, 2)]
    alone = _create("Export invoices to CSV", "How can I export all my invoices of last year as a CSV file?",
                    requester="cust-3")
    problem = _create("CSV export outage", "Exports fail for every tenant since 08:00.", requester="cust-4")
    for incident in incidents:
        link(c.ticket_service, AGENT, problem, "child", incident)
    pump.drain()
    c.ticket_service.add_message(AGENT, alone, "Go to Billing > Invoices and choose Export CSV.", public=True,
                                 status=Status.RESOLVED)
    c.child_replies.reply(AGENT, problem, "The export works again: go to Billing > Invoices and choose Export CSV.",
                          public=True, status=Status.RESOLVED)
    pump.drain()

    for incident in incidents:
        result = c.triage.store.get("acme", incident)
        assert result is not None
        assert result.resolution is not None
        assert result.resolution.draft_article_id is None
        assert any("answered with its problem ticket T-" in note for note in result.resolution.notes)
    drafted = [c.triage.store.get("acme", t) for t in (alone, problem)]  # each with its own answer: a draft each
    assert all(r is not None and r.resolution is not None and r.resolution.draft_article_id for r in drafted)
