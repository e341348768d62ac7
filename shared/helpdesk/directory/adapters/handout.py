"""How the directory asks for a group's queue to be handed out: an asynchronous invoke of the auto_assign function
in AWS (least privilege: the directory API changes no ticket itself), a direct call in the local process. Both
carry the same payload (`HandOut`), so what runs locally is what runs deployed."""

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field

from helpdesk.directory.model import ID_PATTERN
from helpdesk.platform.observability import logger

if TYPE_CHECKING:
    from helpdesk.directory.rotation import AutoAssignment


class HandOut(BaseModel):
    """The auto_assign function's direct invocation: hand out one group's waiting tickets."""

    model_config = ConfigDict(extra="forbid")

    action: str = Field(default="hand_out", pattern="^hand_out$")
    tenant_id: str = Field(min_length=1, max_length=128)
    group_id: str = Field(pattern=ID_PATTERN)


class InProcessHandout:
    """The local stack and tests: the auto_assign function's use case, in this process."""

    def __init__(self, assignment: "Callable[[], AutoAssignment]") -> None:
        self._assignment = assignment

    def hand_out(self, tenant_id: str, group_id: str) -> None:
        given = self._assignment().hand_out_waiting(tenant_id, group_id)
        logger.info("queue handed out", extra={"tenant_id": tenant_id, "group": group_id, "assigned": len(given)})


class LambdaHandout:
    """AWS: an asynchronous (Event) invoke of the auto_assign function; Lambda retries it on failure."""

    def __init__(self, function_name: str, client: Any = None) -> None:
        self._function_name = function_name
        if client is None:
            import boto3

            client = boto3.client("lambda")
        self._client = client

    def hand_out(self, tenant_id: str, group_id: str) -> None:
        payload = HandOut(tenant_id=tenant_id, group_id=group_id).model_dump_json().encode()
        self._client.invoke(FunctionName=self._function_name, InvocationType="Event", Payload=payload)
