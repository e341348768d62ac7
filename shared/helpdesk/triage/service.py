"""Triage of a new ticket, and the agent's control over its results.

`Triage.run(ticket)` computes every field (summary, intent/category, sentiment, language, priority,
routing group, similar tickets, reply draft), stores the record, then applies the fields the
tenant's settings auto-apply above their threshold, as the `ai` system actor. Idempotent: a record
that exists is not recomputed, and applying a field only happens while the ticket still holds the
value triage saw (a human change always wins).
"""

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from helpdesk.assistant.ports import ThreadMessage
from helpdesk.intents.classifier import NEAREST_EXAMPLE_METHOD
from helpdesk.intents.model import IntentCatalog, IntentPrediction
from helpdesk.kernel.clock import Clock, system_clock
from helpdesk.kernel.errors import ConcurrentUpdate, InvalidInput, NotFound
from helpdesk.kernel.principal import Principal, system_principal
from helpdesk.kernel.text import normalise_tag
from helpdesk.knowledge.ports import Embedder, Retriever
from helpdesk.tickets.history import EventType, MessageFormat, TicketEvent, format_meta
from helpdesk.tickets.model import Priority, Status, Ticket
from helpdesk.tickets.service import TicketService
from helpdesk.triage import signals
from helpdesk.triage.model import (
    APPLICABLE_FIELDS,
    CATEGORY_TAG_PREFIX,
    ApplicableField,
    FieldResult,
    ReplyDraft,
    SimilarTicket,
    TriageResult,
)
from helpdesk.triage.ports import (
    CategoryClassifiers,
    FilePoster,
    TicketVector,
    TicketVectors,
    TriageSettingsStore,
    TriageStore,
)
from helpdesk.triage.priority import suggest_priority
from helpdesk.triage.replies import ReplyWriter, judged_passages
from helpdesk.triage.settings import RoutingRule, TriageSettings
from helpdesk.triage.summaries import ThreadSummarizer, thread_of
from helpdesk.triage.text import prepare

if TYPE_CHECKING:
    from helpdesk.assistant.evidence import EvidenceJudge

EMBEDDED_MODEL = "embedded"
PROMPT_VERSION = "triage-v1"  # bump when what the fields mean or how they are made changes
SIMILAR_METHOD = "embedded:cosine-recent-open-tickets"
TENANT_RULE = "tenant-rule"  # the method of a field a tenant's routing rule set
SIMILAR_WINDOW = 500  # recent open tickets of the tenant compared against
SIMILAR_MIN_SCORE = 0.6
SIMILAR_MAX = 5
ON_TICKET_STATES = ("applied", "accepted")  # a field in these states put its value on the ticket


