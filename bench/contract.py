"""schemathesis over every OpenAPI document, in-process on moto: the 5xx count and the undocumented
statuses, per run, with more examples than `make test` runs.

    python bench/contract.py [--examples 25] [--api ticket_commands ...]

Prints one JSON line with the counts (calls, 5xx, undocumented statuses, schema mismatches, statuses)
and the first findings.
"""

import argparse
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench._common import use_moto_env  # noqa: E402

use_moto_env()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--examples", type=int, default=25, help="examples per operation, role and mode")
    parser.add_argument("--api", action="append", default=None, help="limit to these function folders")
    parser.add_argument("--seed", type=int, default=20240601)
    args = parser.parse_args()

    from moto import mock_aws

    from helpdesk import bootstrap
    from helpdesk.platform.dynamo.tables import create_tables
    from tests.conftest import load_function
    from tests.contract.harness import APPS, contract_environment, run_contract, seed_world

    with mock_aws(), contract_environment(Path(tempfile.mkdtemp())):
        bootstrap.use(None)
        create_tables(bootstrap.container().tables)
        world = seed_world()
        report = run_contract(lambda name: load_function(name).app, world, max_examples=args.examples,
                              seed_value=args.seed, apps=tuple(args.api or APPS))
    print(json.dumps({"examples": args.examples, **report.summary()}))
    seen: set[tuple[str, str, int]] = set()
    for finding in report.findings:
        key = (finding.kind, finding.operation, finding.status)
        if key not in seen:
            seen.add(key)
            print(finding)


if __name__ == "__main__":
    main()
