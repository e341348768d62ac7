"""The knowledge loop: a resolved ticket leaves a resolution summary and, when no published article
covers it yet, a draft article for an agent to review and publish.

"Covers" is measured, not guessed, over the published articles the retriever finds for the ticket's question
(agents' audience: internal articles count too). Where the embedder has an answerability model that reads the
question, an article covers it when the chat's answer-or-abstain decision (`assistant.evidence`) accepts it: the
question the chat would answer from it. Otherwise (another language, no model, or a tenant that set its own
`kb_coverage_threshold`) the cosine of the question to the best passage must reach that threshold (by default the
one calibrated for the embedder). Measured on StackFAQ pairs and the chat dev set (NOTES, "The knowledge loop asks
the chat's decision"). Drafts are made from public replies and the customer's messages only, redacted. Idempotent
per resolution: the record remembers when it was resolved.
"""

from dataclasses import dataclass
from typing import TYPE_CHECKING

from helpdesk.kernel.principal import system_principal
from helpdesk.kernel.redact import redact
from helpdesk.kernel.text import normalise_tag
from helpdesk.knowledge.calibration import calibration_for
from helpdesk.knowledge.ports import Embedder, Retriever
from helpdesk.tickets.history import PARENT_ID, PARENT_NUMBER, EventType, TicketEvent
from helpdesk.tickets.model import Ticket
from helpdesk.triage import signals
from helpdesk.triage.model import Resolution, TriageResult
from helpdesk.triage.ports import ArticleDrafts, DraftArticle
from helpdesk.triage.replies import ground
from helpdesk.triage.service import Triage
from helpdesk.triage.text import prepare

if TYPE_CHECKING:
    from helpdesk.assistant.evidence import EvidenceJudge

RESOLUTION_METHOD = "extractive:agent-answers"
MAX_ANSWER_CHARS = 6_000


def coverage_threshold(configured: float | None, model_id: str) -> float:
    """The tenant's threshold if it set one, else the one calibrated for the embedder in use."""
    return configured if configured is not None else calibration_for(model_id).kb_coverage


@dataclass(frozen=True)
class Coverage:
    """Whether a published article already answers a question: the article (None: none does), the score the
    decision read (the answerability model's probability, or the cosine), and why, for the record's notes."""

    article_id: str | None
    score: float | None
    why: str | None = None


def coverage(evidence: "EvidenceJudge | None", embedder: Embedder, retriever: Retriever, *, tenant_id: str,
             question: str, configured: float | None, passages: int) -> Coverage:
    """The article that already answers `question` (see the module's doc): the chat's decision where the
    embedder's model reads the question and the tenant set no threshold of its own, else the cosine threshold."""
    from helpdesk.assistant.answerability import asked

    read = asked(question)
    model = evidence.model if evidence is not None else None
    if evidence is not None and model is not None and configured is None and model.reads(read):
        found = evidence.find(retriever, tenant_id=tenant_id, question=read, k=passages, language=None,
                              audience="internal")
        if found.judgement.rule == "model":
            best = found.judgement.records[0] if found.judgement.records else None
            score = best.answerability if best is not None else None
            if not found.accepted:
                return Coverage(None, score)
            return Coverage(found.accepted[0].article_id, score,
                            f"article {found.accepted[0].article_id} already answers it (the chat would answer from "
                            f"it: answerability {score or 0.0:.2f} >= {model.threshold:.2f})")
    grounded = ground(embedder, retriever, tenant_id=tenant_id, question=question, audience="internal")
    top = grounded[0] if grounded else None
    threshold = coverage_threshold(configured, embedder.model_id)
    if top is None or top.similarity < threshold:
        return Coverage(None, top.similarity if top else None)
    return Coverage(top.hit.article_id, top.similarity, f"article {top.hit.article_id} already covers it "
                                                          f"(similarity {top.similarity:.2f} >= {threshold:.2f})")


