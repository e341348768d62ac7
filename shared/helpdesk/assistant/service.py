"""The chat assistant's turn: intent, grounded answer with citations, or a ticket for a human.

Rules that keep it honest:
- Answers use only retrieved passages that are actually close to the question (cosine similarity of
  the question and the passage), and cite them. No relevant passage, a low confidence, or a model that
  says the passages do not answer: "I don't know" and a ticket offer, never an invention.
- Actions are ours, not the model's: the model only classifies and drafts. Tickets are created and
  read with the caller's own rights (a customer reads their own tickets; an anonymous visitor only the
  tickets made in this conversation), so no message or article can make the assistant do more.
- Every turn records its decision: provider, model, prompt version, passages, confidence, latency.
"""

import re
import time
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from helpdesk.assistant import prompts
from helpdesk.assistant.circuit_breaker import CallTimedOut, CircuitBreaker, Unavailable, call_with_timeout
from helpdesk.assistant.evidence import WARM_UP_TEXT, AnswerRule, EvidenceJudge, PassageRecord
from helpdesk.assistant.ports import DraftAnswer, HistoryTurn, LlmPort, LlmUnavailable
from helpdesk.assistant.sentences import say, status_name
from helpdesk.assistant.untrusted import screen_answer
from helpdesk.intents.model import IntentAction, IntentPrediction
from helpdesk.kernel import wordless
from helpdesk.kernel.clock import wall_time
from helpdesk.kernel.courtesy import THANKS, phrase_pattern
from helpdesk.kernel.errors import NotFound
from helpdesk.kernel.i18n import Language
from helpdesk.kernel.principal import Principal, Role, system_principal
from helpdesk.knowledge.ports import Citation
from helpdesk.tickets.model import (
    MAX_TEXT_BYTES,
    MAX_VISITED_PAGES,
    AiContext,
    Channel,
    RatedTurn,
    Requester,
    Ticket,
    VisitedPage,
    format_number,
    parse_number,
)
from helpdesk.tickets.ports import TicketQuery
from helpdesk.tickets.service import CreateTicket, TicketService

if TYPE_CHECKING:
    from helpdesk.assistant.budget import TokenBudget
    from helpdesk.intents.ports import IntentCatalogStore
    from helpdesk.knowledge.ports import Retriever, SearchHit

T = TypeVar("T")

MAX_MESSAGE_CHARS = 4000
MIN_SCREENED_ANSWER_CHARS = 20  # an answer shorter than this after screening is no answer
MAX_HISTORY = 60
_EMAIL = re.compile(r"[A-Za-z0-9._%+'-]{1,64}@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,24}")
_TICKET_NUMBER = re.compile(r"\bT-0*(\d{1,12})\b", re.IGNORECASE)
# Yes and no in the five languages the chat speaks. A yes that can begin a sentence about something else ("ok",
# "please", another language's "sim", "si") counts alone, with a please, or before a comma ("sim, por favor"):
# "please tell me the opening hours" and "SIM card still dead" are no consent to a ticket.
_YES = re.compile(r"^\s*(?:(?:yes|yeah|yep|sure|yes please|please do|do it|go ahead|create it|open it|open a ticket|"
                  r"create a ticket|jawohl|d'accord|volontiers|pode ser|com certeza|claro que sí)\b"
                  r"|(?:y|ok|okay|please|ja|gerne?|bitte|sí|si|claro|vale|oui|sim)"
                  r"(?:\s+(?:please|bitte|gerne|por favor|s'il vous pla[iî]t))?(?:\s*[,.!;].*)?\s*$)", re.IGNORECASE)
# Thanks in the five languages the chat reads (the greeting intent covers thanks and goodbyes too).
_THANKS = phrase_pattern(word for words in THANKS.values() for word in words)
_NO = re.compile(r"^\s*(n|no|nope|cancel|never ?mind|stop|not now|nein|nö|abbrechen|lieber nicht|cancelar|"
                 r"non|annuler|pas maintenant|não|nao|agora não)"
                 rf"(?:[\s,]+{_THANKS.pattern})?\b[\s.!]*$", re.IGNORECASE)

TicketReason = Literal["handoff", "create_ticket", "unanswered"]
# What the assistant asked the visitor and waits for: a yes or no to a ticket, or the address to answer them at.
Awaiting = Literal["email", "ticket_confirm"]


