"""A customer's thank-you keeps a solved ticket solved (Freshdesk's "thank-you detector"): "Thanks, that fixed it!"
on a solved ticket reopened it, put it back in the queue, restarted no clock but asked an agent to look at a
message that needs nothing. The message is kept on the ticket as any other (`kept_solved` on it, the team's only);
the tenant turns this off with `keep_solved_on_thanks` (`PUT /assist/settings`).

The decision is the rule `kernel.courtesy.only_thanks`: no model, so it costs nothing in the functions that take
customers' messages (mail, portal, chat), and it errs on reopening. Measured on CLINC150 (`bench/thanks.py`): none of
the other utterances, and none of Bitext's requests, count as thanks."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from helpdesk.kernel.courtesy import only_thanks

KeepsSolved = Callable[[str], bool]  # tenant id -> whether that tenant keeps solved tickets solved on thanks


@dataclass(frozen=True)
class ThanksRule:
    enabled: KeepsSolved

    def keeps_solved(self, tenant_id: str, body: str, people: Callable[[], Iterable[str]] = tuple) -> bool:
        """Whether the customer's `body` on the tenant's solved ticket leaves it solved. `people`: the names of the
        ticket's people ("Thanks, Maria!" thanks the agent who answered), read by `only_thanks` only when the thanks
        alone do not decide."""
        return only_thanks(body, people) and self.enabled(tenant_id)
