#!/usr/bin/env bash
# Print the path of a Python 3.12 interpreter (the Lambda runtime's version), or fail saying how to get one.
set -euo pipefail
candidates=("${PYTHON:-}" python3.12)
if command -v pyenv >/dev/null 2>&1; then
  for v in $(pyenv versions --bare 2>/dev/null | grep -E '^3\.12(\.|$)' | sort -V -r); do
    candidates+=("$(pyenv root)/versions/$v/bin/python3.12")
  done
fi
candidates+=(/usr/local/bin/python3.12 /usr/bin/python3.12 python3)
for c in "${candidates[@]}"; do
  [ -n "$c" ] || continue
  if "$c" -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 12) else 1)' >/dev/null 2>&1; then
    command -v "$c" 2>/dev/null || echo "$c"
    exit 0
  fi
done
echo "Python 3.12 is required (the Lambda runtime version): install it (e.g. 'pyenv install 3.12') or set PYTHON=/path/to/python3.12" >&2
exit 1
