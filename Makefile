# The two commands a newcomer needs: `make run` and `make test`. Everything else is a helper.
PY       ?= python3
VENV     := .venv
BIN      := $(VENV)/bin
STAMP    := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
HOST     ?= 127.0.0.1:8000
PYTEST_ARGS ?=

.PHONY: run test install install-test lint format browser-deps migrate content demo serve bench bench-inprocess bench-analytics clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

## What the site needs to serve (make run); the test tools come only with make test
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -e .
	touch $(STAMP)

$(TEST_STAMP): $(STAMP)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(TEST_STAMP)

install: $(STAMP)

install-test: $(TEST_STAMP)

migrate: install
	$(BIN)/python manage.py migrate --noinput

content: migrate
	$(BIN)/python manage.py load_content

demo: content
	$(BIN)/python manage.py seed_demo

serve:
	@echo "Serving on http://$(HOST)/  (Ctrl-C to stop)"
	$(BIN)/python manage.py runserver $(HOST)

## make run: install, migrate SQLite, load content/, create demo accounts, serve on :8000
## (another address or port: make run HOST=0.0.0.0:8080)
run: demo serve

## Chromium for the browser tests comes from Debian's package (Playwright's download cannot work here);
## axe-core for the accessibility tests from npm (tests/browser/package-lock.json, npm from Debian)
AXE := tests/browser/node_modules/axe-core/axe.min.js

browser-deps: $(AXE)

$(AXE): tests/browser/package.json tests/browser/package-lock.json
	@command -v npm >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing Debian's npm for axe-core…"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null) \
	      || echo "!!! Could not install npm: accessibility tests will be SKIPPED !!!"; \
	  else echo "!!! npm is missing and cannot be installed here: accessibility tests will be SKIPPED !!!"; fi; }
	@if command -v npm >/dev/null 2>&1; then \
	  { npm ci --prefix tests/browser --no-audit --no-fund --loglevel=error && touch $(AXE); } \
	    || echo "!!! npm ci failed: accessibility tests will try again, then be SKIPPED !!!"; fi

browser-deps:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing Debian's chromium for the browser tests…"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	      || echo "!!! Could not install chromium: browser tests will be SKIPPED !!!"; \
	  else echo "!!! chromium is missing and cannot be installed here: browser tests will be SKIPPED !!!"; fi; }

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-test
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## make test: lint, then the whole suite (browser tests in Chromium) on SQLite, or on DATABASE_URL
test: install-test browser-deps lint
	$(BIN)/python manage.py check --fail-level WARNING
	$(BIN)/pytest -n 2 $(PYTEST_ARGS)

## make bench: every main page under gunicorn (2 sync workers) and wrk, beside a bare Django view
## of the same bytes, interleaved rounds on a throwaway SQLite database (and PostgreSQL when
## DATABASE_URL names a server); prints the table, writes bench/results/*.md. See bench/README.md.
## BENCH_ARGS="--quick", "--rounds 3 --duration 5 --pages action,play", "--readme", ...
BENCH_ARGS ?=
bench: install-test
	@command -v wrk >/dev/null 2>&1 || { echo "make bench needs wrk (Debian: apt-get install wrk)"; exit 2; }
	$(BIN)/python bench/run.py $(BENCH_ARGS)
	$(MAKE) --no-print-directory bench-analytics

## make bench-analytics: every analytics page's server time and queries, in process. With
## ANALYTICS_BENCH_DB=existing, on the program-scale database DATABASE_URL names (built once by
## `manage.py seed_demo --program-scale`); otherwise on a 1/20 program built in the test database
bench-analytics: install-test
	$(BIN)/pytest -p no:xdist -p no:cacheprovider -s -q tests/benchmarks/bench_analytics.py

## make bench-inprocess: the in-process benchmarks (Django test client, server time per page)
bench-inprocess: install-test
	$(BIN)/pytest -p no:xdist -s -q tests/benchmarks/bench_*.py

clean:
	rm -rf $(VENV) build test-output .pytest_cache db.sqlite3*

## make load: locust load test of the case-action hot path on a throwaway database and gunicorn
## (SQLite, then PostgreSQL if one answers on 127.0.0.1:5432); see tests/load/README.md
.PHONY: load
LOAD_ARGS ?=
load: install-test
	@$(BIN)/python -c "import locust" 2>/dev/null || $(BIN)/pip install --quiet --disable-pip-version-check locust
	$(BIN)/python tests/load/run.py $(LOAD_ARGS)

## make mutate: mutation testing with mutmut, one group of modules at a time (engine, case
## services, access policy, quiz services, statistics), each against its own
## tests; prints the score and the surviving mutants. Slow and CPU-heavy: never part of
## `make test` or CI. MUTATE_GROUPS="engine access" picks groups; MUTATE_JOBS=2 runs two
## mutants at once. See docs/mutation-testing.md.
.PHONY: mutate
MUTATE_GROUPS ?=
MUTATE_JOBS ?= 1
mutate: install-test
	@$(BIN)/python -c "import mutmut" 2>/dev/null || $(BIN)/pip install --quiet --disable-pip-version-check -e '.[test,mutation]'
	MUTATE_JOBS=$(MUTATE_JOBS) $(BIN)/python tests/mutation/run.py $(MUTATE_GROUPS)

## make cluster: the production shape on this machine (deploy/cluster.py): two gunicorn servers
## (:8201, :8202) behind HAProxy on http://127.0.0.1:8200/ (statistics on :8299), sharing a
## throwaway PostgreSQL database and Redis database 2; Ctrl-C stops it all and drops the database.
## make cluster-load: the load test on that shape with one server SIGKILLed mid-run, then the
## acknowledged-vs-stored comparison (tests/load/README.md). Neither is part of `make test`.
.PHONY: cluster cluster-load
CLUSTER_ARGS ?= --users 100 --accounts 100 --spawn-rate 1 --time 60 --wait 1,2 --htmx --max-steps 10 --kill-server-at 30
cluster: install
	$(BIN)/python deploy/cluster.py

cluster-load: install-test
	@$(BIN)/python -c "import locust" 2>/dev/null || $(BIN)/pip install --quiet --disable-pip-version-check locust
	$(BIN)/python tests/load/run.py --cluster $(CLUSTER_ARGS)