class Triage:
    def __init__(self, tickets: TicketService, store: TriageStore, settings: TriageSettingsStore,
                 vectors: TicketVectors, embedder: Embedder, categories: CategoryClassifiers,
                 retriever: Retriever, replies: ReplyWriter, model: str = EMBEDDED_MODEL, *,
                 evidence: "EvidenceJudge", passages: int = 4, clock: Clock = system_clock,
                 group_exists: Callable[[str, str], bool] | None = None,
                 summaries: ThreadSummarizer | None = None,
                 post_with_files: FilePoster | None = None) -> None:
        self.tickets, self.store, self.settings, self.vectors = tickets, store, settings, vectors
        # (tenant, group) -> is it a group of the team directory? Routing applies only groups people are in.
        self._group_exists = group_exists
        self.embedder, self.categories = embedder, categories
        self.retriever, self.replies, self.model = retriever, replies, model
        # Which passages a reply draft may cite: the chat's decision, on as many candidates as the chat weighs.
        self._evidence, self._passages = evidence, passages
        self._summaries = summaries or ThreadSummarizer()
        self._post_with_files = post_with_files  # None: a draft is sent without files
        self._clock = clock

    # -- on creation -----------------------------------------------------------------------

    def run(self, ticket: Ticket) -> TriageResult:
        """Triage of a new ticket, given as the stream's image of its creation."""
        settings = self.settings.get(ticket.tenant_id)
        existing = self.store.get(ticket.tenant_id, ticket.id)
        if existing is not None:  # a replayed record: finish what an interrupted delivery left
            return existing if existing.auto_apply_done else self._auto_apply(existing, settings)
        # The image is the ticket as created; a delivery late enough (stream lag, retries) may come after the
        # requester was erased, and a summary or draft made from the image would write their words back.
        ticket = self.tickets.get(system_principal(ticket.tenant_id, "ai"), ticket.id)
        result, vector = self.compute(ticket, settings)
        result.auto_apply_done = not (self._wanted(result, settings) or result.rule_tags)
        try:
            result = self.store.save(result)
        except ConcurrentUpdate:  # a concurrent delivery of the same record won the race
            return self.store.get(ticket.tenant_id, ticket.id) or result
        self.vectors.add(ticket.tenant_id, TicketVector(
            ticket_id=ticket.id, number=ticket.key, subject=ticket.subject, requester_id=ticket.requester.id,
            created_at=ticket.created_at, vector=vector))
        replaced = self._text_now(ticket)
        if replaced is not None:
            # Erased (or past retention) while triage read it: that erasure found no record or vector to clean
            # up, so what was made from the old text goes now. An erasure after this check finds both.
            self.vectors.remove(ticket.tenant_id, ticket.id, ticket.created_at)
            result = self.update_record(result, lambda record: _forget_text(record, replaced))
        else:
            # Messages written before this record existed found nothing to update on the events stream (a reply
            # seconds after the opening mail, a chat's transcript): the first summary covers them.
            result = self._summarize_thread(result, ticket)
        return result if result.auto_apply_done else self._auto_apply(result, settings, source=ticket)

    def _text_now(self, source: Ticket) -> str | None:
        """The ticket's description when its text is no longer what triage read (replaced by a marker), else None."""
        now = self.tickets.get(system_principal(source.tenant_id, "ai"), source.id)
        return None if (now.subject, now.description) == (source.subject, source.description) else now.description

    def imported(self, ticket: Ticket) -> TriageResult | None:
        """A ticket brought over from another helpdesk that needs work: suggestions, a reply draft and a summary of
        its whole thread, nothing applied (`record_only`). Done history gets nothing (None)."""
        if ticket.status in (Status.RESOLVED, Status.CLOSED):
            return None
        self.record_only(ticket)
        return self.summarize_thread(ticket.tenant_id, ticket.id)

    def imported_opened_again(self, tenant_id: str, ticket_id: str) -> TriageResult | None:
        """A customer wrote to a ticket that was done when it was imported (so triage never saw it): it needs work now,
        as `imported` says. None for any other ticket, or one that has its record."""
        if self.store.get(tenant_id, ticket_id) is not None:
            return None
        ticket = self.tickets.get(system_principal(tenant_id, "ai"), ticket_id)
        return self.imported(ticket) if ticket.imported_from is not None else None

    def record_only(self, ticket: Ticket) -> TriageResult:
        """The record for a ticket triage never saw (created before triage ran): suggestions only,
        nothing applied to a ticket people have already worked on."""
        existing = self.store.get(ticket.tenant_id, ticket.id)
        if existing is not None:
            return existing
        result, _ = self.compute(ticket, self.settings.get(ticket.tenant_id))
        result.auto_apply_done = True
        try:
            return self.store.save(result)
        except ConcurrentUpdate:
            return self.store.get(ticket.tenant_id, ticket.id) or result

    def compute(self, ticket: Ticket, settings: TriageSettings) -> tuple[TriageResult, Any]:
        """Every field of the record, nothing written. Bad input makes weak fields, never an error."""
        text = prepare(ticket.subject, ticket.description)
        if text.too_little:  # say whether the customer sent only attachments (mail keeps them on the event)
            text = prepare(ticket.subject, ticket.description, attachments=self._attachments(ticket))
        notes = list(text.notes)
        lang = signals.language(text.full)
        mood = signals.sentiment(text.full, lang.value)
        summary = self._summaries.summarize(ticket.tenant_id, text.subject,
                                            [ThreadMessage(author="customer", text=text.body)])
        vector = self.embedder.embed([text.full or "(empty)"])[0]
        catalog, classifier = self.categories.for_tenant(ticket.tenant_id)
        prediction: IntentPrediction | None = classifier.predict([text.full])[0] if not text.too_little else None
        if lang.detail.get("mixed"):
            notes.append("mixed languages (" + ", ".join(lang.detail["mixed"]) + "): every field is less certain")
            damp_mixed = 0.7
        else:
            damp_mixed = 1.0
        if prediction is None:
            notes.append("too little text to classify")
        elif lang.value not in ("en", "und"):
            notes.append(f"the classifier's examples are English; the ticket is '{lang.value}'")
        damp = (0.5 if lang.value not in ("en", "und") else 1.0) * damp_mixed  # other languages: less trust
        intent_field = _scored_prediction(prediction, damp, category=False)
        category_field = _scored_prediction(prediction, damp, category=True)
        priority = suggest_priority(text.full, prediction, catalog, mood.value)
        # the tenant's rules that match, each checked once: the group, the priority and the tags come from them
        ruled = _matching_rules(ticket, text.full, prediction, settings)
        group_field = self._route(ticket, ruled, prediction, damp, catalog)
        now = self._clock()
        result = TriageResult(
            tenant_id=ticket.tenant_id, ticket_id=ticket.id, ticket_version=ticket.version, model=self.model,
            prompt_version=PROMPT_VERSION, created_at=now, updated_at=now,
            summary=FieldResult.of(summary.value, summary.confidence, summary.method, detail=summary.detail),
            intent=intent_field, category=category_field,
            sentiment=FieldResult.of(mood.value, mood.confidence, mood.method, detail=mood.detail),
            language=FieldResult.of(lang.value, lang.confidence, lang.method, detail=lang.detail),
            priority=_ruled_priority(ruled) or FieldResult.of(
                priority.priority.value, priority.confidence * (damp if prediction else 1.0), priority.method,
                priority.reasons),
            group=group_field,
            rule_tags=list(dict.fromkeys(tag for _, rule in ruled for tag in rule.tags)),
            similar_tickets=self._similar(ticket, vector),
            similar_method=SIMILAR_METHOD,
            notes=notes,
        )
        # the team's own ticket: nobody to answer; the team spoke first (an agent's mail to a customer): not yet
        team_spoke_last = ticket.latest_message is not None and not ticket.latest_message.from_customer
        if settings.draft_reply and not ticket.no_customer and not team_spoke_last:
            result.reply = self._draft(ticket.tenant_id, ticket.requester.name, text.subject, text.full,
                                       lang.value, generated_by="ai")
        return result, vector

    def _attachments(self, ticket: Ticket) -> int:
        listed = ticket.custom_fields.get("attachments")
        if isinstance(listed, list):
            return len(listed)
        events = self.tickets.events(system_principal(ticket.tenant_id, "ai"), ticket.id)
        created = next((e for e in events if e.type == EventType.CREATED), None)
        found = created.data.get("attachments") if created else None
        return len(found) if isinstance(found, list) else 0

    def _route(self, ticket: Ticket, ruled: list[tuple[int, RoutingRule]], prediction: IntentPrediction | None,
               damp: float, catalog: IntentCatalog) -> FieldResult:
        """The routing group, if it is a group of the tenant's directory. A rule's or a category's group the
        directory lacks is no routing (a ticket there would reach nobody and no one could be assigned it):
        the field stays empty with a note naming the group to create."""
        routed = _routed_group(ruled, prediction, damp, catalog)
        group = routed.value
        if group is None or self._group_exists is None or self._group_exists(ticket.tenant_id, str(group)):
            return routed
        return FieldResult.of(None, 0.0, routed.method,
                              [*routed.reasons, f"{group} is not a group of the team directory: create it "
                                                f"(POST /groups) to route these tickets there"],
                              {**routed.detail, "missing_group": group})

    def _similar(self, ticket: Ticket, vector: Any) -> list[SimilarTicket]:
        import numpy as np

        candidates = [c for c in self.vectors.recent(ticket.tenant_id, SIMILAR_WINDOW) if c.ticket_id != ticket.id]
        if not candidates:
            return []
        scores = np.stack([c.vector for c in candidates]) @ np.asarray(vector, dtype=np.float32)
        found = [
            SimilarTicket(ticket_id=c.ticket_id, number=c.number, subject=c.subject, score=round(float(s), 3),
                          same_requester=c.requester_id == ticket.requester.id)
            for c, s in zip(candidates, scores, strict=True) if s >= SIMILAR_MIN_SCORE
        ]
        found.sort(key=lambda s: (not s.same_requester, -s.score))
        return found[:SIMILAR_MAX]

    def _draft(self, tenant_id: str, name: str | None, subject: str, question: str, language: str,
               generated_by: str) -> ReplyDraft:
        grounded = judged_passages(self._evidence, self.retriever, tenant_id=tenant_id, question=question,
                                   k=self._passages, language=language, doubtful=self.replies.judges_evidence)
        return self.replies.write(tenant_id=tenant_id, customer_name=name, subject=subject, question=question,
                                  language=language, grounded=grounded, generated_by=generated_by)

    @staticmethod
    def _wanted(result: TriageResult, settings: TriageSettings) -> list[ApplicableField]:
        wanted: list[ApplicableField] = []
        for name in APPLICABLE_FIELDS:
            field, policy = result.applicable(name), settings.policy(name)
            if field.value is None or policy.mode == "off":
                continue
            # the tenant's rule is the admin's decision: applied whatever the AI's threshold ("off" stops it)
            if field.method == TENANT_RULE or (policy.mode == "auto" and field.confidence >= policy.threshold):
                wanted.append(name)
        return wanted

    def _auto_apply(self, result: TriageResult, settings: TriageSettings, source: Ticket | None = None) -> TriageResult:
        """`source`: the ticket as triage read it; the summary goes on the ticket only while its text is that."""
        wanted = self._wanted(result, settings)
        caller = system_principal(result.tenant_id, "ai")
        outcome: dict[ApplicableField, tuple[bool, Any]] = {}  # field -> (applied, previous value or reason)

        def change(ticket: Ticket) -> list[TicketEvent]:
            outcome.clear()
            events: list[TicketEvent] = []
            at = self._clock()
            for name in wanted:
                value = result.applicable(name).value
                if _holds(ticket, name, value):
                    outcome[name] = (False, "the ticket already has this value")
                elif not _untouched_since_triage(ticket, name):
                    outcome[name] = (False, "a person set this field; AI leaves it")
                else:
                    previous, made = _set(ticket, name, value, caller.user_id, at)
                    outcome[name] = (True, previous)
                    events += _stamp(made, result, name, "auto")
            events += _rule_tag_events(ticket, result, caller.user_id, at)
            if events:
                same_text = source is None or (ticket.subject, ticket.description) == (source.subject,
                                                                                      source.description)
                ticket.ai = ticket.ai.model_copy(update={
                    "intent": result.intent.value, "category": result.category.value,
                    "confidence": result.category.confidence,
                    "summary": result.summary.value if same_text else None})
            return events

        if wanted or result.rule_tags:
            self.tickets.apply_system_change(caller, result.ticket_id, change)
        now = self._clock()

        def mark(record: TriageResult) -> None:
            record.auto_apply_done = True
            for name, (applied, info) in outcome.items():
                field = record.applicable(name)
                if applied:
                    field.state, field.previous, field.decided_by, field.decided_at = "applied", info, "ai", now
                else:
                    field.state, field.reasons = "skipped", [*field.reasons, str(info)]

        return self.update_record(result, mark)

    # -- agent assist ----------------------------------------------------------------------

    def get(self, caller: Principal, ticket_id: str) -> tuple[Ticket, TriageResult | None]:
        ticket = self._staff_ticket(caller, ticket_id)
        result = self.store.get(caller.tenant_id, ticket.id)
        return ticket, self.as_seen_by(caller, result) if result is not None else None

    def as_seen_by(self, caller: Principal, result: TriageResult) -> TriageResult:
        """The record as `caller` may see it: the similar-ticket list was computed over the whole tenant,
        so a ticket the caller may not open (another group's, for a group-restricted agent) is left out,
        number and subject included. The others show their subject as it is now (renamed, erased or redacted
        since this record was made)."""
        openable = self.tickets.visible(caller, [s.ticket_id for s in result.similar_tickets])
        shown = [s.model_copy(update={"subject": openable[s.ticket_id].subject})
                 for s in result.similar_tickets if s.ticket_id in openable]
        return result if shown == result.similar_tickets else result.model_copy(update={"similar_tickets": shown})

    def accept(self, caller: Principal, ticket_id: str, name: ApplicableField,
               value: str | None = None) -> TriageResult:
        """Put the suggestion on the ticket, or with `value` (category only) the agent's correction of it. An
        accepted or corrected category teaches the tenant's classifier: the ticket becomes one of its examples."""
        ticket, result = self._require(caller, ticket_id)
        field = result.applicable(name)
        corrected = value is not None and value != field.value
        chosen = self._correction(ticket, name, value) if value is not None else field.value
        if chosen is None:
            raise InvalidInput(f"triage has no {name} to accept", {"field": name})
        previous: list[Any] = []

        def change(current: Ticket) -> list[TicketEvent]:
            before, made = _set(current, name, chosen, caller.user_id, self._clock())
            if corrected and str(before).lower() == str(field.value).lower():
                before = None  # the suggestion being corrected was on the ticket: no value from before triage
            previous[:] = [before]
            return _stamp(made, result, name, "corrected" if corrected else "accepted")

        self.tickets.apply_system_change(caller, ticket.id, change)

        def mark(record: TriageResult) -> None:
            f = record.applicable(name)
            if corrected:
                f.detail = {**f.detail, "suggested": f.value}
                f.value = chosen
            f.state, f.decided_by, f.decided_at = "accepted", caller.user_id, self._clock()
            if f.previous is None and previous:
                f.previous = previous[0]

        record = self.update_record(result, mark)
        if name == "category":
            self.categories.learn(ticket.tenant_id, ticket.id, prepare(ticket.subject, ticket.description).full,
                                  str(chosen), "corrected" if corrected else "accepted")
        return self.as_seen_by(caller, record)

    def _correction(self, ticket: Ticket, name: ApplicableField, value: str) -> str:
        """The tenant's category named `value` (any case): only a category is corrected through triage."""
        if name != "category":
            raise InvalidInput("only a category takes a corrected value; change the ticket for the rest",
                               {"field": name})
        catalog, _ = self.categories.for_tenant(ticket.tenant_id)
        known = {i.category for i in catalog.intents if i.category}
        found = next((c for c in known if c.lower() == value.strip().lower()), None)
        if found is None:
            raise InvalidInput(f"no category {value!r} in this tenant", {"field": "value", "known": sorted(known)})
        return found

    def accept_reply(self, caller: Principal, ticket_id: str, body: str | None = None,
                     attachment_ids: Sequence[str] = (), status: Status | None = None,
                     written_as: MessageFormat = "text") -> TriageResult:
        """Send the draft (or the agent's edit of it) as the agent's public reply, citations in the event, with
        the files the agent uploaded to the ticket (`attachment_ids`), checked as any message's files are, and
        the ticket set to `status` in the same write; `written_as`: what the reply's text is (the console's box
        writes Markdown)."""
        ticket, result = self._require(caller, ticket_id)
        if result.reply is None:
            raise InvalidInput("triage has no reply draft; ask for one first", {"field": "reply"})
        reply = result.reply
        meta = {"ai_draft": True, "edited": body is not None and body != reply.text, "model": result.model,
                "prompt_version": result.prompt_version,
                "citations": [c.model_dump(mode="json") for c in reply.citations], **format_meta(written_as)}
        if attachment_ids:
            if self._post_with_files is None:
                raise InvalidInput("files cannot be attached here", {"attachment_ids": list(attachment_ids)})
            self._post_with_files(caller, ticket.id, body or reply.text, True, attachment_ids, meta=meta,
                                  status=status)
        else:
            self.tickets.add_message(caller, ticket.id, body or reply.text, public=True, meta=meta, status=status)

        def mark(record: TriageResult) -> None:
            if record.reply is not None:
                record.reply.state = "accepted"

        return self.as_seen_by(caller, self.update_record(result, mark))

    def reject(self, caller: Principal, ticket_id: str, name: ApplicableField | str) -> TriageResult:
        """The suggestion is wrong: if it is on the ticket (AI applied it, or an agent accepted it), it comes off
        again, back to the value before, where the ticket still holds it."""
        ticket, result = self._require(caller, ticket_id)
        target: Any = result.reply if name == "reply" else (
            result.applicable(name) if name in APPLICABLE_FIELDS else None)
        if target is None:
            raise InvalidInput(f"triage has no {name} to reject", {"field": name})
        if isinstance(target, FieldResult) and target.state in ON_TICKET_STATES:
            self._undo(caller, ticket, result, [name], how="rejected")  # type: ignore[list-item]
        if name == "category":  # a category accepted earlier is no example of it any more
            self.categories.forget(ticket.tenant_id, ticket.id)

        def mark(record: TriageResult) -> None:
            marked: Any = record.reply if name == "reply" else record.applicable(name)  # type: ignore[arg-type]
            marked.state = "rejected"
            if isinstance(marked, FieldResult):
                marked.decided_by, marked.decided_at = caller.user_id, self._clock()

        return self.as_seen_by(caller, self.update_record(result, mark))

    def revert(self, caller: Principal, ticket_id: str) -> tuple[Ticket, TriageResult, list[str]]:
        """Undo every field AI applied, in one write, where the ticket still holds AI's value."""
        ticket, result = self._require(caller, ticket_id)
        applied = [n for n in APPLICABLE_FIELDS if result.applicable(n).state == "applied"]
        ticket, reverted = self._undo(caller, ticket, result, applied, how="reverted")

        def mark(record: TriageResult) -> None:
            for name in applied:
                f = record.applicable(name)
                f.state, f.decided_by, f.decided_at = "reverted", caller.user_id, self._clock()

        return ticket, self.as_seen_by(caller, self.update_record(result, mark)), reverted

    def _undo(self, caller: Principal, ticket: Ticket, result: TriageResult, names: list[ApplicableField], *,
              how: str) -> tuple[Ticket, list[str]]:
        """Put each field back to its value before triage set it, in one write; a field someone changed since
        keeps their value. Returns the ticket and the fields undone."""
        undone: list[str] = []
        if not names:
            return ticket, undone

        def change(current: Ticket) -> list[TicketEvent]:
            undone.clear()
            events: list[TicketEvent] = []
            at = self._clock()
            for name in names:
                field = result.applicable(name)
                if not _holds(current, name, field.value):
                    continue  # someone changed it since: theirs stands
                made = _unset(current, name, field.value, field.previous, caller.user_id, at)
                for event in made:
                    event.internal = True
                    event.data.update({"revert_of": "ai", "ai": how, "ai_field": name, "model": result.model,
                                       "prompt_version": result.prompt_version})
                events += made
                undone.append(name)
            return events

        return self.tickets.apply_system_change(caller, ticket.id, change), undone

    def summarize_thread(self, tenant_id: str, ticket_id: str) -> TriageResult | None:
        """The summary again, over the whole public thread, after a new message. None when the ticket has no
        triage record yet: triage of its creation writes the first summary."""
        record = self.store.get(tenant_id, ticket_id)
        if record is None:
            return None
        return self._summarize_thread(record, self.tickets.get(system_principal(tenant_id, "ai"), ticket_id))

    def _summarize_thread(self, record: TriageResult, ticket: Ticket) -> TriageResult:
        """`record`'s summary made over `ticket`'s public thread, when the thread holds more than it covers."""
        caller = system_principal(ticket.tenant_id, "ai")
        thread = thread_of(ticket, self.tickets.events(caller, ticket.id, with_merged=True))
        if len(thread) <= int(record.summary.detail.get("messages", 1)):
            return record  # a replayed record, or nothing new to say
        subject = prepare(ticket.subject, ticket.description).subject  # as on creation ("Chat: " dropped)
        summary = self._summaries.summarize(ticket.tenant_id, subject, thread)

        def mark(current: TriageResult) -> None:
            current.summary = FieldResult.of(summary.value, summary.confidence, summary.method, detail=summary.detail)

        return self.update_record(record, mark)

    def redraft(self, caller: Principal, ticket_id: str) -> TriageResult:
        """A new reply draft from the current thread: the customer's latest message (the description if none)."""
        ticket, result = self._require(caller, ticket_id)
        thread = thread_of(ticket, self.tickets.events(caller, ticket.id))
        latest = next((m.text for m in reversed(thread) if m.author == "customer"), "")
        text = prepare(ticket.subject, latest)
        reply = self._draft(ticket.tenant_id, ticket.requester.name, text.subject, text.full,
                            str(result.language.value), generated_by=caller.user_id)

        def mark(record: TriageResult) -> None:
            record.reply = reply

        return self.as_seen_by(caller, self.update_record(result, mark))

    def _staff_ticket(self, caller: Principal, ticket_id: str) -> Ticket:
        ticket = self.tickets.get(caller, ticket_id)  # NotFound when invisible to the caller
        if not caller.is_staff:
            raise NotFound(f"ticket {ticket_id} not found")
        return ticket

    def _require(self, caller: Principal, ticket_id: str) -> tuple[Ticket, TriageResult]:
        """The stored record, whole: what the caller is shown is filtered on the way out only."""
        ticket = self._staff_ticket(caller, ticket_id)
        result = self.store.get(caller.tenant_id, ticket.id)
        if result is None:
            raise NotFound("this ticket has not been triaged yet", {"ticket_id": ticket_id})
        return ticket, result

    def update_record(self, result: TriageResult, mutate: Callable[[TriageResult], None],
                      attempts: int = 5) -> TriageResult:
        """Read-modify-write of the record, retried when another writer got in between."""
        for attempt in range(attempts):
            if attempt:
                fresh = self.store.get(result.tenant_id, result.ticket_id)
                result = fresh if fresh is not None else result
            record = result.model_copy(deep=True)
            mutate(record)
            record.updated_at = self._clock()
            try:
                return self.store.save(record)
            except ConcurrentUpdate:
                if attempt == attempts - 1:
                    raise
        raise AssertionError("unreachable")


