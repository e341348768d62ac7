"""Shared fixtures. Environment first: the settings (read when a container is built) come from it."""

import atexit
import os
import shutil
import tempfile

os.environ.update(
    AWS_DEFAULT_REGION="us-east-1",
    AWS_REGION="us-east-1",
    AWS_ACCESS_KEY_ID="testing",
    AWS_SECRET_ACCESS_KEY="testing",
    AWS_SESSION_TOKEN="testing",
    POWERTOOLS_SERVICE_NAME="helpdesk-tests",
    POWERTOOLS_METRICS_NAMESPACE="HelpdeskTests",
    POWERTOOLS_DEV="false",
    HELPDESK_AUTH_MODE="apigw",
    HELPDESK_TICKETS_TABLE="helpdesk-tickets",
    HELPDESK_TICKET_EVENTS_TABLE="helpdesk-ticket-events",
    HELPDESK_META_TABLE="helpdesk-meta",
)
os.environ.pop("AWS_ENDPOINT_URL", None)  # never talk to a running local stack from tests
os.environ.pop("AWS_PROFILE", None)
# ... nor find one: a CLI command run in a test (`helpdesk import`, `helpdesk mail route`) looks for the user's one
# running stack (`local.stack.find_home`) and would write into a developer's `make serve`. Tests list only their own.
os.environ["HELPDESK_STACKS"] = tempfile.mkdtemp(prefix="helpdesk-test-stacks-")
os.environ.pop("HELPDESK_HOME", None)

import copy
import importlib.util
import json
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

import pytest
from moto import mock_aws

# Every pytest process (each xdist worker too) makes its stacks folder: removed when it exits, or a developer's /tmp
# keeps them all.
atexit.register(shutil.rmtree, os.environ["HELPDESK_STACKS"], ignore_errors=True)

if TYPE_CHECKING:
    from helpdesk.bootstrap import Container
    from helpdesk.kernel.clock import FixedClock
    from tests.iam_calls import Call

ROOT = Path(__file__).resolve().parents[1]
EVENTS = ROOT / "events"


@pytest.fixture(autouse=True)
def _log_level_as_it_was() -> Iterator[None]:
    """A CLI command run in a test quiets the process's logs (`POWERTOOLS_LOG_LEVEL=WARNING`: a command's stdout is
    its output); the next test gets the level back."""
    before = os.environ.get("POWERTOOLS_LOG_LEVEL")
    yield
    if before is None:
        os.environ.pop("POWERTOOLS_LOG_LEVEL", None)
    else:
        os.environ["POWERTOOLS_LOG_LEVEL"] = before


@pytest.fixture
def aws() -> Iterator[None]:
    """moto for every AWS service, with the DynamoDB tables created, and a fresh container on it."""
    from helpdesk import bootstrap
    from helpdesk.platform.dynamo.tables import create_tables

    # boto3's default session is kept from test to test: moto resets it by default (so a test that reaches AWS
    # does not use its fake credentials), and a new one reads each service's model from disk again for the first
    # client of each (a tenth of the integration tests' time). No test here reaches AWS.
    with mock_aws(config={"core": {"reset_boto3_session": False}}):
        create_tables(rebuild().tables)
        yield
        bootstrap.use(None)


