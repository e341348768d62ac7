"""What another helpdesk holds that this one cannot take is named in the report and the run goes on: a ticket whose
conversation cannot be read, tags over the API's limits, an address that is not one."""

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import boto3
import pytest

from helpdesk import bootstrap
from helpdesk.imports.model import (
    SourceArticle,
    SourceAutomation,
    SourceCalendar,
    SourceComment,
    SourceField,
    SourceFile,
    SourceForm,
    SourceGroup,
    SourceMacro,
    SourceOrganization,
    SourcePerson,
    SourceRule,
    SourceSlaPolicy,
    SourceTicket,
    SourceTrigger,
    SourceView,
    UnreadableTicket,
)
from helpdesk.imports.service import imported_ticket_id
from helpdesk.kernel.principal import operator_principal, system_principal
from helpdesk.tickets.model import ImportSource, Status
from tests.conftest import rebuild

AT = datetime(2025, 5, 1, 9, 0, tzinfo=UTC)


class ListSource:
    """A helpdesk as lists: the port without HTTP (the adapters' own tests cover that)."""

    name: ImportSource = "zendesk"

    def __init__(self, tickets: list[SourceTicket | UnreadableTicket], comments: dict[str, list[dict[str, Any]]],
                 fields: list[SourceField] | None = None) -> None:
        self._tickets, self._comments, self._fields = tickets, comments, fields or []

    def unreadable(self) -> list[str]:
        return []

    def organizations(self) -> Iterator[SourceOrganization]:
        return iter(())

    def people(self) -> Iterator[SourcePerson]:
        yield SourcePerson(id="1", name="Odd Address", email="odd(at)example.com")

    def groups(self) -> Iterator[SourceGroup]:
        return iter(())

    def ticket_fields(self) -> Iterator[SourceField]:
        yield from self._fields

    def tickets(self, since: datetime | None, resume: str | None = None
                ) -> Iterator[SourceTicket | UnreadableTicket]:
        yield from self._tickets

    def resume_point(self) -> str | None:
        return None

    def comments(self, ticket_id: str) -> Iterator[SourceComment]:
        for raw in self._comments[ticket_id]:
            if "id" not in raw:
                raise KeyError("id")  # what an adapter reading a record without its id does
            yield SourceComment.model_validate(raw)  # what an adapter does with what it is sent

    def ticket_forms(self) -> Iterator[SourceForm]:
        return iter(())

    def macros(self) -> Iterator[SourceMacro]:
        return iter(())

    def routing_rules(self) -> Iterator[SourceRule]:
        return iter(())

    def triggers_rerun(self) -> bool:
        return True

    def triggers(self) -> Iterator[SourceTrigger]:
        return iter(())

    def views(self) -> Iterator[SourceView]:
        return iter(())

    def sla_policies(self) -> Iterator[SourceSlaPolicy]:
        return iter(())

    def automations(self) -> Iterator[SourceAutomation]:
        return iter(())

    def calendars(self) -> Iterator[SourceCalendar]:
        return iter(())

    def articles(self) -> Iterator[SourceArticle]:
        return iter(())

    def download(self, file: SourceFile, max_bytes: int) -> bytes:
        return b"%PDF-1.4 " + file.name.encode()


