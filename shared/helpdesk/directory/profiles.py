"""Who a customer is, as the team or the person themselves set it: their name, phone and language. Apart from the
directory's model, so the APIs that read it (the customers list, mail) do not build the directory's many models at
their cold start.

Customers live on their tickets under their key (`Requester.key`); the profile is the one record of the person
themselves (the team's notes on them are `CustomerNotes`, which the person never sees). `language` is the language
the team's mails to them are written in (`helpdesk.tickets.language`), where otherwise each mail follows the language
their ticket is written in."""

import re
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, field_validator

from helpdesk.kernel.text import LANGUAGE_PATTERN

# What people write a phone number as (+49 30 1234-567, (555) 010 0199 ext. 12): digits with the usual separators,
# not checked against a numbering plan (no call is placed from here; a wrong number is the team's to correct).
PHONE_PATTERN = r"^\+?[0-9(][0-9 ()./-]{2,30}(\s*(ext\.?|x|#)\s*[0-9]{1,6})?$"
MAX_NAME_CHARS = 200
_SPACES = re.compile(r"\s+")


class CustomerProfile(BaseModel):
    """A customer's name, phone and language, under their key in a tenant; `version` 0 while nothing was set."""

    tenant_id: str
    id: str  # the customer's key
    name: str | None = None
    phone: str | None = None
    language: str | None = None
    updated_at: datetime | None = None
    updated_by: str | None = None
    version: int = 0


class OwnOrganization(BaseModel):
    """What a customer is told of the company claiming their address's domain: its name, and whether its people see
    each other's tickets (`GET /tickets?shared=true`). Not its domains, its other people nor the team's notes."""

    id: str
    name: str
    shared_tickets: bool


class OwnCustomerProfile(CustomerProfile):
    """A signed-in customer's own profile (`/customers/me/profile`), with their organisation: the portal learns from
    it whether to offer the organisation's tickets, instead of asking for them and being refused."""

    organization: OwnOrganization | None = None


class CustomerProfileChange(BaseModel):
    """PATCH of a profile: only the fields sent change; null (or an empty string) clears one."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(default=None, max_length=MAX_NAME_CHARS, description="as they like to be addressed")
    phone: str | None = Field(default=None, max_length=48)
    language: str | None = Field(default=None, max_length=16, description="the team's mails to them are written in "
                                 "it (en, de, es, fr, pt; another is kept, and mails follow their ticket's words)")

    @field_validator("name")
    @classmethod
    def _name(cls, value: str | None) -> str | None:
        text = _SPACES.sub(" ", value).strip() if value is not None else ""
        if any(ord(c) < 32 or ord(c) == 127 for c in text):
            raise ValueError("a name has no control characters")
        return text or None

    @field_validator("phone")
    @classmethod
    def _phone(cls, value: str | None) -> str | None:
        text = _SPACES.sub(" ", value).strip() if value is not None else ""
        if text and not re.fullmatch(PHONE_PATTERN, text):
            raise ValueError("a phone number is digits with spaces, ()./- and an optional + and extension")
        return text or None

    @field_validator("language")
    @classmethod
    def _language(cls, value: str | None) -> str | None:
        text = (value or "").strip()
        if text and not re.fullmatch(LANGUAGE_PATTERN, text):
            raise ValueError("a language code such as en, de or pt-BR")
        return text or None
