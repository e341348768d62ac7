#!/usr/bin/env bash
# Create .venv on Python 3.12 and install the project with its development extras.
# Re-runs only when pyproject.toml changed since the last install (a stamp file records it).
set -euo pipefail
cd "$(dirname "$0")/../.."
stamp=.venv/.installed
if [ -f "$stamp" ] && [ "$stamp" -nt pyproject.toml ] && [ -x .venv/bin/helpdesk ]; then
  exit 0
fi
py=$(bash infra/dev/find-python.sh)
if [ ! -x .venv/bin/python ] || ! .venv/bin/python -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 12) else 1)'; then
  echo "bootstrap: creating .venv with $py"
  rm -rf .venv
  "$py" -m venv .venv
fi
echo "bootstrap: installing the project and its development tools into .venv (first run takes a few minutes)"
.venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip 2>&1 | grep -v '^WARNING: Location' || true
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e '.[dev]' 2>&1 | grep -v '^WARNING: Location' || true
.venv/bin/python -c 'import helpdesk, moto, fastapi' # fail loudly if the install did not complete
touch "$stamp"
