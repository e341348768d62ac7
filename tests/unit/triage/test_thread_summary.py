"""Summaries of a whole conversation: extractive offline, a model's parts composed under the same limits."""

from collections.abc import Sequence
from typing import Literal

import pytest

from helpdesk.assistant.budget import TokenBudget
from helpdesk.assistant.ports import LlmUnavailable, ThreadMessage, ThreadSummary
from helpdesk.triage import signals
from helpdesk.triage.summaries import MAX_WORDS, ThreadSummarizer

LOCKED_OUT = [
    ThreadMessage("customer", "Hi, since this morning I cannot log in to the dashboard. It says my password is "
                              "wrong although I just reset it. Thanks, Jana"),
    ThreadMessage("agent", "Hi Jana, sorry about that. Could you clear your browser cookies and sign in again? Alex"),
    ThreadMessage("customer", "I cleared the cookies and tried another browser, it still says the password is wrong."),
    ThreadMessage("agent", "Thanks. I have unlocked your account and sent a new reset link."),
    ThreadMessage("customer", "The new link worked but now it asks for a 2FA code I never set up. Can you turn off "
                              "two-factor for my account please?"),
]


def words(text: str) -> int:
    return len(text.split())


def test_a_thread_summary_names_the_problem_what_was_tried_and_what_is_asked_now() -> None:
    s = signals.summarize_thread("Cannot log in", LOCKED_OUT)

    assert s.method == signals.THREAD_SUMMARY_METHOD
    assert s.detail["messages"] == 5
    assert words(s.value) <= MAX_WORDS
    assert "password is wrong" in s.value  # the problem, from the first message
    assert "Tried by the agent: I have unlocked your account" in s.value  # the latest thing tried, and by whom
    # The latest ask, without its courtesy (read as the chat reads a message: `kernel.courtesy.said_sentences`).
    assert s.value.endswith("Asks: Can you turn off two-factor for my account?")
    assert "Hi" not in s.value.split()
    assert "Jana" not in s.value


def test_words_a_part_leaves_unused_go_to_the_problem() -> None:
    """Nothing was tried here: the problem may take the words that part would have had, instead of stopping at
    its own share mid-sentence ("... ends after 10,000 rows, but we…", the demo ticket before)."""
    thread = [
        ThreadMessage("customer", "When I export our contacts to CSV the file always ends after 10,000 rows, but we "
                                  "have about 14,500. Is there a limit, and how do I get all of them?"),
        ThreadMessage("agent", "Hello Dana, the CSV export sends at most 10,000 rows at a time. Filter the list by "
                               "creation date and export it in two parts; or tell us and we raise the limit."),
        ThreadMessage("customer", "Thanks! Could you raise the limit for us? Exporting in parts every week is "
                                  "tedious."),
    ]
    s = signals.summarize_thread("CSV export stops at 10,000 rows", thread)
    assert s.value == ("When I export our contacts to CSV the file always ends after 10,000 rows, but we have about "
                       "14,500. Asks: Could you raise the limit for us?")
    assert signals.part_words({"problem": 30, "asked": 7}, 39) == {"problem": 30, "asked": 7}
    # Over the budget (the labels count too): the problem gives words first, so what is asked now is never cut.
    assert signals.part_words({"problem": 30, "tried": 20, "asked": 20}, 35) == {"problem": 11, "tried": 12,
                                                                                 "asked": 12}


def test_one_message_is_summarised_as_the_opening_summary_is() -> None:
    single = signals.summarize_thread("Cannot log in", LOCKED_OUT[:1])
    assert single.value == signals.summarize("Cannot log in", LOCKED_OUT[0].text).value
    assert single.detail["messages"] == 1


def test_a_thread_that_repeats_itself_is_summarised_once_and_stays_short() -> None:
    nag = "The export still fails with error 500. Please fix the export, we need the data today."
    thread = [ThreadMessage("customer", "Our CSV export fails with error 500 since the update. " + nag)]
    thread += [ThreadMessage("agent" if i % 2 else "customer", nag if i % 2 == 0 else "We are looking into it.")
               for i in range(1, 60)]

    s = signals.summarize_thread("Export broken", thread)

    assert words(s.value) <= MAX_WORDS
    assert len(s.value) <= 400
    assert s.value.count("error 500") == 1
    assert "Asks:" in s.value


@pytest.mark.parametrize("author", ["customer", "agent"])
def test_what_was_tried_says_who_tried_it(author: Literal["customer", "agent"]) -> None:
    thread = [ThreadMessage("customer", "The invoice PDF is empty."),
              ThreadMessage(author, "I already regenerated the invoice from the billing page.")]
    label = "Tried by the agent:" if author == "agent" else "Tried:"
    assert f"{label} I already regenerated" in signals.summarize_thread("Empty invoice", thread).value


