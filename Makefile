# The two commands a newcomer needs (each does its own set-up):
#   make serve   start the local stack (moto + every API on http://127.0.0.1:8000)
#   make test    lint, type-check, validate the SAM template, run every test
.PHONY: serve test setup lint typecheck validate unit build bench clean

setup:
	@bash infra/dev/bootstrap.sh

serve: setup
	.venv/bin/helpdesk serve

lint: setup
	.venv/bin/ruff check .

typecheck: setup
	.venv/bin/mypy

validate:
	bash infra/dev/sam.sh validate --lint --template template.yaml

unit: setup
	.venv/bin/pytest tests/unit -q

test: setup lint typecheck validate
	.venv/bin/pytest -q

build:
	bash infra/dev/sam.sh build --template template.yaml

bench: setup
	.venv/bin/python bench/api.py

clean:
	rm -rf .aws-sam .pytest_cache .mypy_cache .ruff_cache
