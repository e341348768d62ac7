"""People's accounts as Cognito users of the stack's user pool (template.yaml `UserPool`: the email is the
username; `custom:role` and `custom:tenant_id` are attributes no app client may write, so only these admin
calls set them, and the ID token carries them as the claims `helpdesk.web.claims` reads)."""

import contextlib
from typing import Any

from helpdesk.kernel.errors import Conflict
from helpdesk.kernel.principal import Role
from helpdesk.web.claims import ROLE_CLAIM, TENANT_CLAIM


class CognitoIdentities:
    def __init__(self, user_pool_id: str, client: Any = None) -> None:
        self._pool, self._client = user_pool_id, client

    @property
    def _idp(self) -> Any:
        if self._client is None:
            import boto3

            self._client = boto3.client("cognito-idp")
        return self._client

    def invite(self, tenant_id: str, email: str, name: str, role: Role) -> str:
        """AdminCreateUser: Cognito mails the invitation with a temporary password (valid for the pool's
        `TemporaryPasswordValidityDays`)."""
        try:
            created = self._idp.admin_create_user(
                UserPoolId=self._pool, Username=email, DesiredDeliveryMediums=["EMAIL"],
                UserAttributes=[{"Name": "email", "Value": email}, {"Name": "email_verified", "Value": "true"},
                                {"Name": "name", "Value": name}, {"Name": ROLE_CLAIM, "Value": role.value},
                                {"Name": TENANT_CLAIM, "Value": tenant_id}])["User"]
        except self._idp.exceptions.UsernameExistsException as exc:
            raise Conflict("an account with this email exists", {"email": email}) from exc
        attributes = {a["Name"]: a["Value"] for a in created.get("Attributes", [])}
        return str(attributes.get("sub") or created["Username"])

    def update(self, email: str, *, name: str | None = None, role: Role | None = None) -> None:
        attributes = [{"Name": "name", "Value": name}] if name is not None else []
        if role is not None:
            attributes.append({"Name": ROLE_CLAIM, "Value": role.value})
        if attributes:  # the tokens already issued keep the old values until they expire
            self._idp.admin_update_user_attributes(UserPoolId=self._pool, Username=email, UserAttributes=attributes)

    def disable(self, email: str) -> None:
        self._idp.admin_disable_user(UserPoolId=self._pool, Username=email)
        # AdminDisableUser stops sign-in and refreshes; signing the user out ends the refresh tokens too.
        with contextlib.suppress(self._idp.exceptions.ClientError):
            self._idp.admin_user_global_sign_out(UserPoolId=self._pool, Username=email)

    def enable(self, email: str) -> None:
        self._idp.admin_enable_user(UserPoolId=self._pool, Username=email)

    def delete(self, email: str) -> None:
        with contextlib.suppress(self._idp.exceptions.UserNotFoundException):
            self._idp.admin_delete_user(UserPoolId=self._pool, Username=email)
