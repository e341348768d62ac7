"""Property-based runs of every OpenAPI document (schemathesis), in-process against the ASGI apps.

Each API is fuzzed as each kind of caller (an agent, a customer, an admin, a chat session) with valid
and invalid requests. A finding is a 5xx, a status the operation does not document, or a response that
does not match its documented schema. Path parameters are the ids of real objects half of the time, so
requests reach the code behind "not found".

Used by `tests/contract/test_openapi_contract.py` (a bounded number of examples in `make test`) and by
`bench/contract.py` (more examples, prints the counts).
"""

import os
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable

TENANT = "acme"
CONTRACT_PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 24
JWT_SECRET = "contract-test-jwt-secret-0123456789abcdef"
CHAT_SECRET = "contract-test-chat-secret-0123456789abcdef"

# function folder -> the path its app serves its OpenAPI document on
APPS: dict[str, str] = {
    "ticket_commands": "/openapi.json",
    "agent_assist": "/assist/openapi.json",
    "knowledge_api": "/kb/openapi.json",
    "mail_admin": "/mail/openapi.json",
    "sla_api": "/sla/openapi.json",
    "chat_intake": "/chat/openapi.json",
    "agent_tools": "/tools/openapi.json",
    "ticket_search": "/search/openapi.json",
    "webhooks_api": "/webhooks/openapi.json",
    "audit_api": "/audit/openapi.json",
    "clients_api": "/clients/openapi.json",
    "privacy_api": "/privacy/openapi.json",
    "directory_api": "/directory/openapi.json",
    "reports_api": "/reports/openapi.json",
    "imports_api": "/imports/openapi.json",
}
# Who calls which API: an agent and a customer every API; an admin the admin-only writes (mail
# settings, SLA policies); a chat session the chat API.
ROLES: dict[str, tuple[str, ...]] = {
    "agent": tuple(APPS),
    "customer": tuple(APPS),
    "admin": ("mail_admin", "sla_api", "webhooks_api", "audit_api", "clients_api", "privacy_api", "directory_api",
              "reports_api", "imports_api"),
    "chat": ("chat_intake",),
}


@dataclass
class Finding:
    api: str
    operation: str
    role: str
    kind: str  # server_error | undocumented_status | schema
    status: int
    detail: str

    def __str__(self) -> str:
        return f"{self.kind} {self.status} {self.operation} as {self.role} ({self.api}): {self.detail[:2000]}"


@dataclass
class Report:
    calls: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    findings: list[Finding] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def server_errors(self) -> int:
        return sum(n for status, n in self.statuses.items() if status >= 500)

    @property
    def undocumented(self) -> int:
        return sum(1 for f in self.findings if f.kind == "undocumented_status")

    def summary(self) -> dict[str, Any]:
        return {"calls": self.calls, "5xx": self.server_errors, "undocumented_status": self.undocumented,
                "schema_mismatches": sum(1 for f in self.findings if f.kind == "schema"),
                "statuses": dict(sorted(self.statuses.items())), "seconds": round(self.seconds, 1)}


CONTRACT_ENV = {
    "HELPDESK_AUTH_MODE": "local",
    "HELPDESK_LOCAL_JWT_SECRET": JWT_SECRET,
    "HELPDESK_CHAT_TOKEN_SECRET": CHAT_SECRET,
    "HELPDESK_CHAT_ANONYMOUS_TENANTS": TENANT,
    "HELPDESK_KB_INDEX": "embedded",
    "HELPDESK_KB_EMBEDDER": "onnx",
    "HELPDESK_AI_PROVIDER": "offline",
    "HELPDESK_MAIL_BUCKET": "contract-mail",  # attachments are stored beside mail attachments
    "HELPDESK_EVENTS_ALLOW_LOOPBACK_WEBHOOKS": "true",  # the seeded webhook points at loopback, as locally
    # an import the generated calls start (a public IP literal passes the address check) is queued here
    "HELPDESK_IMPORTS_QUEUE_URL": "https://sqs.us-east-1.amazonaws.com/123456789012/contract-imports",
}


@contextmanager
def contract_environment(index_dir: Path) -> Iterator[None]:
    """The settings the in-process apps need (local tokens, the embedded index), restored afterwards."""
    values = {**CONTRACT_ENV, "HELPDESK_KB_INDEX_DIR": str(index_dir)}
    saved = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@dataclass