def load_function(name: str) -> ModuleType:
    """Import functions/<name>/app.py the way Lambda does (as its own top-level module)."""
    module_name = f"fn_{name}_app"
    if module_name in sys.modules:
        return sys.modules[module_name]
    spec = importlib.util.spec_from_file_location(module_name, ROOT / "functions" / name / "app.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    spec.loader.exec_module(module)
    return module


@dataclass
class FakeLambdaContext:
    function_name: str = "helpdesk-test"
    memory_limit_in_mb: int = 512
    invoked_function_arn: str = "arn:aws:lambda:us-east-1:123456789012:function:helpdesk-test"
    aws_request_id: str = "req-test-0001"
    function_version: str = "$LATEST"
    log_group_name: str = "/aws/lambda/helpdesk-test"
    log_stream_name: str = "test"

    def get_remaining_time_in_millis(self) -> int:
        return 30_000


@pytest.fixture
def lambda_context() -> FakeLambdaContext:
    return FakeLambdaContext()


_overrides: dict[str, Any] = {}  # what the current test injects into every container (its clock, say)


def rebuild(**overrides: Any) -> "Container":
    """Install a fresh container built from the environment as it is now, with the test's overrides:
    the way a test changes settings or swaps in a fake (`rebuild(embedder=...)`)."""
    from helpdesk import bootstrap

    container = bootstrap.build(**{**_overrides, **overrides})
    bootstrap.use(container)
    return container


@pytest.fixture
def clock() -> Iterator["FixedClock"]:
    """A clock standing at the wall-clock time the test began; move it with `set(dt)` / `advance(delta)`.
    Every container the test builds (`rebuild`, the `aws` fixture) reads it, and so every service."""
    from helpdesk.kernel.clock import FixedClock

    fixed = FixedClock()
    _overrides["clock"] = fixed
    rebuild()
    yield fixed
    _overrides.pop("clock", None)


def claims(user_id: str, tenant_id: str, role: str, email: str | None = None,
           groups: list[str] | None = None) -> dict[str, Any]:
    """The claims API Gateway's JWT authorizer puts in the event (Cognito ID token shape)."""
    c: dict[str, Any] = {"sub": user_id, "custom:tenant_id": tenant_id, "custom:role": role}
    if email:
        c["email"] = email
    if groups:
        c["cognito:groups"] = "[" + " ".join(groups) + "]"
    return c


def http_event(method: str, path: str, *, body: Any = None, claims_: dict[str, Any] | None = None,
               query: dict[str, str] | None = None, headers: dict[str, str] | None = None,
               template: str = "ticket_commands/create_ticket.json",
               multi_query: dict[str, list[str]] | None = None) -> dict[str, Any]:
    """An API Gateway HTTP API (payload 2.0) event, built from a sample in events/. `multi_query`: repeated
    parameters (`?field=a&field=b`), which API Gateway passes in the raw query string and joins with commas in
    `queryStringParameters`."""
    event: dict[str, Any] = copy.deepcopy(json.loads((EVENTS / template).read_text()))
    event["rawPath"] = path
    event["routeKey"] = "$default"
    event["requestContext"]["http"]["method"] = method
    event["requestContext"]["http"]["path"] = path
    event["rawQueryString"] = "&".join(f"{k}={v}" for k, v in (query or {}).items())
    event["queryStringParameters"] = query or None
    if multi_query:
        event["rawQueryString"] = "&".join(filter(None, [event["rawQueryString"], urlencode(multi_query, doseq=True)]))
        event["queryStringParameters"] = {**(query or {}), **{k: ",".join(v) for k, v in multi_query.items()}}
    event["headers"] = {"content-type": "application/json", **(headers or {})}
    if body is None:
        event.pop("body", None)
    else:
        event["body"] = body if isinstance(body, str) else json.dumps(body)
    event["isBase64Encoded"] = False
    if claims_ is None:
        event["requestContext"].pop("authorizer", None)
    else:
        event["requestContext"]["authorizer"] = {"jwt": {"claims": claims_, "scopes": None}}
    return event


def ensure_event_loop() -> None:
    """Mangum asks for the thread's current event loop; an earlier test that ran a loop to completion in this
    thread (asyncio.run, an in-process ASGI client) leaves none, as a fresh Lambda process never would."""
    import asyncio

    try:
        asyncio.get_event_loop_policy().get_event_loop()
    except RuntimeError:
        asyncio.set_event_loop(asyncio.new_event_loop())


@pytest.fixture
def invoke(lambda_context: FakeLambdaContext) -> Callable[..., dict[str, Any]]:
    """Call a function's real lambda_handler with an event; returns the response with parsed JSON body."""

    def _invoke(function: str, event: dict[str, Any]) -> dict[str, Any]:
        ensure_event_loop()
        response: dict[str, Any] = load_function(function).lambda_handler(event, lambda_context)
        body = response.get("body")
        response["json"] = json.loads(body) if body and not response.get("isBase64Encoded") else None
        return response

    return _invoke


@pytest.fixture
def recorded(monkeypatch: pytest.MonkeyPatch) -> "list[Call]":
    """Every DynamoDB call the code under test makes, in order: check them with `tests.iam_calls.denied`."""
    from tests.iam_calls import record_calls

    return record_calls(monkeypatch)


@pytest.fixture(scope="session")
def seed_kb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample help centre `helpdesk serve` loads (infra/seed/knowledge), whole articles with their sections."""
    from helpdesk.bootstrap import make_embedder
    from helpdesk.knowledge.adapters.embedded_index import EmbeddedIndex
    from helpdesk.knowledge.importing import ImportedArticle, iter_articles
    from helpdesk.knowledge.indexing import ArticleIndexer, IndexableArticle
    from helpdesk.settings import KnowledgeSection

    root = tmp_path_factory.mktemp("kb-seed")
    embedder = make_embedder(KnowledgeSection(embedder="use"))
    index = EmbeddedIndex(root / embedder.model_id, dimension=embedder.dimension)
    seed = ROOT / "infra" / "seed" / "knowledge"
    ArticleIndexer(index, embedder).index_many(
        IndexableArticle(tenant_id="acme", article_id=a.id, version=1, title=a.title, body=a.text)
        for a in iter_articles(seed, id_prefix="seed-") if isinstance(a, ImportedArticle) and a.visibility == "public")
    return root
