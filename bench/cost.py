"""What one ticket costs end to end, and what the stack costs when nobody uses it.

Each mix runs the real Lambda handlers in-process on moto, in the order AWS would run them: the HTTP
functions through API Gateway events, the stream functions on the records moto's DynamoDB streams
produce (filtered like the template's event source mappings), mail through SES's S3 object and receipt
event. For every invocation it records the duration (this machine, moto: a stand-in for Lambda's), the
memory configured in template.yaml, DynamoDB read/write units (ReturnConsumedCapacity on every call, via
the botocore hook in helpdesk.platform.aws_calls), S3/SES/SNS requests, and the text embedded (Titan v2
tokens ~ characters / 4). LLM tokens: the local stack runs the assistant offline, so the model's tokens
are estimated from the prompts our code builds (characters / 4) and the configured output cap.

Prices come from bench/prices.toml (list prices; check them before quoting).

    .venv/bin/python bench/cost.py [--tickets 5]
"""

import argparse
import json
import os
import sys
import tempfile
import time
import tomllib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench._common import use_moto_env  # noqa: E402

use_moto_env()
os.environ.update(HELPDESK_MAIL_BUCKET="helpdesk-cost-mail", HELPDESK_MAIL_DEFAULT_TENANT="acme",
                  HELPDESK_MAIL_SUPPORT_ADDRESS="support@acme.example", HELPDESK_CHAT_ANONYMOUS_TENANTS="acme",
                  HELPDESK_CHAT_TOKEN_SECRET="cost-bench-secret-" + "x" * 32, HELPDESK_AI_PROVIDER="offline",
                  HELPDESK_KB_INDEX="embedded", HELPDESK_KB_EMBEDDER="onnx",
                  HELPDESK_KB_INDEX_DIR=tempfile.mkdtemp(prefix="helpdesk-cost-index-"))

from helpdesk.platform import aws_calls  # noqa: E402

aws_calls.install()

PRICES = tomllib.loads((ROOT / "bench" / "prices.toml").read_text())
HOURS_PER_MONTH = 730
LLM_OUTPUT_TOKENS = 300  # a typical grounded answer or draft; the cap is HELPDESK_AI_MAX_TOKENS (700)


@dataclass
class Invocation:
    function: str
    ms: float
    memory_mb: int
    http: bool
    calls: Counter[tuple[str, str]]
    read_units: float
    write_units: float


@dataclass
class Ledger:
    invocations: list[Invocation] = field(default_factory=list)
    embedded_chars: int = 0
    llm_input_chars: int = 0
    llm_calls: int = 0
    scheduler_events: int = 0


def template_memory() -> dict[str, int]:
    from helpdesk.local.gateway import load_template

    template = load_template(ROOT / "template.yaml")
    default = int(template["Globals"]["Function"].get("MemorySize", 128))
    out: dict[str, int] = {}
    for resource in template["Resources"].values():
        if resource.get("Type") == "AWS::Serverless::Function":
            props = resource["Properties"]
            out[Path(str(props.get("CodeUri", ""))).name] = int(props.get("MemorySize", default))
    return out


class Driver:
    def __init__(self, ledger: Ledger) -> None:
        from tests.conftest import FakeLambdaContext, load_function

        self.ledger, self.memory = ledger, template_memory()
        self.context = FakeLambdaContext()
        self.load = load_function

    def invoke(self, function: str, event: dict[str, Any], http: bool = False) -> dict[str, Any]:
        handler = self.load(function).lambda_handler
        with aws_calls.count_calls(consumed_capacity=True) as counts:
            start = time.perf_counter()
            response: dict[str, Any] = handler(event, self.context)
            ms = (time.perf_counter() - start) * 1000
        self.ledger.invocations.append(Invocation(function, ms, self.memory.get(function, 512), http,
                                                  counts.calls, counts.read_units, counts.write_units))
        return response

    def http(self, function: str, method: str, path: str, who: dict[str, Any] | None, body: Any = None,
             headers: dict[str, str] | None = None, query: dict[str, str] | None = None) -> dict[str, Any]:
        from tests.conftest import http_event

        response = self.invoke(function, http_event(method, path, body=body, claims_=who, headers=headers,
                                                    query=query), http=True)
        payload = response.get("body")
        return json.loads(payload) if payload else {}


