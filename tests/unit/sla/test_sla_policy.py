"""Choosing a policy: conditions, first match by position wins, the default catches the rest."""

import pytest
from pydantic import ValidationError

from helpdesk.sla.policy import Conditions, PriorityTargets, SlaPolicy, choose, default_policy

TARGETS = {"normal": PriorityTargets(first_response_minutes=60)}


def policy(id_: str, position: int, **conditions: list[str]) -> SlaPolicy:
    return SlaPolicy(id=id_, name=id_, position=position, conditions=Conditions(**conditions), targets=TARGETS)


def test_first_match_by_position_wins_and_the_default_catches_the_rest() -> None:
    policies = [policy("email-any", 20, channels=["email"]), policy("vip-email", 10, tags=["VIP"], channels=["email"])]
    assert choose(policies, "normal", "email", None, ["vip"]).id == "vip-email"
    assert choose(policies, "normal", "email", None, []).id == "email-any"
    assert choose(policies, "normal", "chat", None, ["vip"]).id == "default"


def test_all_listed_conditions_must_match() -> None:
    billing_urgent = policy("billing-urgent", 1, groups=["billing"], priorities=["urgent"])
    assert choose([billing_urgent], "urgent", "api", "billing", []).id == "billing-urgent"
    assert choose([billing_urgent], "high", "api", "billing", []).id == "default"
    assert choose([billing_urgent], "urgent", "api", "support", []).id == "default"


def test_a_stored_default_replaces_the_built_in_one() -> None:
    stored = default_policy().model_copy(update={"name": "Ours", "warning_minutes": 5})
    assert choose([stored], "low", "api", None, []).name == "Ours"


@pytest.mark.parametrize("change", [
    {"targets": {"urgent": {"first_response_minutes": 0}}},
    {"targets": {"urgent": {"next_response_minutes": -5}}},
    {"warning_minutes": -1},
    {"auto_close_days": 0},
    {"conditions": {"priorities": ["critical"]}},
    {"group_emails": {"support": ["not-an-address"]}},
    {"pending_reminder_days": 0},
    {"pending_reminder_days": 5, "pending_resolve_days": 5},  # the reminder must come before the resolution
    {"pending_resolve_days": 400},
])
def test_bad_policies_are_rejected(change: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        SlaPolicy.model_validate({"id": "p", "name": "p", "targets": {}, **change})
