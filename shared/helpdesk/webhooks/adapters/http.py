"""POST a signed body with the standard library: no redirects followed (a redirect could point anywhere,
the metadata service included), a hard timeout."""

import urllib.error
import urllib.request
from typing import Any


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


class UrllibPoster:
    def __init__(self) -> None:
        self._opener = urllib.request.build_opener(_NoRedirects())

    def post(self, url: str, body: bytes, headers: dict[str, str], timeout_s: float) -> int:
        request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310 - http(s) only (check_url)
        try:
            with self._opener.open(request, timeout=timeout_s) as response:
                status: int = response.status
                return status
        except urllib.error.HTTPError as exc:  # an answer, just not a 2xx (a 3xx lands here too)
            return exc.code
