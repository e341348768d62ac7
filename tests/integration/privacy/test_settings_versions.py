"""Each tenant settings document saved over HTTP (mail, privacy) through the real lambda_handlers on moto, in the
mail world (privacy needs its bucket): its version is the ETag, and a save with `If-Match` over a version someone
saved since is 409 and changes nothing, so two admins cannot overwrite each other unseen. (AI settings and
categories: `tests/integration/triage/test_agent_assist_api.py`.)"""

from collections.abc import Callable
from typing import Any

import pytest

from tests.conftest import claims, http_event

Invoke = Callable[[str, dict[str, Any]], dict[str, Any]]
ADMIN = claims("root", "acme", "admin")

# (function, path, two different saves, the stored item's pk and sk)
DOCUMENTS = [
    ("mail_admin", "/mail/settings", {"from_name": "Acme Support"}, {"from_name": "Acme Help"},
     ("TENANT#acme", "MAIL#settings")),
    ("privacy_api", "/privacy/settings", {"retention_days": 30}, {"retention_days": 90},
     ("TENANT#acme#PRIVACY", "SETTINGS")),
]


def call(invoke: Invoke, function: str, method: str, path: str, body: Any = None,
         etag: str | None = None) -> dict[str, Any]:
    return invoke(function, http_event(method, path, body=body, claims_=ADMIN,
                                       headers={"if-match": etag} if etag else None))


@pytest.mark.parametrize(("function", "path", "first", "second", "key"), DOCUMENTS)
def test_a_save_over_a_version_saved_since_is_refused(mail: Any, invoke: Invoke, function: str, path: str,
                                                      first: dict[str, Any], second: dict[str, Any],
                                                      key: tuple[str, str]) -> None:
    seen = call(invoke, function, "GET", path)["headers"]["etag"]
    assert seen == '"0"'  # never saved
    saved = call(invoke, function, "PUT", path, first, seen)  # one admin saves what they read
    assert (saved["statusCode"], saved["headers"]["etag"]) == (200, '"1"'), saved["json"]
    stale = call(invoke, function, "PUT", path, second, seen)  # the other saves over the version both read
    assert (stale["statusCode"], stale["json"]["error"]["code"]) == (409, "concurrent_update")
    read = call(invoke, function, "GET", path)
    assert read["headers"]["etag"] == '"1"'
    assert {k: read["json"][k] for k in first} == first  # the first save stands
    assert call(invoke, function, "PUT", path, second, '"1"')["headers"]["etag"] == '"2"'  # read again, then saved
    assert call(invoke, function, "PUT", path, first)["statusCode"] == 200  # no If-Match: the last save wins


@pytest.mark.parametrize(("function", "path", "first", "second", "key"), DOCUMENTS)
def test_settings_saved_before_they_had_a_version_read_as_version_1(mail: Any, invoke: Invoke, function: str,
                                                                    path: str, first: dict[str, Any],
                                                                    second: dict[str, Any],
                                                                    key: tuple[str, str]) -> None:
    from helpdesk.bootstrap import container

    container().tables.meta(pk=key[0], sk=key[1], data=first).save()  # as stored before: no `value`
    read = call(invoke, function, "GET", path)
    assert read["headers"]["etag"] == '"1"'
    assert {k: read["json"][k] for k in first} == first
    saved = call(invoke, function, "PUT", path, second, '"1"')
    assert (saved["statusCode"], saved["headers"]["etag"]) == (200, '"2"')
