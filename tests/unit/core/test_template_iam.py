"""Least privilege, read from template.yaml: every function's grants equal an explicit list, and every grant
on the Meta table is scoped to the key prefixes the function needs (`dynamodb:LeadingKeys`).

The Meta table holds every tenant's chat sessions, articles, mail records, triage results and settings,
one kind of record per key prefix (`CHAT#`, `KB#`, `MAILDELIVERY#`, `TENANT#<t>#SLA`, ...). A function
may touch only the prefixes it uses. A change to a policy changes the list below in the same commit.
`TENANT#*` with `TENANT#*#*` excluded is the tenant's own partition (`TENANT#<t>`: counter, settings).
"""

import functools
from typing import Any

import pytest

from tests.template import Tag, load_template

OWN = "TENANT#*!TENANT#*#*"  # LeadingKeys like TENANT#*, not like TENANT#*#*
# Idempotency-Key on every POST: Powertools' records in the caller's IDEMPOTENCY# partition.
IDEMPOTENCY = {f"{action} IDEMPOTENCY#*" for action in ("GetItem", "PutItem", "UpdateItem", "DeleteItem")}
AUDIT = {"PutItem TENANT#*#AUDIT"}  # the functions whose admins change settings append to the audit trail
CLIENTS = {"GetItem CLIENT#*"}  # the APIs API clients may call: an API client's tenant (helpdesk.clients.scopes)
# The functions that change tickets for people: the assignment check reads the team directory.
DIRECTORY_READ = {"GetItem TENANT#*#USER|TENANT#*#GROUP"}
DIRECTORY_KEYS = "TENANT#*#USER|TENANT#*#USEREMAIL|TENANT#*#GROUP|TENANT#*#ORG|TENANT#*#ORGDOMAIN"
# Every HTTP API: a signed-in person's record and the groups they are in, read at each call (at most every 30 s per
# container) so a deactivation, a new role or ticket access counts before their token expires.
STANDING = {"GetItem TENANT#*#USER", "Query TENANT#*#GROUP"}
# The functions that open tickets: a new ticket's organisation is the one claiming the requester's mail domain.
ORGANIZATION_BY_DOMAIN = {"GetItem TENANT#*#ORGDOMAIN"}
# ... and the customer the team linked the requester's address to (helpdesk.tickets.customer_links); a signed-in
# customer's own tickets include those of their linked addresses.
CUSTOMER_OF_ADDRESS = {"GetItem TENANT#*#CUSTOMERADDR"}
# ... and the name that customer's profile sets (helpdesk.tickets.customer_links).
NEW_TICKET_CUSTOMER = CUSTOMER_OF_ADDRESS | {"GetItem TENANT#*#CUSTOMERPROFILE"}
# Linking a customer's other addresses (their record and each address's link), read by exports, undone by erasures.
CUSTOMER_ADDRESSES = {f"{action} TENANT#*#CUSTOMERADDRS|TENANT#*#CUSTOMERADDR"
                      for action in ("GetItem", "PutItem", "DeleteItem")}
# The functions that change tickets: the trigger hook reads the tenant's triggers (a change they wait for), and checks
# the agent a trigger assigns in the directory when it acts.
TRIGGERS_READ = {"GetItem TENANT#*#TRIGGERS"} | DIRECTORY_READ
# The functions that write to customers: the language their profile sets (helpdesk.tickets.language).
CUSTOMER_LANGUAGE = {"GetItem TENANT#*#CUSTOMERPROFILE"}

