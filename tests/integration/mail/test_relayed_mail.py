"""A website's contact form mails the team from its own address, often a no-reply one, with the visitor in Reply-To:
the ticket is the visitor's (requester, receipt, the team's replies), the form's address is kept beside it, and the
no-reply sender no longer makes the mail count as a machine's. Reply-To never lets a mail into someone else's
conversation, and the tenant can turn the rule off (the real email_ingest and email_send handlers on moto)."""

from email.message import EmailMessage
from typing import Any

from helpdesk import bootstrap
from helpdesk.kernel.principal import Principal, Role
from helpdesk.mail.ports import MailSettings
from tests.integration.mail.conftest import (
    SUPPORT,
    MailWorld,
    mail,  # noqa: F401 (the fixture)
)

ADMIN = Principal(user_id="root", tenant_id="acme", role=Role.ADMIN)
AGENT = Principal(user_id="alex", tenant_id="acme", role=Role.AGENT)
FORM = ("Name: Jana Novak\nEmail: jana.novak@customer.example\n"
        "Message: The export button on the invoices page does nothing. Can you help?\n")
VISITOR = "Jana Novak <jana.novak@customer.example>"


def _form_mail(world: MailWorld, *, sender: str = "Acme website <no-reply@acme-site.example>", reply_to: str = VISITOR,
               message_id: str = "form-1@acme-site.example", headers: dict[str, str] | None = None) -> bytes:
    raw: bytes = world.compose(sender=sender, subject="Contact form: cannot export my invoices", body=FORM,
                              message_id=message_id, headers={"Reply-To": reply_to, **(headers or {})})
    return raw


def _to(messages: list[EmailMessage], address: str) -> list[EmailMessage]:
    return [m for m in messages if address in str(m["To"])]


def test_a_contact_forms_mail_is_the_visitors_ticket(mail: Any) -> None:  # noqa: F811
    c = bootstrap.container()
    result = mail.deliver(_form_mail(mail), "ses-form-1")
    assert result["status"] == "created"  # a no-reply sender with a person in Reply-To is a person's mail
    ticket = c.ticket_service.get(ADMIN, result["ticket_id"])
    assert (ticket.requester.email, ticket.requester.name) == ("jana.novak@customer.example", "Jana Novak")
    assert ticket.participants == ["jana.novak@customer.example"]  # not the form's address
    [created] = c.ticket_service.events(ADMIN, ticket.id)[:1]
    assert (created.data["from"], created.data["from_name"], created.data["sent_by"]) == (
        "jana.novak@customer.example", "Jana Novak", "no-reply@acme-site.example")
    assert len(_to(mail.sent(), "jana.novak@customer.example")) == 1  # the receipt
    assert not _to(mail.sent(), "no-reply@acme-site.example")

    # The team's reply goes to her, and her answer to it threads in.
    c.ticket_service.add_message(AGENT, ticket.id, "Please try again after clearing the filter.", public=True)
    mail.stream()
    [reply] = [m for m in _to(mail.sent(), "jana.novak@customer.example") if "clearing the filter" in str(m)]
    answer = mail.compose(sender=VISITOR, subject=str(reply["Subject"]), message_id="jana-2@customer.example",
                          in_reply_to=str(reply["Message-ID"]).strip("<>"), body="That worked, thanks.\n")
    assert mail.deliver(answer, "ses-form-2")["ticket_id"] == ticket.id


def test_a_form_sending_from_an_address_that_is_read_is_the_visitors_too(mail: Any) -> None:  # noqa: F811
    result = mail.deliver(_form_mail(mail, sender="WordPress <wordpress@acme-site.example>"), "ses-form-wp")
    ticket = bootstrap.container().ticket_service.get(ADMIN, result["ticket_id"])
    assert ticket.requester.email == "jana.novak@customer.example"


def test_reply_to_naming_the_sender_us_or_a_machine_leaves_the_sender_the_requester(mail: Any) -> None:  # noqa: F811
    c = bootstrap.container()
    for i, reply_to in enumerate(("Dana <DANA@customer.example>", SUPPORT, "noreply@customer.example")):
        result = mail.deliver(_form_mail(mail, sender="Dana <dana@customer.example>", reply_to=reply_to,
                                         message_id=f"self-{i}@customer.example"), f"ses-self-{i}")
        ticket = c.ticket_service.get(ADMIN, result["ticket_id"])
        assert ticket.requester.email == "dana@customer.example", reply_to
        assert "sent_by" not in c.ticket_service.events(ADMIN, ticket.id)[0].data
    # a no-reply sender whose Reply-To names nobody to answer is still a machine's mail
    machine = mail.deliver(_form_mail(mail, reply_to="do-not-reply@acme-site.example", message_id="m-1@x.example"),
                           "ses-machine")
    assert (machine["status"], machine["reason"]) == ("ignored", "automatic")
    # and headers that mark automatic mail still count with a person in Reply-To
    listed = mail.deliver(_form_mail(mail, message_id="m-2@x.example", headers={"List-Id": "<news.acme-site.example>"}),
                          "ses-listed")
    assert listed["status"] == "ignored"


