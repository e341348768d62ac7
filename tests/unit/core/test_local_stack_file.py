"""The stack file tells other commands where the running local stack is, from any folder, and never points
at a dead one."""

import json
import os
import subprocess
import sys
from dataclasses import asdict, replace
from pathlib import Path

import pytest

from helpdesk.local.stack import StackInfo, clear_stack, find_home, read_stack, running_stacks, write_stack


@pytest.fixture
def stacks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("HELPDESK_STACKS", str(tmp_path / "stacks"))
    monkeypatch.delenv("HELPDESK_HOME", raising=False)
    return tmp_path / "stacks"


def _dead_pid() -> int:
    finished = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                              capture_output=True, text=True, check=True)
    return int(finished.stdout)


def test_stack_file_of_a_live_and_of_a_dead_process(tmp_path: Path, stacks: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HELPDESK_HOME", str(tmp_path))
    live = StackInfo(api_url="http://127.0.0.1:1", aws_endpoint="http://127.0.0.1:2", pid=os.getpid())
    write_stack(live)
    assert read_stack() == replace(live, home=str(tmp_path.resolve()))

    write_stack(StackInfo(api_url="x", aws_endpoint="y", pid=_dead_pid()))
    assert read_stack() is None
    assert not (tmp_path / "stack.json").exists()


def test_other_folders_find_the_one_running_stack(tmp_path: Path, stacks: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "checkout" / ".helpdesk"
    monkeypatch.setenv("HELPDESK_HOME", str(home))
    write_stack(StackInfo(api_url="http://127.0.0.1:1", aws_endpoint="http://127.0.0.1:2", pid=os.getpid()))
    monkeypatch.delenv("HELPDESK_HOME")

    monkeypatch.chdir(tmp_path)  # neither the checkout nor below it
    assert find_home() == home.resolve()
    (tmp_path / "checkout" / "sub").mkdir()
    monkeypatch.chdir(tmp_path / "checkout" / "sub")  # below it: the nearest .helpdesk
    assert find_home() == Path(tmp_path / "checkout" / ".helpdesk")

    monkeypatch.setenv("HELPDESK_HOME", str(home))
    clear_stack()
    monkeypatch.delenv("HELPDESK_HOME")
    monkeypatch.chdir(tmp_path)
    assert running_stacks() == []
    assert find_home() == Path(".helpdesk")  # nothing running: the default, here


def test_stale_entries_are_dropped_and_several_stacks_need_a_choice(tmp_path: Path, stacks: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    for name, pid in (("a", os.getpid()), ("b", _dead_pid())):
        monkeypatch.setenv("HELPDESK_HOME", str(tmp_path / name))
        write_stack(StackInfo(api_url=f"http://{name}", aws_endpoint="y", pid=pid))
    monkeypatch.delenv("HELPDESK_HOME")
    monkeypatch.chdir(tmp_path)
    assert [s.api_url for s in running_stacks()] == ["http://a"]
    assert len(list(stacks.glob("*.json"))) == 1  # the killed stack's entry is gone

    # a second live stack (the parent process stands in for its pid)
    other = tmp_path / "c"
    other.mkdir()
    info = StackInfo(api_url="http://c", aws_endpoint="y", pid=os.getppid(), home=str(other))
    (other / "stack.json").write_text(json.dumps(asdict(info)))
    (stacks / f"{info.pid}.json").write_text(json.dumps(asdict(info)))
    with pytest.raises(SystemExit, match="several local stacks are running"):
        find_home()


def test_looking_for_a_stack_that_is_not_there_leaves_the_environment_as_it_was(
        stacks: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A CLI command run in a process that goes on (a test's) left HELPDESK_HOME pinned to a folder: later code read
    its stale local indexes."""
    from helpdesk.local.stack import use_local_stack

    monkeypatch.chdir(tmp_path)
    assert use_local_stack(required=False) is None
    assert "HELPDESK_HOME" not in os.environ
    monkeypatch.setenv("HELPDESK_HOME", str(tmp_path / "mine"))
    with pytest.raises(SystemExit, match="No local stack is running here"):
        use_local_stack(required=True)
    assert os.environ["HELPDESK_HOME"] == str(tmp_path / "mine")


def test_a_stack_kept_off_this_processs_list_is_not_found_from_its_checkout(
        stacks: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A developer's `make serve` keeps its stack in the checkout's `.helpdesk`; the tests run from the same checkout
    with a list of stacks of their own (`HELPDESK_STACKS`). A CLI command run in a test found the developer's stack
    by walking up from the current folder and wrote into it (an import there, its mail bucket here)."""
    from helpdesk.local.stack import use_local_stack

    checkout = tmp_path / "checkout"
    monkeypatch.setenv("HELPDESK_HOME", str(checkout / ".helpdesk"))
    monkeypatch.setenv("HELPDESK_STACKS", str(tmp_path / "developers-list"))
    write_stack(StackInfo(api_url="http://127.0.0.1:1", aws_endpoint="http://127.0.0.1:2", pid=os.getpid()))
    monkeypatch.delenv("HELPDESK_HOME")
    monkeypatch.chdir(checkout)
    assert find_home() == checkout / ".helpdesk"  # on the developer's list: found from the checkout

    monkeypatch.setenv("HELPDESK_STACKS", str(stacks))  # the tests' own list
    assert use_local_stack(required=False) is None
    assert "HELPDESK_HOME" not in os.environ
    assert "AWS_ENDPOINT_URL" not in os.environ
    assert find_home() == Path(".helpdesk")  # nothing running on the list: the default folder, but not its stack


def test_a_command_on_the_stack_links_its_console_and_portal_in_mails(tmp_path: Path, stacks: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """`helpdesk sla scan` on the running stack mails agents as the stack's own scheduler does: with the ticket's
    console link (it once sent the SLA mails without it)."""
    from unittest import mock

    from helpdesk import bootstrap
    from helpdesk.local.stack import use_local_stack

    monkeypatch.setenv("HELPDESK_HOME", str(tmp_path))
    write_stack(StackInfo(api_url="http://127.0.0.1:8000", aws_endpoint="http://127.0.0.1:2", pid=os.getpid()))
    with mock.patch.dict(os.environ):  # whatever the command sets is gone after the test
        for key in ("HELPDESK_CONSOLE_URL", "HELPDESK_REPORTS_PORTAL_URL"):
            os.environ.pop(key, None)
        try:
            assert use_local_stack() is not None
            assert (os.environ["HELPDESK_CONSOLE_URL"], os.environ["HELPDESK_REPORTS_PORTAL_URL"]) == (
                "http://127.0.0.1:8000/console/", "http://127.0.0.1:8000/portal")
        finally:
            bootstrap.use(None)