# -- the turn's input and output (the intent_rag function's payload and reply) ---------------------


class ChatCaller(BaseModel):
    """Who is chatting. Customers were authenticated by Cognito; anonymous visitors by a session token."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    tenant_id: str = Field(min_length=1, max_length=128)
    kind: Literal["anonymous", "customer"]
    user_id: str | None = Field(default=None, max_length=256)
    email: str | None = Field(default=None, max_length=320)
    email_verified: bool = False
    name: str | None = Field(default=None, max_length=256)

    def principal(self) -> Principal | None:
        if self.kind != "customer" or not self.user_id:
            return None
        return Principal(user_id=self.user_id, tenant_id=self.tenant_id, role=Role.CUSTOMER, email=self.email,
                         email_verified=self.email_verified, name=self.name)


class ConversationState(BaseModel):
    """What the assistant remembers between turns (kept on the chat session)."""

    model_config = ConfigDict(extra="forbid")

    awaiting: Awaiting | None = None
    pending_reason: TicketReason | None = None
    pending_intent: str | None = None
    pending_confidence: float | None = None
    pending_message_id: str | None = None
    email: str | None = Field(default=None, max_length=320)
    cited_article_ids: list[str] = Field(default_factory=list, max_length=50)
    ticket_ids: list[str] = Field(default_factory=list, max_length=50)  # tickets made in this conversation
    # The conversation's language: of its latest message a language could be told from; the chat's own
    # sentences follow it (a bare "ja" to a German question is German).
    language: Language | None = None
    # The pages of the site the visitor wrote from (`pages_visited`): the ticket a hand-over opens names them.
    pages: list[VisitedPage] = Field(default_factory=list, max_length=MAX_VISITED_PAGES)


class TurnRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    conversation_id: str = Field(min_length=1, max_length=128)
    message_id: str = Field(min_length=1, max_length=128)
    text: str = Field(min_length=1, max_length=MAX_MESSAGE_CHARS)
    caller: ChatCaller
    history: list[HistoryTurn] = Field(default_factory=list, max_length=MAX_HISTORY)  # before this message
    state: ConversationState = Field(default_factory=ConversationState)


class TicketRef(BaseModel):
    id: str
    number: str
    status: str


class Decision(BaseModel):
    """Why the assistant said what it said: recorded with every reply."""

    provider: str
    model: str
    temperature: float | None
    prompt_version: str = prompts.PROMPT_VERSION
    fell_back: bool = False  # the model failed or its breaker was open: the offline adapter answered
    fallback_reason: str | None = None  # why: "open" (breaker), "timeout", or the model's error
    intent: str | None = None
    confidence: float | None = None
    in_scope: bool | None = None
    route: str = ""
    passages: list[PassageRecord] = Field(default_factory=list)
    retrieval_error: str | None = None
    # What decided answer or abstain: "model" (the answerability model's probability) or "cosine" (the calibrated
    # single-cosine threshold: no model, or a question its reader does not read); None when nothing was retrieved.
    answer_rule: AnswerRule | None = None
    # The articles the answerability model doubted that the answering model was given to judge (Claude; never the
    # offline writer): an answer citing one of them was the judge's call, not the model's.
    judged: list[str] = Field(default_factory=list)
    screened: list[str] = Field(default_factory=list)  # what was taken out of the answer (outside links, ...)
    latency_ms: float = 0.0


class TurnReply(BaseModel):
    reply: str
    intent: str | None
    confidence: float | None
    citations: list[Citation] = Field(default_factory=list)
    actions: list[str] = Field(default_factory=list)
    ticket: TicketRef | None = None
    state: ConversationState
    decision: Decision


# -- the use case ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class TurnLimits:
    """How long one turn may wait on its dependencies. Chat intake answers within 8 s with any one of them
    down: a hung model costs at most `llm_call_s` (then the offline adapter answers), hung retrieval at
    most `retrieval_s` (then a ticket is offered), and the whole turn stays within `budget_s`."""

    budget_s: float = 6.0
    llm_call_s: float = 4.0
    retrieval_s: float = 3.5
    min_call_s: float = 0.25  # less time left than this: do not start the call, fall back at once
    # After a failed model call the offline adapter gets what is left of the turn, and at least this: past it
    # the turn offers a ticket instead (the offline adapter is CPU work, slow only on a starved machine).
    min_fallback_s: float = 1.0


class ChatAssistant:
    def __init__(self, *, tickets: TicketService, retriever: "Retriever", evidence: EvidenceJudge,
                 catalogs: "IntentCatalogStore", offline: LlmPort, primary: LlmPort | None = None,
                 breaker: CircuitBreaker | None = None, retrieval_breaker: CircuitBreaker | None = None,
                 limits: TurnLimits | None = None, intent_min_confidence: float = 0.45, passages: int = 4,
                 budget: "TokenBudget | None" = None,
                 link_domains: "Callable[[str], Collection[str]] | None" = None) -> None:
        self._budget = budget
        self._link_domains = link_domains  # the tenant's allowed link domains (answers show no other link)
        self._tickets = tickets
        self._retriever = retriever
        self._evidence = evidence  # which retrieved passages answer, and which section of each is quoted
        self._catalogs = catalogs
        self._offline = offline
        self._primary = primary
        self._breaker = breaker or CircuitBreaker(name="llm")
        self._retrieval_breaker = retrieval_breaker or CircuitBreaker(name="retrieval")
        self._limits = limits or TurnLimits()
        self._intent_min_confidence = intent_min_confidence
        self._passages = passages

    def warm_up(self) -> None:
        """Load now, not in the first turn, what a turn loads on first use: the embedder's and the answerability
        reader's models and the language identifier. A turn's search and answer-or-abstain decision share one time
        limit (`TurnLimits.retrieval_s`, meant for a slow search): loading MiniLM and py3langid inside it took long
        enough on a busy machine that the first question after a start got "I can't search our help articles right
        now" instead of its cited answer. For processes whose embedders run in-process (the local stack calls this
        on start); a remote embedder gets one small call."""
        from helpdesk.kernel.i18n import detect

        self._evidence.warm_up()
        detect(WARM_UP_TEXT)

    def reply(self, turn: TurnRequest) -> TurnReply:
        started = time.perf_counter()
        llm = self._primary or self._offline
        decision = Decision(provider=llm.name, model=llm.model_id, temperature=llm.temperature)
        state = turn.state.model_copy(deep=True)
        budget = self._budget if self._primary is not None else None
        if budget is not None and budget.exhausted(turn.caller.tenant_id):  # offline until the next day
            decision.fell_back, decision.fallback_reason = True, "budget"
            decision.provider, decision.model, decision.temperature = (self._offline.name, self._offline.model_id,
                                                                       None)
        spent_before = _tokens_used(self._primary)
        out = self._route(turn, state, decision, _Deadline(started + self._limits.budget_s))
        if budget is not None:
            budget.charge(turn.caller.tenant_id, _tokens_used(self._primary) - spent_before)
        decision.latency_ms = round((time.perf_counter() - started) * 1000, 1)
        out.decision = decision
        return out

    # -- routing ----------------------------------------------------------------------------

    def _route(self, turn: TurnRequest, state: ConversationState, decision: Decision,
               deadline: "_Deadline") -> TurnReply:
        text = turn.text.strip()
        if state.awaiting == "email":
            return self._on_email_reply(turn, state, decision, text)
        if state.awaiting == "ticket_confirm":
            if _YES.match(text) or wordless.says_yes(text):
                decision.route = "ticket_confirmed"
                return self._ticket_or_ask_email(turn, state, decision)
            state.awaiting, state.pending_reason = None, None
            if _NO.match(text) or wordless.says_no(text):
                decision.route = "ticket_declined"
                return self._out(state, decision, say("anything_else", state.language))
        if wordless.is_wordless(text):
            return self._wordless(turn, state, decision, text)
        _follow_language(state, text)
        number = _ticket_number(text)
        if number is not None:
            decision.route = "ticket_status"
            return self._ticket_status(turn, state, decision, number)

        prediction = self._classify(turn, decision, deadline)
        action = (self._catalogs.catalog(turn.caller.tenant_id).action_of(prediction.intent)
                  if prediction.in_scope and prediction.confidence >= self._intent_min_confidence
                  else IntentAction.ANSWER)
        if action in (IntentAction.HANDOFF, IntentAction.CREATE_TICKET):
            decision.route = action.value
            state.pending_reason = "handoff" if action == IntentAction.HANDOFF else "create_ticket"
            self._remember_pending(state, turn, prediction)
            return self._ask_consent(state, decision, prediction)
        if action == IntentAction.TICKET_STATUS:
            decision.route = "ticket_status"
            return self._my_tickets(turn, state, decision)
        if action == IntentAction.GREETING:
            decision.route = "greeting"
            if _THANKS.search(text):  # "Thanks, that solved it!" closes a question: no "Hello!" to that
                return self._out(state, decision, say("you_are_welcome", state.language), prediction=prediction)
            return self._out(state, decision, say("welcome", state.language), prediction=prediction)
        decision.route = "answer"
        return self._answer(turn, state, decision, prediction, deadline)

    def _classify(self, turn: TurnRequest, decision: Decision, deadline: "_Deadline") -> IntentPrediction:
        catalog = self._catalogs.catalog(turn.caller.tenant_id)
        prediction = self._with_model(decision, deadline,
                                      lambda llm: llm.classify(turn.text, catalog, turn.history),
                                      otherwise=lambda: IntentPrediction(intent="question", confidence=0.0,
                                                                         in_scope=False))
        decision.intent, decision.confidence, decision.in_scope = (prediction.intent, prediction.confidence,
                                                                   prediction.in_scope)
        return prediction

    def _with_model(self, decision: Decision, deadline: "_Deadline", call: Callable[[LlmPort], T], *,
                    otherwise: Callable[[], T]) -> T:
        """The configured model behind the circuit breaker and a time limit, the offline adapter as the fallback
        (within what is left of the turn; `otherwise` when even that runs out)."""
        primary, offline = self._primary, self._offline
        if primary is None:
            return call(offline)
        if decision.fell_back:  # one failed model call per turn at most: bounded latency
            return self._offline_within(deadline, lambda: call(offline), otherwise)
        limit = deadline.limit(self._limits.llm_call_s)
        try:
            if limit < self._limits.min_call_s:
                raise Unavailable(self._breaker.name, "timeout")  # the turn's time is spent: not a model failure
            return self._breaker.run(lambda: call(primary), timeout_s=limit,
                                     is_failure=lambda exc: isinstance(exc, LlmUnavailable))
        except Unavailable as exc:
            decision.fell_back, decision.fallback_reason = True, exc.reason
            decision.provider, decision.model, decision.temperature = offline.name, offline.model_id, None
            return self._offline_within(deadline, lambda: call(offline), otherwise)

    def _offline_within(self, deadline: "_Deadline", call: Callable[[], T], otherwise: Callable[[], T]) -> T:
        try:
            return call_with_timeout(call, max(deadline.limit(float("inf")), self._limits.min_fallback_s))
        except CallTimedOut:
            return otherwise()

    # -- answers ----------------------------------------------------------------------------

    def _answer(self, turn: TurnRequest, state: ConversationState, decision: Decision,
                prediction: IntentPrediction, deadline: "_Deadline") -> TurnReply:
        from helpdesk.assistant.answerability import asked

        question = asked(turn.text)

        def retrieve() -> tuple[list["SearchHit"], list["SearchHit"], list[PassageRecord], AnswerRule | None]:
            # Doubted passages only where a model will judge them: choosing their sections is wasted on the
            # offline writer.
            judge = self._primary if not decision.fell_back else None
            found = self._evidence.find(self._retriever, tenant_id=turn.caller.tenant_id, question=question,
                                        k=self._passages, language=state.language,
                                        doubtful=bool(judge and judge.judges_evidence))
            return found.accepted, found.doubtful, found.judgement.records, found.judgement.rule

        try:
            # Search and the relevance embeddings are one stage under one time limit: both wait on the
            # embedder (Bedrock in AWS) and the search on the index.
            limit = deadline.limit(self._limits.retrieval_s)
            if limit < self._limits.min_call_s:
                raise Unavailable(self._retrieval_breaker.name, "timeout")
            relevant, doubtful, decision.passages, decision.answer_rule = self._retrieval_breaker.run(
                retrieve, timeout_s=limit)
        except Unavailable as exc:  # retrieval down, slow or skipped: never a 500, offer a person instead
            decision.retrieval_error = exc.reason
            return self._offer_ticket(turn, state, decision, prediction, say("cannot_search", state.language))
        if not relevant and not doubtful:
            return self._dont_know(turn, state, decision, prediction)

        def write(llm: LlmPort) -> DraftAnswer:
            # A model that judges the evidence also reads what the answerability model doubted; the offline
            # writer (also the fallback when that model fails) quotes only what was accepted.
            given = [*relevant, *doubtful] if llm.judges_evidence else relevant
            return llm.answer(question, given, turn.history) if given else DraftAnswer(text="", answerable=False)

        draft: DraftAnswer = self._with_model(decision, deadline, write,
                                              otherwise=lambda: DraftAnswer(text="", answerable=False))
        # Recorded from the decision, not inside the call: a model call that timed out may still be running.
        judge = self._offline if self._primary is None or decision.fell_back else self._primary
        decision.judged = [h.article_id for h in doubtful] if judge.judges_evidence else []
        relevant = [*relevant, *doubtful]  # what the draft may cite (it never cites what it was not given)
        if not draft.answerable or not draft.cited_article_ids:
            return self._dont_know(turn, state, decision, prediction)
        screened = screen_answer(draft.text, self._link_domains(turn.caller.tenant_id) if self._link_domains else ())
        decision.screened = screened.removed_hosts
        if len(screened.text.strip()) < MIN_SCREENED_ANSWER_CHARS:  # nothing trustworthy left to say
            return self._dont_know(turn, state, decision, prediction)
        draft = draft.model_copy(update={"text": screened.text})
        by_id = {h.article_id: h for h in relevant}
        citations = [Citation(article_id=a, title=by_id[a].title, url=by_id[a].url)
                     for a in draft.cited_article_ids if a in by_id]
        state.cited_article_ids = list(dict.fromkeys(state.cited_article_ids + [c.article_id for c in citations]))[-50:]
        return self._out(state, decision, draft.text, prediction=prediction, citations=citations,
                         actions=["answered"])

    def _wordless(self, turn: TurnRequest, state: ConversationState, decision: Decision, text: str) -> TurnReply:
        """An emoji or punctuation only: thanks for a pleased one once the chat has said something, an offer of a
        person for an unhappy one, else a request to say more (a welcome as the first message). Nothing to
        classify or search, so no model is called; the conversation's language stays."""
        mood = wordless.mood(text)
        if mood == "unhappy":
            decision.route = "unhappy"
            # After an answer the face is about it (as "Not helpful" under it is); before one, about their problem.
            sorry = "not_helpful" if state.cited_article_ids else "sorry_to_hear"
            return self._offer_ticket(turn, state, decision, None, say(sorry, state.language))
        decision.route = "greeting"
        if not turn.history:
            return self._out(state, decision, say("welcome", state.language))
        return self._out(state, decision, say("you_are_welcome" if mood == "pleased" else "say_more", state.language))

    def _dont_know(self, turn: TurnRequest, state: ConversationState, decision: Decision,
                   prediction: IntentPrediction) -> TurnReply:
        decision.route = "unanswered"
        return self._offer_ticket(turn, state, decision, prediction, say("dont_know", state.language))

    def _offer_ticket(self, turn: TurnRequest, state: ConversationState, decision: Decision,
                      prediction: IntentPrediction | None, text: str) -> TurnReply:
        state.awaiting, state.pending_reason = "ticket_confirm", "unanswered"
        self._remember_pending(state, turn, prediction)
        return self._out(state, decision, text, prediction=prediction, actions=["offer_ticket"])

    # -- tickets ----------------------------------------------------------------------------

    def _on_email_reply(self, turn: TurnRequest, state: ConversationState, decision: Decision,
                        text: str) -> TurnReply:
        decision.route = "email"
        match = _EMAIL.search(text)
        if match:
            state.email = match.group(0)
            return self._create_ticket(turn, state, decision)
        if _NO.match(text):
            state.awaiting, state.pending_reason = None, None
            return self._out(state, decision, say("no_ticket", state.language))
        return self._out(state, decision, say("email_again", state.language), actions=["ask_email"])

    def _ask_consent(self, state: ConversationState, decision: Decision, prediction: IntentPrediction) -> TurnReply:
        """A ticket is opened only after an explicit yes: what the classifier read into a message ("show me my
        tickets" read as "open a ticket") must never act on its own."""
        state.awaiting = "ticket_confirm"
        text = say("confirm_handoff" if state.pending_reason == "handoff" else "confirm_ticket", state.language)
        return self._out(state, decision, text, prediction=prediction, actions=["confirm_ticket"])

    def _ticket_or_ask_email(self, turn: TurnRequest, state: ConversationState, decision: Decision) -> TurnReply:
        if turn.caller.kind == "anonymous" and not state.email:
            state.awaiting = "email"
            return self._out(state, decision, say("ask_email", state.language), actions=["ask_email"])
        return self._create_ticket(turn, state, decision)

    def _remember_pending(self, state: ConversationState, turn: TurnRequest,
                          prediction: IntentPrediction | None) -> None:
        state.pending_message_id = turn.message_id
        state.pending_intent = prediction.intent if prediction else None
        state.pending_confidence = prediction.confidence if prediction else None

    def _create_ticket(self, turn: TurnRequest, state: ConversationState, decision: Decision) -> TurnReply:
        caller = turn.caller
        ai = AiContext(conversation_id=turn.conversation_id,
                       trigger_message_id=state.pending_message_id or turn.message_id,
                       intent=state.pending_intent, confidence=state.pending_confidence,
                       cited_article_ids=list(state.cited_article_ids),
                       summary=_summary(state.pending_reason, turn), rated_turns=_rated_turns(turn),
                       pages=list(state.pages))
        cmd = CreateTicket(subject=_subject(turn), description=_transcript(turn), channel=Channel.CHAT, ai=ai,
                           tags=["chat", state.pending_reason or "chat"], latest=_last_said(turn))
        principal = caller.principal()
        if principal is None:  # anonymous: the assistant opens it on the visitor's behalf, for their email
            email = state.email or ""
            principal = system_principal(caller.tenant_id, "ai")
            # Typed into the chat, not proven: the ticket is this conversation's until a code sent to it is
            # confirmed (ChatService.verify_email), never a signed-in customer's with that address.
            cmd.requester = Requester(id=f"chat:{turn.conversation_id}", email=email.lower(), name=caller.name,
                                      email_verified=False)
        ticket = self._tickets.create(principal, cmd)
        state.ticket_ids = [*state.ticket_ids, ticket.id][-50:]
        reason, intent, confidence = state.pending_reason, state.pending_intent, state.pending_confidence
        state.awaiting = state.pending_reason = state.pending_intent = None
        state.pending_confidence = state.pending_message_id = None
        decision.route = decision.route or "ticket_created"
        pending = IntentPrediction(intent=intent, confidence=confidence or 0.0) if intent else None
        created = say("handed_over" if reason == "handoff" else "ticket_created", state.language, number=ticket.key)
        return self._out(state, decision, created, prediction=pending,
                         actions=["ticket_created", *(["handoff"] if reason == "handoff" else [])],
                         ticket=TicketRef(id=ticket.id, number=ticket.key, status=ticket.status.value))

    def _visible_ticket(self, turn: TurnRequest, state: ConversationState, number: int) -> Ticket | None:
        principal = turn.caller.principal()
        try:
            if principal is not None:
                return self._tickets.get_by_number(principal, number)
            ticket = self._tickets.get_by_number(system_principal(turn.caller.tenant_id, "ai"), number)
        except NotFound:
            return None
        return ticket if ticket.id in state.ticket_ids else None  # anonymous: this conversation's tickets only

    def _ticket_status(self, turn: TurnRequest, state: ConversationState, decision: Decision,
                       number: int) -> TurnReply:
        ticket = self._visible_ticket(turn, state, number)
        if ticket is None:  # missing and not yours answer the same: existence never leaks
            return self._out(state, decision, say("ticket_not_found", state.language, number=format_number(number)),
                             actions=["ticket_status"])
        return self._out(state, decision, _status_sentence(ticket, state.language), actions=["ticket_status"],
                         ticket=TicketRef(id=ticket.id, number=ticket.key, status=ticket.status.value))

    def _my_tickets(self, turn: TurnRequest, state: ConversationState, decision: Decision) -> TurnReply:
        principal = turn.caller.principal()
        tickets: list[Ticket] = []
        if principal is not None:
            tickets = self._tickets.query(principal, TicketQuery(tenant_id=principal.tenant_id, limit=3)).items
        else:
            system = system_principal(turn.caller.tenant_id, "ai")
            for ticket_id in state.ticket_ids[-3:]:
                try:
                    tickets.append(self._tickets.get(system, ticket_id))
                except NotFound:
                    continue
        if not tickets:
            return self._out(state, decision, say("which_ticket", state.language), actions=["ask_ticket_number"])
        lines = " ".join(_status_sentence(t, state.language) for t in tickets)
        return self._out(state, decision, lines, actions=["ticket_status"],
                         ticket=TicketRef(id=tickets[0].id, number=tickets[0].key, status=tickets[0].status.value))

    # -- output -----------------------------------------------------------------------------

    def _out(self, state: ConversationState, decision: Decision, reply: str, *,
             prediction: IntentPrediction | None = None, citations: list[Citation] | None = None,
             actions: list[str] | None = None, ticket: TicketRef | None = None) -> TurnReply:
        intent = prediction.intent if prediction else decision.intent or decision.route or None
        confidence = prediction.confidence if prediction else decision.confidence
        return TurnReply(reply=reply, intent=intent, confidence=confidence, citations=citations or [],
                         actions=actions or [], ticket=ticket, state=state, decision=decision)


