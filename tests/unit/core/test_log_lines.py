"""Every log line of a function is one JSON object with the invocation's keys, those of modules that log with the
standard library too (models and what they reach must import without the AWS SDK, so they cannot use
Powertools' Logger: `test_architecture.py`)."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

PROBE = """
import logging
from helpdesk.platform.observability import logger
logger.append_keys(correlation_id="req-1")
logging.getLogger("helpdesk.assistant.circuit_breaker").warning("breaker state store failed: %s", "retrieval")
logger.info("a Powertools line")
"""


def test_a_standard_library_warning_of_a_helpdesk_module_is_a_json_line_with_the_correlation_id() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "shared"), "POWERTOOLS_SERVICE_NAME": "chat-intake",
           "POWERTOOLS_LOG_LEVEL": "INFO"}
    out = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, env=env, check=True, cwd=ROOT)

    lines = [json.loads(line) for line in out.stdout.splitlines()]
    assert [(line["level"], line["message"]) for line in lines] == [
        ("WARNING", "breaker state store failed: retrieval"), ("INFO", "a Powertools line")]
    assert all(line["correlation_id"] == "req-1" and line["service"] == "chat-intake" for line in lines)
    assert lines[0]["name"] == "helpdesk.assistant.circuit_breaker"
    assert out.stderr == ""  # not also Lambda's plain-text line