META: dict[str, set[str]] = {
    "TicketCommandsFunction": {
        f"UpdateItem {OWN}", "Query TENANT#*#SLA", "GetItem ATT#*", "PutItem ATT#*", "UpdateItem ATT#*",
        "PutItem VIEWERS#*", "Query VIEWERS#*", "DeleteItem VIEWERS#*",  # who has a ticket open
        *(f"{action} TENANT#*#REMINDER|REMINDERS#DUE" for action in ("GetItem", "PutItem", "DeleteItem", "Query")),
        # "mark as spam" adds the sender to the mail settings' blocklist (never a teammate's); the ticket fields
        f"GetItem {OWN}", f"PutItem {OWN}", "GetItem TENANT#*#USEREMAIL",
        "GetItem TENANT#*#ORG",  # whether a customer's organisation shares its tickets with them
        # a follower's groups (an agent follows only the tickets they may open); the teammates a note @mentions
        "Query TENANT#*#GROUP|TENANT#*#USER",
        "GetItem INBOUND#*",  # a side conversation's note is not mailed to one of the tenant's support addresses
        # the caller's notifications in the console, and how far they read them
        *(f"{action} TENANT#*#INBOX#*|TENANT#*#INBOXREAD" for action in ("GetItem", "PutItem", "Query")),
    } | IDEMPOTENCY | CLIENTS | DIRECTORY_READ | ORGANIZATION_BY_DOMAIN | AUDIT | TRIGGERS_READ | CUSTOMER_ADDRESSES
    | {"GetItem TENANT#*#CUSTOMERPROFILE"},  # a new ticket's customer, named as their profile does
    "SlaScanFunction": {
        "Query TENANT#*#SLA", "GetItem TENANT#*#SLANOTE", "PutItem TENANT#*#SLANOTE", "UpdateItem TENANT#*#SLANOTE",
        "DeleteItem TENANT#*#SLANOTE", "GetItem TENANT#*#USER",  # the assignee's address for their warnings
        # agents' reminders due by now, sent and marked so (or dropped)
        "Query REMINDERS#DUE|TENANT#*#REMINDER", "PutItem REMINDERS#DUE|TENANT#*#REMINDER",
        "DeleteItem REMINDERS#DUE|TENANT#*#REMINDER",
        "Query TENANT#*#GROUP",  # a reminder's agent's groups: whether they may still open the ticket
        # the tenants with time triggers, each swept hourly from where it stopped
        "Query TRIGGERS#SWEEPS", "PutItem TRIGGERS#SWEEPS", "DeleteItem TRIGGERS#SWEEPS",
    } | TRIGGERS_READ | CUSTOMER_LANGUAGE,
    "SlaApiFunction": {
        "Query TENANT#*#SLA", "GetItem TENANT#*#SLA", "PutItem TENANT#*#SLA", "DeleteItem TENANT#*#SLA",
    } | IDEMPOTENCY | AUDIT | CLIENTS,
    "EmailIngestFunction": {
        "GetItem MAILDELIVERY#*", "PutItem MAILDELIVERY#*", "UpdateItem MAILDELIVERY#*",
        "GetItem MAILCLAIM#*|MAILMSG#*", "PutItem MAILCLAIM#*|MAILMSG#*", "Query MAILMSG#*",
        "GetItem INBOUND#*|MAILDOMAIN#*",
        f"GetItem {OWN}", f"PutItem {OWN}", f"UpdateItem {OWN}",
        "GetItem TENANT#*#MAILQ|TENANT#*#MAILQID", "PutItem TENANT#*#MAILQ|TENANT#*#MAILQID", "Query TENANT#*#SLA",
        # an agent answering a notification by mail, and their groups
        "GetItem TENANT#*#USER|TENANT#*#GROUP", "Query TENANT#*#USER|TENANT#*#GROUP",
        "GetItem TENANT#*#USEREMAIL",  # a customer's mail a teammate forwards: the teammate by their address
    } | ORGANIZATION_BY_DOMAIN | NEW_TICKET_CUSTOMER | TRIGGERS_READ | CUSTOMER_LANGUAGE,
    "EmailSendFunction": {
        "GetItem MAILDELIVERY#*", "PutItem MAILDELIVERY#*", "UpdateItem MAILDELIVERY#*", "PutItem MAILMSG#*",
        f"GetItem {OWN}", f"PutItem {OWN}",
        "Query TENANT#*#USER|TENANT#*#GROUP",  # whose queue a new ticket in no group is in
        "PutItem TENANT#*#INBOX#*",  # every notice in the agent's console inbox too
    } | DIRECTORY_READ | CUSTOMER_LANGUAGE,  # the replying agent's name and signature; whom a notification goes to
    # a bounce or complaint on its ticket, once per SES report (MAILDELIVERY#FEEDBACK#<id>); the hooks of a change
    "MailFeedbackFunction": {
        "GetItem MAILDELIVERY#*", "PutItem MAILDELIVERY#*", "UpdateItem MAILDELIVERY#*", "Query TENANT#*#SLA",
        "PutItem TENANT#*#INBOX#*",  # a teammate's bounced notification, in their console inbox
        "PutItem TENANT#*#USER",  # ... and marked on their record for the Team screen
    } | TRIGGERS_READ,
    "MailAdminFunction": {
        "Query TENANT#*#MAILQ", f"GetItem {OWN}", f"PutItem {OWN}", "GetItem INBOUND#*", "PutItem INBOUND#*",
        "DeleteItem INBOUND#*", "GetItem MAILDOMAIN#*", "GetItem TENANT#*#MAILVERIFY", "PutItem TENANT#*#MAILVERIFY",
        "DeleteItem TENANT#*#MAILVERIFY", "Query TENANT#*#MAILVERIFY", "GetItem TENANT#*#GROUP",
        "Query TENANT#*#MAILADDR", "PutItem TENANT#*#MAILADDR", "DeleteItem TENANT#*#MAILADDR",
        "GetItem TENANT#*#MAILQ|TENANT#*#MAILQID",  # one held mail, to let it in
    } | IDEMPOTENCY | AUDIT,
    "KnowledgeApiFunction": {
        "GetItem KB#*", "Query KB#*", "PutItem KB#*", "ConditionCheckItem KB#*",
        "UpdateItem KB#*",  # readers' feedback counters
        "DeleteItem KB#*",  # a translation's language key, freed when it moves or is archived
    } | IDEMPOTENCY | CLIENTS,
    "AgentAssistFunction": {
        "GetItem TENANT#*#TRIAGE", "PutItem TENANT#*#TRIAGE", f"GetItem {OWN}", f"PutItem {OWN}", "Query TENANT#*#SLA",
        "GetItem ATT#*", "UpdateItem ATT#*",  # an AI draft sent with the agent's files
    } | IDEMPOTENCY | AUDIT | TRIGGERS_READ,
    "AgentToolsFunction": {
        "GetItem TENANT#*#MACROS|TENANT#*#VIEWS", "PutItem TENANT#*#MACROS|TENANT#*#VIEWS",
        "DeleteItem TENANT#*#MACROS|TENANT#*#VIEWS", "Query TENANT#*#MACROS|TENANT#*#VIEWS", "Query TENANT#*#SLA",
        f"GetItem {OWN}",  # the ticket fields required before an agent solves a ticket (bulk, macros)
        "Query TENANT#*#USER",  # the teammates a macro's note @mentions
        "PutItem TENANT#*#TRIGGERS",  # the Triggers screen saves them
        "PutItem TRIGGERS#SWEEPS", "DeleteItem TRIGGERS#SWEEPS",  # and plans (or drops) the time triggers' sweep
    } | IDEMPOTENCY | DIRECTORY_READ | TRIGGERS_READ | AUDIT,
    "IntentRagFunction": {
        f"GetItem {OWN}", f"UpdateItem {OWN}", "Query TENANT#*#SLA", "GetItem TENANT#*#TRIAGE",
        "PutItem TENANT#*#TRIAGE", "GetItem AIBUDGET#*", "UpdateItem AIBUDGET#*", "GetItem AI#*",
        "GetItem BREAKER#*", "PutItem BREAKER#*", "UpdateItem BREAKER#*", "DeleteItem BREAKER#*",
        "PutItem TENANT#*#TICKETVEC", "Query TENANT#*#TICKETVEC", "DeleteItem TENANT#*#TICKETVEC",
        "GetItem KB#*", "PutItem KB#*", "ConditionCheckItem KB#*", "GetItem TENANT#*#GROUP",
    } | ORGANIZATION_BY_DOMAIN | NEW_TICKET_CUSTOMER | TRIGGERS_READ,
    "ChatIntakeFunction": {
        f"GetItem {OWN}", f"UpdateItem {OWN}", "Query TENANT#*#SLA", "GetItem ATT#*", "PutItem ATT#*",
        "UpdateItem ATT#*", "UpdateItem CHATLIMIT#*", "GetItem CHAT#*", "PutItem CHAT#*", "UpdateItem CHAT#*",
        "Query CHAT#*", "DeleteItem CHAT#*",
        "Query TENANT#*#WIDGETKEY",  # a signed-in visitor's token is checked with the tenant's identity keys
    } | IDEMPOTENCY | ORGANIZATION_BY_DOMAIN | NEW_TICKET_CUSTOMER | TRIGGERS_READ,
    "WebhooksApiFunction": {
        "GetItem TENANT#*#WEBHOOK", "PutItem TENANT#*#WEBHOOK", "DeleteItem TENANT#*#WEBHOOK", "Query TENANT#*#WEBHOOK",
        "Query TENANT#*#WEBHOOKLOG",
    } | IDEMPOTENCY | AUDIT | CLIENTS,
    "AuditApiFunction": {"Query TENANT#*#AUDIT"} | CLIENTS,
    "ImportsApiFunction": {
        "GetItem TENANT#*#IMPORT", "PutItem TENANT#*#IMPORT", "Query TENANT#*#IMPORT",
    } | IDEMPOTENCY | AUDIT | CLIENTS,
    # What an import writes (tests/integration/imports/test_import_jobs.py records every call it makes)
    "ImportWorkerFunction": {
        "GetItem TENANT#*#IMPORT", "PutItem TENANT#*#IMPORT",
        f"GetItem {OWN}", f"PutItem {OWN}", f"UpdateItem {OWN}",  # the ticket counter, custom fields and forms
        *(f"{action} TENANT#*#USER|TENANT#*#USEREMAIL|TENANT#*#GROUP" for action in ("GetItem", "Query")),
        *(f"{action} TENANT#*#ORG|TENANT#*#ORGDOMAIN|TENANT#*#MACROS|TENANT#*#VIEWS|TENANT#*#SLA|TENANT#*#TRIGGERS"
          f"|TENANT#*#CUSTOMER" for action in ("GetItem", "PutItem", "Query")),
        "PutItem TRIGGERS#SWEEPS", "PutItem MAILMSG#*",
        *(f"{action} KB#*" for action in ("GetItem", "Query", "PutItem", "UpdateItem")),
        # a customer's other addresses there linked to them here
        *(f"{action} TENANT#*#CUSTOMERADDRS|TENANT#*#CUSTOMERADDR" for action in ("GetItem", "PutItem")),
        "GetItem TENANT#*#CUSTOMERPROFILE", "PutItem TENANT#*#CUSTOMERPROFILE",  # their phone and language there
    } | AUDIT,
    # the chat-session counters (not the transcripts); the SLA and trigger hooks when a rating is written
    "ReportsApiFunction": {"Query CHAT#*#STATS", "Query TENANT#*#SLA"} | IDEMPOTENCY | CLIENTS | TRIGGERS_READ,
    # the customers list names people as their profiles do
    "TicketSearchFunction": CLIENTS | CUSTOMER_OF_ADDRESS | {"BatchGetItem TENANT#*#CUSTOMERPROFILE"},
    "ClientsApiFunction": {
        f"{action} CLIENT#*|TENANT#*#CLIENT|CLIENTS" for action in ("GetItem", "PutItem", "DeleteItem", "Query")
    } | {"Query TENANT#*#WIDGETKEY", "PutItem TENANT#*#WIDGETKEY", "DeleteItem TENANT#*#WIDGETKEY"}
    | IDEMPOTENCY | AUDIT,
    "DirectoryApiFunction": {
        f"{action} {DIRECTORY_KEYS}|TENANT#*#CUSTOMER" for action in ("GetItem", "PutItem", "DeleteItem", "Query")
    } | {"GetItem TENANT#*#CUSTOMERPROFILE", "PutItem TENANT#*#CUSTOMERPROFILE"}  # customers' profiles
    | IDEMPOTENCY | AUDIT | CLIENTS | CUSTOMER_OF_ADDRESS,
    "WebhookSenderFunction": {"GetItem TENANT#*#WEBHOOK", "Query TENANT#*#WEBHOOK", "PutItem TENANT#*#WEBHOOKLOG"},
    "ChatRelayFunction": {"GetItem CHAT#*", "PutItem CHAT#*", "UpdateItem CHAT#*", "Query CHAT#*"},
    # automatic assignment: the group, its members, and whose turn it is (a conditional write); the groups listed
    # when a ticket leaves someone's plate (their groups with a capacity hand their queues out)
    "AutoAssignFunction": {"Query TENANT#*#SLA", "GetItem TENANT#*#TURN", "PutItem TENANT#*#TURN",
                           "Query TENANT#*#GROUP"} | DIRECTORY_READ | TRIGGERS_READ,
    # a problem's incidents solved with it: who solved it (their groups), the fields a solved ticket must have
    "IncidentSolverFunction": {"Query TENANT#*#SLA", "GetItem TENANT#*#USER|TENANT#*#GROUP|TENANT#*#TRIGGERS",
                               "Query TENANT#*#GROUP", f"GetItem {OWN}"},
    "PrivacyApiFunction": {
        "GetItem TENANT#*#PRIVACY", "PutItem TENANT#*#PRIVACY", "PutItem PRIVACYRETENTION",
        "DeleteItem PRIVACYRETENTION",
        "GetItem CHAT#*", "Query CHAT#*", "UpdateItem CHAT#*", "DeleteItem CHAT#*", "GetItem TENANT#*#TRIAGE",
        "PutItem TENANT#*#TRIAGE", "DeleteItem TENANT#*#TICKETVEC", "Query TENANT#*#MAILQ|TENANT#*#MAILQID",
        "DeleteItem TENANT#*#MAILQ|TENANT#*#MAILQID", "GetItem KB#*", "Query KB#*", "DeleteItem KB#*",
        "GetItem TENANT#*#CUSTOMER", "DeleteItem TENANT#*#CUSTOMER",
        "GetItem TENANT#*#CUSTOMERPROFILE", "DeleteItem TENANT#*#CUSTOMERPROFILE",
    } | IDEMPOTENCY | AUDIT | CUSTOMER_ADDRESSES,
    # The pre token trigger enrols staff whose accounts predate the directory (helpdesk.directory.enrolment) and
    # writes their directory groups and ticket access into the token (helpdesk.web.token_claims).
    "AdminMfaFunction": {f"{action} TENANT#*#USER|TENANT#*#USEREMAIL" for action in ("GetItem", "PutItem")}
    | {"Query TENANT#*#GROUP"} | AUDIT,
    "RetentionScanFunction": {
        "Query PRIVACYRETENTION", "GetItem TENANT#*#TRIAGE", "PutItem TENANT#*#TRIAGE", "DeleteItem TENANT#*#TICKETVEC",
    },
}

