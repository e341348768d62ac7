"""The throw-away Cognito admin of `helpdesk smoke` on moto's Cognito, with moto checking the TOTP codes
(MOTO_COGNITO_IDP_USER_POOL_ENABLE_TOTP): it enrols an authenticator, signs in again with a code, and is
deleted."""

import base64
import time
from collections.abc import Iterator

import boto3
import pytest
from moto import mock_aws

from helpdesk.cli.cognito_admin import CognitoTestAdmin, stack_outputs, totp


def test_totp_matches_rfc_6238() -> None:
    secret = base64.b32encode(b"12345678901234567890").decode()  # RFC 6238 appendix B, SHA-1
    assert totp(secret, at=59) == "287082"
    assert totp(secret, at=1111111109) == "081804"


@pytest.fixture
def idp(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[object, str, str]]:
    monkeypatch.setenv("MOTO_COGNITO_IDP_USER_POOL_ENABLE_TOTP", "true")
    with mock_aws():
        client = boto3.client("cognito-idp", region_name="us-east-1")
        pool = client.create_user_pool(
            PoolName="helpdesk", MfaConfiguration="OPTIONAL", UsernameAttributes=["email"],
            Schema=[{"Name": "role", "AttributeDataType": "String"},
                    {"Name": "tenant_id", "AttributeDataType": "String"}])["UserPool"]["Id"]
        app = client.create_user_pool_client(UserPoolId=pool, ClientName="ops", ExplicitAuthFlows=[
            "ALLOW_ADMIN_USER_PASSWORD_AUTH"])["UserPoolClient"]["ClientId"]
        yield client, pool, app


class FakeClock:
    """time.time for moto and the code under test alike; sleeping moves it on."""

    def __init__(self, now: float) -> None:
        self.now = now
        self.waits: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.now += seconds


def test_the_test_admin_signs_in_with_mfa_and_is_deleted(idp, monkeypatch: pytest.MonkeyPatch) -> None:
    client, pool, app = idp
    clock = FakeClock(1_000_000_005.0)  # 15 s into a 30 s step: enrolment and sign-in share a code
    monkeypatch.setattr(time, "time", lambda: clock.now)
    admin = CognitoTestAdmin(client, pool, app, "smoke", "ab12", sleep=clock.sleep)

    signed_in = admin.sign_in()

    assert clock.waits == [15.5]  # a code is never used twice: it waited for the next one
    assert signed_in.username == "smoke-ab12@smoke.invalid"
    user = client.admin_get_user(UserPoolId=pool, Username=admin.username)
    assert user["UserMFASettingList"] == ["SOFTWARE_TOKEN_MFA"]
    attributes = {a["Name"]: a["Value"] for a in user["UserAttributes"]}
    assert attributes["custom:role"] == "admin"
    assert attributes["custom:tenant_id"] == "smoke"
    assert signed_in.id_token.count(".") == 2
    assert admin.delete() is True
    assert admin.delete() is False  # once
    with pytest.raises(client.exceptions.UserNotFoundException):
        client.admin_get_user(UserPoolId=pool, Username=admin.username)


def test_a_wrong_code_is_refused(idp, monkeypatch: pytest.MonkeyPatch) -> None:
    """moto really checks the codes: a clock 5 minutes off produces codes it refuses."""
    client, pool, app = idp
    clock = FakeClock(1_000_000_005.0)
    monkeypatch.setattr(time, "time", lambda: clock.now)
    monkeypatch.setattr("helpdesk.cli.cognito_admin.time", _Skewed(clock, 300))
    with pytest.raises(client.exceptions.CodeMismatchException):
        CognitoTestAdmin(client, pool, app, "smoke", "cd34", sleep=clock.sleep).sign_in()


class _Skewed:
    def __init__(self, clock: FakeClock, skew: float) -> None:
        self._clock, self._skew = clock, skew

    def time(self) -> float:
        return self._clock.now + self._skew


def test_stack_outputs_are_read_by_key() -> None:
    class FakeCloudFormation:
        def describe_stacks(self, StackName: str) -> dict[str, object]:
            assert StackName == "helpdesk-dev"
            return {"Stacks": [{"Outputs": [{"OutputKey": "ApiUrl", "OutputValue": "https://x"},
                                            {"OutputKey": "UserPoolId", "OutputValue": "us-east-1_X"}]}]}

    assert stack_outputs(FakeCloudFormation(), "helpdesk-dev") == {"ApiUrl": "https://x", "UserPoolId": "us-east-1_X"}
