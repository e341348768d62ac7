"""The HTTP side of the other helpdesks the import tests read from (`zendesk_fake`, `zammad_fake`,
`freescout_fake`): a server on 127.0.0.1 that checks the credentials, can be told to rate-limit (`rate_limited`: the
next N requests are a 429 with Retry-After), serves files under `files_path` and JSON answers from `answer`, with
`{base}` in them replaced by its own address (the fixtures name their links before the port is known)."""

import json
import struct
import threading
import zlib
from collections.abc import Mapping
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class FakeHelpdesk:
    files_path = "/attachments/"
    files_at: Mapping[str, tuple[str, bytes]] = {}  # files at paths of their own, outside `files_path`

    def __init__(self, files: Mapping[str, tuple[str, bytes]]) -> None:
        self.requests: list[str] = []
        self.rate_limited = 0
        handler = type("Handler", (_Handler,), {"outer": self, "files": files})
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def authorized(self, headers: Message) -> bool:
        """Whether the request's credentials are the account's."""
        raise NotImplementedError

    def answer(self, path: str) -> Any:
        """The JSON for a GET of `path` (with its query), None for a 404."""
        raise NotImplementedError

    def forbidden(self, path: str) -> bool:
        """Whether the credentials lack the right to `path` (a 403), as a user without a role's permissions."""
        return False

    def answer_post(self, path: str, body: Any) -> Any:
        """The JSON for a POST of `body` to `path`, None for a 404 (the helpdesks' reading POSTs)."""
        return None

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class _Handler(BaseHTTPRequestHandler):
    """One request to the fake: `outer` is the helpdesk it answers for, `files` what it serves under `files_path`."""

    outer: "FakeHelpdesk"
    files: Mapping[str, tuple[str, bytes]]

    def do_GET(self) -> None:
        if not self._admitted():
            return None
        if self.path.startswith(self.outer.files_path):
            return self._file(self.files.get(self.path.removeprefix(self.outer.files_path)))
        if self.path in self.outer.files_at:
            return self._file(self.outer.files_at[self.path])
        self._found(self.outer.answer(self.path))

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = json.loads(self.rfile.read(length) or b"null")
        if self._admitted():
            self._found(self.outer.answer_post(self.path, body))

    def _admitted(self) -> bool:
        self.outer.requests.append(self.path)
        if not self.outer.authorized(self.headers):
            self._send(401, {"error": "not authenticated"})
            return False
        if self.outer.forbidden(self.path):
            self._send(403, {"error": "not authorized"})
            return False
        if self.outer.rate_limited:
            self.outer.rate_limited -= 1
            self._send(429, {"error": "rate limited"}, {"Retry-After": "1"})
            return False
        return True

    def _found(self, found: Any) -> None:
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
        data = json.dumps(body).replace("{base}", self.outer.url).encode()
        self.send_response(status)
        for name, value in {"Content-Type": "application/json", **(headers or {})}.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: Any) -> None:
        pass  # the test's output, not the server's


def png(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    """A real picture (one colour): browsers draw it, so a page that shows it can be checked."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))
