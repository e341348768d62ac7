"""How a held mail an admin lets in is delivered again: an asynchronous invoke of the email_ingest function in AWS
(least privilege: the mail admin API reads no raw mail and writes no ticket), a direct call in the local process.
Both carry the same payload (`Redeliver`), so what runs locally is what runs deployed."""

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field

from helpdesk.platform.observability import logger

if TYPE_CHECKING:
    from helpdesk.mail.service import MailIngest


class Redeliver(BaseModel):
    """The email_ingest function's direct invocation: deliver one quarantined mail again, let in by an admin."""

    model_config = ConfigDict(extra="forbid")

    action: str = Field(default="redeliver", pattern="^redeliver$")
    tenant_id: str = Field(min_length=1, max_length=128)
    delivery_id: str = Field(min_length=1, max_length=200)
    admitted_by: str = Field(min_length=1, max_length=200)


class InProcessRedelivery:
    """The local stack and tests: mail ingest's replay, in this process."""

    def __init__(self, ingest: "Callable[[], MailIngest]") -> None:
        self._ingest = ingest

    def deliver_again(self, tenant_id: str, delivery_id: str, admitted_by: str) -> None:
        result = self._ingest().replay(tenant_id, delivery_id, admitted_by=admitted_by)
        logger.info("held mail delivered again", extra={"tenant_id": tenant_id, "delivery_id": delivery_id,
                                                        "status": result.status})


class LambdaRedelivery:
    """AWS: an asynchronous (Event) invoke of the email_ingest function; Lambda retries it on failure."""

    def __init__(self, function_name: str, client: Any = None) -> None:
        self._function_name = function_name
        if client is None:
            import boto3

            client = boto3.client("lambda")
        self._client = client

    def deliver_again(self, tenant_id: str, delivery_id: str, admitted_by: str) -> None:
        payload = Redeliver(tenant_id=tenant_id, delivery_id=delivery_id, admitted_by=admitted_by)
        self._client.invoke(FunctionName=self._function_name, InvocationType="Event",
                            Payload=payload.model_dump_json().encode())
