#!/usr/bin/env bash
# Run checkov (infrastructure-as-code security checks) from its own virtualenv (.tools/checkov): it pins
# dozens of libraries (boto3, pydantic, networkx, ...) that must not constrain the project's .venv.
# The version is pinned so findings only change when this line does; the stamp file makes a second run
# skip pip entirely.
set -euo pipefail
cd "$(dirname "$0")/../.."
version=3.3.30
venv=.tools/checkov
if [ "$(cat "$venv/.installed" 2>/dev/null || true)" != "$version" ]; then
  echo "checkov: installing checkov==$version into $venv (once)" >&2
  py=$(bash infra/dev/find-python.sh)
  rm -rf "$venv"
  "$py" -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "checkov==$version" 2>&1 \
    | grep -v '^WARNING: Location' >&2 || true
  "$venv/bin/python" "$venv/bin/checkov" --version >/dev/null  # fails the run if the install did not work
  echo "$version" > "$venv/.installed"
fi
export BC_SKIP_MAPPING=TRUE CHECKOV_RUN_SCA_PACKAGE_SCAN_V2=false
# Through the venv's python: the script's shebang names the folder the venv was made in.
exec "$venv/bin/python" "$venv/bin/checkov" "$@"