class _Deadline:
    """The turn's end (perf_counter seconds): each dependency gets its own limit or what is left, if less."""

    def __init__(self, at: float) -> None:
        self.at = at

    def limit(self, call_s: float) -> float:
        return min(call_s, self.at - time.perf_counter())


def _tokens_used(llm: LlmPort | None) -> int:
    """The model adapter's running count of tokens (input and output) it was billed for; 0 if it keeps none."""
    return int(getattr(llm, "tokens_used", 0) or 0)


def _ticket_number(text: str) -> int | None:
    match = _TICKET_NUMBER.search(text)
    return parse_number(f"T-{match.group(1)}") if match else None


def _status_sentence(ticket: Ticket, language: str | None) -> str:
    return say("ticket_status", language, number=ticket.key, subject=ticket.subject,
               status=status_name(ticket.status.value, language),
               when=wall_time(ticket.updated_at))


def _follow_language(state: ConversationState, text: str) -> None:
    """The conversation's language follows a message it can be told from: a sentence or two a language
    identifier is sure of, or nothing but one language's courtesy ("Danke!"); "ok" and an address leave it."""
    from helpdesk.kernel.courtesy import courtesy_language
    from helpdesk.kernel.i18n import identify, supported

    language = identify(text) or supported(courtesy_language(text))
    if language is not None:
        state.language = language


