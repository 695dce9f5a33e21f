# Detsad — the two commands people use: `make run` and `make test`.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
UV := $(VENV)/bin/uv
export UV_PROJECT_ENVIRONMENT := $(VENV)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test test-unit test-browser screenshots lint format setup system migrate demo bench bench-load clean

## Find a Python >= 3.12 (pyenv, python3.13, python3.12, python3) and build .venv from uv.lock.
$(VENV)/.installed: pyproject.toml uv.lock
	@./scripts/bootstrap.sh
	@touch $@

setup: $(VENV)/.installed

system:
	@./scripts/setup-system.sh

migrate: setup
	@$(PY) manage.py migrate --noinput -v 0

demo: migrate
	@$(PY) manage.py demo_district --if-empty

## The web server and the background task worker (fee runs) together; Ctrl+C stops both.
run: demo
	@$(PY) manage.py demo_accounts
	@echo "Детсад: http://$(HOST):$(PORT)/"
	@$(PY) manage.py db_worker --interval 1 -v 0 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	DEBUG=$${DEBUG:-false} $(PY) manage.py runserver $(HOST):$(PORT)

test: setup system
	@$(PY) manage.py collectstatic --noinput -v 0 --settings=detsad.settings.test
	$(PY) -m pytest -m "not browser" -q -p no:randomly $(PYTEST_ARGS)
	$(PY) -m pytest -m browser -q $(PYTEST_ARGS)

test-unit: setup
	$(PY) -m pytest -m "not browser" -q $(PYTEST_ARGS)

test-browser: setup system
	$(PY) -m pytest -m browser -q $(PYTEST_ARGS)

## Re-take the guides' screenshots (docs/img/) with the browser tests.
screenshots: setup system
	DOCS_SCREENSHOTS=1 $(PY) -m pytest -m browser -q -p no:randomly $(PYTEST_ARGS)

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run -v 0

format: setup
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

## Benchmarks use their own fresh database (var/bench/*.sqlite3, or <db>_bench_<scale> on the
## PostgreSQL server of DATABASE_URL), never the working one. See docs/performance.md.
bench: setup
	$(PY) -m bench.run $(BENCH_ARGS)

bench-load: setup
	$(PY) -m bench.load $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var/
