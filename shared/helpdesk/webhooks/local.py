"""Events out in the local stack: the same bus, rule and queues as template.yaml, on moto. The ticket-events
stream is polled into the publisher (as the event_publisher Lambda runs in AWS), the bus's rule puts every
event on the webhook queue, and the queue is polled into the sender, which POSTs to the registered URLs for real
(loopback allowed here)."""

import json
from collections.abc import Callable

import boto3

from helpdesk.local.extensions import LocalStackContext
from helpdesk.webhooks.schema import SOURCE

RULE = "helpdesk-webhooks"


def ensure_bus_and_queues(bus_name: str, queue_url: str, dlq_url: str) -> str:
    """Create what the template creates in AWS (idempotent); returns the queue's URL as moto names it."""
    from helpdesk.local.queues import ensure_queue

    sqs, events = boto3.client("sqs"), boto3.client("events")
    queue = ensure_queue(queue_url, dlq_url, visibility_timeout_s=60, max_receive_count=5)
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    if not any(b["Name"] == bus_name for b in events.list_event_buses()["EventBuses"]):
        events.create_event_bus(Name=bus_name)
    events.put_rule(Name=RULE, EventBusName=bus_name, EventPattern=json.dumps({"source": [SOURCE]}))
    events.put_targets(Rule=RULE, EventBusName=bus_name, Targets=[{"Id": "webhook-queue", "Arn": queue_arn}])
    return str(queue)


def start_events_out(ctx: LocalStackContext) -> Callable[[], None]:
    from helpdesk.local.queues import QueuePoller
    from helpdesk.local.streams import StreamSource, start_stream_poller
    from helpdesk.webhooks.events import deliver_webhooks, publish_ticket_events

    container = ctx.container
    settings = container.settings.events
    queue_url = ensure_bus_and_queues(settings.bus_name, settings.webhook_queue_url, settings.webhook_dlq_url)
    stop_stream = start_stream_poller(ctx, container.settings.tables.ticket_events_table,
                                      lambda event, context: publish_ticket_events(event, context, container.event_bus),
                                      "events-out", StreamSource("EventPublisherFunction", "TicketEvents"))
    poller = QueuePoller(queue_url, lambda event, context: deliver_webhooks(event, context, container.webhook_sender),
                         "webhook-sender").start()

    def stop() -> None:
        stop_stream()
        poller.stop()

    return stop
