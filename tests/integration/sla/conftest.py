"""SLA integration fixtures: moto SNS topic drained through an SQS queue, a verified SES sender."""

import json
from collections.abc import Callable

import boto3
import pytest


@pytest.fixture
def notifications(aws: None, monkeypatch: pytest.MonkeyPatch) -> Callable[[], list[dict[str, object]]]:
    """Point the notifier at a real (moto) topic; returns a function that drains what was published."""
    sns, sqs, ses = boto3.client("sns"), boto3.client("sqs"), boto3.client("ses")
    topic = sns.create_topic(Name="sla")["TopicArn"]
    queue_url = sqs.create_queue(QueueName="sla-inbox")["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue_arn, Attributes={"RawMessageDelivery": "true"})
    ses.verify_email_identity(EmailAddress="sla@acme.example")
    monkeypatch.setenv("HELPDESK_SLA_TOPIC_ARN", topic)
    monkeypatch.setenv("HELPDESK_SLA_MAIL_FROM", "sla@acme.example")
    monkeypatch.setenv("HELPDESK_CONSOLE_URL", "https://help.acme.example/console/")

    def drain() -> list[dict[str, object]]:
        out: list[dict[str, object]] = []
        while True:
            got = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10).get("Messages", [])
            if not got:
                return out
            for message in got:
                out.append(json.loads(message["Body"]))
                sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])

    return drain
