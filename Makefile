# Two commands for a fresh machine: `make run` and `make test` (see README).
VENV    ?= .venv
PYTHON  ?= python3
PY       = $(VENV)/bin/python
FLASK    = $(VENV)/bin/flask --app kiosk
PG_TEST_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/kiosk_test
# Tests run in parallel, one worker per CPU (pytest-xdist); PYTEST_ARGS="-n 0" runs them in one process.
PYTEST_ARGS ?= -n auto

# The shifted run: the clock moved 400 days ahead, to 23:50 in Shanghai (it ticks across midnight).
CLOCK_AT ?= $(shell date -u -d '+400 days' +%Y-%m-%d)T23:50:00+08:00

.PHONY: install run test test-pg test-shifted lint bench bench-quick browser-deps translations screenshots clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q -e '.[test,prod]'
	touch $@

install: $(VENV)/.installed
	$(FLASK) translations compile

## Install, migrate, seed the demo on first run, print enrollment links for a demo tablet and
## kiosk, serve on http://$(HOST):$(PORT) (make run PORT=5001 for another port)
HOST ?= 127.0.0.1
PORT ?= 5000
run: install
	$(FLASK) init-db
	$(FLASK) seed-demo
	@$(FLASK) enroll-device --kind tablet --name "演示巡检平板 Demo patrol tablet" --base-url http://$(HOST):$(PORT)
	@$(FLASK) enroll-device --kind kiosk --name "演示大堂终端 Demo lobby kiosk" --base-url http://$(HOST):$(PORT)
	$(FLASK) run --host $(HOST) --port $(PORT)

## Debian's Chromium and CJK fonts for the browser tests (needs root; skipped otherwise)
browser-deps:
	@if command -v chromium >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; \
	else echo "NOTE: chromium is not installed and cannot be installed here (not root): browser tests will be skipped"; fi

## Every test on SQLite (browser tests included)
test: install browser-deps
	$(PY) -m pytest $(PYTEST_ARGS)

## Every test again on PostgreSQL ($(PG_TEST_URL))
test-pg: install browser-deps
	KIOSK_TEST_DATABASE_URL=$(PG_TEST_URL) $(PY) -m pytest $(PYTEST_ARGS)

## Lint, format check and the architecture's import contracts (docs/ARCHITECTURE.md)
lint: install
	$(VENV)/bin/ruff check kiosk tests
	$(VENV)/bin/ruff format --check kiosk tests
	$(VENV)/bin/lint-imports

## Benchmarks (bench/run.py): the app beside a bare-Flask baseline under wrk, SQLite then PostgreSQL
bench: install browser-deps
	@command -v wrk >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null)
	$(PY) -m bench.run --db sqlite --db postgresql

## A short run that keeps the harness working (CI): small data, no speed assertion
bench-quick: install
	@command -v wrk >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null)
	$(PY) -m bench.run --db sqlite --db postgresql --quick --visits 3000 --rooms 300 --patrols 300 --intake 2000 --orders 1000 --looks 1000 --depth 1000 --small-visits 1000 --duration 1 --rounds 1 --no-browser

## The non-browser tests again under a moved clock (tests/conftest.py: KIOSK_TEST_CLOCK_AT)
test-shifted: install
	@echo "== shifted clock: the non-browser suite with the clock moved to $(CLOCK_AT)"
	KIOSK_TEST_CLOCK_AT=$(CLOCK_AT) $(PY) -m pytest $(PYTEST_ARGS) --ignore=tests/browser

translations: install
	$(FLASK) translations missing

clean:
	rm -rf $(VENV) .pytest_cache test-artifacts
