"""What triage stores per ticket: every result with its confidence, method and state.

The agent assist API shows this record as is (agents only); accept, reject and revert change the
`state` of a field, and the ticket's event log carries every change they made.
"""

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from helpdesk.knowledge.ports import Citation

FieldState = Literal["suggested", "applied", "accepted", "rejected", "reverted", "skipped"]
# Fields that can change the ticket. Category lands as a `category:<name>` tag.
ApplicableField = Literal["priority", "group", "category"]
APPLICABLE_FIELDS: tuple[ApplicableField, ...] = ("priority", "group", "category")
CATEGORY_TAG_PREFIX = "category:"


def confidence_level(confidence: float) -> Literal["high", "medium", "low"]:
    """The band an agent sees beside a confidence."""
    return "high" if confidence >= 0.75 else "medium" if confidence >= 0.45 else "low"


class FieldResult(BaseModel):
    value: Any
    confidence: float = Field(ge=0.0, le=1.0)
    level: Literal["high", "medium", "low"]
    method: str
    reasons: list[str] = Field(default_factory=list)
    detail: dict[str, Any] = Field(default_factory=dict)
    state: FieldState = "suggested"
    previous: Any = None  # the ticket's value before AI applied this one: what revert restores
    decided_by: str | None = None
    decided_at: datetime | None = None

    @classmethod
    def of(cls, value: Any, confidence: float, method: str, reasons: list[str] | None = None,
           detail: dict[str, Any] | None = None) -> "FieldResult":
        confidence = round(min(1.0, max(0.0, confidence)), 3)
        return cls(value=value, confidence=confidence, level=confidence_level(confidence), method=method,
                   reasons=reasons or [], detail=detail or {})


class SimilarTicket(BaseModel):
    ticket_id: str
    number: str
    subject: str
    score: float
    same_requester: bool


class ReplyDraft(BaseModel):
    text: str
    citations: list[Citation] = Field(default_factory=list)
    confidence: float
    level: Literal["high", "medium", "low"]
    method: str
    language: str = "en"
    generated_at: datetime
    generated_by: str = "ai"  # "ai" on creation; the agent's id when they asked for a new draft
    notes: list[str] = Field(default_factory=list)
    state: FieldState = "suggested"


class Resolution(BaseModel):
    resolved_at: datetime
    summary: str
    method: str
    covered_by: str | None = None  # a published article that already answers it
    coverage_score: float | None = None
    draft_article_id: str | None = None
    notes: list[str] = Field(default_factory=list)


class TriageResult(BaseModel):
    tenant_id: str
    ticket_id: str
    ticket_version: int  # the version triage read
    model: str  # what produced the fields: "embedded" or the LLM's model id
    prompt_version: str
    created_at: datetime
    updated_at: datetime
    summary: FieldResult
    intent: FieldResult
    category: FieldResult
    sentiment: FieldResult
    language: FieldResult
    priority: FieldResult
    group: FieldResult
    similar_tickets: list[SimilarTicket] = Field(default_factory=list)
    similar_method: str = ""
    reply: ReplyDraft | None = None
    notes: list[str] = Field(default_factory=list)  # why some results are weak
    # tags the tenant's matching routing rules add (the admin's decision: applied with the auto fields, not undone)
    rule_tags: list[str] = Field(default_factory=list)
    resolution: Resolution | None = None
    auto_apply_done: bool = False  # false between storing the record and applying its auto fields
    revision: int = 0  # optimistic-locking counter of this record

    def applicable(self, name: ApplicableField) -> FieldResult:
        result: FieldResult = getattr(self, name)
        return result
