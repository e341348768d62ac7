"""Cognito pre token generation trigger: admins get the admin role only once they use MFA
(helpdesk.web.admin_mfa); staff whose accounts predate the team directory are enrolled in it
(helpdesk.directory.enrolment), and every staff token carries the directory's groups and ticket access
(helpdesk.web.token_claims)."""

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from helpdesk.bootstrap import container
from helpdesk.kernel.errors import Unauthorized
from helpdesk.platform.observability import logger
from helpdesk.web.admin_mfa import require_admin_mfa
from helpdesk.web.claims import principal_from_claims
from helpdesk.web.token_claims import with_directory_claims


@logger.inject_lambda_context(clear_state=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    try:
        person = principal_from_claims(event.get("request", {}).get("userAttributes", {}))
    except Unauthorized:
        person = None  # no tenant or role yet (an account an operator is still setting up)
    if person is not None and person.is_staff:
        # A directory that cannot be read fails the sign-in (Cognito refuses it), as the MFA rule below does:
        # the record says which tickets the person may open.
        event = with_directory_claims(event, container().enrolment.token_identity(person))
    return require_admin_mfa(event, container().mfa_directory)
