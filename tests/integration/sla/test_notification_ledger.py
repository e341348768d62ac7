"""The notification ledger on moto's Meta table: claim for a lease, confirm once sent, a lapsed claim taken
over, a released claim free again, and records of the earlier claim-then-send ledger read as sent."""

from datetime import UTC, datetime, timedelta

from helpdesk import bootstrap
from helpdesk.sla.adapters.dynamo import DynamoNotificationLedger
from helpdesk.sla.ports import Claim

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
LEASE = timedelta(minutes=5)


def test_claim_confirm_and_takeover(aws: None) -> None:
    one, other = DynamoNotificationLedger(bootstrap.container().tables), DynamoNotificationLedger(
        bootstrap.container().tables)
    assert one.claim("acme", "t1#first_response@x#warning", T0, LEASE) == Claim.WON
    assert other.claim("acme", "t1#first_response@x#warning", T0 + timedelta(minutes=1), LEASE) == Claim.BUSY
    assert other.claim("acme", "t1#first_response@x#warning", T0 + LEASE + timedelta(seconds=1), LEASE) == Claim.WON
    other.confirm("acme", "t1#first_response@x#warning", T0 + LEASE + timedelta(seconds=2))
    assert one.claim("acme", "t1#first_response@x#warning", T0 + timedelta(days=1), LEASE) == Claim.SENT
    assert one.claim("globex", "t1#first_response@x#warning", T0, LEASE) == Claim.WON  # tenant in the key


def test_a_released_claim_is_free_and_legacy_records_count_as_sent(aws: None) -> None:
    tables = bootstrap.container().tables
    ledger = DynamoNotificationLedger(tables)
    assert ledger.claim("acme", "k", T0, LEASE) == Claim.WON
    ledger.release("acme", "k")
    assert ledger.claim("acme", "k", T0, LEASE) == Claim.WON
    tables.meta(pk="TENANT#acme#SLANOTE", sk="old", expires_at=T0 + timedelta(days=180)).save()  # no `value`
    assert ledger.claim("acme", "old", T0, LEASE) == Claim.SENT