@pytest.fixture
def importing(aws: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HELPDESK_ATTACHMENTS_BUCKET", "helpdesk-files")
    boto3.client("s3").create_bucket(Bucket="helpdesk-files")
    rebuild()


def test_a_ticket_that_cannot_be_read_is_named_and_the_others_come_over(importing: None) -> None:
    def ticket(old_id: str, tags: list[str], url: str | None = None) -> SourceTicket:
        return SourceTicket(id=old_id, subject=f"Ticket {old_id}", status=Status.OPEN, requester_id="1", tags=tags,
                            created_at=AT, updated_at=AT, url=url)

    pdf = {"name": "order.pdf", "content_type": "application/pdf", "size": 20, "url": "https://x.example/order.pdf"}
    source = ListSource(
        [ticket("1", []), ticket("2", ["ok", "x" * 80, *(f"t{n}" for n in range(60))]),
         ticket("3", [], url="https://x.example/" + "a" * 3000)],
        {"1": [{"id": "c1", "author_id": "1", "body": "Hi", "public": True, "created_at": "last tuesday"}],
         "2": [{"id": "c2", "author_id": "1", "body": "Hello", "public": True, "created_at": AT.isoformat()}],
         "3": [{"id": "c3", "author_id": "1", "body": "See file", "public": True, "created_at": AT.isoformat(),
                "attachments": [pdf]}]})
    report = bootstrap.container().ticket_import.run(operator_principal("acme"), source)
    assert (report.tickets_imported, report.tickets_failed) == (1, 2)
    assert report.problems[0].startswith("ticket 1: 1 validation error for SourceComment")
    assert report.problems[1].startswith("ticket 2: tags not kept (over 64 characters or 50 tags): xxxx")
    assert report.problems[2].startswith("ticket 3: 1 validation error for ImportOrigin")
    stored = boto3.client("s3").list_objects_v2(Bucket="helpdesk-files").get("Contents", [])
    assert stored == []  # the file fetched for the ticket that could not be written went with it
    imported = bootstrap.container().ticket_repository.get("acme", imported_ticket_id("acme", "zendesk", "2"))
    assert imported is not None
    assert len(imported.tags) == 50
    assert "ok" in imported.tags
    assert (imported.requester.id, imported.requester.email, imported.participants) == ("zendesk:1", None, [])
    assert bootstrap.container().ticket_service.events(system_principal("acme"), imported.id)[0].type == "created"
    again = bootstrap.container().ticket_import.run(operator_principal("acme"), source)  # the failed one again
    assert (again.tickets_imported, again.already_imported, again.tickets_failed) == (0, 1, 2)


def test_custom_field_values_this_helpdesk_cannot_take_are_named_and_the_rest_come_over(importing: None) -> None:
    """A value of another kind than its field, a dropdown value the field does not offer, a text longer than a field
    holds: named, the ticket comes over with its other values. A field kind with no counterpart is named once; a
    field whose key the tenant uses for another kind comes over under `<key>_zendesk`."""
    from helpdesk.tickets.fields import TicketField, TicketFields

    admin = operator_principal("acme")
    fields = bootstrap.container().ticket_fields
    fields.replace(admin, TicketFields(fields=[TicketField(key="plan", label="Plan (our own)", type="text")]))
    source = ListSource(
        [SourceTicket(id="1", subject="Seats", status=Status.OPEN, requester_id="1", created_at=AT, updated_at=AT,
                      fields={"10": "forty", "11": "platinum", "12": "x" * 1200, "13": ["a", "b"], "14": "3",
                              "15": "2025-05-01", "99": "a field nobody listed"}),
         SourceTicket(id="2", subject="More seats", status=Status.OPEN, requester_id="1", created_at=AT,
                      updated_at=AT, fields={"10": 12.5, "11": "pro", "14": None})],
        {"1": [{"id": "c1", "author_id": "1", "body": "Hi", "public": True, "created_at": AT.isoformat()}],
         "2": [{"id": "c2", "author_id": "1", "body": "Hi", "public": True, "created_at": AT.isoformat()}]},
        fields=[SourceField(id="10", title="Seats", kind="number"),
                SourceField(id="11", title="Plan", kind="dropdown", options={"pro": "Pro", "team": "Team"}),
                SourceField(id="12", title="Notes", kind="text"),
                SourceField(id="13", title="Products", unsupported="multiselect"),
                SourceField(id="14", title="Seats", kind="number"),  # the same title again: the same field here
                SourceField(id="15", title="Renewal", kind="date")])

    report = bootstrap.container().ticket_import.run(admin, source)

    assert (report.tickets_imported, report.tickets_failed) == (2, 0)
    assert report.fields_created == ["seats", "plan_zendesk", "notes", "renewal"]
    assert report.fields_matched == ["seats"]
    assert report.fields_skipped == {"Products": "a multiselect field has no counterpart here"}
    assert report.field_values_dropped == 3
    assert [p.split(": ", 1)[1] for p in report.problems] == [
        "Seats: 'forty' is no number", "Plan: 'platinum' is no option of 'Plan'", "Notes: 1200 characters, over 1000"]
    tickets = bootstrap.container().ticket_repository
    first = tickets.get("acme", imported_ticket_id("acme", "zendesk", "1"))
    second = tickets.get("acme", imported_ticket_id("acme", "zendesk", "2"))
    assert first is not None
    assert second is not None
    assert first.custom_fields == {"seats": 3, "renewal": "2025-05-01"}
    assert second.custom_fields == {"seats": 12.5, "plan_zendesk": "Pro"}
    defined = {f.key: f for f in fields.view(admin).fields}
    assert defined["plan"].type == "text"  # the tenant's own field is left as it was
    assert (defined["plan_zendesk"].type, defined["plan_zendesk"].options) == ("dropdown", ["Pro", "Team"])
    assert defined["plan_zendesk"].label == "Plan (Zendesk)"  # told apart from the tenant's own "Plan (our own)"
    assert defined["renewal"].description == "Imported from Zendesk (a date there)"

    again = bootstrap.container().ticket_import.run(admin, source)  # a rerun finds the fields it made
    assert (again.fields_created, sorted(again.fields_matched)) == ([], ["notes", "plan_zendesk", "renewal", "seats"])
    assert len(fields.view(admin).fields) == 5


def test_a_ticket_or_message_an_adapter_cannot_read_is_named_and_the_run_goes_on(importing: None) -> None:
    """A record the old helpdesk sent without a field its API always has: the ticket is named with why (not the
    run's traceback), the next one comes over, and a rerun tries it again."""
    fine = SourceTicket(id="3", subject="Fine", status=Status.OPEN, requester_id="1", created_at=AT, updated_at=AT)
    odd = SourceTicket(id="2", subject="Odd", status=Status.OPEN, requester_id="1", created_at=AT, updated_at=AT)
    source = ListSource([UnreadableTicket(id="1", reason="not readable: 'createdAt' missing"), odd, fine],
                        {"2": [{"author_id": "1", "body": "no id", "public": True, "created_at": AT.isoformat()}],
                         "3": [{"id": "c3", "author_id": "1", "body": "Hi", "public": True,
                                "created_at": AT.isoformat()}]})
    report = bootstrap.container().ticket_import.run(operator_principal("acme"), source)
    assert (report.tickets_imported, report.tickets_failed) == (1, 2)
    assert report.problems == ["ticket 1: not readable: 'createdAt' missing", "ticket 2: 'id'"]
    assert bootstrap.container().ticket_repository.get("acme", imported_ticket_id("acme", "zendesk", "3")) is not None



def test_progress_is_told_every_50_tickets_whatever_became_of_them(importing: None) -> None:
    """An import job saves itself on each progress call: a rerun that finds every ticket here (nothing imported)
    told it after every single ticket, a DynamoDB write per ticket of a large helpdesk."""
    from helpdesk.imports.service import PROGRESS_EVERY

    count = 2 * PROGRESS_EVERY + 7
    source = ListSource([SourceTicket(id=str(n), subject=f"Ticket {n}", status=Status.OPEN, requester_id="1",
                                      created_at=AT, updated_at=AT) for n in range(count)],
                        {str(n): [{"id": f"c{n}", "author_id": "1", "body": "Hi", "public": True,
                                   "created_at": AT.isoformat()}] for n in range(count)})
    importer = bootstrap.container().ticket_import
    told: list[tuple[int, int]] = []
    first = importer.run(operator_principal("acme"), source,
                         progress=lambda r: told.append((r.tickets_imported, r.already_imported)))
    assert first.tickets_imported == count
    assert told == [(PROGRESS_EVERY, 0), (2 * PROGRESS_EVERY, 0)]
    told.clear()
    again = importer.run(operator_principal("acme"), source,
                         progress=lambda r: told.append((r.tickets_imported, r.already_imported)))
    assert again.already_imported == count
    assert told == [(0, PROGRESS_EVERY), (0, 2 * PROGRESS_EVERY)]  # was once per ticket


def test_a_name_or_subject_of_nothing_visible_comes_over_with_one(importing: None) -> None:
    """The old helpdesk may hold an organisation named with zero-width spaces (ours refuses such a name, which
    stopped the run) or a ticket whose subject is nothing but those (it came over as a row without a subject)."""

    class WithOrganizations(ListSource):
        def organizations(self) -> Iterator[SourceOrganization]:
            yield SourceOrganization(id="77", name="\u200b\u200b")

    source = WithOrganizations(
        [SourceTicket(id="1", subject="\u200b", status=Status.OPEN, requester_id="1", created_at=AT, updated_at=AT)],
        {"1": [{"id": "c1", "author_id": "1", "body": "The printer jams", "public": True,
                "created_at": AT.isoformat()}]})
    report = bootstrap.container().ticket_import.run(operator_principal("acme"), source)
    assert (report.tickets_imported, report.organizations_created, report.problems) == (1, 1, [])
    names = [o.name for o in bootstrap.container().directory_store.list_organizations("acme")]
    assert names == ["Organization 77"]
    imported = bootstrap.container().ticket_repository.get("acme", imported_ticket_id("acme", "zendesk", "1"))
    assert imported is not None
    assert imported.subject == "The printer jams"
