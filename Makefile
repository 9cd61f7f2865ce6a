# The two commands README gives, `make run` and `make test`, do all the set-up.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | cksum | cut -d' ' -f1)

export PATH := $(CURDIR)/$(BIN):$(PATH)
export PYTHONPATH := $(CURDIR)

.PHONY: run test lint format broker clean migration bench-directory

$(STAMP): requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' || \
		{ echo "Python 3.11 is needed (found $(PYTHON))."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.lock
	rm -f $(VENV)/.installed-*
	touch $@

broker: $(STAMP)
	$(BIN)/python scripts/ensure_broker.py

run: broker
	@mkdir -p var
	@echo "Starting the platform: http://127.0.0.1:8000  (Ctrl-C stops it)"
	$(BIN)/honcho -f deploy/Procfile start

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

test: broker lint
	$(BIN)/python scripts/ensure_broker.py --management
	$(BIN)/pytest $(PYTEST_ARGS)

# Not part of `make test`: fills 100,000 listings on each database (minutes).
bench-directory: $(STAMP)
	$(BIN)/python scripts/bench_directory.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var

migration: $(STAMP)
	$(BIN)/python scripts/new_migration.py $(SERVICE) "$(MSG)"
	$(BIN)/ruff format services/$(SERVICE)/migrations