# The functions that write tickets or chat messages: whether the tenant masks card numbers in what they write
# (helpdesk.privacy.card_masking; the privacy API reads its settings anyway).
CARD_MASKING = {"GetItem TENANT#*#PRIVACY"}
for _writer in ("TicketCommandsFunction", "SlaScanFunction", "ReportsApiFunction", "EmailIngestFunction",
                "MailFeedbackFunction", "AgentAssistFunction", "AgentToolsFunction", "ImportWorkerFunction",
                "IntentRagFunction", "ChatIntakeFunction", "ChatRelayFunction", "AutoAssignFunction",
                "IncidentSolverFunction", "RetentionScanFunction"):
    META[_writer] = META[_writer] | CARD_MASKING


@functools.cache
def _functions() -> dict[str, dict[str, Any]]:
    doc = load_template()
    return {name: r["Properties"] for name, r in doc["Resources"].items()
            if r["Type"] == "AWS::Serverless::Function"}


def _statements(properties: dict[str, Any]) -> list[dict[str, Any]]:
    """Every statement, both branches of an `!If` (whichever a deployment picks must be right)."""
    out: list[dict[str, Any]] = []
    for policy in properties.get("Policies", []):
        for statement in policy.get("Statement", []) if isinstance(policy, dict) else []:
            branches = statement.value[1:] if isinstance(statement, Tag) and statement.tag == "If" else [statement]
            out += [b for b in branches if isinstance(b, dict)]
    return out


