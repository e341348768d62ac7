"""The chat widget's look per tenant (its title, greetings, colour and corner), which the widget reads before any
conversation starts. Admins set it with the AI settings (`TriageSettings.widget`, beside the widget's origins); it is
defined here, light, so the chat intake function does not import the triage settings' models."""

import re
import time
from collections.abc import Callable
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from helpdesk.kernel.errors import NotFound
from helpdesk.kernel.i18n import Language
from helpdesk.kernel.text import collapsed
from helpdesk.platform.timed_cache import TimedCache

# Every page view of a tenant's sites reads the look: kept a minute per warm container (as the widget origins are),
# and five minutes in browsers (the route's Cache-Control), so an admin's change shows within about six minutes.
LOOK_TTL_S = 60.0
LOOK_MAX_AGE_S = 300

MAX_WIDGET_TITLE_CHARS = 40
MAX_WIDGET_GREETING_CHARS = 300
# WCAG 2.1 AA for normal text: the widget writes white on the accent colour (buttons, header, launcher) and the
# accent colour on white (links), and both pairs have the same contrast ratio.
MIN_ACCENT_CONTRAST = 4.5
_HEX_COLOUR = re.compile(r"#[0-9a-f]{6}")


def contrast_with_white(colour: str) -> float:
    """WCAG's contrast ratio of "#rrggbb" against white (1 to 21)."""
    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    luminance = 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)
    return 1.05 / (luminance + 0.05)


def _per_language(texts: dict[Language, str], clean: Callable[[str], str], limit: int,
                  what: str) -> dict[Language, str]:
    """A text per language as it is kept: each cleaned, at most `limit` characters, an emptied one gone."""
    cleaned = {language: clean(text) for language, text in texts.items()}
    if any(len(text) > limit for text in cleaned.values()):
        raise ValueError(f"{what} is at most {limit} characters")
    return {language: text for language, text in cleaned.items() if text}


class WidgetLook(BaseModel):
    """How the chat widget shows on the tenant's sites: the team's name for it (per language where the team wrote
    one), its first words per language, its colour and its corner. Anyone may read it (`GET /chat/widget`): it is
    what every visitor of those sites sees."""

    model_config = ConfigDict(extra="forbid")

    # The header and the launcher; None: "Help" in the visitor's language.
    title: str | None = Field(default=None, max_length=MAX_WIDGET_TITLE_CHARS)
    # The title per language ("Hilfe von Acme" for German visitors); a language without one gets `title`.
    titles: dict[Language, str] = Field(default_factory=dict)
    # The first message, per language; the visitor's language without one gets the English one, else the built-in
    # greeting in their language (as receipts do: `mail/receipts.py::receipt_for`).
    greetings: dict[Language, str] = Field(default_factory=dict)
    accent_color: str | None = Field(default=None, description="#rrggbb; white text on it must read (WCAG AA)")
    position: Literal["right", "left"] = "right"

    @field_validator("title")
    @classmethod
    def _title(cls, value: str | None) -> str | None:
        if value is None:
            return None
        return collapsed(value) or None  # one line in a header

    @field_validator("titles")
    @classmethod
    def _titles(cls, value: dict[Language, str]) -> dict[Language, str]:
        return _per_language(value, collapsed, MAX_WIDGET_TITLE_CHARS, "a title")

    @field_validator("greetings")
    @classmethod
    def _greetings(cls, value: dict[Language, str]) -> dict[Language, str]:
        return _per_language(value, str.strip, MAX_WIDGET_GREETING_CHARS, "a greeting")

    @field_validator("accent_color")
    @classmethod
    def _accent(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        colour = value.strip().lower()
        if not _HEX_COLOUR.fullmatch(colour):
            raise ValueError(f"not a colour as #rrggbb: {value[:20]!r}")
        ratio = contrast_with_white(colour)
        if ratio < MIN_ACCENT_CONTRAST:
            raise ValueError(f"white text on {colour} has a contrast of {ratio:.1f}:1, under the "
                             f"{MIN_ACCENT_CONTRAST}:1 visitors need to read it: choose a darker colour")
        return colour


class WidgetLooks:
    def __init__(self, load: Callable[[str], WidgetLook], allows_anonymous: Callable[[str], bool],
                 ttl_s: float = LOOK_TTL_S, now: Callable[[], float] = time.monotonic) -> None:
        self._load = load
        self._allows_anonymous = allows_anonymous
        self._cache: TimedCache[str, WidgetLook] = TimedCache(1000, ttl_s, timer=now)

    def of(self, tenant_id: str) -> WidgetLook:
        """The tenant's look; NotFound where the tenant has no public chat (as starting a conversation there is)."""
        if not self._allows_anonymous(tenant_id):
            raise NotFound(f"no public chat for tenant {tenant_id}")
        look = self._cache.get(tenant_id)
        if look is None:
            look = self._load(tenant_id)
            self._cache.put(tenant_id, look)
        return look
