"""Offline evaluation of the chat's answers (`helpdesk chat eval`): does it answer from the right section,
and does it say "I don't know" when it should?

The corpus is loaded as one tenant's help centre (each row a published article: a manual's section), each
question is asked through `ChatService` in a fresh anonymous session, as a visitor would, on moto (sessions,
tickets) with an in-memory embedded index. A question with a qrels entry is in domain; one without is out of
domain (it must be abstained on). Outcomes per in-domain question:

- grounded: the reply cites at least one gold section;
- misleading: the reply cites sections, none of them gold (a confident wrong answer);
- abstained: no citation (the "I don't know" reply with the offer of a person, or a hand-over).

Every turn's recorded decision lists the retrieved passages with their relevance to the question, so one
run also gives the outcome at any other answer threshold (`sweep`): thresholds are chosen on a validation
set that way and then run for real on the test set.
"""

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from helpdesk.assistant.adapters.offline import MAX_CITED
from helpdesk.assistant.service import MAX_MESSAGE_CHARS

if TYPE_CHECKING:
    from helpdesk.knowledge.evaluation import CorpusRow, QueryRow

EVAL_TENANT = "eval"
TARGETS = {"grounded": 0.70, "misleading": 0.10, "ood_abstained": 0.95}

# How customers wrap a question in a chat message (`helpdesk chat eval --wrapped`, `train_answerability
# --wrapped`): a greeting, context before it, thanks and a name after it. Written once for this check, not tuned;
# each English question gets one of them in turn. The chat should read a wrapped question as the bare one.
WRAPPERS = (
    "Hi, {q}",
    "Hello there, I hope you are doing well. I have been using your service for a few months with my colleagues "
    "and so far everything has worked nicely, but today I ran into something I could not figure out on my own. {q}",
    "{q} Thanks in advance, Maria",
    "Good morning! Quick question from our team, we could not find it anywhere: {q} Cheers",
)


def wrapped(number: int, text: str) -> str:
    """The question as a customer might send it: an English one in the `number`th wrapper, others as written."""
    from helpdesk.kernel.i18n import detect

    return WRAPPERS[number % len(WRAPPERS)].format(q=text) if detect(text) == "en" else text


@dataclass
class ChatOutcome:
    query_id: str
    text: str
    in_domain: bool
    outcome: str  # grounded | misleading | abstained
    cited: list[str]
    gold: list[str]
    route: str
    # (article id, score) of every retrieved passage in the assistant's order: the answerability model's probability
    # where it has one, else the relevance
    passages: list[tuple[str, float]] = field(default_factory=list)
    # What decided (the turn's `answer_rule`): "model", or "cosine" (no model, or a question its reader does not read)
    rule: str = ""
    # Who wrote the reply ("offline", "anthropic"), whether a failed model call left it to the offline writer, and
    # the articles the answerability model doubted that the model was given to judge (`Decision.judged`)
    provider: str = ""
    fell_back: bool = False
    judged: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {"query_id": self.query_id, "text": self.text, "in_domain": self.in_domain, "outcome": self.outcome,
                "cited": self.cited, "gold": self.gold, "route": self.route,
                "passages": [[a, r] for a, r in self.passages], "rule": self.rule, "provider": self.provider,
                "fell_back": self.fell_back, "judged": self.judged}


def outcome_of(cited: Sequence[str], gold: set[str]) -> str:
    if not cited:
        return "abstained"
    return "grounded" if gold.intersection(cited) else "misleading"


def summarise(outcomes: Sequence[ChatOutcome]) -> dict[str, Any]:
    inside = [o for o in outcomes if o.in_domain]
    outside = [o for o in outcomes if not o.in_domain]

    def share(rows: Sequence[ChatOutcome], outcome: str) -> float | None:
        return round(sum(o.outcome == outcome for o in rows) / len(rows), 4) if rows else None

    return {"questions": len(outcomes), "in_domain": len(inside), "out_of_domain": len(outside),
            "grounded": share(inside, "grounded"), "misleading": share(inside, "misleading"),
            "abstained": share(inside, "abstained"), "ood_abstained": share(outside, "abstained"),
            "ood_answered": share(outside, "misleading"),
            # a model's figures are its own only where it answered: turns it failed were the offline writer's
            "fell_back": round(sum(o.fell_back for o in outcomes) / len(outcomes), 4) if outcomes else None}


def swept_rule(outcomes: Sequence[ChatOutcome]) -> str | None:
    """The rule a threshold sweep moves: the model's where it decided any turn (its probabilities are what the
    threshold applies to; turns the cosine decided, questions its reader does not read, keep their outcome)."""
    return "model" if any(o.rule == "model" for o in outcomes) else None


