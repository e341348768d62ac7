"""Cognito pre token generation trigger: admins get the admin role only once they use MFA
(helpdesk.web.admin_mfa), and staff whose accounts predate the team directory are enrolled in it
(helpdesk.directory.enrolment) so they can be assigned tickets."""

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from helpdesk.bootstrap import container
from helpdesk.kernel.errors import Unauthorized
from helpdesk.platform.observability import logger
from helpdesk.web.admin_mfa import require_admin_mfa
from helpdesk.web.claims import principal_from_claims


@logger.inject_lambda_context(clear_state=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    _enrol(event.get("request", {}).get("userAttributes", {}))
    return require_admin_mfa(event, container().mfa_directory)


def _enrol(attributes: dict[str, Any]) -> None:
    """Best effort: a sign-in never fails because the directory could not be written (it is retried at the
    next sign-in or token refresh); the MFA rule above fails closed."""
    try:
        person = principal_from_claims(attributes)
    except Unauthorized:
        return  # no tenant or role yet (an account an operator is still setting up)
    try:
        container().enrolment(person)
    except Exception:
        logger.exception("could not enrol the person signing in in the team directory",
                         extra={"tenant_id": person.tenant_id})