class Streams:
    """The event source mappings the ticket flows drive (triage, mail out, summaries), with the template's
    filters, delivering one record per invocation."""

    def __init__(self, driver: Driver) -> None:
        from helpdesk import bootstrap
        from helpdesk.local.streams import StreamPoller

        tables = bootstrap.container().settings.tables

        def triage(event: dict[str, Any], context: Any) -> Any:
            records = [r for r in event["Records"] if r["eventName"] == "INSERT" or (
                r["eventName"] == "MODIFY"
                and r["dynamodb"].get("NewImage", {}).get("status", {}).get("S") in ("resolved", "closed"))]
            return driver.invoke("intent_rag", {"Records": records}) if records else None

        def public_messages(event: dict[str, Any]) -> list[dict[str, Any]]:
            return [r for r in event["Records"] if r["eventName"] == "INSERT"
                    and r["dynamodb"].get("NewImage", {}).get("type", {}).get("S") == "public_message"]

        def outbound(event: dict[str, Any], context: Any) -> Any:
            records = public_messages(event)
            return driver.invoke("email_send", {"Records": records}) if records else None

        def summaries(event: dict[str, Any], context: Any) -> Any:  # the summary follows the thread
            records = public_messages(event)
            return driver.invoke("intent_rag", {"Records": records}) if records else None

        self.pollers = [StreamPoller(tables.tickets_table, triage, "triage", batch_size=1),
                        StreamPoller(tables.ticket_events_table, outbound, "email-send", batch_size=1),
                        StreamPoller(tables.ticket_events_table, summaries, "summaries", batch_size=1)]

    def drain(self) -> None:
        while sum(p.poll_once() for p in self.pollers):
            pass


@contextmanager
def counted_embeddings(ledger: Ledger) -> Iterator[None]:
    """Count the characters every embedder call sees (Titan bills input tokens)."""
    from helpdesk import bootstrap
    from helpdesk.settings import Settings

    container = bootstrap.container()
    real = container.embedder

    class Counting:
        dimension = real.dimension

        def embed(self, texts: Any) -> Any:
            ledger.embedded_chars += sum(len(t) for t in texts)
            return real.embed(texts)

        def __getattr__(self, name: str) -> Any:
            return getattr(real, name)

    bootstrap.use(bootstrap.build(Settings.from_env(), embedder=Counting()))
    yield


def seed_knowledge() -> None:
    from helpdesk import bootstrap
    from helpdesk.kernel.principal import system_principal
    from helpdesk.knowledge.importing import ImportedArticle, iter_articles
    from helpdesk.knowledge.service import NewArticle

    service = bootstrap.container().knowledge_service
    for item in iter_articles(ROOT / "infra" / "seed" / "knowledge", id_prefix="seed-"):
        if isinstance(item, ImportedArticle):
            service.import_article(system_principal("acme"), NewArticle(
                id=item.id, title=item.title, body=item.text, tags=item.tags, visibility=item.visibility))


def api_ticket(driver: Driver, streams: Streams, i: int) -> None:
    from tests.conftest import claims

    customer = claims(f"c{i}", "acme", "customer", email=f"c{i}@example.com")
    agent = claims("a1", "acme", "agent")
    ticket = driver.http("ticket_commands", "POST", "/tickets", customer,
                         {"subject": "Cannot reset my password", "description": "The reset link has expired."})
    streams.drain()  # triage
    path = f"/tickets/{ticket['id']}"
    driver.http("ticket_commands", "GET", path, agent)
    driver.http("agent_assist", "GET", f"{path}/assist", agent)
    driver.http("ticket_commands", "POST", f"{path}/messages", agent, {"body": "Here is a new link.", "public": True})
    streams.drain()
    driver.http("ticket_commands", "GET", path, customer)
    driver.http("ticket_commands", "PATCH", path, agent, {"status": "resolved"})
    streams.drain()  # the knowledge loop on resolve


