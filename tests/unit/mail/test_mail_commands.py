"""The commands at the top of an agent's mailed answer (`helpdesk.mail.commands`): read, taken out of the text, and
a line that only looks like one left as text."""

import pytest

from helpdesk.mail.commands import MailCommands, read_commands
from helpdesk.tickets.model import Priority, Status


def test_commands_before_the_answer_are_read_and_taken_out() -> None:
    commands, text = read_commands("#status pending\n#Priority HIGH\n#assignee me\n#tags VIP, refund\n\n"
                                   "Hi Dana, the refund is on its way.\n#status solved stays text here")
    assert commands == MailCommands(status=Status.PENDING, priority=Priority.HIGH, assignee="me",
                                    add_tags=("vip", "refund"))
    assert text == "Hi Dana, the refund is on its way.\n#status solved stays text here"


@pytest.mark.parametrize(("line", "internal"), [("#note", True), ("#public false", True), ("#public true", False)])
def test_a_note_instead_of_a_reply(line: str, internal: bool) -> None:
    commands, text = read_commands(f"{line}\nChecked the logs: the sync failed at 10:02.")
    assert commands.internal is internal
    assert text == "Checked the logs: the sync failed at 10:02."


@pytest.mark.parametrize("status", ["open", "pending", "on-hold", "hold", "solved", "resolved"])
def test_the_statuses_an_agent_may_set(status: str) -> None:
    assert read_commands(f"#status {status}\nok")[0].status is not None


def test_a_command_with_a_value_it_does_not_take_is_refused_and_taken_out() -> None:
    commands, text = read_commands("#status done\n#priority asap\n#assignee bob\n#note please\nThanks")
    assert commands.refused == ("#status done", "#priority asap", "#assignee bob", "#note please")
    assert (commands.status, commands.priority, commands.assignee, commands.internal) == (None, None, None, False)
    assert text == "Thanks"


@pytest.mark.parametrize("answer", [
    "#1 is the cause: the cable.",  # a hashtag that names no command
    "Hi Dana,\n#status pending",  # not at the top
    "",
])
def test_text_that_is_not_a_command_stays(answer: str) -> None:
    assert read_commands(answer) == (MailCommands(), answer)


def test_a_group_and_a_teammate_by_handle() -> None:
    commands, text = read_commands("#group billing\n#assignee @Otto.K\nOtto, yours.")
    assert (commands.group, commands.assignee, text) == ("billing", "@otto.k", "Otto, yours.")
    assert read_commands("#group two words\nHi")[0].refused == ("#group two words",)


def test_only_commands() -> None:
    commands, text = read_commands("#status solved\n")
    assert commands.status == Status.RESOLVED
    assert text == ""
