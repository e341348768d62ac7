"""The OpenSearch adapter under a hung domain: searches wait at most connect 1 s + read 3 s and a timeout is
not retried; writes get a longer read timeout of their own. The hang is a real socket that accepts
connections and never answers (scaled-down timeouts keep the test fast)."""

import re
import socket
import threading
from collections.abc import Iterator

import pytest
import responses
from opensearchpy.exceptions import ConnectionTimeout

from helpdesk.knowledge.adapters.opensearch_index import SEARCH_TIMEOUT, WRITE_TIMEOUT, OpenSearchIndex
from helpdesk.knowledge.ports import IndexQuery

ENDPOINT = "https://abc123xyz.us-east-1.aoss.amazonaws.com"


class SilentServer:
    """Accepts TCP connections and never answers, counting them."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.port = self.sock.getsockname()[1]
        self.accepted: list[socket.socket] = []
        self.stop = threading.Event()
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        self.sock.settimeout(0.05)
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.accepted.append(conn)

    def close(self) -> None:
        self.stop.set()
        for conn in self.accepted:
            conn.close()
        self.sock.close()


@pytest.fixture
def silent() -> Iterator[SilentServer]:
    server = SilentServer()
    yield server
    server.close()


def test_a_hung_domain_times_out_once_without_retrying(silent: SilentServer) -> None:
    index = OpenSearchIndex.connect(f"http://127.0.0.1:{silent.port}", index="kb-chunks", service="aoss",
                                    region="us-east-1", dimension=4, timeout=(0.2, 0.2))
    index._ready = True
    with pytest.raises(ConnectionTimeout):
        index.search(IndexQuery(tenant_id="acme", text="refund", vector=None, k=3, visibilities=("public",),
                                 mode="lexical"))
    assert len(silent.accepted) == 1  # one attempt: a timed-out search is not sent again


def test_searches_wait_one_second_to_connect_and_three_to_read() -> None:
    index = OpenSearchIndex.connect(ENDPOINT, index="kb-chunks", service="aoss", region="us-east-1", dimension=4)
    transport = index._client.transport
    assert SEARCH_TIMEOUT == (1.0, 3.0)
    assert [c.timeout for c in transport.connection_pool.connections] == [SEARCH_TIMEOUT]
    assert transport.retry_on_timeout is False
    assert transport.max_retries == 1  # a refused connection is retried once; it costs nothing


@responses.activate
def test_writes_pass_their_own_longer_read_timeout() -> None:
    base = re.escape(ENDPOINT) + "(:443)?"
    responses.head(re.compile(base + "/kb-chunks$"), status=404)
    responses.put(re.compile(base + "/kb-chunks$"), json={"acknowledged": True})
    responses.post(re.compile(base + "/kb-chunks/_search$"), json={"hits": {"hits": [{"_id": "old-1"}]}})
    responses.post(re.compile(base + "/_bulk$"), json={"items": [
        {"delete": {"_index": "kb-chunks", "_id": "old-1", "status": 200}}]})
    index = OpenSearchIndex.connect(ENDPOINT, index="kb-chunks", service="aoss", region="us-east-1", dimension=4)

    index.delete_article("acme", "refunds")

    timeouts = {f"{call.request.method} {str(call.request.path_url).split('?')[0]}":
                call.request.req_kwargs["timeout"]  # type: ignore[attr-defined]  # set by `responses`
                for call in responses.calls}
    assert timeouts == {"HEAD /kb-chunks": SEARCH_TIMEOUT, "PUT /kb-chunks": WRITE_TIMEOUT,
                        "POST /kb-chunks/_search": SEARCH_TIMEOUT, "POST /_bulk": WRITE_TIMEOUT}