class World:
    """Real objects in the tenant, and the credentials of each kind of caller."""

    headers: dict[str, dict[str, str]]
    path_ids: dict[str, dict[str, str]]  # role -> path parameter -> a real id that role can reach


def seed_world() -> World:
    """Tickets, an article, a policy and a chat session, created through the services (the container
    must be installed on moto)."""
    from helpdesk import bootstrap
    from helpdesk.kernel.principal import Principal, Role
    from helpdesk.knowledge.articles import ArticleStatus
    from helpdesk.knowledge.service import ArticleChanges, NewArticle
    from helpdesk.tickets.service import CreateTicket
    from helpdesk.web.local_tokens import issue_token

    c = bootstrap.container()
    import boto3

    boto3.client("s3", region_name=c.settings.tables.region).create_bucket(Bucket=c.settings.mail.bucket)
    boto3.client("sqs", region_name=c.settings.tables.region).create_queue(QueueName="contract-imports")
    # as in a deployment, the support address's domain is an SES identity (verification codes are mailed)
    support_domain = c.settings.mail.support_address.rpartition("@")[2]
    boto3.client("ses", region_name=c.settings.tables.region).verify_domain_identity(Domain=support_domain)
    api = c.settings.api
    people = {
        "agent": Principal(user_id="agent-1", tenant_id=TENANT, role=Role.AGENT, email="agent@acme.example"),
        "admin": Principal(user_id="admin-1", tenant_id=TENANT, role=Role.ADMIN, email="admin@acme.example"),
        "customer": Principal(user_id="cust-1", tenant_id=TENANT, role=Role.CUSTOMER, email="dana@example.com"),
    }
    secret = api.local_jwt_secret.get_secret_value() if api.local_jwt_secret else JWT_SECRET
    headers = {role: {"Authorization": "Bearer " + issue_token(p, secret, api.jwt_issuer, api.jwt_audience,
                                                               ttl=timedelta(hours=2), now=c.clock())}
               for role, p in people.items()}
    ticket = c.ticket_service.create(people["customer"], CreateTicket(subject="Printer jams",
                                                                     description="It jams on every page."))
    article = c.knowledge_service.create(people["admin"], NewArticle(
        title="Reset your password", body="Open Settings, choose Security and press Reset password.",
        status=ArticleStatus.PUBLISHED))
    # a picture in the article, so the pictures' routes are reached with real ids too
    grant = c.article_images.request_upload(people["admin"], article.id, "shot.png", "image/png", len(CONTRACT_PNG))
    boto3.client("s3", region_name=c.settings.tables.region).put_object(
        Bucket=c.settings.mail.bucket, Key=grant.upload.fields["key"], Body=CONTRACT_PNG)
    image = c.article_images.complete(people["admin"], article.id, grant.image_id)
    c.knowledge_service.update(people["admin"], article.id,
                               ArticleChanges(body=f"{article.content.body}\n\n{image.markdown}"))
    session = c.chat_service.start_anonymous(TENANT)
    from helpdesk.webhooks.service import NewSubscription

    webhook = c.webhook_admin.create(people["admin"], NewSubscription(url="http://127.0.0.1:9/hooks",
                                                                      event_types=["*"]))
    from helpdesk.directory.model import NewGroup, NewOrganization, NewUser

    member = c.directory.create_user(people["admin"], NewUser(email="agent2@acme.example", name="Agent Two",
                                                              role=Role.AGENT))
    group = c.directory.create_group(people["admin"], NewGroup(name="Support", members=[member.id]))
    organization = c.directory.create_organization(people["admin"], NewOrganization(name="Example Inc",
                                                                                    domains=["example.com"]))
    headers["chat"] = {"Authorization": f"Bearer {session.token}"}
    common = {"user_id": member.id, "group_id": group.id, "organization_id": organization.id,
              "ticket_id": ticket.id, "article_id": article.id, "image_id": image.id, "policy_id": "default",
              "calendar_id": "24x7",
              "field": "priority", "address": "support@acme.example", "webhook_id": webhook.id,
              "token": c.csat_links.token(TENANT, ticket.id)}  # a real rating link's token
    path_ids = {role: dict(common) for role in ("agent", "admin", "customer")}
    path_ids["chat"] = {"session_id": session.id}
    return World(headers=headers, path_ids=path_ids)


