# Jiandu — two commands on a fresh machine:
#   make demo   venv + SQLite + demo data + server on http://127.0.0.1:8000 (as in
#               production: DEBUG off, gunicorn, static files by WhiteNoise)
#   make test   lint, type checks, Django checks, the test suite
#   make dev    the same data, served by Django's debug server (reloads on changes)
# Another address or port: make demo HOST=0.0.0.0 PORT=8001
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
UV_VERSION := 0.13.9
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: install check-port demo-data demo dev test lint typecheck check pytest test-postgres test-spark browser-deps test-browser bench clean

$(BIN)/.installed: pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"
	$(BIN)/uv pip sync --quiet --python $(BIN)/python requirements.lock
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e .
	touch $@

install: $(BIN)/.installed

# A taken port is reported before anything is built.
check-port:
	@$(PYTHON) -c 'import socket, sys; s = socket.socket(); taken = s.connect_ex(("$(HOST)", $(PORT))) == 0; sys.exit("端口 $(PORT) 已被占用（$(HOST):$(PORT)）。请先停止占用它的程序，或换一个端口，例如：make $(MAKECMDGOALS) PORT=8001" if taken else 0)'

demo-data: install
	$(BIN)/jiandu migrate --noinput
	$(BIN)/jiandu roles sync
	$(BIN)/jiandu demo --keep

# Served as in production (DEBUG off, Chinese error pages, one log line per request);
# JIANDU_ALLOWED_HOSTS lists the names the browser may use (add the address when
# serving on HOST=0.0.0.0).
demo: check-port demo-data
	JIANDU_DEBUG=0 $(BIN)/jiandu collectstatic --noinput --verbosity 0
	@echo "监督平台已启动：http://$(HOST):$(PORT)/  (Ctrl+C 停止)"
	JIANDU_DEBUG=0 JIANDU_ALLOWED_HOSTS="$${JIANDU_ALLOWED_HOSTS:-127.0.0.1,localhost,$(HOST)}" \
		$(BIN)/gunicorn jiandu.wsgi --bind $(HOST):$(PORT) --workers 1 --threads 4 \
		--access-logfile - --access-logformat '%(t)s "%(r)s" %(s)s %(b)s'

# For developers: DEBUG on, Django's server reloading on every change.
dev: check-port demo-data
	$(BIN)/jiandu runserver $(HOST):$(PORT)

lint: install
	$(BIN)/ruff check src tests bench conftest.py
	$(BIN)/ruff format --check src tests bench conftest.py

typecheck: install
	$(BIN)/mypy src/jiandu/*/services.py src/jiandu/*/selectors.py src/jiandu/core src/jiandu/demo

check: install
	$(BIN)/jiandu check
	$(BIN)/jiandu makemigrations --check --dry-run

# The Spark runs of the comparison rules have their own target (CI runs it).
pytest: install
	$(BIN)/python -m pytest -q -m "not browser and not spark" -n 2 --dist loadfile $(PYTEST_ARGS)

test: lint typecheck check pytest

# The suite again on PostgreSQL (DATABASE_URL, default: local server, trust auth).
# The full-scale demo build (marked slow) runs on SQLite only, to keep CI short.
test-postgres: install
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/jiandu} \
		$(BIN)/python -m pytest -q -m "not browser and not spark and not slow" -n 2 --dist loadfile $(PYTEST_ARGS)

# The comparison rules' tests again on a local Spark session (needs Java 17+).
test-spark: install
	$(BIN)/python -m pytest -q -m spark src/jiandu/datacheck $(PYTEST_ARGS)

browser-deps:
	@command -v chromium >/dev/null 2>&1 || { \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk; }

test-browser: install browser-deps
	$(BIN)/python -m pytest -q -m browser tests/browser

bench: install
	$(BIN)/python bench/clue_list_bench.py

clean:
	rm -rf $(VENV) var
