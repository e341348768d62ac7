"""A failure no route answers for still comes back in the one error format, readable by a browser: 503 with
`Retry-After` when AWS refused for load (DynamoDB throttling), 500 `internal_error` for anything else, with nothing
of the cause in the answer (it is logged). Starlette answered both with a plain-text "Internal Server Error" from
outside the CORS middleware, so a browser saw neither the status nor a message."""

from typing import Any

import pytest
from botocore.exceptions import ClientError
from fastapi.testclient import TestClient
from pynamodb.exceptions import TransactWriteError

ORIGIN = "https://helpdesk.example"


@pytest.fixture
def client(aws: None, monkeypatch: pytest.MonkeyPatch) -> TestClient:
    from helpdesk.web.app_factory import create_app
    from tests.conftest import rebuild

    monkeypatch.setenv("HELPDESK_CORS_ORIGINS", ORIGIN)
    rebuild()
    app = create_app("probe")

    @app.get("/bug")
    def bug() -> dict[str, Any]:
        raise KeyError("secret-table-name")

    @app.get("/busy")
    def busy() -> dict[str, Any]:
        throttled = ClientError({"Error": {"Code": "ThrottlingException", "Message": "Rate exceeded"}},
                                "TransactWriteItems")
        raise TransactWriteError("Failed to write transaction items", cause=throttled)

    return TestClient(app, raise_server_exceptions=False)


def test_a_bug_is_a_500_in_the_error_format_without_its_cause(client: TestClient) -> None:
    answer = client.get("/bug", headers={"Origin": ORIGIN})

    assert answer.status_code == 500
    assert answer.json()["error"]["code"] == "internal_error"
    assert "secret" not in answer.text
    assert answer.headers["access-control-allow-origin"] == ORIGIN


def test_aws_throttling_is_a_503_to_retry(client: TestClient) -> None:
    answer = client.get("/busy", headers={"Origin": ORIGIN})

    assert answer.status_code == 503
    assert answer.json()["error"]["code"] == "unavailable"
    assert answer.headers["retry-after"] == "1"
    assert answer.headers["access-control-allow-origin"] == ORIGIN
