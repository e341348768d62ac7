"""An agent's reply by mail carries the agent's display name as the sender name and their signature, from the
team directory (the real email_send handler on moto, as in tests/integration/mail)."""

from typing import Any

from helpdesk import bootstrap
from helpdesk.directory.model import NewUser
from helpdesk.kernel.principal import Principal, Role
from helpdesk.mail.local import plain_text
from tests.integration.mail.conftest import mail  # noqa: F401 (the fixture)

ADMIN = Principal(user_id="root", tenant_id="acme", role=Role.ADMIN)


def test_a_mailed_reply_is_from_the_agent_by_name_and_ends_with_their_signature(mail: Any) -> None:  # noqa: F811
    c = bootstrap.container()
    jana = c.directory.create_user(ADMIN, NewUser(email="jana@acme.example", name="Jana Müller", role=Role.AGENT,
                                                  signature="Jana M.\nAcme Support, 2nd level"))
    agent = Principal(user_id=jana.id, tenant_id="acme", role=Role.AGENT, name="Jana Müller")
    nobody = Principal(user_id="not-in-directory", tenant_id="acme", role=Role.AGENT)
    ticket_id = mail.deliver(mail.compose(message_id="first@customer.example"), "ses-a")["ticket_id"]
    c.ticket_service.add_message(agent, ticket_id, "Please restart it.", public=True)
    assert mail.stream() == {"batchItemFailures": []}
    c.ticket_service.add_message(nobody, ticket_id, "Any news?", public=True)
    assert mail.stream() == {"batchItemFailures": []}

    first, second = [m for m in mail.sent() if "Auto-Submitted" not in m]
    assert first["From"].addresses[0].display_name == "Jana Müller"
    assert first["From"].addresses[0].addr_spec == "support@acme.example"
    text = plain_text(first).replace("\r\n", "\n")
    assert text.index("Please restart it.") < text.index("\n-- \nJana M.\nAcme Support, 2nd level\n")
    assert second["From"].addresses[0].display_name != "Jana Müller"  # someone the directory does not know
    assert "\n-- \n" not in plain_text(second).replace("\r\n", "\n").split("Any news?")[1].split("wrote:")[0]
