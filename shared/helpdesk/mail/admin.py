"""A tenant's mail administration: held-back mail, mail settings, and which addresses route to it.

The rule that matters: an inbound address belongs to the first tenant that proved it controls it, and
nobody takes it over. Proof is either
- a code mailed to the address (`route_address` sends it, `verify_address` checks it), or
- the address's domain being registered to the tenant by the operator (`helpdesk mail domain`, which
  requires the domain to be verified in SES): such addresses route at once.
A tenant's support address (the From of its outbound mail) must be one of its own addresses.
"""

import hashlib
import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Literal

from tenacity import Retrying, retry_if_exception_type, stop_after_attempt

from helpdesk.kernel.clock import Clock, system_clock
from helpdesk.kernel.errors import ConcurrentUpdate, Conflict, Forbidden, InvalidAssignment, InvalidInput, NotFound
from helpdesk.kernel.principal import Principal, Role
from helpdesk.mail.outbound import compose
from helpdesk.mail.ports import (
    AddressVerification,
    MailRecords,
    MailRedelivery,
    MailSender,
    MailSettings,
    QuarantineRecord,
)

if TYPE_CHECKING:
    from helpdesk.audit.service import AuditTrail
from helpdesk.settings import MailSection

# Why a held mail may be let in by an admin (`deliver_again`): a judgement they may overrule, or an error since fixed.
# An agent's mail answer nothing vouched for (their domain signs no mail) is let in as theirs: the admin vouches.
DELIVERABLE = frozenset({"spam", "automatic", "blocked_sender", "unauthenticated_reply", "agent_reply_unauthenticated",
                         "failed"})
CODE_TTL = timedelta(hours=24)
RESEND_AFTER = timedelta(minutes=10)  # a repeated request within this re-uses the code already mailed
MAX_CODE_ATTEMPTS = 5


def deliverable(record: QuarantineRecord) -> bool:
    """Whether an admin may let this held mail in (`MailAdmin.deliver_again`)."""
    return record.reason in DELIVERABLE and record.resolution is None


@dataclass(frozen=True)
class AddressRoute:
    address: str
    tenant_id: str
    status: Literal["verified", "pending_verification"]
    verified_by: str | None = None  # code, domain, operator (routed ones, when listed)


