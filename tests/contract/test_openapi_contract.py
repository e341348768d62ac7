"""schemathesis over every OpenAPI document, in-process (no server), as an agent, a customer, an admin
and a chat session: no 5xx and no status the operation does not document. A bounded number of examples
per operation keeps it to about a minute; `bench/contract.py` runs more and prints the counts."""

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import load_function, rebuild
from tests.contract.harness import World, contract_environment, run_contract, seed_world

EXAMPLES = 2  # per operation, role and mode (valid, invalid)


@pytest.fixture
def world(aws: None, tmp_path: Path) -> Iterator[World]:
    from helpdesk.platform.dynamo.tables import create_tables

    with contract_environment(tmp_path):
        create_tables(rebuild().tables)
        yield seed_world()
    rebuild()
    # The in-process ASGI client ran an event loop to completion in this thread, which leaves the thread
    # without a current loop; Mangum (the handlers of later tests) asks for one.
    asyncio.set_event_loop(asyncio.new_event_loop())


def test_every_api_answers_bad_and_good_input_with_documented_statuses_and_no_5xx(world: World) -> None:
    report = run_contract(lambda name: load_function(name).app, world, max_examples=EXAMPLES)
    assert report.calls > 200
    problems = "\n".join(str(f) for f in report.findings[:20])
    assert report.server_errors == 0, problems
    assert report.findings == [], problems


def test_every_http_api_is_in_the_contract_run() -> None:
    from tests.conftest import ROOT
    from tests.contract.harness import APPS

    apis = {p.parent.name for p in (ROOT / "functions").glob("*/app.py") if "create_app(" in p.read_text()}
    assert apis == set(APPS)
