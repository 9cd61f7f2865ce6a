# The two commands README gives, `make run` and `make test`, do all the set-up.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | cksum | cut -d' ' -f1)

export PATH := $(CURDIR)/$(BIN):$(PATH)
export PYTHONPATH := $(CURDIR)

NODE_TOOLS := tests/node/node_modules/.installed

.PHONY: run test lint format broker clean migration translations image \
	bench-evaluation bench-directory coordinator api-key bench wrk faults \
	chromium screenshots

$(STAMP): requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' || \
		{ echo "Python 3.11 is needed (found $(PYTHON))."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.lock
	rm -f $(VENV)/.installed-*
	touch $@

$(NODE_TOOLS): tests/node/package.json tests/node/package-lock.json
	@command -v npm >/dev/null || { echo "The tests need Node.js and npm (on Debian or Ubuntu: sudo apt-get install nodejs npm)."; exit 1; }
	npm ci --prefix tests/node --no-audit --no-fund --silent
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

# The browser tests (tests/e2e/test_site_*.py) drive Debian's chromium through
# its chromedriver; no test tool downloads a browser of its own.
chromium:
	@command -v /usr/bin/chromium >/dev/null && command -v /usr/bin/chromedriver >/dev/null || { \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			echo "Installing chromium and chromium-driver ..."; \
			apt-get install -y -qq chromium chromium-driver >/dev/null || { apt-get update -qq && apt-get install -y -qq chromium chromium-driver >/dev/null; }; \
		else \
			echo "The browser tests need Chromium (on Debian or Ubuntu: sudo apt-get install chromium chromium-driver)."; exit 1; \
		fi; }

# Three pytest processes side by side (scripts/run_tests.py): the end-to-end
# tests mostly wait on the processes they start. With PYTEST_ARGS, one pytest.
test: broker lint $(NODE_TOOLS) chromium
	$(BIN)/python scripts/ensure_broker.py --management
	$(BIN)/python scripts/run_tests.py $(PYTEST_ARGS)

# The fault test at a larger size than `make test` runs it (docs/reliability.md):
# the whole platform on a RabbitMQ node of its own, restarted twice under load.
# `make faults FAULT_PEOPLE=60 FAULT_BACKEND=sqlite`; the table lands in var/faults/.
FAULT_PEOPLE ?= 150
faults: $(STAMP)
	FAULT_PEOPLE=$(FAULT_PEOPLE) $(BIN)/pytest tests/e2e/test_faults.py -s $(PYTEST_ARGS)
# Rewrites docs/screenshots/*.png from the browser tests (SQLite run only).
screenshots: broker $(NODE_TOOLS) chromium
	$(BIN)/python scripts/ensure_broker.py --management
	SCREENSHOTS=1 $(BIN)/pytest tests/e2e/test_site_*.py -k sqlite -q

# Not part of `make test`: fills 100,000 listings on each database (minutes).
bench-directory: $(STAMP)
	$(BIN)/python scripts/bench_directory.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var

translations: $(STAMP)
	$(BIN)/python scripts/translations.py

migration: $(STAMP)
	$(BIN)/python scripts/new_migration.py $(SERVICE) "$(MSG)"
	$(BIN)/ruff format services/$(SERVICE)/migrations

# Times the stories evaluation over 100,000 seeded stories on SQLite and
# PostgreSQL (not part of `make test`): `make bench-evaluation STORIES=20000`.
# 2,000 when `make bench BENCH_ARGS=--quick` runs it.
STORIES ?= $(if $(BENCH_QUICK),2000,100000)
bench-evaluation: $(STAMP)
	$(BIN)/python scripts/bench_evaluation.py --stories $(STORIES)

# The platform's container image (needs a Docker engine; docs/operations.md).
image:
	docker build -f deploy/Dockerfile -t coprod-platform:local .

# The first coordinator: `make coordinator EMAIL=someone@example.cymru` (a member).
coordinator: $(STAMP)
	$(BIN)/python -m services.membership.admin make-coordinator "$(EMAIL)"

# A partner system's key, printed once:
# `make api-key PARTNER=cyngor-caerdydd LABEL="Directory sync" SCOPES="directory:read"`.
api-key: $(STAMP)
	$(BIN)/python -m services.membership.admin make-api-key "$(PARTNER)" \
		--label "$(LABEL)" $(foreach scope,$(SCOPES),--scope $(scope))

# `make bench` measures each workload against the framework's floor in the same
# run (README.md, "Benchmarks"), then runs BENCH_TARGETS and folds every figure
# into docs/benchmarks.md. BENCH_ARGS=--quick: short, and written to
# var/bench/benchmarks.md instead, so as not to replace the full run's figures
# under words that describe them. bench-directory is not among BENCH_TARGETS:
# `python -m bench` times the directory's search in-process on the 100,000
# listings it has already filled.
BENCH_TARGETS := bench-evaluation
BENCH_IS_QUICK = $(findstring --quick,$(BENCH_ARGS))

wrk:
	@command -v wrk >/dev/null || { \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			echo "Installing wrk ..."; \
			apt-get install -y -qq wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }; \
		else \
			echo "make bench needs wrk, the HTTP load generator (on Debian or Ubuntu: sudo apt-get install wrk)."; exit 1; \
		fi; }

bench: broker wrk
	$(BIN)/python scripts/ensure_broker.py --management
	@mkdir -p var/bench
	$(BIN)/python -m bench $(BENCH_ARGS)
	@for target in $(BENCH_TARGETS); do \
		echo "make $$target"; \
		BENCH_QUICK=$(if $(BENCH_IS_QUICK),1,) \
			$(MAKE) --no-print-directory $$target BENCH_ARGS= \
			> var/bench/$$target.txt 2>&1 \
			|| echo "make $$target failed" >> var/bench/$$target.txt; \
		tail -n 5 var/bench/$$target.txt; \
	done
	$(BIN)/python -m bench.report $(if $(BENCH_IS_QUICK),var/bench var/bench/benchmarks.md,)
