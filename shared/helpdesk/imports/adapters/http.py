"""What every helpdesk's REST API needs from an import: JSON GETs that wait out rate limits and overloads as the
server asks (`Retry-After`, else 2^attempt seconds, six attempts), stop with a reason on refused credentials, and
file downloads that send the credentials only to the helpdesk's own host and stop at a size. With a `url_check` (an
import job's), every request it makes, each page's next link, each file and each redirect included, must pass it: a
helpdesk's answers cannot point the worker at its own network."""

import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import httpx
from httpx import USE_CLIENT_DEFAULT
from pydantic import ValidationError

from helpdesk.imports.model import SourceFile, SourceTicket, UnreadableTicket
from helpdesk.imports.ports import CredentialsRefused, FileUnavailable, SourceUnavailable
from helpdesk.kernel.errors import InvalidInput

RETRIED = frozenset({429, 500, 502, 503, 504})
ATTEMPTS = 6
MAX_WAIT_S = 120.0

UrlCheck = Callable[[str], None]  # raises `InvalidInput` naming why the URL may not be fetched


class AddressRefused(httpx.RequestError):
    """A request (a page's next link, a file, a redirect) to an address the import may not reach."""


class HelpdeskApi:
    def __init__(self, name: str, base_url: str, *, auth: httpx.Auth | tuple[str, str] | None = None,
                 headers: dict[str, str] | None = None, refused_hint: str = "",
                 transport: httpx.BaseTransport | None = None, sleep: Callable[[float], None] = time.sleep,
                 timeout_s: float = 30.0, attempts: int = ATTEMPTS, url_check: UrlCheck | None = None) -> None:
        self.name = name  # "Zendesk": how errors name the other side
        self._attempts = attempts  # 1 for a connection check: an admin waits for its answer
        self.base = base_url.rstrip("/")
        self._url_check = url_check
        self._http = httpx.Client(base_url=self.base, auth=auth, transport=transport, timeout=timeout_s,
                                  headers={"Accept": "application/json", **(headers or {})},
                                  event_hooks={"request": [self._checked]} if url_check else None)
        self._refused_hint = refused_hint
        self._sleep = sleep

    def close(self) -> None:
        self._http.close()

    def _checked(self, request: httpx.Request) -> None:
        """httpx calls it before every request it sends, a redirect's too."""
        assert self._url_check is not None
        try:
            self._url_check(str(request.url))
        except InvalidInput as refused:
            raise AddressRefused(refused.message, request=request) from refused

    def get(self, url: str, params: dict[str, Any] | None = None, *, missing_ok: bool = False) -> Any:
        """The JSON of a GET (an object or a list); `SourceUnavailable` when the helpdesk refuses or keeps failing.
        `missing_ok`: None for a 404 (what an add-on the helpdesk may lack would answer)."""
        return self._json("GET", url, params, missing_ok=missing_ok)

    def post(self, url: str, body: dict[str, Any], *, missing_ok: bool = False) -> Any:
        """The JSON answer of a POST that only reads (Zammad's knowledge base is listed by one), as `get`."""
        return self._json("POST", url, None, body, missing_ok=missing_ok)

    def _json(self, method: str, path: str, params: dict[str, Any] | None, body: dict[str, Any] | None = None, *,
              missing_ok: bool) -> Any:
        url = path if "://" in path else f"{self.base}{path}"  # as errors name it: the admin sees which host
        for attempt in range(1, self._attempts + 1):
            try:
                response = self._http.request(method, path, params=params, json=body)
            except AddressRefused as exc:
                raise SourceUnavailable(f"{self.name} pointed to an address the import may not reach ({url}): "
                                        f"{exc}") from exc
            except httpx.TransportError as exc:
                if attempt == self._attempts:
                    raise SourceUnavailable(f"{self.name} did not answer {url}: {exc}") from exc
                self._sleep(min(2.0 ** attempt, MAX_WAIT_S))
                continue
            if response.status_code in RETRIED and attempt < self._attempts:
                self._sleep(_retry_after(response, attempt))
                continue
            if response.status_code in (401, 403):
                raise self.refused(f"({response.status_code})")
            if response.status_code == 404 and missing_ok:
                return None
            if response.status_code >= 400:
                raise SourceUnavailable(f"{self.name} answered {response.status_code} to {url}")
            try:
                return response.json()
            except ValueError as exc:
                raise SourceUnavailable(f"{self.name} answered {url} with no JSON") from exc
        raise AssertionError("unreachable")

    def refused(self, why: str) -> CredentialsRefused:
        """The credentials did not let the import in: what to give instead."""
        return CredentialsRefused(f"{self.name} refused the credentials {why}: {self._refused_hint}")

    def get_object(self, url: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        body = self.get(url, params)
        if not isinstance(body, dict):
            raise SourceUnavailable(f"{self.name} answered {url} with no JSON object")
        return body

    def get_list(self, url: str, params: dict[str, Any] | None = None) -> list[Any]:
        body = self.get(url, params)
        if not isinstance(body, list):
            raise SourceUnavailable(f"{self.name} answered {url} with no JSON list")
        return body

    def download(self, file: SourceFile, max_bytes: int) -> bytes:
        # On the helpdesk's own host the credentials go along (files may require sign-in); it may redirect to a file
        # host, and httpx drops the credentials on a redirect to another origin. Other hosts get none at all.
        same_origin = httpx.URL(file.url).netloc == httpx.URL(self.base).netloc
        try:
            with self._http.stream("GET", file.url, follow_redirects=True,
                                   auth=USE_CLIENT_DEFAULT if same_origin else None) as response:
                if response.status_code >= 400:
                    raise FileUnavailable(f"{self.name} answered {response.status_code}")
                data = bytearray()
                for chunk in response.iter_bytes():
                    data += chunk
                    if len(data) > max_bytes:
                        raise FileUnavailable(f"larger than {max_bytes} bytes")
                return bytes(data)
        except httpx.HTTPError as exc:
            raise FileUnavailable(f"not fetched: {exc}") from exc


def _retry_after(response: httpx.Response, attempt: int) -> float:
    try:
        asked = float(response.headers.get("Retry-After", ""))
    except ValueError:
        asked = 2.0 ** attempt
    return min(max(asked, 1.0), MAX_WAIT_S)


def source_id(value: Any) -> str | None:
    """An id of the old helpdesk as a string (they are numbers there); None stays None."""
    return str(value) if value is not None else None


def html_text(value: Any) -> str:
    """The text of a note or message an old helpdesk keeps as HTML (Zammad's articles, FreeScout's threads), as
    mail's HTML is read here."""
    from helpdesk.mail.html import html_to_text

    return html_to_text(str(value)).strip() if value else ""


def by_position(records: Iterable[Any], field: str = "position") -> list[Any]:
    """Records in their order there (Zendesk's `position`, Zammad's `prio`; one without a number of its own last)."""
    def position(record: Any) -> int:
        try:
            return int(record.get(field) or 0)
        except (AttributeError, TypeError, ValueError):
            return 2**31
    return sorted(records, key=position)


READ_ERRORS = (KeyError, TypeError, ValueError, AttributeError)  # a key missing, a value of another kind


def _why(record: Any, exc: Exception) -> tuple[str, str]:
    """The record's id (or "?") and why it could not be read."""
    found = record.get("id") if isinstance(record, dict) else None
    if isinstance(exc, ValidationError):  # its first line names only the model: say which value and why
        first = exc.errors()[0]
        what = f"{'.'.join(str(part) for part in first['loc'])}: {first['msg']}"
    else:
        what = f"{exc!s} missing" if isinstance(exc, KeyError) else str(exc).splitlines()[0]
    return str(found if found is not None else "?"), f"not readable: {what}"[:300]


def ticket_or_reason(record: Any, read: Callable[[dict[str, Any]], SourceTicket | None]
                     ) -> SourceTicket | UnreadableTicket | None:
    """`read(record)`, or the record named with why it could not be read (a key missing, a value of another kind):
    one odd ticket of thousands is named in the report instead of stopping the run."""
    try:
        return read(record)
    except READ_ERRORS as exc:
        found, reason = _why(record, exc)
        return UnreadableTicket(id=found, reason=reason)


class PassedOver:
    """The records of an old helpdesk's lists (organisations, people, macros, views, ...) its adapter could not read,
    each named once ("organization 17: not readable: 'name' missing"): the run goes on with the others, and the
    report names them (`HelpdeskSource.unreadable`)."""

    def __init__(self) -> None:
        self._named: dict[str, None] = {}  # in the order met; a record two lists read (Zendesk's triggers) once

    def each[T](self, kind: str, records: Iterable[Any], read: Callable[[Any], T | None]) -> Iterator[T]:
        """`read(record)` of each record that reads (None: nothing to yield), the others named."""
        for record in records:
            try:
                item = read(record)
            except READ_ERRORS as exc:
                found, reason = _why(record, exc)
                self._named.setdefault(f"{kind} {found}: {reason}")
                continue
            if item is not None:
                yield item

    def named(self) -> list[str]:
        return list(self._named)
