"""The pre token generation trigger (functions/admin_mfa) on moto's Cognito and DynamoDB: MFA is required for
admins, and staff tokens carry the team directory's groups and ticket access."""

import copy
import json
from typing import Any

import boto3
import pytest

from tests.conftest import EVENTS, load_function

PASSWORD = "Correct-Horse-42"  # a test user's


@pytest.fixture
def pool(aws: None) -> dict[str, str]:
    """moto's Cognito beside the tables: the trigger reads the team directory."""
    return _pool()


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
        "custom:role": "agent", "helpdesk:mfa_required": "true", "helpdesk:ticket_access": "all"}

    _enable_totp(pool, admin)
    out = handler(_event(pool, admin, "admin"), lambda_context)
    assert out["response"]["claimsOverrideDetails"] == {  # the admin role stands
        "claimsToAddOrOverride": {"helpdesk:ticket_access": "all"}, "groupOverrideDetails": {"groupsToOverride": []}}


def test_other_roles_need_no_mfa(pool, lambda_context) -> None:
    handler = load_function("admin_mfa").lambda_handler
    agent = handler(_event(pool, _user(pool, "agent@acme.example", "agent"), "agent"), lambda_context)
    assert "custom:role" not in agent["response"]["claimsOverrideDetails"]["claimsToAddOrOverride"]
    customer = handler(_event(pool, _user(pool, "cy@example.com", "customer"), "customer"), lambda_context)
    assert customer["response"]["claimsOverrideDetails"] is None  # customers are not in the team's directory


def test_staff_tokens_carry_the_directory_groups_and_ticket_access(pool, lambda_context) -> None:
    """The Team screen decides what an agent sees: the token names their directory groups (replacing Cognito's
    own group membership) and whether they are limited to those groups' tickets; the API reads both back."""
    from helpdesk.bootstrap import container
    from helpdesk.directory.model import Group, UserChange
    from helpdesk.kernel.principal import Principal, Role
    from helpdesk.web.claims import principal_from_claims

    handler = load_function("admin_mfa").lambda_handler
    event = _event(pool, _user(pool, "bo@acme.example", "agent"), "agent")
    event["request"]["userAttributes"].update({"sub": "sub-bo", "email": "bo@acme.example"})
    event["request"]["groupConfiguration"]["groupsToOverride"] = ["pool-wide-group"]
    handler(copy.deepcopy(event), lambda_context)  # enrolled: every ticket, no group
    store, now = container().directory_store, container().clock()
    store.add_group(Group(id="billing", tenant_id="acme", name="Billing", members=["sub-bo"], created_at=now,
                          updated_at=now))
    admin = Principal(user_id="ada", tenant_id="acme", role=Role.ADMIN)
    container().directory.update_user(admin, "sub-bo", UserChange(ticket_access="groups"))

    def signed_in() -> tuple[dict[str, Any], Principal]:
        """The trigger's answer and the caller the API makes of the token Cognito issues with it."""
        details: dict[str, Any] = handler(copy.deepcopy(event), lambda_context)["response"]["claimsOverrideDetails"]
        token = {**event["request"]["userAttributes"], **details["claimsToAddOrOverride"],
                 "cognito:groups": details["groupOverrideDetails"]["groupsToOverride"]}
        return details, principal_from_claims(token)

    details, caller = signed_in()
    assert details == {"groupOverrideDetails": {"groupsToOverride": ["billing"]},
                       "claimsToAddOrOverride": {"helpdesk:ticket_access": "groups"}}
    assert caller.limited_to == ("billing",)

    billing = store.get_group("acme", "billing")
    assert billing is not None
    store.replace_group(billing.model_copy(update={"members": [], "version": 2}), expected_version=1)
    assert signed_in()[1].limited_to == ("-in-no-group",)  # their assigned tickets, not every ticket


def test_a_directory_that_cannot_be_read_fails_the_sign_in(pool, lambda_context) -> None:
    """Fail closed: without the record an agent limited to their groups would get a token for every ticket."""
    from helpdesk.bootstrap import container

    boto3.client("dynamodb").delete_table(TableName=container().settings.tables.meta_table)
    event = _event(pool, _user(pool, "bo@acme.example", "agent"), "agent")
    with pytest.raises(Exception, match="ResourceNotFound"):
        load_function("admin_mfa").lambda_handler(event, lambda_context)


def test_an_unknown_user_fails_closed(pool, lambda_context) -> None:
    from botocore.exceptions import ClientError

    with pytest.raises(ClientError, match="UserNotFoundException"):
        load_function("admin_mfa").lambda_handler(_event(pool, "ghost@acme.example", "admin"), lambda_context)


def test_staff_signing_in_are_enrolled_in_the_directory_once(aws: None, lambda_context: Any) -> None:
    """Accounts made before the team directory existed get their record at the next sign-in; a record an admin
    changed since is not overwritten by the next one, and a deactivated one is refused."""
    from helpdesk.bootstrap import container
    from helpdesk.kernel.errors import Unauthorized
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
    # Deactivated in the directory (Cognito disables the account too; should that have failed, the trigger's
    # error fails the sign-in): refused, and the record is not overwritten.
    with pytest.raises(Unauthorized, match="deactivated"):
        handler(copy.deepcopy(event), lambda_context)
    kept = store.get_user("acme", "sub-ann")
    assert kept is not None
    assert (kept.active, kept.version) == (False, 2)

    customer = _event(pool, _user(pool, "cy@example.com", "customer"), "customer")
    customer["request"]["userAttributes"]["sub"] = "sub-cy"
    handler(customer, lambda_context)
    assert store.get_user("acme", "sub-cy") is None  # customers are the ones admins add
