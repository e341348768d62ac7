"""A customer known by two addresses (`/customers/{key}/addresses`) through mail, export and erasure on moto: mail from
the linked address opens tickets under the customer and is answered at that address; the person's export holds both
addresses' tickets; erasing the person erases both addresses and their link; erasing one address only takes it off
the customer."""

from typing import Any
from urllib.parse import quote

from helpdesk import bootstrap
from helpdesk.mail.local import plain_text
from tests.conftest import claims
from tests.iam_calls import Call, denied
from tests.integration.privacy.test_privacy_api import ADMIN, AGENT, Invoke, call

HOME = "dana@customer.example"
WORK = "dana.k@corp.example"
CUSTOMER = f"email:{HOME}"
ADDRESSES = f"/customers/{quote(CUSTOMER, safe='')}/addresses"
PASS = {"spf": "PASS", "dkim": "PASS", "dmarc": "PASS"}


def two_addresses(invoke: Invoke, mail: Any, recorded: list[Call] | None = None) -> tuple[str, str]:
    """Dana mails from home, the team links her work address, then she mails from work (the calls of that mail's
    ingest alone in `recorded`)."""
    home = mail.deliver(mail.compose(sender=f"Dana Kim <{HOME}>", message_id="h1@customer.example"), "ses-home",
                        verdicts=PASS)["ticket_id"]
    assert call(invoke, "ticket_commands", "POST", ADDRESSES, ADMIN, {"email": WORK})["statusCode"] == 200
    if recorded is not None:
        recorded.clear()
    work = mail.deliver(mail.compose(sender=f"Dana Kim <{WORK}>", subject="Invoice to the company",
                                     message_id="w1@corp.example"), "ses-work", verdicts=PASS)["ticket_id"]
    if recorded is not None:
        assert denied("EmailIngestFunction", [c for c in recorded if c.action != "Scan"]) == []
    notes = call(invoke, "directory_api", "PUT", f"/customers/{quote(CUSTOMER, safe='')}/notes", AGENT,
                 {"notes": "Prefers a call"})
    assert notes["statusCode"] == 200, notes["json"]
    return str(home), str(work)


def test_mail_from_a_linked_address_is_the_customers_and_is_answered_there(aws: None, invoke: Invoke, mail: Any,
                                                                         recorded: list[Call]) -> None:
    home, work = two_addresses(invoke, mail, recorded)
    ticket = call(invoke, "ticket_commands", "GET", f"/tickets/{work}", AGENT)["json"]
    assert (ticket["requester"]["email"], ticket["requester_key"]) == (WORK, CUSTOMER)
    replied = call(invoke, "ticket_commands", "POST", f"/tickets/{work}/messages", AGENT,
                   {"body": "The invoice is on its way.", "public": True})
    assert replied["statusCode"] == 201, replied["json"]
    assert mail.stream() == {"batchItemFailures": []}
    assert [str(m["To"]) for m in mail.sent() if "on its way" in plain_text(m)] == [WORK]
    shown = call(invoke, "ticket_commands", "GET", "/tickets", AGENT, query={"requester": quote(CUSTOMER)})["json"]
    assert sorted(t["id"] for t in shown["items"]) == sorted([home, work])


def test_erasing_the_customer_erases_both_addresses_and_their_link(aws: None, invoke: Invoke, mail: Any,
                                                                  recorded: list[Call]) -> None:
    home, work = two_addresses(invoke, mail)
    exported = call(invoke, "privacy_api", "POST", "/privacy/export", ADMIN, {"email": HOME})
    assert exported["statusCode"] == 201, exported["json"]
    assert exported["json"]["tickets"] == 2  # hers under either address

    recorded.clear()
    erased = call(invoke, "privacy_api", "POST", "/privacy/erase", ADMIN, {"email": HOME})
    assert erased["statusCode"] == 200, erased["json"]
    assert (erased["json"]["tickets"], erased["json"]["linked_addresses"], erased["json"]["notes_deleted"]) == \
        (2, 1, True)
    # BatchGetItem: outside Lambda the search index is refreshed at once (`search.indexing.refresh`); in AWS the
    # indexer follows the tables' streams
    assert denied("PrivacyApiFunction", [c for c in recorded if c.action != "BatchGetItem"]) == []
    for ticket_id in (home, work):
        answer = call(invoke, "ticket_commands", "GET", f"/tickets/{ticket_id}", AGENT)
        events = call(invoke, "ticket_commands", "GET", f"/tickets/{ticket_id}/events", AGENT)
        for trace in (HOME, WORK, "Dana Kim"):
            assert trace not in answer["body"], (ticket_id, trace)
            assert trace not in events["body"], (ticket_id, trace)
    store = bootstrap.container().customer_address_store
    assert (store.addresses("acme", CUSTOMER), store.customer_of("acme", f"email:{WORK}")) == (None, None)
    # mail from the work address is nobody's now: it opens a ticket of its own
    later = mail.deliver(mail.compose(sender=WORK, message_id="w2@corp.example"), "ses-work-2", verdicts=PASS)
    assert call(invoke, "ticket_commands", "GET", f"/tickets/{later['ticket_id']}", AGENT)["json"][
        "requester_key"] == f"email:{WORK}"


def test_erasing_one_address_takes_it_off_the_customer_and_leaves_the_rest(aws: None, invoke: Invoke,
                                                                          mail: Any) -> None:
    home, work = two_addresses(invoke, mail)
    erased = call(invoke, "privacy_api", "POST", "/privacy/erase", ADMIN, {"email": WORK})
    assert erased["statusCode"] == 200, erased["json"]
    assert (erased["json"]["tickets"], erased["json"]["linked_addresses"], erased["json"]["notes_deleted"]) == \
        (1, 0, False)  # the notes are on the customer, not on the address
    addresses = call(invoke, "ticket_commands", "GET", ADDRESSES, AGENT)["json"]
    assert addresses["addresses"] == []
    assert WORK not in call(invoke, "ticket_commands", "GET", f"/tickets/{work}", AGENT)["body"]
    kept = call(invoke, "ticket_commands", "GET", f"/tickets/{home}", AGENT)["json"]
    assert (kept["requester"]["email"], kept["requester_key"]) == (HOME, CUSTOMER)
    notes = call(invoke, "directory_api", "GET", f"/customers/{quote(CUSTOMER, safe='')}/notes", AGENT)["json"]
    assert notes["notes"] == "Prefers a call"
    signed_in = {**claims("c-home", "acme", "customer", email=HOME), "email_verified": "true"}
    mine = call(invoke, "ticket_commands", "GET", "/tickets", signed_in)["json"]["items"]
    assert [t["id"] for t in mine] == [home]