def mail_ticket(driver: Driver, streams: Streams, i: int) -> None:
    import boto3

    from helpdesk.mail.events import new_delivery_id, ses_event
    from tests.conftest import claims

    agent = claims("a1", "acme", "agent")

    def receive(subject: str, body: str) -> None:
        delivery = new_delivery_id()
        raw = (f"From: Dana <dana{i}@example.com>\r\nTo: support@acme.example\r\nSubject: {subject}\r\n"
               f"Message-ID: <{delivery}@example.com>\r\n\r\n{body}\r\n").encode()
        with aws_calls.count_calls() as ses_put:  # SES writes the raw mail to the bucket
            boto3.client("s3").put_object(Bucket=os.environ["HELPDESK_MAIL_BUCKET"], Key=f"inbound/{delivery}",
                                          Body=raw)
        driver.ledger.invocations.append(Invocation("ses_inbound", 0, 0, False, ses_put.calls, 0, 0))
        driver.invoke("email_ingest", ses_event(delivery, ["support@acme.example"], f"dana{i}@example.com",
                                                subject=subject))

    receive("Printer jams", "It jams on every page since yesterday.")
    streams.drain()
    tickets = driver.http("ticket_commands", "GET", "/tickets", agent, query={"status": "new"})["items"]
    ticket = next(t for t in tickets if t["subject"] == "Printer jams" and t["channel"] == "email")
    path = f"/tickets/{ticket['id']}"
    driver.http("agent_assist", "GET", f"{path}/assist", agent)
    driver.http("ticket_commands", "POST", f"{path}/messages", agent, {"body": "Clean the rollers.", "public": True})
    streams.drain()  # email_send
    receive(f"Re: [{ticket['number']}] Printer jams", "That fixed it, thanks.")
    streams.drain()
    driver.http("ticket_commands", "PATCH", path, agent, {"status": "resolved"})
    streams.drain()


def chat_ticket(driver: Driver, streams: Streams, i: int) -> None:
    from helpdesk.assistant import prompts

    session = driver.http("chat_intake", "POST", "/chat/sessions", None, {"tenant_id": "acme"})
    auth = {"authorization": f"Bearer {session['token']}"}
    path = f"/chat/sessions/{session['id']}/messages"
    for text in ("How do I reset my password?", "The link says it expired", "I want to talk to a human",
                 f"chat{i}@example.com"):
        driver.http("chat_intake", "POST", path, None, {"text": text}, headers=auth)
        # in AWS chat_intake invokes intent_rag for the turn: one more Lambda request of the same duration
        turn = driver.ledger.invocations[-1]
        driver.ledger.invocations.append(Invocation("intent_rag", turn.ms, driver.memory["intent_rag"], False,
                                                    Counter(), 0, 0))
        # with Claude: a classify call and an answer call over the retrieved passages (estimated)
        driver.ledger.llm_calls += 2
        driver.ledger.llm_input_chars += len(prompts.CLASSIFY_SYSTEM) + len(prompts.ANSWER_SYSTEM) + 4 * 1500
    streams.drain()  # the hand-over ticket's triage


def price(ledger: Ledger, tickets: int) -> dict[str, float]:
    p = PRICES
    lines: dict[str, float] = defaultdict(float)
    for inv in ledger.invocations:
        if inv.memory_mb:
            lines["lambda"] += p["lambda"]["request"] + inv.ms / 1000 * inv.memory_mb / 1024 \
                * p["lambda"]["gb_second_arm64"]
        if inv.http:
            lines["api_gateway"] += p["http_api"]["request"]
        lines["dynamodb"] += inv.read_units * p["dynamodb"]["read_request_unit"] \
            + inv.write_units * p["dynamodb"]["write_request_unit"]
        for (service, operation), n in inv.calls.items():
            if service == "s3":
                kind = "put_request" if operation.startswith(("Put", "Copy", "Post", "List", "Create")) \
                    else "get_request"
                lines["s3"] += n * p["s3"][kind]
            elif service in ("email", "ses") and operation.startswith("Send"):
                lines["ses"] += n * p["ses"]["outbound_message"]
            elif service == "sns" and operation == "Publish":
                lines["sns"] += n * p["sns"]["publish"]
        if inv.function == "ses_inbound":
            lines["ses"] += p["ses"]["inbound_message"] + p["ses"]["inbound_chunk_256kb"]
    lines["bedrock_embeddings"] = ledger.embedded_chars / 4 / 1000 * p["bedrock"]["titan_embed_v2_1k_tokens"]
    lines["llm_claude_haiku"] = (ledger.llm_input_chars / 4 * p["bedrock"]["claude_haiku_4_5_input_1m_tokens"]
                                 + ledger.llm_calls * LLM_OUTPUT_TOKENS
                                 * p["bedrock"]["claude_haiku_4_5_output_1m_tokens"]) / 1e6
    return {k: round(v / tickets * 1000, 4) for k, v in sorted(lines.items())}  # per 1,000 tickets


