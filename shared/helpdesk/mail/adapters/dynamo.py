"""MailRecords in the Meta table (tenant in every tenant-owned key):

  pk `MAILDELIVERY#<delivery id>`           sk `DELIVERY`   value: lease end (epoch s), -1 once done;
                                                            data: {"attempts"}, then the result; TTL 30 days
  pk `MAILCLAIM#<tenant>#<mail key>`        sk `CLAIM`      data: {"delivery_id"}; TTL 30 days
  pk `INBOUND#<address>`                    sk `TENANT`     data: {"tenant_id", "verified_by"}
  pk `MAILDOMAIN#<domain>`                  sk `TENANT`     data: {"tenant_id"}
  pk `TENANT#<tenant>`                      sk `MAIL#settings`  data: MailSettings
  pk `TENANT#<tenant>`                      sk `MAIL#tagkey`    data: {"key"} (base64, 32 random bytes)
  pk `TENANT#<tenant>#MAILVERIFY`           sk `<address>`  data: AddressVerification; TTL its expiry
  pk `MAILMSG#<tenant>#<message id>`        sk `TICKET`     data: {"ticket_id"}; TTL 2 years
                                            sk `AGENT`      data: {"ticket_id", "agent_id", "internal"}; TTL 90 days
                                            sk `SIDE`       data: {"ticket_id", "addresses"}; TTL 2 years
  pk `TENANT#<tenant>#MAILQ`                sk `<received at>#<delivery id>`  data: QuarantineRecord; TTL 90 days
  pk `TENANT#<tenant>#MAILQID`              sk `<delivery id>`  data: {"sk"} of the record above; TTL 90 days
"""

import base64
import secrets
import time
from collections.abc import Callable
from datetime import timedelta
from typing import TYPE_CHECKING, Any, Literal

from pynamodb.exceptions import PutError, UpdateError

from helpdesk.kernel.clock import Clock, system_clock
from helpdesk.mail.ports import (
    AddressVerification,
    InboundAddress,
    MailSettings,
    MessageRecords,
    NotifiedAgent,
    QuarantineRecord,
    SideThread,
)
from helpdesk.platform.dynamo.cursor import decode_cursor, encode_cursor
from helpdesk.platform.dynamo.tenant_document import TenantDocument

if TYPE_CHECKING:
    from helpdesk.platform.dynamo.models import Tables


DELIVERY_TTL = timedelta(days=30)
MESSAGE_ID_TTL = timedelta(days=730)
NOTIFICATION_TTL = timedelta(days=90)  # an agent answers a notification within days, not years
QUARANTINE_TTL = timedelta(days=90)
# Held mail a search reads per request before it answers with what it found and a cursor to read on: a tenant's
# months of out-of-office replies are searched a page at a time, each call bounded (about 1-2 MB read).
QUARANTINE_SEARCHED = 1000
DONE = -1