def test_reply_to_does_not_let_a_mail_into_someone_elses_conversation(mail: Any) -> None:  # noqa: F811
    """From decides who may write into a ticket (that is what SPF, DKIM and DMARC vouch for); a mail answering
    Dana's ticket from a stranger naming Dana in Reply-To is a new ticket of the stranger's."""
    c = bootstrap.container()
    first = mail.deliver(mail.compose(message_id="dana-1@customer.example"), "ses-dana-1")
    [receipt] = _to(mail.sent(), "dana@customer.example")
    intruder = mail.compose(sender="Eve <eve@elsewhere.example>", subject=str(receipt["Subject"]),
                            message_id="eve-1@elsewhere.example", in_reply_to=str(receipt["Message-ID"]).strip("<>"),
                            body="Please send the invoices to me instead.\n",
                            headers={"Reply-To": "dana@customer.example"})
    result = mail.deliver(intruder, "ses-eve-1", verdicts={"spf": "PASS", "dkim": "PASS", "dmarc": "PASS"})
    assert result["status"] == "created"
    assert result["ticket_id"] != first["ticket_id"]
    assert c.ticket_service.get(ADMIN, result["ticket_id"]).requester.email == "eve@elsewhere.example"
    assert not [e for e in c.ticket_service.events(ADMIN, first["ticket_id"]) if "instead" in str(e.data)]


def test_a_forged_sender_does_not_name_the_requester(mail: Any) -> None:  # noqa: F811
    failed = {"spf": "FAIL", "dkim": "FAIL", "dmarc": "FAIL"}
    result = mail.deliver(_form_mail(mail, sender="forms@acme-site.example"), "ses-forged", verdicts=failed)
    ticket = bootstrap.container().ticket_service.get(ADMIN, result["ticket_id"])
    assert (ticket.requester.email, "unverified-sender" in ticket.tags) == ("forms@acme-site.example", True)
    assert not _to(mail.sent(), "jana.novak@customer.example")


def test_a_blocked_visitor_stays_blocked_behind_a_form(mail: Any) -> None:  # noqa: F811
    c = bootstrap.container()
    c.mail_records.put_settings("acme", MailSettings(blocked_senders=["customer.example"]))
    result = mail.deliver(_form_mail(mail), "ses-blocked")
    assert (result["status"], result["reason"]) == ("ignored", "blocked_sender")


def test_the_tenant_can_keep_the_sender_as_the_requester(mail: Any) -> None:  # noqa: F811
    c = bootstrap.container()
    c.mail_records.put_settings("acme", MailSettings(reply_to_requester=False))
    result = mail.deliver(_form_mail(mail, sender="forms@acme-site.example"), "ses-off")
    ticket = c.ticket_service.get(ADMIN, result["ticket_id"])
    assert ticket.requester.email == "forms@acme-site.example"
    # the no-reply form's mail is still a person's: kept as a ticket, not dropped as a machine's
    kept = mail.deliver(_form_mail(mail, message_id="form-9@acme-site.example"), "ses-off-2")
    assert kept["status"] == "created"


def _through_group(world: MailWorld, *, sender: str, group: str, reply_to: str | None, message_id: str) -> bytes:
    """A mail as a Google Group that is the team's support address passes it on (the headers Google Groups adds)."""
    headers = {"Precedence": "list", "List-ID": f"<{group.replace('@', '.')}>",
               "Mailing-list": f"list {group}; contact {group.split('@')[0]}+owners@{group.split('@')[1]}",
               "List-Post": f"<https://groups.google.com/a/acme.example/group/support/post>, <mailto:{group}>",
               "List-Unsubscribe": "<mailto:googlegroups-manage+1+unsubscribe@googlegroups.com>"}
    if reply_to is not None:
        headers["Reply-To"] = reply_to
    raw: bytes = world.compose(sender=sender, subject="Printer jammed", message_id=message_id, headers=headers)
    return raw


