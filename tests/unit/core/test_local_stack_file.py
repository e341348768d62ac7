"""The stack file tells other commands where the running local stack is, and never points at a dead one."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from helpdesk.local.stack import StackInfo, read_stack, write_stack


def test_stack_file_of_a_live_and_of_a_dead_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HELPDESK_HOME", str(tmp_path))
    live = StackInfo(api_url="http://127.0.0.1:1", aws_endpoint="http://127.0.0.1:2", pid=os.getpid())
    write_stack(live)
    assert read_stack() == live

    finished = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                              capture_output=True, text=True, check=True)
    write_stack(StackInfo(api_url="x", aws_endpoint="y", pid=int(finished.stdout)))
    assert read_stack() is None
    assert not (tmp_path / "stack.json").exists()
