"""Routing rules, settings validation, priority rules and the catalog, without models."""

import pytest
from pydantic import ValidationError

from helpdesk.chat.widget import MIN_ACCENT_CONTRAST, WidgetLook, contrast_with_white
from helpdesk.intents.model import TRIAGE_CATALOG, IntentPrediction
from helpdesk.tickets.model import Priority
from helpdesk.triage.model import confidence_level
from helpdesk.triage.priority import suggest_priority
from helpdesk.triage.settings import RoutingRule, TriageSettings


def _prediction(intent: str, confidence: float = 0.9) -> IntentPrediction:
    catalog = TRIAGE_CATALOG
    return IntentPrediction(intent=intent, category=catalog.category_of(intent), confidence=confidence,
                            category_confidence=confidence, ranking=[(intent, confidence)])


def test_catalog_covers_every_intent_with_a_group() -> None:
    catalog = TRIAGE_CATALOG
    assert len(catalog.intents) == 27
    for intent in catalog.intents:
        assert catalog.group_of(catalog.category_of(intent.name)), intent.name
        assert len(intent.examples) >= 3


def test_rule_matching() -> None:
    rule = RoutingRule(group="security", keywords=["hacked", "phishing"])
    assert rule.matches("My account was HACKED yesterday", None, "email", None)
    assert not rule.matches("I was unhacked", None, "email", None)  # whole words only
    vip = RoutingRule(group="vip", requester_domains=["@BigCustomer.com"], channels=["email"])
    assert vip.matches("anything", None, "email", "ceo@bigcustomer.com")
    assert not vip.matches("anything", None, "chat", "ceo@bigcustomer.com")
    assert not RoutingRule(group="all").matches("anything", "ORDER", "api", None)  # an empty rule matches nothing
    by_category = RoutingRule(group="money", categories=["refund", "payment"])
    assert by_category.matches("x", "REFUND", "api", None)
    assert not by_category.matches("x", "ORDER", "api", None)


def test_settings_defaults_and_validation() -> None:
    settings = TriageSettings()
    assert settings.policy("group").mode == "auto"
    assert settings.policy("priority").mode == "suggest"
    with pytest.raises(ValidationError):
        TriageSettings.model_validate({"fields": {"priority": {"mode": "always"}}})
    with pytest.raises(ValidationError):
        TriageSettings.model_validate({"fields": {"assignee": {"mode": "auto"}}})
    with pytest.raises(ValidationError):
        TriageSettings.model_validate({"routing_rules": [{"group": "x", "keywords": [" "]}]})
    with pytest.raises(ValidationError, match="a group, a priority, tags or several of them"):
        RoutingRule.model_validate({"keywords": ["outage"]})
    with pytest.raises(ValidationError):
        RoutingRule.model_validate({"priority": "asap", "keywords": ["outage"]})
    assert RoutingRule.model_validate({"priority": "urgent", "keywords": ["outage"]}).group is None


def test_priority_rules() -> None:
    catalog = TRIAGE_CATALOG
    info = suggest_priority("which payment methods do you accept", _prediction("check_payment_methods"), catalog,
                            "neutral")
    assert info.priority == Priority.LOW
    blocked = suggest_priority("my payment was declined", _prediction("payment_issue"), catalog, "negative")
    assert blocked.priority == Priority.HIGH
    outage = suggest_priority("URGENT: production is down, we are locked out", _prediction("recover_password"),
                              catalog, "very_negative")
    assert outage.priority == Priority.URGENT
    assert any("urgency cues" in r for r in outage.reasons)
    unknown = suggest_priority("", None, catalog, None)
    assert unknown.priority == Priority.NORMAL
    assert unknown.confidence < 0.5


def test_confidence_levels() -> None:
    assert [confidence_level(c) for c in (0.9, 0.75, 0.6, 0.45, 0.1)] == ["high", "high", "medium", "medium", "low"]


def test_a_message_unlike_every_example_gets_no_category_and_no_group() -> None:
    """The classifier's best guess at confidence 0 ("CSV export stops at 10,000 rows" against an e-commerce
    catalog) is no suggestion at all: an agent would read "ACCOUNT 0%" as one to accept."""
    from helpdesk.triage.service import UNLIKE_EVERY_EXAMPLE, _scored_prediction

    unlike = _prediction("delete_account", confidence=0.0)
    for category in (True, False):
        field = _scored_prediction(unlike, 1.0, category=category)
        assert (field.value, field.confidence, field.reasons) == (None, 0.0, [UNLIKE_EVERY_EXAMPLE])
        assert field.detail["ranking"] == [["delete_account", 0.0]]
    assert _scored_prediction(_prediction("delete_account", 0.4), 0.5, category=True).value == "ACCOUNT"


def test_the_widgets_accent_colour_is_judged_by_wcags_contrast_with_white() -> None:
    assert contrast_with_white("#000000") == pytest.approx(21.0)
    assert contrast_with_white("#ffffff") == pytest.approx(1.0)
    assert contrast_with_white("#767676") == pytest.approx(4.54, abs=0.01)  # the lightest grey that passes AA
    assert contrast_with_white("#777777") < MIN_ACCENT_CONTRAST
    assert WidgetLook(accent_color="#767676").accent_color == "#767676"
    with pytest.raises(ValueError, match=r"under the 4\.5:1"):
        WidgetLook(accent_color="#777777")
