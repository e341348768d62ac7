"""`platform.tenant_files.TenantFiles`: the embedded indexes' per-tenant files."""

import json
from pathlib import Path
from typing import BinaryIO

import pytest

from helpdesk.platform.tenant_files import TenantFiles


def _files(root: Path | None, writes: list[str] | None = None) -> TenantFiles[dict[str, int]]:
    def write(state: dict[str, int], handle: BinaryIO) -> None:
        if state.get("crash"):
            handle.write(b'{"half')
            raise OSError("disk full")
        if writes is not None:
            writes.append(json.dumps(state))
        handle.write(json.dumps(state).encode())

    return TenantFiles(root, ".json", read=lambda p: dict(json.loads(p.read_text())), write=write, empty=dict)


def test_a_tenant_reads_empty_then_what_was_stored_and_another_instances_write(tmp_path: Path) -> None:
    files, other = _files(tmp_path), _files(tmp_path)
    assert files.load("acme") == {}
    files.store("acme", {"a": 1})
    assert other.load("acme") == {"a": 1}
    other.store("acme", {"a": 2})
    assert files.load("acme") == {"a": 2}  # the file changed under it: read again
    assert files.tenants() == ["acme"]


def test_a_failed_write_keeps_the_previous_file_and_leaves_no_temporary_one(tmp_path: Path) -> None:
    files = _files(tmp_path)
    files.store("acme", {"a": 1})
    with pytest.raises(OSError, match="disk full"):
        files.store("acme", {"crash": 1})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["acme.json"]
    assert _files(tmp_path).load("acme") == {"a": 1}


def test_bulk_writes_each_touched_tenant_once_at_its_end(tmp_path: Path) -> None:
    writes: list[str] = []
    files = _files(tmp_path, writes)
    with files.bulk():
        for i in range(5):
            files.store("acme", {"a": i})
        files.store("a/b", {"b": 1})
        assert writes == []
        assert not list(tmp_path.iterdir())
        assert files.load("acme") == {"a": 4}
    assert sorted(writes) == ['{"a": 4}', '{"b": 1}']
    assert files.tenants() == ["a/b", "acme"]  # names are quoted on disk and read back


def test_without_a_folder_state_lives_in_memory() -> None:
    files = _files(None)
    files.store("acme", {"a": 1})
    assert files.load("acme") == {"a": 1}
    assert files.load("globex") == {}
    assert files.tenants() == ["acme", "globex"]