def outcome_at(o: ChatOutcome, threshold: float, rule: str | None = None, *, cites: int = MAX_CITED) -> str:
    """The outcome the same turn would have had with `threshold` as the answer threshold: the first passages at
    or above it, in the decision's order, are cited as the offline writer cites them (the first quoted, the next
    named; `cites` fewer), none means "I don't know". Turns the assistant routed elsewhere (a greeting, a
    hand-over), and with `rule` turns another rule decided, keep their outcome."""
    if o.route not in ("answer", "unanswered") or (rule is not None and o.rule and o.rule != rule):
        return o.outcome
    return outcome_of([a for a, r in o.passages if r >= threshold][:cites], set(o.gold))


def sweep(outcomes: Sequence[ChatOutcome], thresholds: Iterable[float]) -> list[dict[str, Any]]:
    rows = []
    rule = swept_rule(outcomes)
    for t in thresholds:
        moved = [replace(o, outcome=outcome_at(o, t, rule)) for o in outcomes]
        rows.append({"threshold": round(t, 4), **summarise(moved)})
    return rows


def choose_threshold(rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """The sweep row with the most grounded answers among those within the misleading and out-of-domain
    targets; if none is, the one with the fewest misleading answers (an honest "I don't know" beats a guess).
    Where several thresholds give the most grounded answers, the middle one of them: the figures are equal on
    this set, and the middle stays furthest from both a lost answer and one more answer out of domain."""
    def ok(r: dict[str, Any]) -> bool:
        return ((r["misleading"] or 0.0) <= TARGETS["misleading"]
                and (r["ood_abstained"] is None or r["ood_abstained"] >= TARGETS["ood_abstained"]))

    feasible = [r for r in rows if ok(r)]
    if feasible:
        most = max(r["grounded"] or 0.0 for r in feasible)
        best = sorted((r for r in feasible if (r["grounded"] or 0.0) == most), key=lambda r: r["threshold"])
        return best[(len(best) - 1) // 2]
    return min(rows, key=lambda r: ((r["misleading"] or 0.0) - (r["ood_abstained"] or 0.0), r["threshold"]))


class ChatEvaluation:
    """Loads the corpus into `container` as the help centre of tenant `eval` and asks it questions. The
    container must run the chat in-process on tables that exist (`helpdesk.local.evaluation` builds one on moto)
    with anonymous chat allowed in `eval`."""

    def __init__(self, container: Any, corpus: Sequence["CorpusRow"],
                 progress: Callable[[int], None] | None = None) -> None:
        from helpdesk.knowledge.indexing import IndexableArticle

        self._container = container
        self.skipped: list[str] = []  # the blank questions of the last `ask_all`
        index = container.knowledge_index
        bulk = index.bulk() if hasattr(index, "bulk") else None
        if bulk is not None:
            bulk.__enter__()
        try:
            for row in corpus:
                container.article_indexer.index(IndexableArticle(
                    tenant_id=EVAL_TENANT, article_id=row.id, version=1, title=row.title or row.text[:80],
                    body=row.text))
                if progress:
                    progress(1)
        finally:
            if bulk is not None:
                bulk.__exit__(None, None, None)

    def ask(self, query: "QueryRow", gold: set[str]) -> ChatOutcome:
        service = self._container.chat_service
        started = service.start_anonymous(EVAL_TENANT)
        session = service.session_for(started.token, started.id)
        reply = service.post(session, query.text[:MAX_MESSAGE_CHARS])  # the most the widget's input takes
        cited = [str(c.get("article_id")) for c in reply.citations]
        decision: dict[str, Any] = {}
        for message in reversed(service.transcript(session)):
            if message.role == "assistant":
                decision = dict(message.meta.get("decision") or {})
                break
        # With an answerability model the records are in its order and its probability is what the threshold
        # applies to; without one, the relevance in the retriever's order.
        passages = [(str(p["article_id"]), float(p["relevance"] if p.get("answerability") is None
                                                  else p["answerability"])) for p in decision.get("passages") or []]
        return ChatOutcome(query_id=query.id, text=query.text, in_domain=bool(gold),
                           outcome=outcome_of(cited, gold), cited=cited, gold=sorted(gold),
                           route=str(decision.get("route") or ""), passages=passages,
                           rule=str(decision.get("answer_rule") or ""), provider=str(decision.get("provider") or ""),
                           fell_back=bool(decision.get("fell_back")),
                           judged=[str(a) for a in decision.get("judged") or []])

    def ask_all(self, queries: Sequence["QueryRow"], qrels: dict[str, set[str]],
                progress: Callable[[int], None] | None = None) -> list[ChatOutcome]:
        """Every question but the blank ones, which no visitor can send (`POST /chat/sessions/{id}/messages`
        refuses text that is white space only): their ids are in `skipped` afterwards."""
        outcomes = []
        self.skipped = [query.id for query in queries if not query.text.strip()]
        for query in queries:
            if query.text.strip():
                outcomes.append(self.ask(query, qrels.get(query.id, set())))
            if progress:
                progress(1)
        return outcomes


def write_outcomes(path: Path, outcomes: Sequence[ChatOutcome]) -> None:
    with path.open("w", encoding="utf-8") as out:
        for o in outcomes:
            out.write(json.dumps(o.as_json(), ensure_ascii=False) + "\n")
