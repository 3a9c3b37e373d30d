# Jiandu — two commands on a fresh machine:
#   make demo   venv + SQLite + demo data + server on http://127.0.0.1:8000
#   make test   lint, type checks, Django checks, the test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
UV_VERSION := 0.13.9
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: install demo test lint typecheck check pytest test-postgres test-spark browser-deps test-browser bench clean test-fuzz

$(BIN)/.installed: pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"
	$(BIN)/uv pip sync --quiet --python $(BIN)/python requirements.lock
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e .
	touch $@

install: $(BIN)/.installed

demo: install
	$(BIN)/jiandu migrate --noinput
	$(BIN)/jiandu roles sync
	$(BIN)/jiandu demo --keep
	@echo "监督平台已启动：http://$(HOST):$(PORT)/  (Ctrl+C 停止)"
	$(BIN)/jiandu runserver $(HOST):$(PORT) --noreload

lint: install
	$(BIN)/ruff check src tests bench conftest.py
	$(BIN)/ruff format --check src tests bench conftest.py

typecheck: install
	$(BIN)/mypy src/jiandu/*/services.py src/jiandu/*/selectors.py src/jiandu/core

check: install
	$(BIN)/jiandu check
	$(BIN)/jiandu makemigrations --check --dry-run

# The Spark runs of the comparison rules have their own target (CI runs it).
pytest: install
	$(BIN)/python -m pytest -q -m "not browser and not spark and not fuzz" -n 2 --dist loadfile $(PYTEST_ARGS)

test: lint typecheck check pytest

# The suite again on PostgreSQL (DATABASE_URL, default: local server, trust auth).
# The full-scale demo build (marked slow) runs on SQLite only, to keep CI short.
test-postgres: install
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/jiandu} \
		$(BIN)/python -m pytest -q -m "not browser and not spark and not slow and not fuzz" -n 2 --dist loadfile $(PYTEST_ARGS)

# The comparison rules' tests again on a local Spark session (needs Java 17+).
test-spark: install
	$(BIN)/python -m pytest -q -m spark src/jiandu/datacheck $(PYTEST_ARGS)

# The whole /api/v1/ schema fuzzed with schemathesis as two personas, bounded (about
# 3 minutes, cut at 5); any 5xx or answer that breaks the documented schema fails.
test-fuzz: install
	timeout 300 $(BIN)/python -m pytest -q -m fuzz tests/fuzz $(PYTEST_ARGS)

browser-deps:
	@command -v chromium >/dev/null 2>&1 || { \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk; }

test-browser: install browser-deps
	$(BIN)/python -m pytest -q -m browser tests/browser

bench: install
	$(BIN)/python bench/clue_list_bench.py

clean:
	rm -rf $(VENV) var