def test_mail_through_the_teams_own_group_is_a_persons_mail(mail: Any) -> None:  # noqa: F811
    """A team whose support address is a Google Group passes every mail on to us: its list headers made each one
    look like a newsletter's, and all of it was dropped. Mail through a list of the team's own (posted to one of its
    addresses, or to its own domain) is a person's; the group rewrites a sender with a strict DMARC policy to
    itself and names them in Reply-To."""
    c = bootstrap.container()
    rewritten = mail.deliver(_through_group(mail, sender="'Jana Novak' via Support <support@acme.example>",
                                            group=SUPPORT, reply_to=VISITOR, message_id="g-1@customer.example"),
                             "ses-group-1")
    assert rewritten["status"] == "created"
    ticket = c.ticket_service.get(ADMIN, rewritten["ticket_id"])
    assert ticket.requester.email == "jana.novak@customer.example"
    assert c.ticket_service.events(ADMIN, ticket.id)[0].data["sent_by"] == SUPPORT

    # Her answer to the receipt comes through the group from its address too: not threaded (From decides who
    # writes into a ticket, and the group's rewrite is not her proof), but hers, not a ticket of our own address.
    [receipt] = _to(mail.sent(), "jana.novak@customer.example")
    answer = _through_group(mail, sender="'Jana Novak' via Support <support@acme.example>", group=SUPPORT,
                            reply_to=VISITOR, message_id="g-4@customer.example")
    answer = answer.replace(b"Subject: Printer jammed", f"Subject: {receipt['Subject']}".encode())
    answered = mail.deliver(answer, "ses-group-4")
    assert answered["ticket_id"] != ticket.id
    assert c.ticket_service.get(ADMIN, answered["ticket_id"]).requester.email == "jana.novak@customer.example"
    assert not _to(mail.sent(), SUPPORT)  # no receipt mailed to the group itself

    c.mail_records.register_domain("acme.example", "acme")  # a group the team did not register as an address
    kept = mail.deliver(_through_group(mail, sender="Dana <dana@customer.example>", group="help@acme.example",
                                       reply_to=None, message_id="g-2@customer.example"), "ses-group-2")
    assert kept["status"] == "created"
    assert c.ticket_service.get(ADMIN, kept["ticket_id"]).requester.email == "dana@customer.example"

    # someone else's list is still a list
    foreign = mail.deliver(_through_group(mail, sender="Dana <dana@customer.example>", group="news@lists.example",
                                          reply_to=None, message_id="g-3@customer.example"), "ses-group-3")
    assert (foreign["status"], foreign["reason"]) == ("ignored", "automatic")


def test_a_sender_whose_mail_names_someone_else_to_answer_still_writes_into_that_ticket(mail: Any) -> None:  # noqa: F811
    """Jana writes from her own address with her team's shared one in Reply-To: the ticket is the team address's, and
    her answer to the team's reply, from her own address again, joins it instead of opening a ticket each time."""
    c = bootstrap.container()
    first = mail.deliver(mail.compose(sender="Jana <jana@company.example>", subject="Our invoices are wrong",
                                      message_id="jana-1@company.example",
                                      headers={"Reply-To": "Purchasing <purchasing@company.example>"}), "ses-team-1")
    ticket = c.ticket_service.get(ADMIN, first["ticket_id"])
    assert ticket.requester.email == "purchasing@company.example"
    c.ticket_service.add_message(AGENT, ticket.id, "Which invoices?", public=True)
    mail.stream()
    [reply] = [m for m in _to(mail.sent(), "purchasing@company.example") if "Which invoices?" in str(m)]
    answer = mail.compose(sender="Jana <jana@company.example>", subject=str(reply["Subject"]),
                          message_id="jana-2@company.example", in_reply_to=str(reply["Message-ID"]).strip("<>"),
                          body="INV-1 and INV-2.\n", headers={"Reply-To": "Purchasing <purchasing@company.example>"})
    assert mail.deliver(answer, "ses-team-2")["ticket_id"] == ticket.id
    # someone else answering with the tag is still a ticket of their own
    other = mail.compose(sender="Eve <eve@elsewhere.example>", subject=str(reply["Subject"]),
                         message_id="eve-9@elsewhere.example", in_reply_to=str(reply["Message-ID"]).strip("<>"))
    assert mail.deliver(other, "ses-team-3")["ticket_id"] != ticket.id