class MailAdmin:
    def __init__(self, records: MailRecords, sender: MailSender, config: MailSection, *,
                 clock: Clock = system_clock, audit: "AuditTrail | None" = None,
                 group_exists: Callable[[str, str], bool] | None = None,
                 redelivery: MailRedelivery | None = None) -> None:
        self._records, self._sender, self._config, self._clock = records, sender, config, clock
        self._audit = audit
        self._group_exists = group_exists  # (tenant, group) -> whether the directory has it; None: not checked
        self._redelivery = redelivery

    @staticmethod
    def _require_admin(caller: Principal) -> None:
        if caller.role != Role.ADMIN:
            raise Forbidden("mail administration is for admins")

    def quarantined(self, caller: Principal, limit: int = 50, cursor: str | None = None,
                    search: str | None = None) -> tuple[list[QuarantineRecord], str | None]:
        """A page of the tenant's held mail, newest first, and the cursor of the next (None: the last page).
        `search`: only held mail whose sender, subject, recipients, reason or delivery id hold every word of it ("did
        Dana's mail arrive?"); a page of a search may hold fewer, with a cursor to search older mail."""
        self._require_admin(caller)
        words = (search or "").casefold().split()
        return self._records.quarantine_page(caller.tenant_id, limit, cursor,
                                             held_mail_matching(words) if words else None)

    def deliver_again(self, caller: Principal, delivery_id: str) -> QuarantineRecord:
        """Let a held mail in: it is delivered again as a person's mail whatever its spam verdict, automatic headers
        or the block list said (`InboundMail.admitted_by`), asynchronously in AWS (`MailRedelivery`). Only mail held
        for such a judgement, or for an error, can be: a virus stays held, and a mail too large, empty or without a
        sender has nothing a ticket could be made of. The record is returned as read after the call: its
        `resolution` names the ticket once the mail is on one (at once locally, a moment later in AWS)."""
        self._require_admin(caller)
        record = self._records.quarantined_record(caller.tenant_id, delivery_id)
        if record is None:
            raise NotFound(f"no held mail {delivery_id}")
        if record.resolution is not None:
            raise Conflict("this mail was delivered already", {"ticket_number": record.resolution.get("ticket_number")})
        if record.reason not in DELIVERABLE:
            raise Conflict(f"a mail held as {record.reason} cannot be let in",
                           {"reason": record.reason, "deliverable": sorted(DELIVERABLE)})
        if self._redelivery is None:
            raise Conflict("this deployment cannot deliver held mail again")
        self._redelivery.deliver_again(caller.tenant_id, delivery_id, caller.user_id)
        if self._audit:
            held = {"reason": record.reason, "sender": record.sender, "subject": record.subject}
            self._audit.record(caller, "mail.deliver_again", delivery_id, {**held, "let_in": False},
                               {**held, "let_in": True})
        return self._records.quarantined_record(caller.tenant_id, delivery_id) or record

    def settings(self, caller: Principal) -> tuple[MailSettings, int]:
        """The settings and their version (the ETag a save sends back as If-Match)."""
        self._require_admin(caller)
        return self._records.settings_versioned(caller.tenant_id)

    def put_settings(self, caller: Principal, settings: MailSettings,
                     expected_version: int | None = None) -> tuple[MailSettings, int]:
        """Replace the settings; with `expected_version`, only if no one saved since (409 otherwise)."""
        self._require_admin(caller)
        if settings.support_address:
            address = settings.support_address.strip().lower()
            if not self._owns(caller.tenant_id, address):
                raise Conflict("the support address must be one of this tenant's verified inbound addresses "
                               "(PUT /mail/inbound/{address} first)", {"support_address": address})
            settings = settings.model_copy(update={"support_address": address})
        settings = settings.model_copy(update={"blocked_senders": list(dict.fromkeys(settings.blocked_senders)),
                                               "address_groups": self._address_groups(caller.tenant_id, settings)})
        before = self._records.settings(caller.tenant_id) if self._audit else None
        version = self._records.put_settings(caller.tenant_id, settings, expected_version)
        if self._audit:
            self._audit.record(caller, "mail.settings", caller.tenant_id, before, settings)
        return settings, version

    def route_address(self, caller: Principal, address: str) -> AddressRoute:
        """Route mail sent to `address` to the caller's tenant: at once when the tenant owns the address or
        its domain, otherwise after the code mailed to it now is confirmed (`verify_address`)."""
        self._require_admin(caller)
        address = address.strip().lower()
        self._refuse_if_taken(caller.tenant_id, address)
        if self._owns(caller.tenant_id, address):
            return self._claim(caller, address, "domain")
        now = self._clock()
        pending = self._records.address_verification(caller.tenant_id, address)
        if pending is not None and pending.expires_at > now and now - pending.sent_at < RESEND_AFTER:
            return AddressRoute(address, caller.tenant_id, "pending_verification")
        code = f"{secrets.randbelow(10 ** 8):08d}"
        self._records.put_address_verification(AddressVerification(
            tenant_id=caller.tenant_id, address=address, code_sha256=_digest(code), sent_at=now,
            expires_at=now + CODE_TTL))
        self._send_code(address, code)
        return AddressRoute(address, caller.tenant_id, "pending_verification")

    def inbound_addresses(self, caller: Principal) -> list[AddressRoute]:
        """The tenant's routed addresses (and its registered domains, `@domain`), then those waiting for their
        code."""
        self._require_admin(caller)
        tenant_id, now = caller.tenant_id, self._clock()
        routed = [AddressRoute(a.address, tenant_id, "verified", a.verified_by)
                  for a in self._records.inbound_addresses(tenant_id)]
        listed = {route.address for route in routed}
        waiting = [AddressRoute(v.address, tenant_id, "pending_verification")
                   for v in self._records.pending_verifications(tenant_id)
                   if v.expires_at > now and v.address not in listed]
        return routed + waiting

    def release_address(self, caller: Principal, address: str) -> None:
        """Stop taking mail at `address` (or give up a claim still waiting for its code). The support address
        is refused (outbound mail would come from an address that is no longer ours); its group goes with it."""
        self._require_admin(caller)
        tenant_id, address = caller.tenant_id, address.strip().lower()
        if self._records.tenant_for_address(address) != tenant_id:
            if self._records.address_verification(tenant_id, address) is None:
                raise NotFound("no such inbound address of this tenant")
            self._records.delete_address_verification(tenant_id, address)
            return

        def without_address(settings: MailSettings) -> MailSettings | None:
            if settings.support_address == address:
                raise Conflict("this is the support address: choose another one in the mail settings first",
                               {"support_address": address})
            return without_address_group(settings, address)

        change_mail_settings(self._records, caller, without_address, self._audit)
        self._records.release_inbound_address(tenant_id, address)
        if self._audit:
            self._audit.record(caller, "mail.inbound_address", address, {"address": address}, None)

    def verify_address(self, caller: Principal, address: str, code: str) -> AddressRoute:
        """Confirm the code mailed to `address`: from now on its mail is the caller's tenant's."""
        self._require_admin(caller)
        address = address.strip().lower()
        pending = self._records.address_verification(caller.tenant_id, address)
        if pending is None or pending.expires_at <= self._clock():
            raise NotFound("no verification is pending for this address (PUT /mail/inbound/{address} first)")
        if pending.attempts >= MAX_CODE_ATTEMPTS:
            raise Conflict("too many wrong codes: request a new one with PUT /mail/inbound/{address}")
        if not hmac.compare_digest(pending.code_sha256, _digest(code.strip())):
            self._records.put_address_verification(pending.model_copy(update={"attempts": pending.attempts + 1}))
            raise InvalidInput("wrong verification code", {"attempts_left": MAX_CODE_ATTEMPTS - pending.attempts - 1})
        self._refuse_if_taken(caller.tenant_id, address)
        route = self._claim(caller, address, "code")
        self._records.delete_address_verification(caller.tenant_id, address)
        return route

    # -- helpers ---------------------------------------------------------------------------

    def _address_groups(self, tenant_id: str, settings: MailSettings) -> dict[str, str]:
        """Each address the tenant's own (as the support address must be), each group one of its groups."""
        routes = {address.strip().lower(): group for address, group in settings.address_groups.items()}
        foreign = sorted(address for address in routes if not self._owns(tenant_id, address))
        if foreign:
            raise Conflict("a group is chosen for addresses of this tenant only (PUT /mail/inbound/{address} "
                           "first)", {"field": "address_groups", "addresses": foreign})
        if self._group_exists is not None:
            exists = self._group_exists
            missing = sorted({group for group in routes.values() if not exists(tenant_id, group)})
            if missing:
                raise InvalidAssignment("no such group in this tenant (POST /groups first)",
                                        {"field": "address_groups", "groups": missing})
        return routes

    def _owner(self, address: str) -> str | None:
        """Who the address belongs to: the tenant it routes to, else the tenant its domain is registered to."""
        return self._records.tenant_for_address(address) or self._records.domain_owner(address.rsplit("@", 1)[-1])

    def _owns(self, tenant_id: str, address: str) -> bool:
        return self._owner(address) == tenant_id

    def _refuse_if_taken(self, tenant_id: str, address: str) -> None:
        owner = self._owner(address)
        if owner is not None and owner != tenant_id:
            raise Conflict("this address belongs to another tenant")

    def _claim(self, caller: Principal, address: str, verified_by: str) -> AddressRoute:
        tenant_id = caller.tenant_id
        had = self._audit is not None and self._records.tenant_for_address(address) == tenant_id
        if self._records.claim_inbound_address(address, tenant_id, verified_by) != tenant_id:
            raise Conflict("this address belongs to another tenant")  # verified by another a moment ago
        if self._audit and not had:
            self._audit.record(caller, "mail.inbound_address", address, None,
                               {"address": address, "verified_by": verified_by})
        return AddressRoute(address, tenant_id, "verified", verified_by)

    def _send_code(self, address: str, code: str) -> None:
        """From the deployment's address (the tenant has none of its own yet), marked automatic: if the
        address forwards to us, the mail lands in its owner's quarantine instead of opening a ticket."""
        sender = self._config.support_address
        domain = sender.rsplit("@", 1)[-1] or "helpdesk.invalid"
        body = (f"Your helpdesk address verification code is {code}\n\n"
                f"Someone asked to receive the mail sent to {address} in their helpdesk. If that was you, "
                "enter the code there; it expires in 24 hours. If not, ignore this mail: nothing changes "
                "without the code.\n")
        raw = compose(from_address=sender, from_name="Helpdesk", to=[address],
                      subject=f"Helpdesk address verification code {code}", body=body,
                      message_id=f"verify.{secrets.token_hex(8)}@{domain}", in_reply_to=None, references=[],
                      date=self._clock(), auto_submitted=True)
        self._sender.send_raw(sender, [address], raw)


