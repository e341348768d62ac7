"""MFA is required for admins: the pre token generation trigger (functions/admin_mfa) on moto's Cognito."""

import copy
import json
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws

from tests.conftest import EVENTS, load_function, rebuild

PASSWORD = "Correct-Horse-42"  # a test user's


@pytest.fixture
def pool() -> Iterator[dict[str, str]]:
    """moto's Cognito only: the trigger touches no table."""
    from helpdesk import bootstrap

    with mock_aws():
        rebuild()
        yield _pool()
        bootstrap.use(None)


def _pool() -> dict[str, str]:
    idp = boto3.client("cognito-idp")
    pool_id = idp.create_user_pool(
        PoolName="helpdesk", MfaConfiguration="OPTIONAL",
        Schema=[{"Name": "role", "AttributeDataType": "String"}, {"Name": "tenant_id", "AttributeDataType": "String"}],
    )["UserPool"]["Id"]
    client_id = idp.create_user_pool_client(
        UserPoolId=pool_id, ClientName="ops", ExplicitAuthFlows=["ALLOW_ADMIN_USER_PASSWORD_AUTH"],
    )["UserPoolClient"]["ClientId"]
    return {"pool": pool_id, "client": client_id}


def _user(pool: dict[str, str], email: str, role: str) -> str:
    idp = boto3.client("cognito-idp")
    idp.admin_create_user(UserPoolId=pool["pool"], Username=email, MessageAction="SUPPRESS", UserAttributes=[
        {"Name": "custom:role", "Value": role}, {"Name": "custom:tenant_id", "Value": "acme"}])
    idp.admin_set_user_password(UserPoolId=pool["pool"], Username=email, Password=PASSWORD, Permanent=True)
    return email


def _event(pool: dict[str, str], username: str, role: str) -> dict[str, Any]:
    event: dict[str, Any] = copy.deepcopy(json.loads((EVENTS / "admin_mfa/pre_token_generation.json").read_text()))
    event["userPoolId"], event["userName"] = pool["pool"], username
    event["request"]["userAttributes"]["custom:role"] = role
    return event


def _enable_totp(pool: dict[str, str], username: str) -> None:
    idp = boto3.client("cognito-idp")
    tokens = idp.admin_initiate_auth(UserPoolId=pool["pool"], ClientId=pool["client"],
                                     AuthFlow="ADMIN_USER_PASSWORD_AUTH",
                                     AuthParameters={"USERNAME": username, "PASSWORD": PASSWORD})
    access = tokens["AuthenticationResult"]["AccessToken"]
    idp.associate_software_token(AccessToken=access)
    idp.verify_software_token(AccessToken=access, UserCode="123456")
    idp.set_user_mfa_preference(AccessToken=access,
                                SoftwareTokenMfaSettings={"Enabled": True, "PreferredMfa": True})


def test_an_admin_without_mfa_gets_an_agent_token_until_they_set_it_up(pool, lambda_context) -> None:
    handler = load_function("admin_mfa").lambda_handler
    admin = _user(pool, "root@acme.example", "admin")

    out = handler(_event(pool, admin, "admin"), lambda_context)
    assert out["response"]["claimsOverrideDetails"]["claimsToAddOrOverride"] == {
        "custom:role": "agent", "helpdesk:mfa_required": "true"}

    _enable_totp(pool, admin)
    out = handler(_event(pool, admin, "admin"), lambda_context)
    assert out["response"]["claimsOverrideDetails"] is None  # the admin role stands


@pytest.mark.parametrize("role", ["agent", "customer"])
def test_other_roles_pass_unchanged_without_mfa(pool, lambda_context, role: str) -> None:
    user = _user(pool, f"{role}@acme.example", role)
    out = load_function("admin_mfa").lambda_handler(_event(pool, user, role), lambda_context)
    assert out["response"]["claimsOverrideDetails"] is None


def test_an_unknown_user_fails_closed(pool, lambda_context) -> None:
    from botocore.exceptions import ClientError

    with pytest.raises(ClientError, match="UserNotFoundException"):
        load_function("admin_mfa").lambda_handler(_event(pool, "ghost@acme.example", "admin"), lambda_context)


def test_staff_signing_in_are_enrolled_in_the_directory_once(aws: None, lambda_context: Any) -> None:
    """Accounts made before the team directory existed get their record at the next sign-in; a record an admin
    changed since is not overwritten by the next one."""
    from helpdesk.bootstrap import container
    from helpdesk.kernel.principal import Role

    handler = load_function("admin_mfa").lambda_handler
    pool = _pool()
    agent = _user(pool, "ann@acme.example", "agent")
    event = _event(pool, agent, "agent")
    event["request"]["userAttributes"].update({"sub": "sub-ann", "email": agent, "name": "Ann Agent"})

    handler(copy.deepcopy(event), lambda_context)
    store = container().directory_store
    enrolled = store.get_user("acme", "sub-ann")
    assert enrolled is not None
    assert (enrolled.email, enrolled.name, enrolled.role, enrolled.active) == (agent, "Ann Agent", Role.AGENT, True)

    store.replace_user(enrolled.model_copy(update={"active": False, "version": 2}), expected_version=1)
    handler(copy.deepcopy(event), lambda_context)
    kept = store.get_user("acme", "sub-ann")
    assert kept is not None
    assert (kept.active, kept.version) == (False, 2)

    customer = _event(pool, _user(pool, "cy@example.com", "customer"), "customer")
    customer["request"]["userAttributes"]["sub"] = "sub-cy"
    handler(customer, lambda_context)
    assert store.get_user("acme", "sub-cy") is None  # customers are the ones admins add
