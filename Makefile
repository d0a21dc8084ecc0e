# Two commands do all the set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
MANAGE := $(BIN)/python manage.py
# The embedded default: SQLite, eager tasks, console e-mail, debug on (local use only). The
# secret key is generated once into .secret_key (git-ignored), which cron commands and a
# server started by hand read too.
RUN_ENV := DEBUG=$${DEBUG:-1}

.PHONY: help setup run test quality bench messages makemessages clean

help:
	@echo "make run      - install, migrate, load the demo territory, serve on http://127.0.0.1:8000"
	@echo "make test     - run the test suite (SQLite, eager tasks; browser tests need /usr/bin/chromium)"
	@echo "make quality  - ruff, djlint, import contracts, missing migrations"
	@echo "make bench    - benchmarks on PostgreSQL with 200,000 actors (see docs/benchmarks.md)"

$(STAMP): requirements.txt requirements-dev.txt
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

# The catalogues are compiled at set-up; `make makemessages` refreshes them from the code.
messages: $(STAMP)
	$(RUN_ENV) $(MANAGE) compilemessages --ignore=.venv --verbosity 0

makemessages: $(STAMP)
	$(RUN_ENV) $(MANAGE) makemessages -l en -l fr --no-obsolete --ignore=.venv \
		--ignore=staticfiles --ignore=var --ignore=tests --ignore=scripts --verbosity 0

setup: $(STAMP) messages
	$(RUN_ENV) $(MANAGE) migrate --noinput
	# With the manifest of hashed names, so the same files serve with DEBUG on or off.
	$(RUN_ENV) $(MANAGE) collectstatic --noinput --verbosity 0
	# The directory's demo, then the admission and catalogue demos (cooperation's seed_demo).
	$(RUN_ENV) $(MANAGE) seed_demo

run: setup
	$(RUN_ENV) $(MANAGE) runserver 127.0.0.1:8000

test: $(STAMP) messages
	$(BIN)/pytest $(PYTEST_ARGS)

quality: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djlint templates --lint
	$(BIN)/lint-imports
	DJANGO_SETTINGS_MODULE=ess_platform.settings_test $(MANAGE) makemigrations --check --dry-run

bench: $(STAMP) messages
	bash scripts/bench.sh

clean:
	rm -rf $(VENV) staticfiles var
