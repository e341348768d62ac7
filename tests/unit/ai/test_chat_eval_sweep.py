"""The chat evaluation's threshold sweep moves the answerability model's threshold over the turns the model decided;
turns the calibrated cosine decided (questions the model's reader does not read) keep their outcome."""

from dataclasses import replace
from pathlib import Path

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


def test_a_swept_turn_cites_as_the_offline_writer_does_and_the_baseline_only_the_first() -> None:
    # The writer quotes the first accepted passage and names the next accepted one; a third is not cited.
    second_right = turn("q", "cosine", [("b", 0.60), ("a", 0.50), ("c", 0.45)], "grounded")
    assert outcome_at(second_right, 0.42) == "grounded"
    assert outcome_at(second_right, 0.55) == "misleading"  # "a" is under the threshold: only "b" is cited
    assert outcome_at(second_right, -1.0, cites=1) == "misleading"
    third_right = turn("q", "cosine", [("b", 0.60), ("c", 0.50), ("a", 0.45)], "misleading")
    assert outcome_at(third_right, 0.42) == "misleading"


def test_among_thresholds_with_the_most_grounded_answers_the_middle_one_is_chosen() -> None:
    from helpdesk.chat.evaluation import choose_threshold

    def row(t: float, grounded: float, misleading: float = 0.05, ood: float = 0.97) -> dict[str, float]:
        return {"threshold": t, "grounded": grounded, "misleading": misleading, "ood_abstained": ood}

    rows = [row(0.40, 0.60, ood=0.90),  # most grounded, but answers out of domain: not allowed
            row(0.44, 0.55), row(0.46, 0.55), row(0.48, 0.55), row(0.50, 0.55), row(0.52, 0.55),
            row(0.54, 0.50)]
    assert choose_threshold(rows)["threshold"] == 0.48
    # Nothing within the targets: the fewest misleading answers.
    assert choose_threshold([row(0.3, 0.7, 0.2), row(0.5, 0.4, 0.15)])["threshold"] == 0.5


def test_the_ai_report_gives_a_models_turns_as_the_chat_decided_them(tmp_path: Path) -> None:
    from helpdesk.evaluation.report import chat

    # The model decided both test turns at its own threshold: one grounded, one abstained (probability 0.4 below
    # it). Re-choosing a threshold on validation would answer the second one too.
    validation = [turn("v1", "model", [("a", 0.3)], "abstained"), turn("v2", "model", [("a", 0.9)], "grounded")]
    test = [turn("t1", "model", [("a", 0.9)], "grounded"), turn("t2", "model", [("a", 0.4)], "abstained")]

    def runner(corpus: Path, queries: Path, qrels: Path, threshold: float | None) -> list[ChatOutcome]:
        return validation if queries.name == "queries-val.jsonl" else test

    figures = {f.name: f for f in chat(tmp_path, runner)}
    grounded = figures["Chat answered citing a gold section (test)"]
    assert grounded.ours == 0.5
    assert grounded.note is not None
    assert "as shipped" in grounded.note
    assert grounded.baseline == 1.0  # the retriever's first passage, always cited


def test_wrapped_questions_are_english_ones_in_each_wrapper_in_turn() -> None:
    from helpdesk.chat.evaluation import WRAPPERS, wrapped

    asked = [wrapped(n, "how do I reset my password") for n in range(len(WRAPPERS))]
    assert len(set(asked)) == len(WRAPPERS)
    assert all("how do I reset my password" in a and a != "how do I reset my password" for a in asked)
    assert wrapped(1, "¿Cómo restablezco mi contraseña?") == "¿Cómo restablezco mi contraseña?"


def test_the_ai_report_gives_the_other_languages_as_the_chat_decided_them(tmp_path: Path) -> None:
    from helpdesk.evaluation.report import chat_other_languages

    # Decided by the calibrated cosine: one grounded, one abstained. Nothing is chosen again on validation.
    validation = [turn("v1-de", "cosine", [("a", 0.5)], "grounded")]
    test = [turn("t1-fr", "cosine", [("a", 0.45)], "grounded"), turn("t2-pt", "cosine", [("b", 0.3)], "abstained")]
    asked: list[tuple[str, str]] = []

    def runner(corpus: Path, queries: Path, qrels: Path, threshold: float | None) -> list[ChatOutcome]:
        asked.append((queries.name, qrels.name))
        return validation if "val" in queries.name else test

    figures = {f.name: f for f in chat_other_languages(tmp_path, runner)}
    grounded = figures["Chat in de/es/fr/pt: answered citing a gold section (test)"]
    assert grounded.ours == 0.5
    assert grounded.baseline == 0.5  # the retriever's first passage, always cited: "b" is not gold
    assert grounded.note is not None
    assert "as shipped" in grounded.note
    assert asked == [("queries-val-multilingual.jsonl", "qrels-multilingual.tsv"),
                     ("queries-test-multilingual.jsonl", "qrels-multilingual.tsv")]