def _resources(statement: dict[str, Any]) -> list[str]:
    resources = statement["Resource"]
    return [_name(r) for r in (resources if isinstance(resources, list) else [resources])]


def _name(resource: Any) -> str:
    if isinstance(resource, Tag):
        value = resource.value
        if resource.tag == "GetAtt":
            return str(value).removesuffix(".Arn")
        if resource.tag == "Sub":
            return str(value).replace("${MetaTable.Arn}", "MetaTable")
        return f"{resource.tag}:{value}"
    return str(resource)


def _meta_grants(properties: dict[str, Any]) -> set[str]:
    grants: set[str] = set()
    for statement in _statements(properties):
        if "MetaTable" not in _resources(statement):
            continue
        condition = statement.get("Condition", {})
        like = condition.get("ForAllValues:StringLike", {}).get("dynamodb:LeadingKeys")
        assert like, f"a Meta table grant without a LeadingKeys condition: {statement.get('Sid')}"
        keys = "|".join(like)
        not_like = condition.get("ForAllValues:StringNotLike", {}).get("dynamodb:LeadingKeys")
        if not_like:
            keys += "!" + "|".join(not_like)
        actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
        grants |= {f"{a.removeprefix('dynamodb:')} {keys}" for a in actions}
    return grants


@pytest.mark.parametrize("function", sorted(_functions()))
def test_meta_table_grants_are_exactly_the_listed_key_prefixes(function: str) -> None:
    assert function in META or not _meta_grants(_functions()[function]), (
        f"{function} touches the Meta table: list its grants in META")
    expected = META.get(function, set()) | (STANDING if _serves_http(_functions()[function]) else set())
    assert _meta_grants(_functions()[function]) == expected


