"""Tokens, claims and pagination cursors: the trust boundaries of the API."""

from datetime import timedelta

import pytest

from helpdesk.kernel.errors import InvalidInput, Unauthorized
from helpdesk.kernel.principal import Principal, Role
from helpdesk.platform.dynamo.cursor import decode_cursor, encode_cursor
from helpdesk.web.claims import principal_from_claims
from helpdesk.web.local_tokens import issue_token, verify_token

SECRET = "a-test-secret-that-is-long-enough-for-hs256!"
AGENT = Principal(user_id="a1", tenant_id="acme", role=Role.AGENT, groups=("billing", "support"))


def test_local_token_round_trip() -> None:
    token = issue_token(AGENT, SECRET, "helpdesk-local", "helpdesk")
    assert principal_from_claims(verify_token(token, SECRET, "helpdesk-local", "helpdesk")) == AGENT


@pytest.mark.parametrize(("secret", "audience", "ttl", "message"), [
    ("another-secret-that-is-long-enough-for-hs256", "helpdesk", timedelta(hours=1), "not valid"),
    (SECRET, "other-api", timedelta(hours=1), "audience"),
    (SECRET, "helpdesk", timedelta(seconds=-10), "expired"),
])
def test_bad_tokens_are_unauthorized(secret: str, audience: str, ttl: timedelta, message: str) -> None:
    token = issue_token(AGENT, secret, "helpdesk-local", audience, ttl=ttl)
    with pytest.raises(Unauthorized, match=message):
        verify_token(token, SECRET, "helpdesk-local", "helpdesk")


def test_api_gateway_flattened_groups_and_missing_claims() -> None:
    claims = {"sub": "a1", "custom:tenant_id": "acme", "custom:role": "agent", "cognito:groups": "[support billing]"}
    assert principal_from_claims(claims).groups == ("billing", "support")
    with pytest.raises(Unauthorized):
        principal_from_claims({"sub": "a1", "custom:role": "agent"})
    with pytest.raises(Unauthorized):
        principal_from_claims({"sub": "a1", "custom:tenant_id": "acme", "custom:role": "superuser"})


def test_cursor_round_trip_and_tenant_pinning() -> None:
    key = {"tenant_id": {"S": "acme"}, "ticket_id": {"S": "x"}, "number": {"N": "3"}}
    cursor = encode_cursor(key)
    keys = {"tenant_id", "ticket_id", "number"}
    assert decode_cursor(cursor, {"tenant_id": "acme"}, keys) == key
    with pytest.raises(InvalidInput):
        decode_cursor(cursor, {"tenant_id": "zeta"}, keys)  # another tenant's cursor
    with pytest.raises(InvalidInput):
        decode_cursor("%%%not-base64", {"tenant_id": "acme"}, keys)
    with pytest.raises(InvalidInput):
        decode_cursor(encode_cursor({"a": {"S": "b"}}), {"tenant_id": "acme"}, keys)
