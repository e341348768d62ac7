"""The scheduled function: the EventBridge Scheduler Input runs one scan and returns its summary."""

import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from pydantic import ValidationError

from helpdesk import bootstrap
from helpdesk.kernel.clock import FixedClock
from helpdesk.kernel.principal import Principal, Role
from helpdesk.tickets.model import Priority
from helpdesk.tickets.service import CreateTicket
from tests.conftest import EVENTS, FakeLambdaContext, load_function


def test_the_scheduled_event_runs_a_scan(notifications: Callable[[], list[dict[str, Any]]],
                                         clock: FixedClock,
                                         lambda_context: FakeLambdaContext) -> None:
    clock.set(datetime(2026, 11, 23, 10, 0, tzinfo=UTC))
    bootstrap.container().ticket_service.create(Principal(user_id="c1", tenant_id="acme", role=Role.CUSTOMER),
                            CreateTicket(subject="s", description="d", priority=Priority.URGENT))
    event = json.loads((EVENTS / "sla_scan" / "replay_at.json").read_text())  # "now": 2 h later
    summary = load_function("sla_scan").lambda_handler(event, lambda_context)
    assert summary == {"examined": 1, "warned": 0, "breached": 1, "escalated": 0, "closed": 0, "reminded": 0,
                       "resolved": 0, "errors": 0, "unnotified": 0, "woke": 0, "reminders_sent": 0,
                       "time_triggers": {"tenants": 0, "examined": 0, "acted": 0, "errors": 0, "unfinished": 0}}
    assert [m["kind"] for m in notifications()] == ["breached"]

    plain = json.loads((EVENTS / "sla_scan" / "scheduled.json").read_text())
    assert load_function("sla_scan").lambda_handler(plain, lambda_context)["examined"] >= 0


def test_a_malformed_schedule_input_fails_loudly(aws: None, lambda_context: FakeLambdaContext) -> None:
    with pytest.raises(ValidationError):
        load_function("sla_scan").lambda_handler({"action": "scan", "now": "yesterday"}, lambda_context)