def _serves_http(properties: dict[str, Any]) -> bool:
    return any(event.get("Type") == "HttpApi" for event in (properties.get("Events") or {}).values())


def test_no_function_is_granted_a_wildcard_action_or_resource() -> None:
    for name, properties in _functions().items():
        for statement in _statements(properties):
            actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
            assert not [a for a in actions if a == "*" or a.endswith(":*")], (name, statement.get("Sid"))
            assert "*" not in _resources(statement), (name, statement.get("Sid"))


def test_tenant_ids_cannot_name_another_kind_of_record() -> None:
    """`TENANT#*#SLA` means "any tenant's SLA records" only while a tenant id holds no `#`."""
    from pydantic import ValidationError

    from helpdesk.kernel.principal import Principal, Role

    with pytest.raises(ValidationError):
        Principal(user_id="u", tenant_id="acme#MAILQ", role=Role.ADMIN)


def _bucket_grants(properties: dict[str, Any], bucket: str) -> set[str]:
    """`<action> <object key pattern>` for each grant on the bucket's objects."""
    grants: set[str] = set()
    for statement in _statements(properties):
        prefix = "${" + bucket + ".Arn}/"
        for resource in _resources(statement):
            if not resource.startswith(prefix):
                continue
            actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
            grants |= {f"{a} {resource.removeprefix(prefix)}" for a in actions}
    return grants


