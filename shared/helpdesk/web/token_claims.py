"""What Cognito's pre token generation trigger writes into a staff member's token from the team directory: their
groups (`cognito:groups`, replacing any Cognito group membership) and which tickets they may open
(`helpdesk:ticket_access`). The Team screen is then the one place that decides both. Tokens outlive changes
(Cognito's ID tokens last an hour by default): the APIs apply the directory's word again at every call
(helpdesk.directory.standing), so a signed-in agent's change counts within 30 seconds."""

from typing import Any

from helpdesk.kernel.principal import Principal
from helpdesk.web.claims import TICKET_ACCESS_CLAIM


def with_directory_claims(event: dict[str, Any], person: Principal) -> dict[str, Any]:
    """The pre token generation event, answered with the person's groups and ticket access (`person` as
    `Enrolment.token_identity` gives it); other overrides already in the answer are kept."""
    response = event.get("response") or {}
    details = response.get("claimsOverrideDetails") or {}
    details["groupOverrideDetails"] = {**(details.get("groupOverrideDetails") or {}),
                                       "groupsToOverride": list(person.groups)}
    if person.ticket_access is not None:
        details["claimsToAddOrOverride"] = {**(details.get("claimsToAddOrOverride") or {}),
                                            TICKET_ACCESS_CLAIM: person.ticket_access.value}
    response["claimsOverrideDetails"] = details
    event["response"] = response
    return event
