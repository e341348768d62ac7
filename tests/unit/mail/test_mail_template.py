"""What template.yaml must say for mail never to fail silently: every email dead-letter queue has an alarm
that notifies someone, email_send may release its send claim, and ingest's last-attempt quarantine
counts the same attempts Lambda makes."""

from pathlib import Path
from typing import Any

import yaml

from helpdesk.mail.service import DELIVERY_ATTEMPTS

TEMPLATE = Path(__file__).resolve().parents[3] / "template.yaml"
EMAIL_FUNCTIONS = ("EmailIngestFunction", "EmailSendFunction")


class _Tag:
    def __init__(self, tag: str, value: Any) -> None:
        self.tag, self.value = tag, value

    def __repr__(self) -> str:
        return f"!{self.tag} {self.value}"


def _template() -> dict[str, Any]:
    class Loader(yaml.SafeLoader):
        pass

    def construct(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> _Tag:
        if isinstance(node, yaml.ScalarNode):
            return _Tag(suffix, loader.construct_scalar(node))
        if isinstance(node, yaml.SequenceNode):
            return _Tag(suffix, loader.construct_sequence(node, deep=True))
        return _Tag(suffix, loader.construct_mapping(node, deep=True))  # type: ignore[arg-type]

    Loader.add_multi_constructor("!", construct)
    doc: dict[str, Any] = yaml.load(TEMPLATE.read_text(), Loader=Loader)  # a SafeLoader subclass
    return doc


def _logical(value: Any) -> str:
    """`!GetAtt EmailDlq.Arn` / `!Ref EmailDlq` -> `EmailDlq`."""
    assert isinstance(value, _Tag), value
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
    resources = _template()["Resources"]
    queues = _dead_letter_queues(resources)
    assert queues, "the email functions send what they give up on to a dead-letter queue"
    for queue in queues:
        alarms = [r["Properties"] for r in resources.values() if r["Type"] == "AWS::CloudWatch::Alarm"
                  and any(isinstance(d["Value"], _Tag) and _logical(d["Value"]) == queue
                          for d in r["Properties"].get("Dimensions", []))]
        assert alarms, f"no alarm watches {queue}"
        for alarm in alarms:
            assert alarm["MetricName"] == "ApproximateNumberOfMessagesVisible"
            assert (alarm["ComparisonOperator"], alarm["Threshold"]) == ("GreaterThanThreshold", 0)
            actions = alarm.get("AlarmActions") or []
            assert actions, f"the alarm on {queue} notifies nobody"
            assert all(resources[_logical(a)]["Type"] == "AWS::SNS::Topic" for a in actions)


def test_email_send_may_update_its_send_claims() -> None:
    statements = _template()["Resources"]["EmailSendFunction"]["Properties"]["Policies"][0]["Statement"]
    meta = [s for s in statements if isinstance(s, dict) and _resource_names(s) == {"MetaTable"}]
    ledger = [s for s in meta if "dynamodb:UpdateItem" in s["Action"]
              and "MAILDELIVERY#*" in s.get("Condition", {}).get("ForAllValues:StringLike", {}).get(
                  "dynamodb:LeadingKeys", ["MAILDELIVERY#*"])]
    assert ledger, "a failed send releases its claim with UpdateItem on MAILDELIVERY# records"


def test_the_last_attempt_is_the_last_one_lambda_makes() -> None:
    ingest = _template()["Resources"]["EmailIngestFunction"]["Properties"]
    assert ingest["EventInvokeConfig"]["MaximumRetryAttempts"] + 1 == DELIVERY_ATTEMPTS


def _resource_names(statement: dict[str, Any]) -> set[str]:
    resources = statement["Resource"] if isinstance(statement["Resource"], list) else [statement["Resource"]]
    return {_logical(r) for r in resources if isinstance(r, _Tag) and r.tag == "GetAtt"}
