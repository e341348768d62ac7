"""Ticket commands API cost: create/get/list through the real lambda_handler on moto, beside raw moto
PutItem/GetItem in the same process; the DynamoDB requests each operation makes (counted with a botocore
hook); and the cold import of every HTTP API function beside `import boto3` (and of FastAPI, the largest
part, and the X-Ray SDK the functions no longer load), in fresh interpreters.

    python bench/api.py [--runs 200] [--import-runs 5] [--imports-only]

The ratios are the figures: absolute times on moto say little about DynamoDB itself.
"""

import argparse
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench._common import use_moto_env  # noqa: E402

use_moto_env()

from bench._common import import_ratio, summary, timed  # noqa: E402
from helpdesk.platform import aws_calls  # noqa: E402

aws_calls.install()  # before any AWS client exists

# Every HTTP API function: those whose handler is `http_handler(app)`.
API_FUNCTIONS = tuple(sorted(path.parent.name for path in (ROOT / "functions").glob("*/app.py")
                             if "http_handler(" in path.read_text(encoding="utf-8")))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--import-runs", type=int, default=5, help="fresh interpreters per import figure")
    parser.add_argument("--imports-only", action="store_true", help="only the cold imports")
    args = parser.parse_args()
    if args.imports_only:
        print(json.dumps({"cold_import": cold_imports(args.import_runs)}, indent=2))
        return

    import boto3
    from moto import mock_aws

    from tests.conftest import FakeLambdaContext, claims, http_event, load_function

    with mock_aws():
        from helpdesk import bootstrap
        from helpdesk.platform.dynamo.models import MetaModel
        from helpdesk.platform.dynamo.tables import create_tables

        create_tables(bootstrap.container().tables)
        handler = load_function("ticket_commands").lambda_handler
        ctx = FakeLambdaContext()
        customer = claims("c1", "acme", "customer")
        agent = claims("a1", "acme", "agent")
        created_ids: list[str] = []

        def create() -> None:
            event = http_event("POST", "/tickets", body={"subject": "Bench", "description": "x" * 500},
                               claims_=customer)
            response = handler(event, ctx)
            created_ids.append(json.loads(response["body"])["id"])

        def get() -> None:
            handler(http_event("GET", f"/tickets/{created_ids[len(created_ids) // 2]}", claims_=agent), ctx)

        def list_() -> None:
            handler(http_event("GET", "/tickets", claims_=agent, query={"status": "new", "limit": "25"}), ctx)

        raw = boto3.client("dynamodb")
        table = MetaModel.Meta.table_name
        counter = {"i": 0}

        def raw_put() -> None:
            counter["i"] += 1
            raw.put_item(TableName=table, Item={"pk": {"S": "bench"}, "sk": {"S": str(counter["i"])},
                                                "data": {"S": "x" * 500}})

        def raw_get() -> None:
            raw.get_item(TableName=table, Key={"pk": {"S": "bench"}, "sk": {"S": "1"}})

        timed(create, 20)  # warm up: first calls build the app, clients and import lazily
        requests: dict[str, dict[str, float]] = {}

        def counted(name: str, fn: Callable[[], None]) -> dict[str, float]:
            with aws_calls.count_calls() as calls:
                samples = timed(fn, args.runs)
            requests[name] = {op: round(n / args.runs, 2) for op, n in sorted(calls.of("dynamodb").items())}
            return summary(samples)

        results = {
            "raw_moto_put_item": summary(timed(raw_put, args.runs)),
            "raw_moto_get_item": summary(timed(raw_get, args.runs)),
            "create_ticket": counted("create_ticket", create),
            "get_ticket": counted("get_ticket", get),
            "list_tickets_25": counted("list_tickets_25", list_),
        }
    put, get_ = results["raw_moto_put_item"]["p50_ms"], results["raw_moto_get_item"]["p50_ms"]
    ratios = {
        "create_p50_over_raw_put_p50": round(results["create_ticket"]["p50_ms"] / put, 2),
        "get_p50_over_raw_get_p50": round(results["get_ticket"]["p50_ms"] / get_, 2),
        "list_p50_over_raw_get_p50": round(results["list_tickets_25"]["p50_ms"] / get_, 2),
    }
    print(json.dumps({"runs": args.runs, "latency": results, "ratios": ratios,
                      "dynamodb_requests_per_call": requests,
                      "cold_import": cold_imports(args.import_runs)}, indent=2))


def cold_imports(runs: int) -> dict[str, object]:
    """Each API function's `import app` beside `import boto3`, measured in the same loop (noisy machines
    move both), as Lambda's init would run it."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "functions" / "ticket_commands")}
    out: dict[str, object] = {}
    for label, code in (("fastapi", "import fastapi"), ("aws_xray_sdk", "import aws_xray_sdk.core")):
        ms, boto3_ms, ratio = import_ratio(code, "import boto3", runs=runs, env=env)
        out[f"import_{label}_ms"] = ms
        out[f"{label}_over_boto3"] = ratio
        out["import_boto3_ms"] = boto3_ms
    for function in API_FUNCTIONS:
        fenv = {**env, "PYTHONPATH": str(ROOT / "functions" / function)}
        ms, boto3_ms, ratio = import_ratio("import app", "import boto3", runs=runs, env=fenv)
        out[f"import_{function}_ms"] = ms
        out[f"{function}_over_boto3"] = ratio
    out["anthropic_in_ticket_commands"] = _loads_module("anthropic", env)
    out["onnxruntime_in_ticket_commands"] = _loads_module("onnxruntime", env)
    return out


def _loads_module(name: str, env: dict[str, str]) -> bool:
    import subprocess

    code = f"import sys, app; print({name!r} in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                         check=True, cwd=ROOT)
    return out.stdout.strip() == "True"


if __name__ == "__main__":
    main()
