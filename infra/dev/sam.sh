#!/usr/bin/env bash
# Run the AWS SAM CLI from its own virtualenv (.tools/sam): it pins its own boto3/pydantic ranges,
# which must not constrain the project's .venv.
set -euo pipefail
cd "$(dirname "$0")/../.."
py=$(bash infra/dev/find-python.sh)
if ! [ -x .tools/sam/bin/sam ]; then
  echo "sam: installing aws-sam-cli into .tools/sam (once)" >&2
  "$py" -m venv .tools/sam
  .tools/sam/bin/python -m pip install --quiet --disable-pip-version-check aws-sam-cli 2>&1 | grep -v '^WARNING: Location' >&2 || true
fi
# `sam build` looks for `python3.12` on PATH: put the real interpreter first (pyenv shims may not resolve it).
export PATH="$(dirname "$(readlink -f "$py")"):$PATH"
export SAM_CLI_TELEMETRY=0 AWS_DEFAULT_REGION="${AWS_DEFAULT_REGION:-us-east-1}" AWS_REGION="${AWS_REGION:-us-east-1}"
exec .tools/sam/bin/sam "$@"
