"""Ticket commands API cost: create/get/list through the real lambda_handler on moto, beside raw moto
PutItem/GetItem in the same process, and the cold import of the function beside `import boto3`.

    python bench/api.py [--runs 200]

The ratios are the figures: absolute times on moto say little about DynamoDB itself.
"""

import argparse
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench._common import use_moto_env  # noqa: E402

use_moto_env()

from bench._common import import_time, summary, timed  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()

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
        results = {
            "raw_moto_put_item": summary(timed(raw_put, args.runs)),
            "raw_moto_get_item": summary(timed(raw_get, args.runs)),
            "create_ticket": summary(timed(create, args.runs)),
            "get_ticket": summary(timed(get, args.runs)),
            "list_tickets_25": summary(timed(list_, args.runs)),
        }
    put, get_ = results["raw_moto_put_item"]["p50_ms"], results["raw_moto_get_item"]["p50_ms"]
    ratios = {
        "create_p50_over_raw_put_p50": round(results["create_ticket"]["p50_ms"] / put, 2),
        "get_p50_over_raw_get_p50": round(results["get_ticket"]["p50_ms"] / get_, 2),
        "list_p50_over_raw_get_p50": round(results["list_tickets_25"]["p50_ms"] / get_, 2),
    }
    env = {**os.environ, "PYTHONPATH": str(ROOT / "functions" / "ticket_commands")}
    imports = {
        "import_boto3_ms": import_time("import boto3", env=env),
        "import_ticket_commands_app_ms": import_time("import app", env=env),
        "import_anthropic_in_ticket_commands": _loads_module("anthropic", env),
        "import_onnxruntime_in_ticket_commands": _loads_module("onnxruntime", env),
    }
    imports["app_over_boto3"] = round(imports["import_ticket_commands_app_ms"] / imports["import_boto3_ms"], 2)
    print(json.dumps({"runs": args.runs, "latency": results, "ratios": ratios, "cold_import": imports}, indent=2))


def _loads_module(name: str, env: dict[str, str]) -> bool:
    import subprocess

    code = f"import sys, app; print({name!r} in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                         check=True, cwd=ROOT)
    return out.stdout.strip() == "True"


if __name__ == "__main__":
    main()