class DynamoMailRecords:
    def __init__(self, tables: "Tables", *, clock: Clock = system_clock) -> None:
        self._tables = tables
        self._clock = clock  # TTL stamps; the delivery leases stay on epoch seconds (time.time())
        self._tag_keys: dict[str, bytes] = {}  # never change once made
        self._settings = TenantDocument(tables, "MAIL#settings")

    def claim_delivery(self, delivery_id: str, lease_seconds: int) -> Literal["new", "retry"] | None:
        now = int(time.time())
        record = self._tables.meta(pk=f"MAILDELIVERY#{delivery_id}", sk="DELIVERY", value=now + lease_seconds,
                                   data={"attempts": 1}, expires_at=self._clock() + DELIVERY_TTL)
        try:
            record.save(condition=self._tables.meta.pk.does_not_exist())
            return "new"
        except PutError as exc:
            if not _condition_failed(exc):
                raise
        record.data = {"attempts": self.delivery_attempts(delivery_id) + 1}
        try:  # taken before: take it over only when that attempt's lease ran out and it never finished
            record.save(condition=(self._tables.meta.value < now) & (self._tables.meta.value >= 0))
            return "retry"
        except PutError as exc:
            if not _condition_failed(exc):
                raise
        return None

    def complete_delivery(self, delivery_id: str, result: dict[str, Any]) -> None:
        self._tables.meta(pk=f"MAILDELIVERY#{delivery_id}", sk="DELIVERY", value=DONE, data=result,
                  expires_at=self._clock() + DELIVERY_TTL).save()

    def release_delivery(self, delivery_id: str) -> None:
        record = self._tables.meta(pk=f"MAILDELIVERY#{delivery_id}", sk="DELIVERY")
        try:  # lease end 0 = expired but not done; never touches a completed record
            record.update(actions=[self._tables.meta.value.set(0)], condition=self._tables.meta.value >= 0)
        except UpdateError as exc:
            if getattr(exc, "cause_response_code", None) != "ConditionalCheckFailedException":
                raise

    def delivery_attempts(self, delivery_id: str) -> int:
        try:
            item = self._tables.meta.get(f"MAILDELIVERY#{delivery_id}", "DELIVERY", consistent_read=True)
        except self._tables.meta.DoesNotExist:
            return 0
        if item.value == DONE:
            return 0
        return int((item.data or {}).get("attempts", 1))

    def reset_delivery(self, delivery_id: str) -> bool:
        meta = self._tables.meta
        record = meta(pk=f"MAILDELIVERY#{delivery_id}", sk="DELIVERY", value=0, data={"attempts": 0},
                      expires_at=self._clock() + DELIVERY_TTL)
        try:
            record.save(condition=meta.pk.does_not_exist() | (meta.value < int(time.time())))
            return True
        except PutError as exc:
            if not _condition_failed(exc):
                raise
        return False

    def claim_message(self, tenant_id: str, key: str, delivery_id: str) -> str:
        meta = self._tables.meta
        pk = f"MAILCLAIM#{tenant_id}#{key[:200]}"
        claim = meta(pk=pk, sk="CLAIM", data={"delivery_id": delivery_id}, expires_at=self._clock() + DELIVERY_TTL)
        try:
            claim.save(condition=meta.pk.does_not_exist())
            return delivery_id
        except PutError as exc:
            if not _condition_failed(exc):
                raise
        held = meta.get(pk, "CLAIM", consistent_read=True)
        holder = str((held.data or {}).get("delivery_id") or "")
        if holder == delivery_id or not self._abandoned(holder):
            return holder
        try:  # its delivery failed and nobody works on it: take the mail over, unless someone just did
            claim.save(condition=meta.data == held.data)
            return delivery_id
        except PutError as exc:
            if not _condition_failed(exc):
                raise
        return str((meta.get(pk, "CLAIM", consistent_read=True).data or {}).get("delivery_id") or "")

    def _abandoned(self, delivery_id: str) -> bool:
        """A delivery that neither finished nor has a live attempt (it failed, or its record expired)."""
        try:
            item = self._tables.meta.get(f"MAILDELIVERY#{delivery_id}", "DELIVERY", consistent_read=True)
        except self._tables.meta.DoesNotExist:
            return True
        return item.value is not None and 0 <= item.value < time.time()

    def tag_key(self, tenant_id: str) -> bytes:
        if tenant_id in self._tag_keys:
            return self._tag_keys[tenant_id]
        meta = self._tables.meta
        fresh = base64.b64encode(secrets.token_bytes(32)).decode()
        try:
            meta(pk=f"TENANT#{tenant_id}", sk="MAIL#tagkey", data={"key": fresh}).save(
                condition=meta.pk.does_not_exist())
            encoded = fresh
        except PutError as exc:
            if not _condition_failed(exc):
                raise
            encoded = str((meta.get(f"TENANT#{tenant_id}", "MAIL#tagkey", consistent_read=True).data or {})["key"])
        key = self._tag_keys[tenant_id] = base64.b64decode(encoded)
        return key

    def delivery_result(self, delivery_id: str) -> dict[str, Any] | None:
        try:
            item = self._tables.meta.get(f"MAILDELIVERY#{delivery_id}", "DELIVERY", consistent_read=True)
        except self._tables.meta.DoesNotExist:
            return None
        return dict(item.data) if item.value == DONE and item.data else None

    def tenant_for_address(self, address: str) -> str | None:
        try:
            item = self._tables.meta.get(f"INBOUND#{address.lower()}", "TENANT")
        except self._tables.meta.DoesNotExist:
            return None
        tenant = (item.data or {}).get("tenant_id")
        return str(tenant) if tenant else None

    def set_inbound_address(self, address: str, tenant_id: str) -> None:
        """The operator's assignment (`helpdesk mail route`): no verification, overrides any owner."""
        previous = self.tenant_for_address(address)
        self._tables.meta(pk=f"INBOUND#{address.lower()}", sk="TENANT",
                          data={"tenant_id": tenant_id, "verified_by": "operator"}).save()
        if previous not in (None, tenant_id):
            self._tables.meta(pk=_addresses_pk(str(previous)), sk=address.lower()).delete()
        self._list_address(tenant_id, address, "operator")

    def claim_inbound_address(self, address: str, tenant_id: str, verified_by: str) -> str:
        meta = self._tables.meta
        try:
            meta(pk=f"INBOUND#{address.lower()}", sk="TENANT",
                 data={"tenant_id": tenant_id, "verified_by": verified_by}).save(condition=meta.pk.does_not_exist())
            owner = tenant_id
        except PutError as exc:
            if not _condition_failed(exc):
                raise
            owner = self.tenant_for_address(address) or tenant_id
        if owner == tenant_id:  # also an address claimed before the tenant kept a list: listed now
            self._list_address(tenant_id, address, verified_by)
        return owner

    def _list_address(self, tenant_id: str, address: str, verified_by: str) -> None:
        entry = InboundAddress(address=address.lower(), verified_by=verified_by)
        self._tables.meta(pk=_addresses_pk(tenant_id), sk=entry.address, data=entry.model_dump(mode="json")).save()

    def inbound_addresses(self, tenant_id: str) -> list[InboundAddress]:
        return [InboundAddress.model_validate(item.data) for item in self._tables.meta.query(_addresses_pk(tenant_id))]

    def pending_verifications(self, tenant_id: str) -> list[AddressVerification]:
        return [AddressVerification.model_validate(item.data)
                for item in self._tables.meta.query(_verifications_pk(tenant_id))]

    def release_inbound_address(self, tenant_id: str, address: str) -> None:
        meta = self._tables.meta
        meta(pk=f"INBOUND#{address.lower()}", sk="TENANT").delete()
        meta(pk=_addresses_pk(tenant_id), sk=address.lower()).delete()

    def domain_owner(self, domain: str) -> str | None:
        try:
            item = self._tables.meta.get(f"MAILDOMAIN#{domain.lower()}", "TENANT")
        except self._tables.meta.DoesNotExist:
            return None
        tenant = (item.data or {}).get("tenant_id")
        return str(tenant) if tenant else None

    def register_domain(self, domain: str, tenant_id: str) -> str:
        meta = self._tables.meta
        try:
            meta(pk=f"MAILDOMAIN#{domain.lower()}", sk="TENANT", data={"tenant_id": tenant_id}).save(
                condition=meta.pk.does_not_exist())
            owner = tenant_id
        except PutError as exc:
            if not _condition_failed(exc):
                raise
            owner = self.domain_owner(domain) or tenant_id
        if owner == tenant_id:
            self._list_address(tenant_id, f"@{domain}", "domain")
        return owner

    def address_verification(self, tenant_id: str, address: str) -> AddressVerification | None:
        try:
            item = self._tables.meta.get(_verifications_pk(tenant_id), address.lower(), consistent_read=True)
        except self._tables.meta.DoesNotExist:
            return None
        return AddressVerification.model_validate(item.data)

    def put_address_verification(self, verification: AddressVerification) -> None:
        self._tables.meta(pk=_verifications_pk(verification.tenant_id), sk=verification.address.lower(),
                          data=verification.model_dump(mode="json"), expires_at=verification.expires_at).save()

    def delete_address_verification(self, tenant_id: str, address: str) -> None:
        self._tables.meta(pk=_verifications_pk(tenant_id), sk=address.lower()).delete()

    def settings(self, tenant_id: str) -> MailSettings:
        return self.settings_versioned(tenant_id)[0]

    def settings_versioned(self, tenant_id: str) -> tuple[MailSettings, int]:
        data, version = self._settings.read(tenant_id)
        return MailSettings.model_validate(data or {}), version

    def put_settings(self, tenant_id: str, settings: MailSettings, expected_version: int | None = None) -> int:
        return self._settings.write(tenant_id, settings.model_dump(mode="json"), expected_version)

    def ticket_for_message_id(self, tenant_id: str, message_id: str) -> str | None:
        try:
            item = self._tables.meta.get(_message_pk(tenant_id, message_id), "TICKET", consistent_read=True)
        except self._tables.meta.DoesNotExist:
            return None
        ticket_id = (item.data or {}).get("ticket_id")
        return str(ticket_id) if ticket_id else None

    def remember_message_id(self, tenant_id: str, message_id: str, ticket_id: str) -> None:
        self._tables.meta(pk=_message_pk(tenant_id, message_id), sk="TICKET", data={"ticket_id": ticket_id},
                  expires_at=self._clock() + MESSAGE_ID_TTL).save()

    def remember_notification(self, tenant_id: str, message_id: str, ticket_id: str, agent_id: str,
                              internal: bool = False) -> None:
        self._tables.meta(pk=_message_pk(tenant_id, message_id), sk="AGENT",
                          data={"ticket_id": ticket_id, "agent_id": agent_id, "internal": internal},
                          expires_at=self._clock() + NOTIFICATION_TTL).save()

    def message_records(self, tenant_id: str, message_id: str) -> MessageRecords:
        # One partition per Message-ID (sort keys TICKET, AGENT, SIDE): a Query reads them all for one request.
        found = {item.sk: item.data or {} for item in self._tables.meta.query(
            _message_pk(tenant_id, message_id), consistent_read=True)}
        ticket_id = found.get("TICKET", {}).get("ticket_id")
        return MessageRecords(ticket_id=str(ticket_id) if ticket_id else None,
                              agent=_notified_agent(found.get("AGENT")), side=_side_thread(found.get("SIDE")))

    def remember_side_mail(self, tenant_id: str, message_id: str, ticket_id: str) -> None:
        self._tables.meta(pk=_message_pk(tenant_id, message_id), sk="SIDE", data={"ticket_id": ticket_id},
                          expires_at=self._clock() + MESSAGE_ID_TTL).save()

    def quarantine(self, record: QuarantineRecord) -> None:
        sk = f"{record.received_at.isoformat()}#{record.delivery_id}"
        expires = self._clock() + QUARANTINE_TTL
        self._tables.meta(pk=f"TENANT#{record.tenant_id}#MAILQ", sk=sk,
                          data=record.model_dump(mode="json"), expires_at=expires).save()
        self._tables.meta(pk=f"TENANT#{record.tenant_id}#MAILQID", sk=record.delivery_id, data={"sk": sk},
                          expires_at=expires).save()

    def quarantined_record(self, tenant_id: str, delivery_id: str) -> QuarantineRecord | None:
        meta = self._tables.meta
        try:
            pointer = meta.get(f"TENANT#{tenant_id}#MAILQID", delivery_id, consistent_read=True)
            item = meta.get(f"TENANT#{tenant_id}#MAILQ", str((pointer.data or {})["sk"]), consistent_read=True)
        except meta.DoesNotExist:
            return None
        return QuarantineRecord.model_validate(item.data)

    def quarantined(self, tenant_id: str, limit: int = 50) -> list[QuarantineRecord]:
        return self.quarantine_page(tenant_id, limit)[0]

    def quarantine_page(self, tenant_id: str, limit: int = 50, cursor: str | None = None,
                        matching: Callable[[QuarantineRecord], bool] | None = None,
                        ) -> tuple[list[QuarantineRecord], str | None]:
        pk = f"TENANT#{tenant_id}#MAILQ"
        results = self._tables.meta.query(pk, scan_index_forward=False,
                                          limit=limit if matching is None else QUARANTINE_SEARCHED,
                                          last_evaluated_key=decode_cursor(cursor, {"pk": pk}, {"pk", "sk"}))
        records: list[QuarantineRecord] = []
        for item in results:
            record = QuarantineRecord.model_validate(item.data)
            if matching is None or matching(record):
                records.append(record)
                if len(records) == limit:
                    break
        # stopped at the limit or the search's reading budget: the key of the last record read (PynamoDB rebuilds it
        # mid-page); read to the end: none
        return records, encode_cursor(results.last_evaluated_key)