# -- what each applicable field means on a ticket ---------------------------------------------


def _holds(ticket: Ticket, name: ApplicableField, value: Any) -> bool:
    if name == "category":
        return _category_tag(value) in ticket.tags
    current = ticket.priority.value if name == "priority" else ticket.group
    return bool(current == value)


def _untouched_since_triage(ticket: Ticket, name: ApplicableField) -> bool:
    """Auto-apply only over what nobody chose: no group yet, priority still the default, no category tag."""
    if name == "group":
        return ticket.group is None
    if name == "priority":
        return ticket.priority == Priority.NORMAL
    return not any(t.startswith(CATEGORY_TAG_PREFIX) for t in ticket.tags)


def _set(ticket: Ticket, name: ApplicableField, value: Any, actor: str,
         at: datetime) -> tuple[Any, list[TicketEvent]]:
    """Set the field as of `at`; returns (value before, events)."""
    if name == "priority":
        before = ticket.priority.value
        return before, ticket.set_field("priority", Priority(value), actor, at)
    if name == "group":
        before_group = ticket.group
        return before_group, ticket.set_field("group", value, actor, at)
    tag = _category_tag(value)
    others = [t for t in ticket.tags if not t.startswith(CATEGORY_TAG_PREFIX)]
    old = [t for t in ticket.tags if t.startswith(CATEGORY_TAG_PREFIX)]
    return (old[0].removeprefix(CATEGORY_TAG_PREFIX).upper() if old else None,
            ticket.set_field("tags", sorted({*others, tag}), actor, at))