class Model:
    name, model_id = "anthropic", "claude-haiku-4-5"

    def __init__(self, answer: ThreadSummary | Exception) -> None:
        self.answer = answer
        self.seen: list[Sequence[ThreadMessage]] = []
        self.tokens_used = 0

    def summarize(self, subject: str, thread: Sequence[ThreadMessage]) -> ThreadSummary:
        self.seen.append(thread)
        self.tokens_used += 900  # billed whether or not the answer is usable
        if isinstance(self.answer, Exception):
            raise self.answer
        return self.answer


class Ledger:
    def __init__(self) -> None:
        self.days: dict[tuple[str, str], int] = {}

    def spent(self, tenant_id: str, day: str) -> int:
        return self.days.get((tenant_id, day), 0)

    def add(self, tenant_id: str, day: str, tokens: int) -> int:
        self.days[(tenant_id, day)] = self.spent(tenant_id, day) + tokens
        return self.days[(tenant_id, day)]


def test_a_models_summary_is_composed_under_the_same_limits() -> None:
    wordy = " ".join(["very"] * 30)
    model = Model(ThreadSummary(problem=f"Sign-in fails with a {wordy} wrong password message.",
                                tried="Cookies cleared, account unlocked, new reset link sent.",
                                asked="Turn off two-factor authentication."))

    s = ThreadSummarizer(model).summarize("acme", "Cannot log in", LOCKED_OUT)

    assert model.seen == [LOCKED_OUT]
    assert s.method == "llm:anthropic:claude-haiku-4-5"
    assert s.detail == {"messages": 5, "prompt_version": "summary-2026.12.1"}
    assert words(s.value) <= MAX_WORDS
    assert "Tried: Cookies cleared" in s.value
    assert s.value.endswith("Asks: Turn off two-factor authentication.")


def test_when_the_model_does_not_answer_the_summary_is_extractive() -> None:
    s = ThreadSummarizer(Model(LlmUnavailable("timeout"))).summarize("acme", "Cannot log in", LOCKED_OUT)
    assert s.method == signals.THREAD_SUMMARY_METHOD
    assert s.value == signals.summarize_thread("Cannot log in", LOCKED_OUT).value
    assert s.detail["fell_back"] == "anthropic: timeout"


def test_model_summaries_are_charged_to_the_tenants_daily_budget_and_stop_when_it_is_spent() -> None:
    ledger = Ledger()
    model = Model(ThreadSummary(problem="Sign-in fails."))
    summarizer = ThreadSummarizer(model, TokenBudget(ledger, daily_tokens=1500))

    assert summarizer.summarize("acme", "Cannot log in", LOCKED_OUT).method == "llm:anthropic:claude-haiku-4-5"
    assert summarizer.summarize("acme", "Cannot log in", LOCKED_OUT).method == "llm:anthropic:claude-haiku-4-5"
    assert sum(ledger.days.values()) == 1800  # 2 x 900, charged to acme
    spent = summarizer.summarize("acme", "Cannot log in", LOCKED_OUT)
    assert spent.method == signals.THREAD_SUMMARY_METHOD
    assert spent.detail["fell_back"] == "the daily token budget is spent"
    assert len(model.seen) == 2  # no call once the budget is spent
    assert summarizer.summarize("globex", "Cannot log in", LOCKED_OUT).method.startswith("llm:")  # per tenant


def test_a_thread_of_thousands_of_messages_reads_its_opening_and_latest_ones() -> None:
    thread = [ThreadMessage("customer", "Our webhooks stopped arriving after the migration.")]
    thread += [ThreadMessage("agent" if i % 2 else "customer", f"Update number {i} on the same topic.")
               for i in range(1, 5000)]
    thread.append(ThreadMessage("customer", "Could you replay the webhooks of last week?"))

    s = signals.summarize_thread("Webhooks", thread)

    assert s.detail["messages"] == 5001
    assert s.value.startswith("Our webhooks stopped arriving")
    assert s.value.endswith("Asks: Could you replay the webhooks of last week?")


def test_words_an_agent_quotes_are_not_what_the_agent_tried() -> None:
    thread = [ThreadMessage("customer", "I forgot my password and cannot sign in."),
              ThreadMessage("agent", 'Thank you for contacting us about "How do I reset my password?". Click Forgot '
                                     "password on the sign-in page.")]
    assert "Tried" not in signals.summarize_thread("How do I reset my password?", thread).value
    assert signals.tells_what_was_tried("We have reset your password.")
    assert not signals.tells_what_was_tried("How do I reset it?")
