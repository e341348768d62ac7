"""Small helpers shared by the bench scripts: percentiles, fresh-interpreter import timing, a free port."""

import os
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# The table names the settings require whenever a bench builds a container (bootstrap.container()).
BENCH_TABLES = {"HELPDESK_TICKETS_TABLE": "helpdesk-tickets", "HELPDESK_TICKET_EVENTS_TABLE": "helpdesk-ticket-events",
                "HELPDESK_META_TABLE": "helpdesk-meta"}



def free_port() -> int:
    """A TCP port on 127.0.0.1 nothing listens on now (for a server the bench starts)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def timed(fn: Callable[[], object], runs: int) -> list[float]:
    """Milliseconds per call."""
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return out


def summary(samples: list[float]) -> dict[str, float]:
    return {"p50_ms": round(percentile(samples, 50), 3), "p99_ms": round(percentile(samples, 99), 3),
            "mean_ms": round(statistics.fmean(samples), 3)}


def import_time(code: str, runs: int = 5, env: dict[str, str] | None = None) -> float:
    """Median wall time (ms) of a fresh interpreter running `code`, minus an empty interpreter's."""

    def run(snippet: str) -> float:
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", snippet], check=True, cwd=ROOT, env=env)
        return (time.perf_counter() - start) * 1000

    empty = statistics.median(run("pass") for _ in range(runs))
    return round(statistics.median(run(code) for _ in range(runs)) - empty, 1)


def import_ratio(code: str, baseline: str, runs: int = 5, env: dict[str, str] | None = None,
                 baseline_env: dict[str, str] | None = None) -> tuple[float, float, float]:
    """`code`'s import time beside `baseline`'s (ms, each minus an empty interpreter's) and their ratio, the
    three interpreters run in turn so that a machine getting busier moves both alike."""

    def run(snippet: str, run_env: dict[str, str] | None) -> float:
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", snippet], check=True, cwd=ROOT, env=run_env)
        return (time.perf_counter() - start) * 1000

    empty: list[float] = []
    base: list[float] = []
    measured: list[float] = []
    for _ in range(runs):
        empty.append(run("pass", env))
        base.append(run(baseline, baseline_env or env))
        measured.append(run(code, env))
    code_ms = statistics.median(measured) - statistics.median(empty)
    base_ms = statistics.median(base) - statistics.median(empty)
    return round(code_ms, 1), round(base_ms, 1), round(code_ms / base_ms, 2)


def use_moto_env() -> None:
    """Dummy credentials, no local-stack endpoint, quiet Powertools, the table names a container requires:
    benches run on moto in-process. Call before importing anything from `helpdesk` (PynamoDB reads the
    region at import; the settings read the table names when a container is built)."""
    os.environ.update(AWS_DEFAULT_REGION="us-east-1", AWS_REGION="us-east-1", AWS_ACCESS_KEY_ID="bench",
                      AWS_SECRET_ACCESS_KEY="bench",
                      POWERTOOLS_METRICS_DISABLED="true", POWERTOOLS_LOG_LEVEL="WARNING",
                      HELPDESK_AUTH_MODE="apigw", **BENCH_TABLES)
    os.environ.pop("AWS_ENDPOINT_URL", None)
