"""A tenant's "mask card numbers" setting (`PrivacySettings.mask_card_numbers`), applied as text is written: a card
number a customer, an agent or an import writes is stored as `XXXX XXXX XXXX 1111` (`kernel.cards`).

It sits under every writer rather than in each: the ticket repository calls it on the ticket and its new events
(messages, notes, subject, field values, the rating's comment), the chat store on each chat message. Both rewrite in
place, so what is sent on (mail to the customer, webhooks, the search index, triage) is what was stored. A masked
event says how many cards it had (`cards_masked`).

The setting is read once a minute per tenant per warm function (every write would otherwise read it); a save in the
same process is seen at once (`forget`). What it does not reach, by choice:
- the original mail in S3 stays as received (the record of what came in, kept from everyone but the mail function,
  the person's export and the operator); mail ingest keeps no HTML copy of a mail holding a card, as agents open
  that. Redaction by hand (`privacy.redactions`) deletes the original too;
- files (a photo or a PDF of a card) are not read: redacting a file by hand takes it out;
- what was written before the setting was turned on: `TicketRedactions.mask_written_cards` masks that on request
  (`POST /privacy/card-masking`).
"""

import time
from collections.abc import Callable

from helpdesk.chat.model import ChatMessage
from helpdesk.kernel.cards import holds_card, mask_cards
from helpdesk.platform.timed_cache import TimedCache
from helpdesk.privacy.ticket_text import event_text, ticket_text
from helpdesk.tickets.history import TicketEvent
from helpdesk.tickets.model import Ticket

CARDS_MASKED = "cards_masked"  # on an event whose text had card numbers masked: how many
SETTING_TTL_S = 60.0


class CardMasking:
    def __init__(self, load: Callable[[str], bool], ttl_s: float = SETTING_TTL_S,
                 now: Callable[[], float] = time.monotonic) -> None:
        self._load = load
        self._cache: TimedCache[str, bool] = TimedCache(1000, ttl_s, timer=now)

    def masks(self, tenant_id: str) -> bool:
        hit = self._cache.get(tenant_id)
        if hit is None:
            hit = self._load(tenant_id)
            self._cache.put(tenant_id, hit)
        return hit

    def forget(self, tenant_id: str) -> None:
        """The setting was saved: read it again on the next write."""
        self._cache.pop(tenant_id)

    def masked(self, tenant_id: str, text: str) -> str:
        """`text` as the tenant keeps it (a quarantined mail's subject on the Mail screen)."""
        return mask_cards(text)[0] if self.masks(tenant_id) else text

    def holds_masked(self, tenant_id: str, *texts: str) -> bool:
        """Whether the tenant masks cards and one of `texts` holds one (mail ingest keeps no HTML copy then)."""
        return self.masks(tenant_id) and any(holds_card(text) for text in texts)

    def __call__(self, ticket: Ticket, events: list[TicketEvent]) -> None:
        """The ticket repository's `TextPolicy`."""
        if not self.masks(ticket.tenant_id):
            return
        for event in events:
            data, cards = event_text(event, mask_cards)
            if cards:
                event.data = data | {CARDS_MASKED: cards}
        masked = ticket_text(ticket, mask_cards)[0]
        for name in ("subject", "description", "custom_fields", "csat", "latest_message", "ai"):
            setattr(ticket, name, getattr(masked, name))

    def chat_text(self, tenant_id: str, message: ChatMessage) -> ChatMessage:
        """The chat store's: the message with the cards in its text masked."""
        if not self.masks(tenant_id):
            return message
        text, cards = mask_cards(message.text)
        return message.model_copy(update={"text": text, "meta": message.meta | {CARDS_MASKED: cards}}) \
            if cards else message