def _negatable(operation: Any) -> bool:
    """Whether invalid requests exist for the operation: a body, a query or header parameter, or a
    constrained path parameter (an unconstrained string path parameter cannot be made invalid, and
    hypothesis spends a second proving it)."""
    raw = operation.definition.raw
    if "requestBody" in raw:
        return True
    for parameter in raw.get("parameters", []):
        schema = parameter.get("schema", {})
        if parameter.get("in") != "path" or schema.get("type", "string") != "string" or set(schema) - {"type", "title"}:
            return True
    return False


def _documented(operation: Any) -> set[str]:
    return {str(code) for code in operation.definition.raw.get("responses", {})}


def run_contract(load_app: Callable[[str], Any], world: World, *, max_examples: int, seed_value: int = 20240601,
                 apps: tuple[str, ...] = tuple(APPS), on_call: Callable[[], None] | None = None) -> Report:
    """Fuzz every operation of every API in `apps` as every role that calls it."""
    import schemathesis
    from schemathesis import GenerationMode
    from schemathesis.checks import content_type_conformance, response_schema_conformance
    from schemathesis.core.result import Ok

    report = Report()
    started = time.perf_counter()
    for api in apps:
        schema = schemathesis.openapi.from_asgi(APPS[api], load_app(api))
        for result in schema.get_all_operations():
            if not isinstance(result, Ok):  # a document schemathesis cannot read is a finding too
                report.findings.append(Finding(api, "?", "-", "schema", 0, str(result.err())))
                continue
            operation = result.ok()
            documented = _documented(operation)
            for role, reachable in ROLES.items():
                if api not in reachable:
                    continue
                modes = [GenerationMode.POSITIVE, *([GenerationMode.NEGATIVE] if _negatable(operation) else [])]
                for mode in modes:
                    _fuzz(operation, api, role, mode, world, documented, report, max_examples, seed_value,
                          [content_type_conformance, response_schema_conformance], on_call)
    report.seconds = time.perf_counter() - started
    return report


def _fuzz(operation: Any, api: str, role: str, mode: Any, world: World, documented: set[str], report: Report,
          max_examples: int, seed_value: int, checks: list[Any], on_call: Callable[[], None] | None) -> None:
    label = f"{operation.method.upper()} {operation.path}"
    reachable_ids = world.path_ids[role]

    @seed(seed_value)
    @settings(max_examples=max_examples, deadline=None, database=None, derandomize=False,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy(generation_mode=mode), real_ids=st.booleans())
    def fuzz(case: Any, real_ids: bool) -> None:
        if real_ids and case.path_parameters:
            for name in list(case.path_parameters):
                if name in reachable_ids:
                    case.path_parameters[name] = reachable_ids[name]
        if on_call is not None:
            on_call()
        try:
            # Longer than any long poll may wait (the chat's `wait`, at most 25 s): the default 10 s read a poll held
            # to its documented end as a server error.
            response = case.call(headers=world.headers[role], timeout=LONGEST_WAIT_S + 5)
        except Exception as exc:  # the in-process client re-raises what Lambda would answer with a 500
            report.calls += 1
            report.statuses[500] += 1
            report.findings.append(Finding(api, label, role, "server_error", 500,
                                           f"{type(exc).__name__}: {exc} <- {_request(case)}"))
            return
        status = response.status_code
        report.calls += 1
        report.statuses[status] += 1
        body = response.text_lossy()[:600]  # a picture route answers bytes
        if status >= 500:  # 503 too: every dependency is up here, so a 503 is a bug
            report.findings.append(Finding(api, label, role, "server_error", status, f"{body} <- {_request(case)}"))
            return
        if str(status) not in documented and f"{str(status)[0]}XX" not in documented:
            report.findings.append(Finding(api, label, role, "undocumented_status", status, body))
            return
        try:
            case.validate_response(response, checks=checks)
        except Exception as exc:  # a check's failure: recorded, the run goes on
            report.findings.append(Finding(api, label, role, "schema", status, f"{type(exc).__name__}: {exc}"))

    with suppress(Unsatisfiable):  # nothing to make invalid (no parameters, no body): the positive run covers it
        fuzz()


LONGEST_WAIT_S = 25  # the chat's long poll (`GET /chat/sessions/{id}/messages?wait=`)


def _request(case: Any) -> str:
    """What was sent, to reproduce a finding by hand."""
    return f"path {case.path_parameters!r} query {case.query!r} body {case.body!r}"[:1500]
