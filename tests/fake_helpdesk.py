"""The HTTP side of the other helpdesks the import tests read from (`zendesk_fake`, `zammad_fake`,
`freescout_fake`): a server on 127.0.0.1 that checks the credentials, can be told to rate-limit (`rate_limited`: the
next N requests are a 429 with Retry-After), serves files under `files_path` and JSON answers from `answer`, with
`{base}` in them replaced by its own address (the fixtures name their links before the port is known)."""

import json
import threading
from collections.abc import Mapping
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class FakeHelpdesk:
    files_path = "/attachments/"

    def __init__(self, files: Mapping[str, tuple[str, bytes]]) -> None:
        self.requests: list[str] = []
        self.rate_limited = 0
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                outer.requests.append(self.path)
                if not outer.authorized(self.headers):
                    return self._send(401, {"error": "not authenticated"})
                if outer.rate_limited:
                    outer.rate_limited -= 1
                    return self._send(429, {"error": "rate limited"}, {"Retry-After": "1"})
                if self.path.startswith(outer.files_path):
                    return self._file(files.get(self.path.removeprefix(outer.files_path)))
                found = outer.answer(self.path)
                self._send(200 if found is not None else 404, found if found is not None else {"error": "not found"})

            def _file(self, file: tuple[str, bytes] | None) -> None:
                if file is None:
                    return self._send(404, {"error": "not found"})
                self.send_response(200)
                self.send_header("Content-Type", file[0])
                self.send_header("Content-Length", str(len(file[1])))
                self.end_headers()
                self.wfile.write(file[1])

            def _send(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
                data = json.dumps(body).replace("{base}", outer.url).encode()
                self.send_response(status)
                for name, value in {"Content-Type": "application/json", **(headers or {})}.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                pass  # the test's output, not the server's

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def authorized(self, headers: Message) -> bool:
        """Whether the request's credentials are the account's."""
        raise NotImplementedError

    def answer(self, path: str) -> Any:
        """The JSON for a GET of `path` (with its query), None for a 404."""
        raise NotImplementedError

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
