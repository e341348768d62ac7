"""The template's event filters keep imported history from every consumer that would act on it as news (mail,
the chat relay, automatic assignment, events out) and give it to the two that need it (search, triage)."""

from typing import Any

import pytest

from helpdesk.local.streams import RecordFilter
from tests.template import stream_filters

NO_IMPORTS = [("EmailSendFunction", "AgentReplies"), ("ChatRelayFunction", "PublicMessages"),
              ("AutoAssignFunction", "TicketChanges"), ("EventPublisherFunction", "TicketEvents")]
IMPORTS_TOO = [("TicketIndexerFunction", "TicketMessages"), ("TicketIndexerFunction", "TicketChanges"),
               ("IntentRagFunction", "TicketsStream"), ("IntentRagFunction", "TicketMessages")]


def _record(event_name: str, imported: bool) -> dict[str, Any]:
    """A record every consumer takes, but for `imported`: a public message that is also an open, grouped,
    unassigned ticket image (the events table and the tickets table, as far as the filters read them)."""
    image: dict[str, Any] = {"type": {"S": "public_message"}, "status": {"S": "open"}, "group": {"S": "billing"},
                             "ticket_key": {"S": "acme#t1"}}
    if imported:
        image["imported"] = {"BOOL": True}
    return {"eventName": event_name, "eventSource": "aws:dynamodb",
            "dynamodb": {"Keys": {"pk": {"S": "TICKET#acme#t1"}}, "NewImage": image, "SequenceNumber": "1"}}


@pytest.mark.parametrize(("function", "event"), NO_IMPORTS)
def test_imported_inserts_never_invoke_consumers_that_act_on_news(function: str, event: str) -> None:
    wanted = RecordFilter(stream_filters(function, event))
    assert wanted(_record("INSERT", imported=False))
    assert not wanted(_record("INSERT", imported=True))


def test_a_later_change_to_an_imported_ticket_is_news() -> None:
    """An agent puts an imported open ticket in a group: automatic assignment hands it out like any other."""
    wanted = RecordFilter(stream_filters("AutoAssignFunction", "TicketChanges"))
    assert wanted(_record("MODIFY", imported=True))


@pytest.mark.parametrize(("function", "event"), IMPORTS_TOO)
def test_search_and_triage_get_imported_history(function: str, event: str) -> None:
    assert RecordFilter(stream_filters(function, event))(_record("INSERT", imported=True))
