#!/usr/bin/env bash
# Run the AWS SAM CLI from its own virtualenv (.tools/sam): it pins its own boto3/pydantic ranges,
# which must not constrain the project's .venv.
set -euo pipefail
cd "$(dirname "$0")/../.."
if ! [ -x .tools/sam/bin/sam ]; then
  py=$(bash infra/dev/find-python.sh)
  echo "sam: installing aws-sam-cli into .tools/sam (once)" >&2
  "$py" -m venv .tools/sam
  .tools/sam/bin/python -m pip install --quiet --disable-pip-version-check aws-sam-cli 2>&1 | grep -v '^WARNING: Location' >&2 || true
fi
export SAM_CLI_TELEMETRY=0 AWS_DEFAULT_REGION="${AWS_DEFAULT_REGION:-us-east-1}" AWS_REGION="${AWS_REGION:-us-east-1}"
exec .tools/sam/bin/sam "$@"