def _subject(turn: TurnRequest) -> str:
    """The first substantive thing the user said, else this message."""
    candidates = [t.text for t in turn.history if t.role == "user"] + [turn.text]
    text = next((c for c in candidates if len(c.split()) >= 4), turn.text).strip().replace("\n", " ")
    return "Chat: " + (text if len(text) <= 120 else text[:117].rstrip() + "...")


def _transcript(turn: TurnRequest) -> str:
    lines = [f"Chat transcript (conversation {turn.conversation_id}):", ""]
    lines += [f"[{t.role}] {t.text}" for t in turn.history]
    lines.append(f"[user] {turn.text}")
    text = "\n".join(lines)
    encoded = text.encode("utf-8")
    if len(encoded) > MAX_TEXT_BYTES:  # keep the end: the latest turns matter most to the agent
        text = "[earlier messages cut]\n" + encoded[-(MAX_TEXT_BYTES - 64):].decode("utf-8", "ignore")
    return text


def _last_said(turn: TurnRequest) -> str:
    """The visitor's last words on the matter, for the ticket's line in lists: their latest message that is no yes,
    no, address or emoji only (those answered the chat's own questions), else this one."""
    said = [t.text for t in turn.history if t.role == "user"] + [turn.text]

    def answered_the_chat(text: str) -> bool:
        return bool(_YES.match(text) or _NO.match(text) or wordless.is_wordless(text)
                    or (_EMAIL.search(text) and len(text.split()) <= 5))

    return next((text for text in reversed(said) if not answered_the_chat(text)), turn.text)


def _rated_turns(turn: TurnRequest) -> list[RatedTurn]:
    """The rated answers of `_transcript`'s turns, counted from its last (this message, 1)."""
    last = len(turn.history) + 1
    return [RatedTurn(turn=last - n, helpful=t.helpful) for n, t in enumerate(turn.history) if t.helpful is not None]


def _summary(reason: TicketReason | None, turn: TurnRequest) -> str:
    what = {"handoff": "asked for a person", "create_ticket": "asked for a ticket",
            "unanswered": "accepted a ticket after an unanswered question"}.get(reason or "", "opened from chat")
    return f"Customer {what} in chat after {sum(1 for t in turn.history if t.role == 'user') + 1} message(s)."
