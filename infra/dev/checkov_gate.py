"""Run checkov on template.yaml and fail on any finding that infra/checkov-baseline.toml does not accept.

The baseline lists each accepted finding (check id, the resources it fails on, and why it is accepted). A
finding not listed fails the gate, and so does a listed one that no longer fails (the template got better:
drop the entry), so the file always says exactly what is accepted and why.

    python infra/dev/checkov_gate.py            # installs checkov once into .tools/checkov (infra/dev/checkov.sh)
    python infra/dev/checkov_gate.py --report checkov.json   # gate a report produced earlier
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
BASELINE = ROOT / "infra" / "checkov-baseline.toml"
TEMPLATE = ROOT / "template.yaml"


@dataclass(frozen=True, order=True)
class Finding:
    check: str
    resource: str  # logical id, e.g. TicketsTable


def findings(report: Any) -> set[Finding]:
    """Failed checks of a checkov JSON report (one framework: an object; several: a list of them)."""
    reports = report if isinstance(report, list) else [report]
    out: set[Finding] = set()
    for one in reports:
        for failed in one.get("results", {}).get("failed_checks", []):
            out.add(Finding(failed["check_id"], str(failed["resource"]).rsplit(".", 1)[-1]))
    return out


def accepted(baseline: dict[str, Any]) -> dict[Finding, str]:
    """Finding -> reason. Every entry must give a reason and name its resources (no wildcards)."""
    out: dict[Finding, str] = {}
    for entry in baseline.get("accepted", []):
        check, reason, resources = entry.get("check"), str(entry.get("reason", "")).strip(), entry.get("resources")
        if not check or not reason or not resources or "*" in resources:
            raise ValueError(f"baseline entry needs check, reason and named resources: {entry}")
        for resource in resources:
            out[Finding(check, resource)] = reason
    return out


def gate(found: set[Finding], baseline: dict[Finding, str]) -> tuple[list[Finding], list[Finding]]:
    """(findings nobody accepted, accepted findings that no longer occur)."""
    return sorted(found - baseline.keys()), sorted(baseline.keys() - found)


def run_checkov() -> Any:
    command = ["bash", str(ROOT / "infra/dev/checkov.sh"), "--file", str(TEMPLATE), "--framework", "cloudformation",
               "--output", "json", "--quiet", "--compact"]
    done = subprocess.run(command, capture_output=True, text=True, check=False, cwd=ROOT)  # noqa: S603
    if done.returncode not in (0, 1) or not done.stdout.strip():  # 1 = findings, which this gate judges
        sys.stderr.write(done.stderr)
        raise SystemExit(f"checkov failed to run (exit {done.returncode})")
    return json.loads(done.stdout)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--report", type=Path, help="a checkov JSON report instead of running checkov")
    args = parser.parse_args(argv)
    report = json.loads(args.report.read_text()) if args.report else run_checkov()
    baseline = accepted(tomllib.loads(BASELINE.read_text()))
    found = findings(report)
    unexplained, stale = gate(found, baseline)
    for f in unexplained:
        print(f"checkov: {f.check} on {f.resource} is not in {BASELINE.relative_to(ROOT)}: fix it or accept it "
              "there with a reason")
    for f in stale:
        print(f"checkov: {f.check} on {f.resource} no longer fails: remove it from {BASELINE.relative_to(ROOT)}")
    if unexplained or stale:
        return 1
    print(f"checkov: {len(found)} findings, all accepted in {BASELINE.relative_to(ROOT)}; none unexplained")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
