# Targets match the README. `make ci` is what CI runs.
VENV ?= .venv
PY := $(VENV)/bin/python

.PHONY: help venv demo test lint format bench ci clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-8s %s\n", $$1, $$2}'

$(PY):
	python3 -m venv $(VENV)

venv: $(PY) ## create .venv and install claimtrack with the dev tools
	$(PY) -m pip install -e '.[dev]'

demo: venv ## the main job on the bundled sample (offline)
	$(VENV)/bin/claimtrack run data/articles

test: venv ## the test suite
	$(PY) -m pytest

lint: venv ## ruff (lint and format check) and mypy strict
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

format: venv ## apply ruff's formatting and safe fixes
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

bench: venv ## the ingest benchmark (see docs/benchmarks.md)
	$(PY) tests/benchmarks/bench_ingest.py

ci: ## what CI runs, from scratch
	.ci/run

clean: ## remove the venv and caches
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache build *.egg-info
