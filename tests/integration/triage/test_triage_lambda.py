"""The intent_rag Lambda on tickets-stream batches (events/intent_rag/): triage, partial batch failures."""

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from aws_lambda_powertools.utilities.batch.exceptions import BatchProcessingError

from helpdesk.kernel.principal import Principal, Role, system_principal
from helpdesk.tickets.model import Requester
from helpdesk.tickets.service import CreateTicket
from tests.conftest import EVENTS, FakeLambdaContext, load_function

SAMPLE_ID = "0123456789abcdef0123456789abcdef"


def _sample(name: str) -> dict[str, Any]:
    event: dict[str, Any] = json.loads((EVENTS / "intent_rag" / name).read_text())
    return event


def _create_sample_ticket() -> None:
    from helpdesk import bootstrap

    bootstrap.container().ticket_service.create(system_principal("acme", "email"), CreateTicket(
        id=SAMPLE_ID, subject="Cannot log in", description="I forgot my password and the reset link does not work.",
        requester=Requester(id="c0ffee00-0000-4000-8000-000000000001", name="Dana Smith")))


def test_insert_sample_is_triaged(triage_env: Path, lambda_context: FakeLambdaContext) -> None:
    from helpdesk import bootstrap

    _create_sample_ticket()
    response = load_function("intent_rag").lambda_handler(_sample("tickets_stream_insert.json"), lambda_context)
    assert response == {"batchItemFailures": []}
    result = bootstrap.container().triage.store.get("acme", SAMPLE_ID)
    assert result is not None
    assert result.intent.value == "recover_password"


def test_one_bad_record_fails_alone(triage_env: Path, lambda_context: FakeLambdaContext) -> None:
    from helpdesk import bootstrap

    _create_sample_ticket()
    event = _sample("tickets_stream_insert.json")
    broken = copy.deepcopy(event["Records"][0])
    broken["dynamodb"]["SequenceNumber"] = "999"
    broken["dynamodb"]["NewImage"]["doc"] = {"S": "{not json"}
    event["Records"].insert(0, broken)
    response = load_function("intent_rag").lambda_handler(event, lambda_context)
    assert response == {"batchItemFailures": [{"itemIdentifier": "999"}]}
    assert bootstrap.container().triage.store.get("acme", SAMPLE_ID) is not None


def test_record_of_a_deleted_ticket_is_skipped(triage_env: Path, lambda_context: FakeLambdaContext) -> None:
    response = load_function("intent_rag").lambda_handler(_sample("tickets_stream_insert.json"), lambda_context)
    assert response == {"batchItemFailures": []}


class _AlmostOutOfTime(FakeLambdaContext):
    def get_remaining_time_in_millis(self) -> int:
        return 3_000


def test_no_record_is_started_when_time_runs_out(triage_env: Path) -> None:
    from helpdesk import bootstrap
    from helpdesk.triage.events import process_stream_event

    _create_sample_ticket()
    # Every record failed: Powertools raises, so the mapping retries (and bisects) the whole batch.
    with pytest.raises(BatchProcessingError, match="All records failed"):
        process_stream_event(_sample("tickets_stream_insert.json"), _AlmostOutOfTime(),
                             bootstrap.container().ticket_stream)
    assert bootstrap.container().triage.store.get("acme", SAMPLE_ID) is None


def test_the_summary_follows_the_public_thread(triage_env: Path, lambda_context: FakeLambdaContext) -> None:
    from helpdesk import bootstrap

    handler = load_function("intent_rag").lambda_handler
    message = _sample("ticket_events_public_message.json")
    store = bootstrap.container().triage.store
    _create_sample_ticket()
    assert handler(message, lambda_context) == {"batchItemFailures": []}  # not triaged yet: nothing to update
    assert store.get("acme", SAMPLE_ID) is None
    handler(_sample("tickets_stream_insert.json"), lambda_context)
    opening = store.get("acme", SAMPLE_ID)
    assert opening is not None
    assert opening.summary.detail["messages"] == 1

    tickets, agent = bootstrap.container().ticket_service, Principal(user_id="alice", tenant_id="acme",
                                                                      role=Role.AGENT)
    tickets.add_message(agent, SAMPLE_ID, "I have sent you a new reset link; it is valid for 30 minutes.", public=True)
    tickets.add_message(agent, SAMPLE_ID, "Internal: customer owes us 3 invoices, API key sk-live-123.", public=False)
    tickets.add_message(system_principal("acme", "email"), SAMPLE_ID, "The new link says it expired. Can you "
                        "send me one that works?", public=True, as_customer=True)
    assert handler(message, lambda_context) == {"batchItemFailures": []}

    summarised = store.get("acme", SAMPLE_ID)
    assert summarised is not None
    summary = summarised.summary
    assert summary.detail["messages"] == 3  # description + two public messages; the note is no part of it
    assert summary.method == "extractive:thread"
    assert "reset link" in summary.value
    assert "Asks: Can you send me one that works?" in summary.value
    assert "invoices" not in summary.value
    assert "sk-live" not in summary.value
    assert len(summary.value.split()) <= 40
    # A replayed record (at-least-once delivery) rewrites nothing.
    assert handler(message, lambda_context) == {"batchItemFailures": []}
    assert store.get("acme", SAMPLE_ID) == summarised


def test_messages_written_before_triage_are_in_its_first_summary(triage_env: Path,
                                                                 lambda_context: FakeLambdaContext) -> None:
    """The events stream's message found no record to update (triage ran later): triage's summary reads them."""
    from helpdesk import bootstrap

    handler = load_function("intent_rag").lambda_handler
    _create_sample_ticket()
    tickets, agent = bootstrap.container().ticket_service, Principal(user_id="alice", tenant_id="acme",
                                                                      role=Role.AGENT)
    tickets.add_message(agent, SAMPLE_ID, "I have sent you a new reset link; it is valid for 30 minutes.", public=True)
    tickets.add_message(system_principal("acme", "email"), SAMPLE_ID, "The new link says it expired. Can you "
                        "send me one that works?", public=True, as_customer=True)
    assert handler(_sample("ticket_events_public_message.json"), lambda_context) == {"batchItemFailures": []}
    assert handler(_sample("tickets_stream_insert.json"), lambda_context) == {"batchItemFailures": []}

    record = bootstrap.container().triage.store.get("acme", SAMPLE_ID)
    assert record is not None
    assert record.summary.detail["messages"] == 3
    assert "Asks: Can you send me one that works?" in record.summary.value
    assert record.intent.value == "recover_password"  # classified from the opening message, as before
