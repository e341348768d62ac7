"""What every import test starts from: a tenant whose directory has Alice (alice@acme.example) in the Billing
group, files and a knowledge index to import into (moto, the embedded index), and one way to read the result back."""

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest

from helpdesk import bootstrap
from tests.conftest import http_event, rebuild
from tests.fakes import seed_directory
from tests.zendesk_fake import ZendeskFake

Invoke = Callable[..., dict[str, Any]]


@pytest.fixture
def importing_team(aws: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HELPDESK_ATTACHMENTS_BUCKET", "helpdesk-files")
    monkeypatch.setenv("HELPDESK_KB_INDEX", "embedded")  # help centres come over too
    monkeypatch.setenv("HELPDESK_KB_EMBEDDER", "onnx")
    monkeypatch.setenv("HELPDESK_KB_INDEX_DIR", str(tmp_path / "index"))
    boto3.client("s3").create_bucket(Bucket="helpdesk-files")
    rebuild()
    # alice@acme.example is Alice Agent's address in the old helpdesks too; their other agents are not here
    seed_directory(bootstrap.container().directory_store, "acme", agents=["alice"], groups={"billing": ["alice"]})


@pytest.fixture
def zendesk() -> Iterator[ZendeskFake]:
    """A small Zendesk account on loopback."""
    fake = ZendeskFake()
    yield fake
    fake.close()


def api(invoke: Invoke, path: str, who: dict[str, Any]) -> Any:
    """A GET of the ticket API as `who`, which must succeed."""
    response = invoke("ticket_commands", http_event("GET", path, claims_=who))
    assert response["statusCode"] == 200, response["json"]
    return response["json"]
