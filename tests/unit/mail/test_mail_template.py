"""What template.yaml must say for mail never to fail silently: every email dead-letter queue has an alarm
that notifies someone, email_send may release its send claim, and ingest's last-attempt quarantine
counts the same attempts Lambda makes."""

from typing import Any

from helpdesk.mail.service import DELIVERY_ATTEMPTS
from tests.template import Tag, load_template

EMAIL_FUNCTIONS = ("EmailIngestFunction", "EmailSendFunction")


def _logical(value: Any) -> str:
    """`!GetAtt EmailDlq.Arn` / `!Ref EmailDlq` -> `EmailDlq`."""
    assert isinstance(value, Tag), value
    return str(value.value).split(".")[0]


def _dead_letter_queues(resources: dict[str, Any]) -> set[str]:
    queues: set[str] = set()
    for name in EMAIL_FUNCTIONS:
        properties = resources[name]["Properties"]
        if "DeadLetterQueue" in properties:
            queues.add(_logical(properties["DeadLetterQueue"]["TargetArn"]))
        for event in properties.get("Events", {}).values():
            on_failure = event.get("Properties", {}).get("DestinationConfig", {}).get("OnFailure")
            if on_failure:
                queues.add(_logical(on_failure["Destination"]))
    return queues


def test_every_email_dead_letter_queue_has_an_alarm_that_notifies() -> None:
    resources = load_template()["Resources"]
    queues = _dead_letter_queues(resources)
    assert queues, "the email functions send what they give up on to a dead-letter queue"
    for queue in queues:
        alarms = [r["Properties"] for r in resources.values() if r["Type"] == "AWS::CloudWatch::Alarm"
                  and any(isinstance(d["Value"], Tag) and _logical(d["Value"]) == queue
                          for d in r["Properties"].get("Dimensions", []))]
        assert alarms, f"no alarm watches {queue}"
        for alarm in alarms:
            assert alarm["MetricName"] == "ApproximateNumberOfMessagesVisible"
            assert (alarm["ComparisonOperator"], alarm["Threshold"]) == ("GreaterThanThreshold", 0)
            actions = alarm.get("AlarmActions") or []
            assert actions, f"the alarm on {queue} notifies nobody"
            assert all(resources[_logical(a)]["Type"] == "AWS::SNS::Topic" for a in actions)


def test_email_send_may_update_its_send_claims() -> None:
    statements = load_template()["Resources"]["EmailSendFunction"]["Properties"]["Policies"][0]["Statement"]
    meta = [s for s in statements if isinstance(s, dict) and _resource_names(s) == {"MetaTable"}]
    ledger = [s for s in meta if "dynamodb:UpdateItem" in s["Action"]
              and "MAILDELIVERY#*" in s.get("Condition", {}).get("ForAllValues:StringLike", {}).get(
                  "dynamodb:LeadingKeys", ["MAILDELIVERY#*"])]
    assert ledger, "a failed send releases its claim with UpdateItem on MAILDELIVERY# records"


def test_the_last_attempt_is_the_last_one_lambda_makes() -> None:
    ingest = load_template()["Resources"]["EmailIngestFunction"]["Properties"]
    assert ingest["EventInvokeConfig"]["MaximumRetryAttempts"] + 1 == DELIVERY_ATTEMPTS


def _resource_names(statement: dict[str, Any]) -> set[str]:
    resources = statement["Resource"] if isinstance(statement["Resource"], list) else [statement["Resource"]]
    return {_logical(r) for r in resources if isinstance(r, Tag) and r.tag == "GetAtt"}
