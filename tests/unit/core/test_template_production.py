"""template.yaml is ready for production: stateful resources survive stack deletion and replacement, every
HTTP API logs access, every dead-letter queue alarms to a topic someone can subscribe to, every endpoint,
bucket, topic and queue is an Output, Cognito has no self sign-up and MFA, and samconfig.toml has dev and
prod environments."""

import tomllib
from typing import Any

import pytest

from tests.template import TEMPLATE, Tag, load_template, refs

STATEFUL = {"AWS::DynamoDB::Table", "AWS::S3::Bucket", "AWS::SQS::Queue", "AWS::Cognito::UserPool",
            "AWS::Logs::LogGroup"}
# Derived data, rebuilt from the articles in the Meta table: deleted with the stack on purpose.
DERIVED = {"KnowledgeDomain", "KnowledgeCollection"}
OUTPUT_TYPES = {"AWS::S3::Bucket", "AWS::SNS::Topic", "AWS::SQS::Queue", "AWS::Serverless::HttpApi",
                "AWS::CloudFront::Distribution", "AWS::Cognito::UserPool", "AWS::Cognito::UserPoolClient",
                "AWS::CloudWatch::Dashboard", "AWS::DynamoDB::Table", "AWS::Logs::LogGroup"}


def _resources(*types: str) -> dict[str, dict[str, Any]]:
    return {name: r for name, r in load_template()["Resources"].items() if r["Type"] in types}


@pytest.mark.parametrize("name", sorted(_resources(*STATEFUL)))
def test_stateful_resources_are_retained_on_delete_and_replace(name: str) -> None:
    resource = load_template()["Resources"][name]
    assert resource.get("DeletionPolicy") == "Retain", name
    assert resource.get("UpdateReplacePolicy") == "Retain", name


def test_only_derived_data_is_left_to_the_default_deletion() -> None:
    search = _resources("AWS::OpenSearchService::Domain", "AWS::OpenSearchServerless::Collection")
    assert set(search) == DERIVED


@pytest.mark.parametrize("name", sorted(_resources("AWS::Serverless::HttpApi", "AWS::ApiGatewayV2::Api")))
def test_every_http_api_writes_an_access_log_to_a_retained_group(name: str) -> None:
    settings = load_template()["Resources"][name]["Properties"]["AccessLogSettings"]
    (group,) = refs(settings["DestinationArn"])
    assert load_template()["Resources"][group]["Type"] == "AWS::Logs::LogGroup"
    assert "$context.requestId" in settings["Format"]
    assert "$context.status" in settings["Format"]


@pytest.mark.parametrize("queue", sorted(q for q in _resources("AWS::SQS::Queue") if q.endswith("Dlq")))
def test_every_dead_letter_queue_has_an_alarm_that_notifies_the_alarm_topic(queue: str) -> None:
    alarms = [a["Properties"] for a in _resources("AWS::CloudWatch::Alarm").values()
              if any(queue in refs(d["Value"]) for d in a["Properties"].get("Dimensions", []))]
    assert alarms, f"no alarm watches {queue}"
    for alarm in alarms:
        assert alarm["MetricName"] == "ApproximateNumberOfMessagesVisible"
        assert alarm["Threshold"] == 0
        assert refs(alarm.get("AlarmActions", [])) == {"AlarmTopic"}, f"the alarm on {queue} notifies nobody"


def test_the_alarm_topic_lets_cloudwatch_publish() -> None:
    # CloudWatch cannot publish to a topic under the AWS managed aws/sns key: the alarms would fire unheard.
    assert "KmsMasterKeyId" not in load_template()["Resources"]["AlarmTopic"].get("Properties", {})
    policy = load_template()["Resources"]["AlarmTopicPolicy"]["Properties"]["PolicyDocument"]
    assert any(s["Principal"] == {"Service": "cloudwatch.amazonaws.com"} and s["Effect"] == "Allow"
               for s in policy["Statement"])


@pytest.mark.parametrize("name", sorted(_resources(*OUTPUT_TYPES)))
def test_every_endpoint_bucket_topic_queue_and_the_dashboard_is_an_output(name: str) -> None:
    outputs = load_template()["Outputs"]
    assert any(name in refs(o["Value"]) for o in outputs.values()), f"no Output names {name}"


def test_cognito_no_self_sign_up_mfa_optional_and_required_for_admins() -> None:
    resources = load_template()["Resources"]
    pool = resources["UserPool"]["Properties"]
    assert pool["AdminCreateUserConfig"]["AllowAdminCreateUserOnly"] is True
    assert pool["MfaConfiguration"] == "OPTIONAL"
    assert pool["EnabledMfas"] == ["SOFTWARE_TOKEN_MFA"]
    assert refs(pool["LambdaConfig"]["PreTokenGeneration"]) == {"AdminMfaFunction"}
    permission = resources["AdminMfaPermission"]["Properties"]
    assert permission["Principal"] == "cognito-idp.amazonaws.com"
    assert refs(permission["SourceArn"]) == {"UserPool"}
    for client in _resources("AWS::Cognito::UserPoolClient").values():
        assert "custom:role" not in client["Properties"]["WriteAttributes"]
        assert "custom:tenant_id" not in client["Properties"]["WriteAttributes"]
    # the JWT authorizer accepts the operators' client too (helpdesk smoke signs in through it), and the
    # managed-login clients of the console and the portal
    jwt = resources["HttpApi"]["Properties"]["Auth"]["Authorizers"]["CognitoJwt"]["JwtConfiguration"]
    assert refs(jwt["audience"]) == {"UserPoolClient", "OperatorClient", "ConsoleUserPoolClient",
                                     "PortalUserPoolClient"}


def test_functions_that_could_starve_others_have_reserved_concurrency() -> None:
    functions = _resources("AWS::Serverless::Function")
    for name in ("AgentAssistFunction", "IntentRagFunction", "ChatIntakeFunction", "EmailIngestFunction",
                 "SlaScanFunction"):
        reserved = functions[name]["Properties"]["ReservedConcurrentExecutions"]
        assert isinstance(reserved, int | Tag), name


def test_samconfig_has_dev_and_prod_and_sync_watches_dev() -> None:
    config = tomllib.loads((TEMPLATE.parent / "samconfig.toml").read_text())
    for env in ("dev", "prod"):
        deploy = config[env]["deploy"]["parameters"]
        assert deploy["stack_name"] == f"helpdesk-{env}"
        overrides = dict(p.split("=", 1) for p in deploy["parameter_overrides"])
        assert set(overrides) <= set(load_template()["Parameters"]), f"{env} sets parameters the template lacks"
    assert config["dev"]["sync"]["parameters"]["watch"] is True
    assert "sync" not in config["prod"], "sam sync skips CloudFormation's change review: never against prod"


def test_the_access_log_format_and_the_dashboard_are_valid_json() -> None:
    """CloudFormation accepts either as any string; a typo would only show in AWS (an unreadable log line,
    a dashboard that fails to render)."""
    import json
    import re

    resources = load_template()["Resources"]
    assert json.loads(resources["HttpApi"]["Properties"]["AccessLogSettings"]["Format"])
    body = resources["Dashboard"]["Properties"]["DashboardBody"]
    assert isinstance(body, Tag)
    assert body.tag == "Sub"
    widgets = json.loads(re.sub(r"\$\{[^}]+\}", "x", body.value[0]))["widgets"]
    assert {w["properties"]["title"] for w in widgets} >= {"API requests and errors", "Function errors"}
