"""Tenant AI settings: per field, apply automatically above a confidence threshold or only suggest;
tenant routing rules (checked before the AI's group); the knowledge loop's coverage threshold."""

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from helpdesk.chat.widget import WidgetLook
from helpdesk.kernel.text import MAX_TAG_CHARS, mentions_any, normalise_tag, normalise_tags
from helpdesk.tickets.model import Channel, Priority
from helpdesk.triage.model import CATEGORY_TAG_PREFIX, ApplicableField

Mode = Literal["auto", "suggest", "off"]
MAX_RULE_TAGS = 10
MAX_RULE_KEYWORDS = 50
MAX_RULE_DOMAINS = 50
MAX_ROUTING_RULES = 200  # a tenant's, tried in order on every new ticket
_DOMAIN = re.compile(r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,24}")
# A browser's Origin: scheme, host and optional port, nothing else (http only for local development hosts).
_ORIGIN = re.compile(r"https://(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
                     r"(?::[0-9]{1,5})?|http://(?:localhost|127\.0\.0\.1)(?::[0-9]{1,5})?")


class FieldPolicy(BaseModel):
    model_config = ConfigDict(extra="forbid")

    mode: Mode = "suggest"
    threshold: float = Field(default=0.8, ge=0.0, le=1.0)  # auto only: below it the result is a suggestion


class RoutingRule(BaseModel):
    """A rule matches when every condition it sets matches. It sets a group, a priority, tags or any of them: for the
    group and the priority, the first matching rule that sets one wins ("mail from bigcustomer.com: high priority",
    then "'refund': billing"); tags add up over every matching rule ("bigcustomer.com: vip", "'outage': outage").
    What a rule sets is the admin's decision, not a guess: it is applied unless that field's mode is "off" (tags
    have no mode: a tag a rule adds is the team's to remove)."""

    model_config = ConfigDict(extra="forbid")

    group: str | None = Field(default=None, min_length=1, max_length=128)
    priority: Priority | None = None
    # any of them, whole words, any case
    keywords: list[str] = Field(default_factory=list, max_length=MAX_RULE_KEYWORDS)
    categories: list[str] = Field(default_factory=list, max_length=20)  # any of them (AI category)
    channels: list[Channel] = Field(default_factory=list)
    requester_domains: list[str] = Field(default_factory=list, max_length=MAX_RULE_DOMAINS)  # e-mail domains
    tags: list[str] = Field(default_factory=list, max_length=MAX_RULE_TAGS)  # added to the ticket

    @field_validator("tags")
    @classmethod
    def _tags(cls, values: list[str]) -> list[str]:
        if any(not normalise_tag(v) or len(v.strip()) > MAX_TAG_CHARS for v in values):
            raise ValueError(f"tags are 1 to {MAX_TAG_CHARS} characters")
        if any(normalise_tag(v).startswith(CATEGORY_TAG_PREFIX) for v in values):
            raise ValueError(f"'{CATEGORY_TAG_PREFIX}' tags are triage's categories: a rule names a category to match "
                             "instead")
        return list(normalise_tags(values))

    @field_validator("keywords", "categories", "requester_domains")
    @classmethod
    def _non_blank(cls, values: list[str]) -> list[str]:
        cleaned = [v.strip() for v in values]
        if any(not v or len(v) > 100 for v in cleaned):
            raise ValueError("entries are 1 to 100 characters")
        return cleaned

    @model_validator(mode="after")
    def _sets_something(self) -> "RoutingRule":
        if self.group is None and self.priority is None and not self.tags:
            raise ValueError("a rule sets a group, a priority, tags or several of them")
        return self

    def matches(self, text: str, category: str | None, channel: str, requester_email: str | None) -> bool:
        if not (self.keywords or self.categories or self.channels or self.requester_domains):
            return False  # an empty rule would route everything; refuse to guess
        if self.keywords and not mentions_any(text, self.keywords):
            return False
        if self.categories and (category or "").upper() not in {c.upper() for c in self.categories}:
            return False
        if self.channels and channel not in {c.value for c in self.channels}:
            return False
        if self.requester_domains:
            domain = (requester_email or "").rpartition("@")[2].lower()
            if domain not in {d.lower().lstrip("@") for d in self.requester_domains}:
                return False
        return True


def _default_fields() -> dict[ApplicableField, FieldPolicy]:
    return {
        "category": FieldPolicy(mode="auto", threshold=0.6),
        "group": FieldPolicy(mode="auto", threshold=0.6),
        "priority": FieldPolicy(mode="suggest", threshold=0.85),
    }


class TriageSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    fields: dict[ApplicableField, FieldPolicy] = Field(default_factory=_default_fields)
    routing_rules: list[RoutingRule] = Field(default_factory=list, max_length=MAX_ROUTING_RULES)
    draft_reply: bool = True
    knowledge_loop: bool = True
    # A customer's message that only thanks ("Thanks, that fixed it!") leaves a solved ticket solved
    # (`tickets.thanks`); false: every reply reopens it, as before.
    keep_solved_on_thanks: bool = True
    # Cosine similarity (MiniLM) between the ticket's question and the best published passage from which
    # the article already covers the ticket and no draft is made. 0.60 measured on StackFAQ (bench/triage.py):
    # 0.85 accuracy, 0.94 precision of "covered" (a skipped draft was rarely needed), 0.75 recall.
    # None: the threshold measured for the embedder in use (helpdesk.knowledge.calibration).
    kb_coverage_threshold: float | None = Field(default=None, ge=0.0, le=1.0)
    # Links an answer to a customer may show (these domains and their subdomains); every other link quoted
    # from an article is removed. Empty: no links at all.
    allowed_link_domains: list[str] = Field(default_factory=list, max_length=50)
    # Origins of the sites that embed this tenant's chat widget: the chat API answers their browsers' CORS
    # requests (helpdesk.web.cors). Exact origins such as "https://www.example.com"; no wildcards.
    widget_origins: list[str] = Field(default_factory=list, max_length=50)
    widget: WidgetLook = Field(default_factory=WidgetLook)

    @field_validator("widget_origins")
    @classmethod
    def _origins(cls, values: list[str]) -> list[str]:
        cleaned = [v.strip().lower().rstrip("/") for v in values]
        for origin in cleaned:
            if not _ORIGIN.fullmatch(origin):
                raise ValueError(f"not an origin (https://host[:port]): {origin!r}")
        return list(dict.fromkeys(cleaned))

    @field_validator("allowed_link_domains")
    @classmethod
    def _domains(cls, values: list[str]) -> list[str]:
        cleaned = [v.strip().lower().lstrip("*").lstrip(".").rstrip(".") for v in values]
        for domain in cleaned:
            if not _DOMAIN.fullmatch(domain):
                raise ValueError(f"not a domain name: {domain!r}")
        return list(dict.fromkeys(cleaned))

    def policy(self, field: ApplicableField) -> FieldPolicy:
        return self.fields.get(field) or _default_fields()[field]
