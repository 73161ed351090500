# Targets match the README. `make ci` is what CI runs.
VENV ?= .venv
PY := $(VENV)/bin/python
# Written after a successful install: `make` reinstalls only when pyproject.toml is newer.
INSTALLED := $(VENV)/.installed
# What `make test-fast` leaves out (markers registered in pyproject.toml).
FAST := not slow and not crash and not pty and not local_model
# pytest-xdist workers: one per core.
WORKERS ?= auto

.PHONY: help venv demo test test-fast lint format bench ci clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-10s %s\n", $$1, $$2}'

$(INSTALLED): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -e '.[dev]'
	touch $@

venv: $(INSTALLED) ## create .venv and install claimtrack with the dev tools (again when pyproject.toml changes)

demo: venv ## the main job on the bundled sample (offline)
	$(VENV)/bin/claimtrack run data/articles

test: venv ## the whole test suite, in parallel (pytest-xdist)
	$(PY) -m pytest -n $(WORKERS)

test-fast: venv ## the suite without the slow, crash, pty and local-model tests, in parallel
	$(PY) -m pytest -n $(WORKERS) -m '$(FAST)'

lint: venv ## ruff (lint and format check), mypy strict (package and tests), import contracts
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports --no-cache

format: venv ## apply ruff's formatting and safe fixes
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

bench: venv ## the ingest benchmark (see docs/benchmarks.md)
	$(PY) tests/benchmarks/bench_ingest.py

ci: ## what CI runs, from scratch
	.ci/run

clean: ## remove the venv and caches
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache build *.egg-info
