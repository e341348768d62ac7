"""A throw-away admin in a deployed stack's Cognito user pool, for `helpdesk smoke`.

It signs in the way a person must: admins need MFA (the pre token generation trigger gives an admin without
it an agent's token), so the test admin enrols an authenticator (TOTP, RFC 6238, computed with
`cryptography`'s implementation) and signs in again with a code. Sign-in goes through the operators' app
client (`OperatorClientId`: ADMIN_USER_PASSWORD_AUTH, which needs AWS credentials; no SRP client code).
"""

import base64
import secrets
import time
from dataclasses import dataclass
from typing import Any

TOTP_STEP_S = 30


def totp(secret_b32: str, at: float | None = None) -> str:
    """The 6-digit authenticator code for a base32 secret (what Cognito's AssociateSoftwareToken returns)."""
    from cryptography.hazmat.primitives.hashes import SHA1
    from cryptography.hazmat.primitives.twofactor.totp import TOTP

    key = base64.b32decode(secret_b32 + "=" * (-len(secret_b32) % 8), casefold=True)
    code = TOTP(key, 6, SHA1(), TOTP_STEP_S, enforce_key_length=False)  # noqa: S303 (RFC 6238 is HMAC-SHA1)
    return code.generate(int(at if at is not None else time.time())).decode()


@dataclass(frozen=True)
class SignedIn:
    id_token: str
    username: str
    role: str  # the role claim the API will see


class CognitoTestAdmin:
    """Create, sign in (with MFA) and delete one admin user named smoke-<run>@<domain> in `tenant`."""

    def __init__(self, client: Any, user_pool_id: str, client_id: str, tenant: str, run_id: str,
                 domain: str = "smoke.invalid", sleep: Any = time.sleep) -> None:
        self._idp, self._pool, self._client_id = client, user_pool_id, client_id
        self.username = f"smoke-{run_id}@{domain}"
        self._tenant = tenant
        self._password = secrets.token_urlsafe(18) + "Aa1-"  # meets the pool's password policy
        self._sleep = sleep
        self.created = False

    def sign_in(self) -> SignedIn:
        self._idp.admin_create_user(
            UserPoolId=self._pool, Username=self.username, MessageAction="SUPPRESS",
            UserAttributes=[{"Name": "email", "Value": self.username}, {"Name": "email_verified", "Value": "true"},
                            {"Name": "custom:role", "Value": "admin"},
                            {"Name": "custom:tenant_id", "Value": self._tenant}])
        self.created = True
        self._idp.admin_set_user_password(UserPoolId=self._pool, Username=self.username,
                                          Password=self._password, Permanent=True)
        first = self._auth()["AuthenticationResult"]  # no MFA yet: an agent's token
        secret = self._idp.associate_software_token(AccessToken=first["AccessToken"])["SecretCode"]
        enrol_code = totp(secret)
        self._idp.verify_software_token(AccessToken=first["AccessToken"], UserCode=enrol_code,
                                        FriendlyDeviceName="helpdesk smoke")
        self._idp.set_user_mfa_preference(AccessToken=first["AccessToken"],
                                          SoftwareTokenMfaSettings={"Enabled": True, "PreferredMfa": True})
        challenge = self._auth()
        if challenge.get("ChallengeName") != "SOFTWARE_TOKEN_MFA":
            raise RuntimeError(f"expected an MFA challenge, got {challenge.get('ChallengeName') or 'tokens'}")
        now = time.time()
        code = totp(secret, now)
        if code == enrol_code:  # Cognito accepts each code once: wait for the next one (at most 30 s)
            wait = TOTP_STEP_S - now % TOTP_STEP_S + 0.5
            self._sleep(wait)
            code = totp(secret, now + wait)
        result = self._idp.admin_respond_to_auth_challenge(
            UserPoolId=self._pool, ClientId=self._client_id, ChallengeName="SOFTWARE_TOKEN_MFA",
            Session=challenge["Session"],
            ChallengeResponses={"USERNAME": self.username, "SOFTWARE_TOKEN_MFA_CODE": code},
        )["AuthenticationResult"]
        return SignedIn(result["IdToken"], self.username, _claims(result["IdToken"]).get("custom:role", "?"))

    def delete(self) -> bool:
        if not self.created:
            return False
        self._idp.admin_delete_user(UserPoolId=self._pool, Username=self.username)
        self.created = False
        return True

    def _auth(self) -> dict[str, Any]:
        result: dict[str, Any] = self._idp.admin_initiate_auth(
            UserPoolId=self._pool, ClientId=self._client_id, AuthFlow="ADMIN_USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": self.username, "PASSWORD": self._password})
        return result


def _claims(token: str) -> dict[str, Any]:
    """The token's claims, unverified: only to report what the API will see (the API verifies it)."""
    import jwt

    claims: dict[str, Any] = jwt.decode(token, options={"verify_signature": False})
    return claims


def stack_outputs(cloudformation: Any, stack_name: str) -> dict[str, str]:
    stack = cloudformation.describe_stacks(StackName=stack_name)["Stacks"][0]
    return {o["OutputKey"]: o["OutputValue"] for o in stack.get("Outputs", [])}