def _message_pk(tenant_id: str, message_id: str) -> str:
    return f"MAILMSG#{tenant_id}#{message_id[:900]}"


def _condition_failed(exc: PutError) -> bool:
    return getattr(exc, "cause_response_code", None) == "ConditionalCheckFailedException"


def _addresses_pk(tenant_id: str) -> str:
    """The tenant's own list of its inbound addresses (a route is keyed by address: no query by tenant)."""
    return f"TENANT#{tenant_id}#MAILADDR"


def _verifications_pk(tenant_id: str) -> str:
    """The codes mailed to addresses the tenant claims, until they are typed in."""
    return f"TENANT#{tenant_id}#MAILVERIFY"


def _notified_agent(data: dict[str, Any] | None) -> NotifiedAgent | None:
    ticket_id, agent_id = (data or {}).get("ticket_id"), (data or {}).get("agent_id")
    if not ticket_id or not agent_id:
        return None
    return NotifiedAgent(str(ticket_id), str(agent_id), internal=(data or {}).get("internal") is True)


def _side_thread(data: dict[str, Any] | None) -> SideThread | None:
    ticket_id, addresses = (data or {}).get("ticket_id"), (data or {}).get("addresses")
    if not ticket_id:
        return None
    return SideThread(str(ticket_id), tuple(str(a) for a in addresses) if isinstance(addresses, list) else ())