def test_mail_bucket_grants_name_a_prefix() -> None:
    """Every grant on the mail bucket's objects is for one kind of object (a key prefix), never the whole bucket."""
    for name, properties in _functions().items():
        for grant in _bucket_grants(properties, "MailBucket"):
            pattern = grant.split(" ", 1)[1]
            assert pattern.endswith("/*"), (name, grant)
            assert pattern != "*", (name, grant)


def test_the_knowledge_api_touches_only_articles_pictures_in_the_mail_bucket() -> None:
    """Pictures in articles (presigned POST signed by this role, then checked, served and deleted when refused)."""
    assert _bucket_grants(_functions()["KnowledgeApiFunction"], "MailBucket") == {
        "s3:PutObject kb/*", "s3:GetObject kb/*", "s3:DeleteObject kb/*", "s3:GetObjectTagging kb/*"}


def test_the_upload_sweeper_only_deletes_unfinished_uploads_and_hears_only_ttl_removals() -> None:
    """Its role deletes objects where uploads live (a ticket's `uploads/`, article pictures) and reads only the meta
    table's stream; its trigger lets through nothing but TTL's removals of upload records."""
    import json

    sweeper = _functions()["UploadSweeperFunction"]
    assert _bucket_grants(sweeper, "MailBucket") == {"s3:DeleteObject tickets/*/uploads/*", "s3:DeleteObject kb/*"}
    assert not _meta_grants(sweeper)
    assert {(st["Sid"], tuple(st["Action"]), tuple(_resources(st))) for st in _statements(sweeper)} == {
        ("UnfinishedUploads", ("s3:DeleteObject",),
         ("${MailBucket.Arn}/tickets/*/uploads/*", "${MailBucket.Arn}/kb/*")),
        ("TicketHistory", ("dynamodb:Query",), ("TicketEventsTable",)),
        ("Streams", ("dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator",
                     "dynamodb:ListStreams"), ("MetaTable.StreamArn",)),
        ("FailedBatches", ("sqs:SendMessage",), ("UploadSweeperDlq",))}
    [trigger] = sweeper["Events"].values()
    patterns = [json.loads(f["Pattern"]) for f in trigger["Properties"]["FilterCriteria"]["Filters"]]
    assert {p["dynamodb"]["Keys"]["pk"]["S"][0]["prefix"] for p in patterns} == {"ATT#", "KB#"}
    for pattern in patterns:
        assert pattern["eventName"] == ["REMOVE"]
        assert pattern["userIdentity"] == {"type": ["Service"], "principalId": ["dynamodb.amazonaws.com"]}