def without_address_group(settings: MailSettings, address: str) -> MailSettings | None:
    """The settings without a group for `address` (one the tenant no longer has); None: it had none."""
    if address not in settings.address_groups:
        return None
    return settings.model_copy(update={"address_groups": {
        a: g for a, g in settings.address_groups.items() if a != address}})


def change_mail_settings(records: MailRecords, caller: Principal,
                         change: Callable[[MailSettings], MailSettings | None],
                         audit: "AuditTrail | None" = None) -> MailSettings:
    """A change to part of the settings made for the caller (a sender blocked, an address's group dropped):
    applied to the stored version and written on it, read again if someone saved meanwhile, and audited.
    `change` returns None when there is nothing to change."""
    def once() -> MailSettings:
        before, version = records.settings_versioned(caller.tenant_id)
        after = change(before)
        if after is None:
            return before
        records.put_settings(caller.tenant_id, after, version)
        if audit is not None:
            audit.record(caller, "mail.settings", caller.tenant_id, before, after)
        return after

    retrying = Retrying(retry=retry_if_exception_type(ConcurrentUpdate), stop=stop_after_attempt(5), reraise=True)
    return retrying(once)


def _digest(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def held_mail_matching(words: list[str]) -> Callable[[QuarantineRecord], bool]:
    """Whether a held mail holds every word (casefolded) in what an admin recognises it by."""
    def matches(record: QuarantineRecord) -> bool:
        why = record.details.get("why")
        known = " ".join([record.sender or "", record.subject or "", record.reason, why if isinstance(why, str) else "",
                          record.delivery_id, *record.recipients]).casefold()
        return all(word in known for word in words)
    return matches
