"""How chat intake reaches the assistant: Lambda invoke in AWS, a direct call in the local process.

Both adapters speak the intent_rag function's payload (`TurnRequest` in, `TurnReply` out), so what
runs locally is what runs deployed.
"""

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from helpdesk.assistant.service import TurnReply, TurnRequest
from helpdesk.chat.ports import IntentRagUnavailable

if TYPE_CHECKING:
    from helpdesk.assistant.service import ChatAssistant


class InProcessIntentRag:
    """The local stack and tests: the same use case the intent_rag function runs, in this process."""

    def __init__(self, assistant: "Callable[[], ChatAssistant]") -> None:
        self._assistant = assistant  # built on the first turn: the embedder loads only when a chat needs it

    def reply(self, turn: TurnRequest) -> TurnReply:
        try:
            return self._assistant().reply(turn)
        except Exception as exc:
            raise IntentRagUnavailable(type(exc).__name__) from exc


class LambdaIntentRag:
    """AWS: a synchronous (RequestResponse) invoke of the intent_rag function."""

    def __init__(self, function_name: str, timeout_s: float = 25.0, client: Any = None) -> None:
        self._function_name = function_name
        if client is None:
            import boto3
            from botocore.config import Config

            # No retry: a turn that timed out may have created a ticket; the user gets an answer and can retry.
            client = boto3.client("lambda", config=Config(read_timeout=timeout_s, connect_timeout=3,
                                                          retries={"max_attempts": 1, "mode": "standard"}))
        self._client = client

    def reply(self, turn: TurnRequest) -> TurnReply:
        try:
            response = self._client.invoke(FunctionName=self._function_name, InvocationType="RequestResponse",
                                           Payload=turn.model_dump_json().encode())
            payload = json.loads(response["Payload"].read() or b"null")
        except Exception as exc:
            raise IntentRagUnavailable(f"invoke failed: {type(exc).__name__}") from exc
        if response.get("FunctionError") or not isinstance(payload, dict) or "error" in payload:
            raise IntentRagUnavailable(f"intent_rag failed: {response.get('FunctionError') or 'error reply'}")
        try:
            return TurnReply.model_validate(payload)
        except ValueError as exc:
            raise IntentRagUnavailable("malformed intent_rag reply") from exc
