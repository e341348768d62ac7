"""Who a `helpdesk` sub-command acts as: an admin of the tenant named on the command line, recorded in the audit
log as `cli`."""

from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from helpdesk.kernel.principal import Principal

OPERATOR = "cli"  # the audit log's actor for changes made with these commands


def operator(tenant: str) -> "Principal":
    """The operator in `tenant`; a malformed tenant id is the option's error, not a traceback."""
    from helpdesk.kernel.principal import Principal, Role

    try:
        return Principal(user_id=OPERATOR, tenant_id=tenant, role=Role.ADMIN)
    except ValueError as exc:
        raise typer.BadParameter(f"tenant {tenant!r}: {exc}") from exc
