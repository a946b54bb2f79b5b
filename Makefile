# Permanence: make demo | make test | make bench | make clean
# Needs only python3 (3.11 or later), node, npm and make.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
VENDOR := permanence/static/vendor
LINT_DIRS := permanence bench tests
# Two workers: the machines have two cores. `make test PYTEST_ARGS=` runs in one process.
PYTEST_ARGS ?= -n 2

.PHONY: help venv frontend demo test bench clean distclean

help:
	@echo "make demo      set up, load the demo region and run the site on http://127.0.0.1:8000"
	@echo "make test      ruff, then pytest on SQLite, then on PostgreSQL if DATABASE_URL is postgres://"
	@echo "make bench     run the benchmarks in bench/"
	@echo "make venv      create $(VENV) and install Permanence with its test dependencies"
	@echo "make frontend  install and copy GOV.UK Frontend and MoJ Frontend into $(VENDOR)"
	@echo "make clean     remove built files (keeps $(VENV) and the database); distclean removes those too"

# --- Python -----------------------------------------------------------------

venv: $(VENV)/.installed

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
	  || { echo "Permanence needs Python 3.11 or later; $(PYTHON) is $$($(PYTHON) --version 2>&1). Try: make PYTHON=python3.12 ..." >&2; exit 1; }
	$(PYTHON) -m venv $(VENV) \
	  || { echo "Could not create $(VENV). On Debian or Ubuntu: apt-get install python3-venv" >&2; exit 1; }

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@

# --- Front end ----------------------------------------------------------------
# Reinstalls only when package.json or package-lock.json change; rebuilds only when
# node_modules or the build script change.

frontend: $(VENDOR)/.built

package-lock.json:
	npm install --no-audit --no-fund

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

$(VENDOR)/.built: node_modules/.installed scripts/build-frontend.mjs
	npm run --silent build
	@touch $@

# --- Running ------------------------------------------------------------------
# The demo uses DATABASE_URL if you set one, otherwise SQLite in ./var.

demo: venv frontend
	@mkdir -p var
	$(BIN)/permanence migrate --noinput
	$(BIN)/permanence demo
	PERMANENCE_JOBS=$${PERMANENCE_JOBS:-thread} $(BIN)/permanence runserver 127.0.0.1:8000

# The PostgreSQL run's sessions do not wait for each commit to reach the disk (synchronous_commit=off, through
# libpq's PGOPTIONS): a test database is thrown away, and building it (the migrations) is ~20 s quicker per worker.
# Every test that uses the database runs on both; the PostgreSQL run leaves out the browser tests and the tests that
# cannot reach the database (conftest.py: they did the same in the SQLite run), and its property tests draw a quarter
# of their examples (PERMANENCE_TEST_EXAMPLES, permanence.testing.examples): what they explore is the same Python on
# either database. PERMANENCE_ALL_ON_POSTGRES=1 runs everything there.
PG_EXAMPLES ?= 0.25
test: venv frontend
	@mkdir -p var
	@dirs=""; for d in $(LINT_DIRS); do if [ -d "$$d" ]; then dirs="$$dirs $$d"; fi; done; \
	  echo "== ruff check$$dirs"; \
	  $(BIN)/ruff check $$dirs
	@echo "== pytest on SQLite"
	env -u DATABASE_URL $(BIN)/pytest $(PYTEST_ARGS) -m "not browser"
	@# The browser tests in a process of their own: they restore the database they found (serialized_rollback),
	@# which a transactional test's flush before them would have re-created with other ids.
	@echo "== browser tests on SQLite"
	env -u DATABASE_URL $(BIN)/pytest $(PYTEST_ARGS) -m browser || [ $$? -eq 5 ]  # 5: none among the tests asked for
	@if [[ "$${DATABASE_URL:-}" == postgres* ]]; then \
	  echo "== pytest on PostgreSQL ($${DATABASE_URL##*@})"; \
	  PGOPTIONS="$${PGOPTIONS:-} -c synchronous_commit=off" PERMANENCE_TEST_EXAMPLES=$${PERMANENCE_TEST_EXAMPLES:-$(PG_EXAMPLES)} \
	    $(BIN)/pytest $(PYTEST_ARGS) -m "not browser"; \
	else \
	  echo "== PostgreSQL run skipped: set DATABASE_URL=postgres://... to run the tests on PostgreSQL too"; \
	fi

bench: venv
	@if [ -f bench/run_all.py ]; then \
	  $(BIN)/python bench/run_all.py; \
	else \
	  echo "No benchmarks yet (bench/run_all.py is missing)"; \
	fi

# --- Tidying ------------------------------------------------------------------

clean:
	rm -rf node_modules $(VENDOR) var/static build dist *.egg-info .pytest_cache .ruff_cache .hypothesis test-artifacts
	find . -path ./$(VENV) -prune -o -type d -name __pycache__ -prune -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV) var
