"""MFA is required for admins: Cognito's pre token generation trigger gives an admin who has not set up MFA
an agent's token.

The user pool keeps MFA optional (customers choose), and Cognito has no per-group MFA setting. With MFA
optional, a user who has enabled an authenticator is challenged for it on every sign-in, so "has MFA
enabled" means "this sign-in passed MFA". An admin without it still signs in (so they can set up their
authenticator: AssociateSoftwareToken needs a signed-in user), but as an agent until they have; the token
then carries `helpdesk:mfa_required` so the console can say why.
"""

from typing import Any, Protocol

from helpdesk.kernel.principal import Role
from helpdesk.web.claims import ROLE_CLAIM

MFA_REQUIRED_CLAIM = "helpdesk:mfa_required"


class MfaDirectory(Protocol):
    def has_mfa(self, user_pool_id: str, username: str) -> bool: ...


class CognitoMfaDirectory:
    """Reads a user's MFA settings with AdminGetUser."""

    def __init__(self, client: Any = None) -> None:
        self._client = client

    def has_mfa(self, user_pool_id: str, username: str) -> bool:
        if self._client is None:
            import boto3

            self._client = boto3.client("cognito-idp")
        user = self._client.admin_get_user(UserPoolId=user_pool_id, Username=username)
        return bool(user.get("UserMFASettingList"))


def require_admin_mfa(event: dict[str, Any], directory: MfaDirectory) -> dict[str, Any]:
    """The pre token generation event, answered: unchanged, or with the admin role replaced by agent.

    A failure to read the user's settings propagates: Cognito then refuses the sign-in (fail closed).
    """
    attributes = event.get("request", {}).get("userAttributes", {})
    if attributes.get(ROLE_CLAIM) != Role.ADMIN.value:
        return event
    if directory.has_mfa(event["userPoolId"], event["userName"]):
        return event
    response = event.setdefault("response", {}) or {}
    event["response"] = response
    details = response.get("claimsOverrideDetails") or {}
    details["claimsToAddOrOverride"] = {**(details.get("claimsToAddOrOverride") or {}),
                                        ROLE_CLAIM: Role.AGENT.value, MFA_REQUIRED_CLAIM: "true"}
    response["claimsOverrideDetails"] = details
    return event
