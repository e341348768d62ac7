"""SnapStart hooks: registered only where Lambda's runtime offers them; the snapshot holds imported modules
and no clients; a restored environment reseeds `random` and builds its container afresh."""

import random
import sys
import types
from collections.abc import Callable

import pytest

from helpdesk import bootstrap
from helpdesk.web import snapstart


def test_without_the_runtime_nothing_is_registered(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(snapstart, "_registered", False)
    monkeypatch.setitem(sys.modules, "snapshot_restore_py", None)  # import fails, as outside Lambda
    assert snapstart.register() is False


def test_hooks_prewarm_and_restore(monkeypatch: pytest.MonkeyPatch) -> None:
    before: list[Callable[[], None]] = []
    after: list[Callable[[], None]] = []
    runtime = types.ModuleType("snapshot_restore_py")
    runtime.register_before_snapshot = before.append  # type: ignore[attr-defined]
    runtime.register_after_restore = after.append  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "snapshot_restore_py", runtime)
    monkeypatch.setattr(snapstart, "_registered", False)
    assert snapstart.register(("json", "no_such_module_anywhere"))
    assert snapstart.register()  # once per process
    assert (len(before), len(after)) == (1, 1)

    monkeypatch.delitem(sys.modules, "json", raising=False)
    before[0]()  # Lambda, just before taking the snapshot
    assert "json" in sys.modules

    state = random.getstate()
    sentinel = object()
    previous = bootstrap.use(sentinel)  # type: ignore[arg-type]  # a container built during init
    try:
        after[0]()  # Lambda, in each restored environment
        assert bootstrap.use(previous) is None  # dropped: rebuilt with fresh clients on first use
    finally:
        bootstrap.use(previous)
    assert random.getstate() != state
