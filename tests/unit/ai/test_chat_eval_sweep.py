"""The chat evaluation's threshold sweep moves the answerability model's threshold over the turns the model decided;
turns the calibrated cosine decided (questions the model's reader does not read) keep their outcome."""

from dataclasses import replace

from helpdesk.chat.evaluation import ChatOutcome, outcome_at, sweep, swept_rule


def turn(query_id: str, rule: str, passages: list[tuple[str, float]], outcome: str) -> ChatOutcome:
    return ChatOutcome(query_id=query_id, text=query_id, in_domain=True, outcome=outcome, cited=[], gold=["a"],
                       route="answer", passages=passages, rule=rule)


def test_a_sweep_of_the_models_threshold_leaves_the_turns_the_cosine_decided() -> None:
    by_model = turn("en", "model", [("a", 0.9)], "grounded")
    by_cosine = turn("es", "cosine", [("a", 0.45)], "grounded")  # a cosine of 0.45 reached the cosine's 0.42
    outcomes = [by_model, by_cosine]
    assert swept_rule(outcomes) == "model"
    assert outcome_at(by_cosine, 0.66, "model") == "grounded"  # a probability threshold says nothing about a cosine
    assert outcome_at(by_model, 0.95, "model") == "abstained"
    row = next(r for r in sweep(outcomes, [0.66]))
    assert row["grounded"] == 1.0
    # A run without a model sweeps the cosine threshold over every turn.
    cosine_only = [replace(o, rule="cosine") for o in outcomes]
    assert swept_rule(cosine_only) is None
    assert next(iter(sweep(cosine_only, [0.66])))["grounded"] == 0.5