def _unset(ticket: Ticket, name: ApplicableField, value: Any, previous: Any, actor: str,
           at: datetime) -> list[TicketEvent]:
    if name == "priority":
        return ticket.set_field("priority", Priority(previous or Priority.NORMAL.value), actor, at)
    if name == "group":
        return ticket.set_field("group", previous, actor, at)
    tags = [t for t in ticket.tags if t != _category_tag(value)]
    if previous:
        tags.append(_category_tag(previous))
    return ticket.set_field("tags", sorted(set(tags)), actor, at)


def _matching_rules(ticket: Ticket, text: str, prediction: IntentPrediction | None,
                    settings: TriageSettings) -> list[tuple[int, RoutingRule]]:
    """The tenant's routing rules that match the ticket, with their positions, in order."""
    category = prediction.category if prediction else None
    return [(position, rule) for position, rule in enumerate(settings.routing_rules)
            if rule.matches(text, category, ticket.channel.value, ticket.requester.email)]


def _routed_group(ruled: list[tuple[int, RoutingRule]], prediction: IntentPrediction | None, damp: float,
                  catalog: IntentCatalog) -> FieldResult:
    """The first matching rule's group, else the category's group (as sure as the category)."""
    for position, rule in ruled:
        if rule.group is not None:
            return FieldResult.of(rule.group, 1.0, TENANT_RULE, [f"routing rule #{position + 1} matched"],
                                  {"rule": position})
    category = prediction.category if prediction else None
    group = catalog.group_of(category) if category else None
    if prediction is None or group is None:
        return FieldResult.of(None, 0.0, NEAREST_EXAMPLE_METHOD, ["no category, no group"])
    if prediction.category_confidence <= 0.0:
        return FieldResult.of(None, 0.0, prediction.method, [UNLIKE_EVERY_EXAMPLE, "no category, no group"])
    return FieldResult.of(group, prediction.category_confidence * damp, f"{prediction.method}+category-group",
                          [f"category {category} is handled by {group}"])