class KnowledgeLoop:
    def __init__(self, triage: Triage, drafts: ArticleDrafts, evidence: "EvidenceJudge | None" = None, *,
                 passages: int = 4) -> None:
        self.triage = triage
        self.drafts = drafts
        self._evidence, self._passages = evidence, passages  # None: the cosine threshold decides coverage

    def on_resolved(self, ticket: Ticket) -> TriageResult:
        # The stream's image has the text as it was at the resolution; an erasure since replaced it, and a draft
        # must not bring the requester's words back (an erasure after the draft deletes the draft itself).
        stored = self.triage.tickets.get(system_principal(ticket.tenant_id, "ai"), ticket.id)
        ticket = ticket.model_copy(update={"subject": stored.subject, "description": stored.description,
                                           "requester": stored.requester})
        result = self.triage.record_only(ticket)  # tickets from before triage existed get their record now
        resolved_at = ticket.resolved_at or ticket.updated_at
        if result.resolution is not None and result.resolution.resolved_at == resolved_at:
            return result  # this resolution was handled by an earlier delivery
        settings = self.triage.settings.get(ticket.tenant_id)
        events = self.triage.tickets.events(system_principal(ticket.tenant_id, "ai"), ticket.id)
        answers = _agent_answers(ticket, events)
        question = prepare(ticket.subject, ticket.description)
        notes: list[str] = []
        answer_summary = signals.summarize("", redact("\n".join(answers)), max_sentences=3, max_chars=600)
        summary = f"Problem: {result.summary.value} Resolution: {answer_summary.value if answers else '(none written)'}"
        resolution = Resolution(resolved_at=resolved_at, summary=summary, method=RESOLUTION_METHOD)
        if not settings.knowledge_loop:
            notes.append("the knowledge loop is off for this tenant")
        elif not answers:
            notes.append("no agent answer in the thread: nothing to draft an article from")
        elif problem := _answered_with_problem(events):
            # Fifty incidents of one outage answered at once would leave fifty drafts of the same words.
            notes.append(f"answered with its problem ticket {problem}: a draft comes from the problem's own "
                         "resolution, not from each of its tickets")
        elif question.too_little:
            notes.append("the ticket has too little text to say what it was about")
        else:
            covered = coverage(self._evidence, self.triage.embedder, self.triage.retriever,
                               tenant_id=ticket.tenant_id, question=question.full,
                               configured=settings.kb_coverage_threshold, passages=self._passages)
            resolution.coverage_score = covered.score
            if covered.article_id is None:
                resolution.draft_article_id = self.drafts.create_draft(
                    _draft(ticket, result, answers, _customer_messages(ticket, events)))
            else:
                resolution.covered_by = covered.article_id
                notes += [covered.why] if covered.why else []
        resolution.notes = notes

        def mark(record: TriageResult) -> None:
            record.resolution = resolution

        return self.triage.update_record(result, mark)


def _agent_answers(ticket: Ticket, events: list[TicketEvent]) -> list[str]:
    """What the team told the customer: public replies only. Internal notes are the team's (they hold
    credentials, guesses, other customers' names) and never reach an article; nor do AI's own messages."""
    out: list[str] = []
    for event in events:
        if event.type != EventType.PUBLIC_MESSAGE or event.is_internal:
            continue
        if event.data.get("from_customer") or event.actor == ticket.requester.id or event.actor == "ai":
            continue
        body = str(event.data.get("body", "")).strip()
        if body:
            out.append(body)
    return out


def _answered_with_problem(events: list[TicketEvent]) -> str | None:
    """The problem ticket (its number) whose reply was the team's last answer here, if it was one."""
    replies = [e for e in events if e.type == EventType.PUBLIC_MESSAGE and not e.data.get("from_customer")]
    last = replies[-1].data if replies else {}
    return str(last.get(PARENT_NUMBER) or last[PARENT_ID]) if last.get(PARENT_ID) else None


def _customer_messages(ticket: Ticket, events: list[TicketEvent]) -> list[str]:
    """The problem as the customer told it: the description and their later public messages."""
    out = [ticket.description]
    for event in events:
        if event.type == EventType.PUBLIC_MESSAGE and not event.is_internal and (
                event.data.get("from_customer") or event.actor == ticket.requester.id):
            out.append(str(event.data.get("body", "")))
    return [m.strip() for m in out if m.strip()]


def _draft(ticket: Ticket, result: TriageResult, answers: list[str],
           customer: list[str] | None = None) -> DraftArticle:
    # Secrets and personal data are removed before anything is written: a draft is readable by every agent
    # and is one click from being published.
    problem = redact(prepare(ticket.subject, "\n\n".join(customer or [ticket.description])).body[:1500])
    answer = redact("\n\n".join(answers)[:MAX_ANSWER_CHARS])
    body = "\n".join([
        "## Problem", "", problem or redact(ticket.subject), "",
        "## Solution", "", answer, "",
        "---",
        f"_Drafted by triage from ticket {ticket.key} ({result.model}, {result.prompt_version}). "
        "Remove customer details and check the steps before publishing._",
    ])
    tags = ["from-ticket"]
    if result.category.value:
        tags.append(normalise_tag(str(result.category.value)))
    language = str(result.language.value) if result.language.value not in (None, "und") else "en"
    title = redact(ticket.subject.strip()[:300]) or f"Ticket {ticket.key}"
    return DraftArticle(tenant_id=ticket.tenant_id, title=title,
                        body=body, tags=tuple(tags), source_ticket_id=ticket.id, language=language)
