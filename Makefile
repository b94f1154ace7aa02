# Samspil: `make demo` runs the product with demo data, `make test` runs the tests.
# Both create what they need (virtual environment, database, static files) themselves.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
STAMP := $(VENV)/.installed
E2E_STAMP := $(VENV)/.installed-e2e

.PHONY: help install demo serve worker test test-postgres e2e bench lint format messages compilemessages clean

help:
	@echo "make demo            install, create the SQLite database with demo data, serve on http://$(HOST):$(PORT)"
	@echo "make worker          run the background worker (big matching plans); make demo starts one"
	@echo "make test            run the test suite (SQLite, or DATABASE_URL)"
	@echo "make test-postgres   run the test suite against PostgreSQL at 127.0.0.1:5432"
	@echo "make e2e             run the browser journeys with accessibility checks"
	@echo "make bench           benchmarks: registry (50,000 households) and matching (10,000 x 10,000)"
	@echo "make lint            ruff"
	@echo "make messages        update the .po files (needs GNU gettext) and compile them"

$(STAMP): pyproject.toml constraints.txt
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e ".[dev]"
	touch $(STAMP)

install: $(STAMP) compilemessages

compilemessages: $(STAMP)
	$(MANAGE) compile_translations

demo: install
	mkdir -p var
	$(MANAGE) migrate --noinput
	$(MANAGE) collectstatic --noinput --verbosity 0
	$(MANAGE) seed_demo
	@echo ""
	@echo "Samspil is running at http://$(HOST):$(PORT)/ with a background worker  (Ctrl+C stops both)"
	$(MANAGE) db_worker --no-startup-delay & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(MANAGE) runserver --noreload $(HOST):$(PORT)

worker: install
	$(MANAGE) db_worker

serve: install
	$(MANAGE) migrate --noinput
	$(MANAGE) runserver --noreload $(HOST):$(PORT)

test: install
	$(BIN)/pytest -n 2 -q

test-postgres: install
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/samspil} $(BIN)/pytest -n 2 -q

$(E2E_STAMP): $(STAMP)
	$(BIN)/pip install --quiet -c constraints.txt -e ".[dev,e2e]"
	@test -x /usr/bin/chromium || (echo "Installing Debian's Chromium (needs root)..." && \
		(apt-get update -q && apt-get install -y -q chromium) >/dev/null)
	touch $(E2E_STAMP)

e2e: install $(E2E_STAMP)
	$(BIN)/pytest -q -p no:xdist e2e

bench: install
	$(BIN)/python bench/run.py

lint: $(STAMP)
	$(BIN)/ruff check samspil bench e2e

format: $(STAMP)
	$(BIN)/ruff format samspil bench e2e

messages: $(STAMP)
	cd samspil && ../$(BIN)/python ../manage.py makemessages -l da -l en --no-obsolete --ignore "*/tests/*"
	$(MANAGE) compile_translations

clean:
	rm -rf $(VENV) var
