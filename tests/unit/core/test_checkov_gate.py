"""The checkov gate (infra/dev/checkov_gate.py): unexplained findings and stale baseline entries both fail, and
the committed baseline is well-formed. Checkov itself runs in `make checkov`, not here (it takes ~30 s)."""

import importlib.util
import sys
import tomllib
from pathlib import Path
from types import ModuleType

import pytest

from tests.template import load_template

ROOT = Path(__file__).resolve().parents[3]


def _gate() -> ModuleType:
    spec = importlib.util.spec_from_file_location("checkov_gate", ROOT / "infra/dev/checkov_gate.py")
    assert spec
    assert spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


gate = _gate()


def _report(*failed: tuple[str, str]) -> dict[str, object]:
    return {"check_type": "cloudformation", "results": {"failed_checks": [
        {"check_id": check, "resource": resource} for check, resource in failed]}}


BASELINE = {"accepted": [{"check": "CKV_AWS_117", "resources": ["A", "B"], "reason": "no VPC needed"}]}


def test_accepted_findings_pass_and_others_are_reported_both_ways() -> None:
    accepted = gate.accepted(BASELINE)
    found = gate.findings(_report(("CKV_AWS_117", "AWS::Serverless::Function.A"),
                                  ("CKV_AWS_117", "AWS::Serverless::Function.B")))
    assert gate.gate(found, accepted) == ([], [])

    found = gate.findings([_report(("CKV_AWS_117", "AWS::Serverless::Function.A"),
                                   ("CKV_AWS_18", "AWS::S3::Bucket.Mail"))])
    unexplained, stale = gate.gate(found, accepted)
    assert unexplained == [gate.Finding("CKV_AWS_18", "Mail")]
    assert stale == [gate.Finding("CKV_AWS_117", "B")]


@pytest.mark.parametrize("entry", [
    {"check": "CKV_AWS_117", "resources": ["A"], "reason": " "},
    {"check": "CKV_AWS_117", "resources": ["*"], "reason": "all of them"},
    {"check": "CKV_AWS_117", "resources": [], "reason": "none"},
])
def test_an_entry_without_a_reason_or_with_a_wildcard_is_refused(entry: dict[str, object]) -> None:
    with pytest.raises(ValueError, match="needs check, reason"):
        gate.accepted({"accepted": [entry]})


def test_the_committed_baseline_names_real_resources_with_reasons() -> None:
    accepted = gate.accepted(tomllib.loads((ROOT / "infra/checkov-baseline.toml").read_text()))
    missing = {f.resource for f in accepted} - set(load_template()["Resources"])
    assert not missing, f"baseline names resources the template does not have: {missing}"

