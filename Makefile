# The two commands a newcomer needs (each does its own set-up):
#   make serve   start the local stack (moto + every API on http://127.0.0.1:8000)
#   make test    lint, type-check, validate the SAM template, run every test
.PHONY: serve test checks setup lint typecheck validate checkov unit build bench clean web web-check web-browser

setup:
	@bash infra/dev/bootstrap.sh

serve: setup web
	.venv/bin/helpdesk serve --demo

# web/: npm ci when the lockfile changed, the Vite build when sources changed (infra/dev/web.sh)
web:
	@bash infra/dev/web.sh build

web-check:
	@bash infra/dev/web.sh check

web-browser:
	@bash infra/dev/web.sh browser

lint: setup
	.venv/bin/ruff check .

typecheck: setup
	.venv/bin/mypy

# cfn-lint runs inside `sam validate --lint`; checkov (its own venv under .tools/checkov, pinned) is gated by
# infra/checkov-baseline.toml: every accepted finding is listed there with its reason.
validate:
	bash infra/dev/sam.sh validate --lint --template template.yaml

checkov: setup
	.venv/bin/python infra/dev/checkov_gate.py

unit: setup
	.venv/bin/pytest tests/unit -q

# Workers: one per core, a test file at a time on one worker (the browser stories of tests/browser/test_web.py
# run in order); each worker starts the end-to-end tests' local stack once. (`--dist loadgroup` would keep all
# e2e tests on one worker, but pytest-xdist 3.8 cannot rename test ids under pytest 9, so its groups are lost.)
test: checks
	.venv/bin/pytest -q -n auto --dist loadfile

# Everything `make test` checks before the tests, three at a time: the first run's installs (pip, npm, the sam
# and checkov venvs) wait on the network more than on the two cores, so side by side they take about half as long.
# Each target's output is printed whole when it ends (--output-sync), so logs read as if run one by one.
checks:
	@$(MAKE) --no-print-directory -j3 --output-sync=target setup lint typecheck validate checkov web-check web-browser

build:
	bash infra/dev/sam.sh build --template template.yaml

bench: setup
	.venv/bin/python bench/api.py

clean:
	rm -rf .aws-sam .pytest_cache .mypy_cache .ruff_cache
