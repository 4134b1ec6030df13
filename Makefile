# SellerDesk — `make help` lists the targets.
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
export UV_PYTHON_DOWNLOADS := never
PORT ?= 8000
HOST ?= 127.0.0.1
# PostgreSQL leg of `make test`: used when reachable; under CI=true an unreachable one fails.
DATABASE_URL_POSTGRES ?= postgres://postgres@127.0.0.1:5432/test

.PHONY: help install run worker demo test test-sqlite test-postgres lint fmt bench bench-quick browsers screenshots clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check uv==0.13.8

$(VENV)/.installed: $(BIN)/python requirements.lock pyproject.toml
	$(BIN)/uv pip install --python $(BIN)/python -q -r requirements.lock
	$(BIN)/uv pip install --python $(BIN)/python -q --no-deps -e .
	@touch $@

install: $(VENV)/.installed ## create .venv and install the locked dependencies

run: install ## migrate the SQLite database under var/, load demo data, start web + worker (Ctrl-C stops both)
	@mkdir -p var
	$(BIN)/sellerdesk migrate --noinput -v 0
	$(BIN)/sellerdesk demo --if-empty
	$(BIN)/sellerdesk serve --with-worker --host $(HOST) --port $(PORT)

worker: install ## run a background worker alone (outbox jobs, retries, periodic jobs); SIGTERM stops it
	$(BIN)/sellerdesk worker

test: ## the whole suite: SQLite and PostgreSQL at once (says first what is missing: Python 3.11+, venv, Chromium, PostgreSQL)
	@PY="$(PY)" scripts/preflight.sh
	@$(MAKE) --no-print-directory install
	@scripts/test.sh

test-sqlite: install ## the suite on SQLite only
	@DATABASE_URL=sqlite:///var/test.sqlite3 $(BIN)/pytest -q

screenshots: install ## refresh docs/screenshots (home, orders list, order page at 1440 and 390 px)
	@mkdir -p var
	SELLERDESK_SCREENSHOTS=$(CURDIR)/docs/screenshots DJANGO_ALLOW_ASYNC_UNSAFE=true \
		DATABASE_URL=sqlite:///var/screenshots.sqlite3 $(BIN)/pytest -q -p no:cacheprovider tests/browser/test_screenshots.py

lint: install ## ruff + mypy
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

fmt: install ## format the code
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

browsers: ## install Debian's Chromium for the browser tests (needs root or sudo)
	@scripts/install-chromium.sh

bench: install ## the benchmark of the performance targets in docs/requirements.md (1,000,000 orders) on DATABASE_URL, else var/bench.sqlite3
	@mkdir -p var
	DATABASE_URL=$${DATABASE_URL:-sqlite:///var/bench.sqlite3} $(BIN)/sellerdesk bench

bench-quick: install ## a small benchmark (20,000 orders) on DATABASE_URL, else var/bench-quick.sqlite3
	@mkdir -p var
	DATABASE_URL=$${DATABASE_URL:-sqlite:///var/bench-quick.sqlite3} $(BIN)/sellerdesk bench --orders 20000 --customers 5000 --requests 100 --place 400

clean: ## remove the virtualenv and local data
	rm -rf $(VENV) var
