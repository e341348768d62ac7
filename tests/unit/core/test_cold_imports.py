"""What an HTTP API function loads at cold start: nothing a request may not need.

Import time itself is measured in `bench/api.py` (beside `import boto3`); this pins the modules, which do not
depend on how busy the machine is.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
API_FUNCTIONS = sorted(path.parent.name for path in (ROOT / "functions").glob("*/app.py")
                       if "http_handler(" in path.read_text(encoding="utf-8"))

# boto3 (with s3transfer) loads on the first request that needs it; the X-Ray SDK is not used; the model
# runtimes and the LLM SDK load only in the functions and requests that embed or write.
NOT_AT_INIT = ("boto3", "aws_xray_sdk", "anthropic", "onnxruntime", "numpy", "tokenizers", "opensearchpy")

PROBE = """
import importlib.util, json, sys
loaded = {}
for name in sys.argv[1:]:
    spec = importlib.util.spec_from_file_location(f"fn_{name}", f"functions/{name}/app.py")
    module = importlib.util.module_from_spec(spec)
    before = set(sys.modules)
    spec.loader.exec_module(module)
    loaded[name] = sorted(set(sys.modules) - before)
print(json.dumps(loaded))
"""


def test_api_functions_load_no_heavy_module_at_init() -> None:
    assert len(API_FUNCTIONS) >= 10
    env = {**os.environ, "PYTHONPATH": str(ROOT / "shared")}
    out = subprocess.run([sys.executable, "-c", PROBE, *API_FUNCTIONS], cwd=ROOT, env=env, capture_output=True,
                         text=True, check=True, timeout=120)
    loaded: dict[str, list[str]] = json.loads(out.stdout)
    heavy = {name: [m for m in modules if m.split(".")[0] in NOT_AT_INIT] for name, modules in loaded.items()}
    assert {name: modules for name, modules in heavy.items() if modules} == {}
