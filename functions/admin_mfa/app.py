"""Cognito pre token generation trigger: admins get the admin role only once they use MFA
(helpdesk.web.admin_mfa)."""

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from helpdesk.bootstrap import container
from helpdesk.platform.observability import logger
from helpdesk.web.admin_mfa import require_admin_mfa


@logger.inject_lambda_context(clear_state=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return require_admin_mfa(event, container().mfa_directory)
