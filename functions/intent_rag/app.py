"""intent_rag: the help assistant's turn, invoked directly by chat intake (Lambda invoke, RequestResponse).

Payload: a `TurnRequest` (message, conversation history and state, who is chatting). Reply: a
`TurnReply` {reply, intent, confidence, citations, actions, ticket?, state, decision}. A malformed
payload gets {"error": {...}} (chat intake answers the user without losing their message).

The same function consumes the tickets table's DynamoDB stream for triage: a batch of `Records`
goes to `helpdesk.triage.events.process_stream_event` (the triage capability owns that code).
"""

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import ValidationError

from helpdesk.assistant.service import TurnRequest
from helpdesk.bootstrap import container
from helpdesk.platform.observability import logger, metrics


@logger.inject_lambda_context(clear_state=True)
@metrics.log_metrics(capture_cold_start_metric=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    if "Records" in event:
        from helpdesk.triage.events import process_stream_event

        return process_stream_event(event, context, container().ticket_stream)
    try:
        turn = TurnRequest.model_validate(event)
    except ValidationError as exc:
        problems = [{"loc": [str(p) for p in e["loc"]], "type": e["type"], "msg": e["msg"]} for e in exc.errors()]
        logger.warning("invalid intent_rag payload", extra={"errors": problems})
        return {"error": {"code": "validation_error", "message": "payload does not match TurnRequest",
                          "details": {"errors": problems}}}
    reply = container().assistant.reply(turn)
    decision = reply.decision
    logger.info("assistant turn", extra={"conversation_id": turn.conversation_id, "message_id": turn.message_id,
                                         "decision": decision.model_dump(mode="json"), "actions": reply.actions})
    metrics.add_metric(name="AssistantTurns", unit="Count", value=1)
    metrics.add_metric(name="AssistantLatency", unit="Milliseconds", value=decision.latency_ms)
    if decision.fell_back:
        metrics.add_metric(name="AssistantFallbacks", unit="Count", value=1)
    if "offer_ticket" in reply.actions:
        metrics.add_metric(name="AssistantUnanswered", unit="Count", value=1)
    return reply.model_dump(mode="json")