def idle_monthly() -> dict[str, dict[str, float]]:
    """What the stack costs a month with no traffic, per knowledge index choice."""
    p = PRICES
    memory = template_memory()
    scans = 30 * 24 * 12  # the SLA scan every 5 minutes, ~150 ms at its memory
    scan = scans * (p["lambda"]["request"] + 0.15 * memory.get("sla_scan", 512) / 1024
                    * p["lambda"]["gb_second_arm64"] + p["eventbridge"]["scheduler_invocation"])
    alarms = 4 * p["cloudwatch"]["alarm_month"]  # one per dead-letter queue
    base = round(scan + alarms, 2)
    serverless = p["opensearch_serverless"]
    domain = p["opensearch_domain"]
    snapstart = 6 * 0.5 * HOURS_PER_MONTH * 3600 * p["lambda"]["snapstart_cache_gb_second"]
    return {
        "serverless (dev, no standby)": {"base": base, "index": round(
            serverless["min_ocu_dev"] * serverless["ocu_hour"] * HOURS_PER_MONTH, 2)},
        "serverless (redundant)": {"base": base, "index": round(
            serverless["min_ocu_redundant"] * serverless["ocu_hour"] * HOURS_PER_MONTH, 2)},
        "domain (1 x t3.small.search)": {"base": base, "index": round(
            domain["t3_small_search_hour"] * HOURS_PER_MONTH + 10 * domain["gp3_gb_month"], 2)},
        "domain (2 x m6g.large.search, multi-AZ)": {"base": base, "index": round(
            2 * (domain["m6g_large_search_hour"] * HOURS_PER_MONTH + 10 * domain["gp3_gb_month"]), 2)},
        "existing endpoint": {"base": base, "index": 0.0},
        "SnapStart=Enabled adds": {"base": round(snapstart, 2), "index": 0.0},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=5, help="tickets per mix")
    args = parser.parse_args()

    import boto3
    from moto import mock_aws

    with mock_aws():
        from helpdesk import bootstrap
        from helpdesk.platform.dynamo.tables import create_tables

        create_tables(bootstrap.container().tables)
        boto3.client("s3").create_bucket(Bucket=os.environ["HELPDESK_MAIL_BUCKET"])
        ses = boto3.client("ses")
        for address in ("support@acme.example", *(f"dana{i}@example.com" for i in range(args.tickets))):
            ses.verify_email_identity(EmailAddress=address)
        seed_knowledge()
        mixes: dict[str, Callable[[Driver, Streams, int], None]] = {
            "api": api_ticket, "mail": mail_ticket, "chat": chat_ticket}
        results: dict[str, dict[str, float]] = {}
        for name, run in mixes.items():
            ledger = Ledger()
            with counted_embeddings(ledger):
                driver = Driver(ledger)
                streams = Streams(driver)
                streams.drain()  # what earlier mixes left on the streams is not this mix's
                run(driver, streams, 0)  # warm-up ticket: cold imports and caches are not per-ticket costs
                ledger.invocations.clear()
                ledger.embedded_chars = ledger.llm_input_chars = ledger.llm_calls = 0
                for i in range(1, args.tickets + 1):
                    run(driver, streams, i)
            per_1000 = price(ledger, args.tickets)
            per_1000["total"] = round(sum(per_1000.values()), 4)
            invocations = Counter(inv.function for inv in ledger.invocations if inv.memory_mb)
            results[name] = per_1000
            print(f"{name}: Lambda invocations per ticket "
                  f"{ {k: round(v / args.tickets, 1) for k, v in sorted(invocations.items())} }")
    print(f"\nUSD per 1,000 tickets (prices of {PRICES['checked']}, {PRICES['region']}):")
    lines = [*sorted({k for r in results.values() for k in r} - {"total"}), "total"]
    print(f"{'':22}" + "".join(f"{m:>12}" for m in results))
    for line in lines:
        print(f"{line:22}" + "".join(f"{results[m].get(line, 0.0):12.4f}" for m in results))
    print("\nIdle USD per month (no traffic):")
    for choice, parts in idle_monthly().items():
        print(f"  {choice:42} {parts['base'] + parts['index']:8.2f}  (index {parts['index']:.2f}, "
              f"rest {parts['base']:.2f})")


if __name__ == "__main__":
    main()