def _ruled_priority(ruled: list[tuple[int, RoutingRule]]) -> FieldResult | None:
    """The priority of the first matching rule that sets one (the tenant's own rule beats the AI's guess)."""
    for position, rule in ruled:
        if rule.priority is not None:
            return FieldResult.of(rule.priority.value, 1.0, TENANT_RULE, [f"routing rule #{position + 1} matched"],
                                  {"rule": position})
    return None


def _rule_tag_events(ticket: Ticket, result: TriageResult, actor: str, at: datetime) -> list[TicketEvent]:
    """The tags the tenant's rules add that the ticket lacks, in one tag change the team sees as the rules' (internal,
    as every triage change: customers never see how their ticket was sorted)."""
    missing = [tag for tag in result.rule_tags if tag not in ticket.tags]
    if not missing:
        return []
    events = ticket.set_field("tags", [*ticket.tags, *missing], actor, at)
    for event in events:
        event.internal = True
        event.data.update({"method": TENANT_RULE, "rule_tags": missing, "model": result.model,
                           "prompt_version": result.prompt_version})
    return events


def _category_tag(category: Any) -> str:
    return normalise_tag(f"{CATEGORY_TAG_PREFIX}{category}")


def _stamp(events: list[TicketEvent], result: TriageResult, name: str, how: str) -> list[TicketEvent]:
    """Every AI-made change says which model and prompt version made it, and how sure it was."""
    field = result.applicable(name)  # type: ignore[arg-type]
    for event in events:
        event.internal = True  # the team's: customers never see AI's changes or their confidence
        event.data.update({"ai_field": name, "ai": how, "model": result.model,
                           "prompt_version": result.prompt_version, "confidence": field.confidence,
                           "method": field.method})
    return events


UNLIKE_EVERY_EXAMPLE = "unlike every example of the categories: none suggested"


def _scored_prediction(prediction: IntentPrediction | None, damp: float, *, category: bool) -> FieldResult:
    if prediction is None:
        return FieldResult.of(None, 0.0, NEAREST_EXAMPLE_METHOD, ["too little text"])
    if (prediction.category_confidence if category else prediction.confidence) <= 0.0:
        # unlike every example: the best guess is no suggestion (a "0%" category reads as one to accept)
        return FieldResult.of(None, 0.0, prediction.method, [UNLIKE_EVERY_EXAMPLE],
                              detail={"ranking": [list(r) for r in prediction.ranking]})
    if category:
        return FieldResult.of(prediction.category, prediction.category_confidence * damp, prediction.method,
                              detail={"intent": prediction.intent})
    return FieldResult.of(prediction.intent, prediction.confidence * damp, prediction.method,
                          detail={"ranking": [list(r) for r in prediction.ranking]})


def _forget_text(record: TriageResult, marker: str) -> None:
    """The record without what was made from the ticket's words (its fields and decisions stay)."""
    record.summary = FieldResult.of(marker, 0.0, record.summary.method)
    record.reply = None
