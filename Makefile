# Two commands for a fresh machine: `make run` (the app with demo data) and `make test` (the whole suite).
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
# Local use is DEBUG; production sets DJANGO_DEBUG=0 and the variables in docs/deployment.md.
export DJANGO_DEBUG ?= 1

.PHONY: run setup test lint format bench system-packages system-packages-test system-packages-bench install messages lock check-deploy security-scan restore-drill

run: setup
	@echo "Serving http://127.0.0.1:8000, with a task worker (e-mail) beside it (Ctrl-C stops both)"
	@trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT; \
	$(MANAGE) db_worker & worker=$$!; \
	$(MANAGE) runserver 127.0.0.1:8000

## setup: everything but serving; non-interactive and safe to repeat
setup: system-packages install
	$(MANAGE) migrate --no-input
	$(MANAGE) compilemessages --ignore=.venv --ignore=var -v 0
	$(MANAGE) seed_demo

## test: unit, integration and browser tests; SQLite unless DATABASE_URL is set
test: system-packages-test install
	$(MANAGE) compilemessages --ignore=.venv --ignore=var -v 0
	$(PY) -m pytest $(PYTEST_ARGS)

## lint: ruff (lint, import order, formatting) and mypy; CI runs it
lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	DJANGO_DEBUG=1 $(VENV)/bin/mypy .

## format: let ruff sort imports, fix what it can and format the tree
format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

## bench: the app under gunicorn against a scratch PostgreSQL database, measured with wrk, and first paint on a
## phone in Chromium (docs/performance.md); BENCH_ARGS=--only-first-paint for that step alone
bench: system-packages-bench install
	$(MANAGE) compilemessages --ignore=.venv --ignore=var -v 0
	$(PY) benchmarks/bench.py $(BENCH_ARGS)

system-packages:
	@bash .ci/system-packages.sh runtime

system-packages-test:
	@bash .ci/system-packages.sh test

system-packages-bench:
	@bash .ci/system-packages.sh bench

install: $(VENV)/.installed

$(VENV)/.installed: requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "Python 3.11 is needed (found " + sys.version.split()[0] + "). Install python3.11 or run: make PYTHON=/path/to/python3.11 ...")'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	touch $@

## messages: update locale/*/django.po from the source strings (then translate what is new)
messages: install
	$(MANAGE) makemessages -l nb --ignore=.venv --ignore=var --ignore=tests --no-obsolete --no-location

## lock: re-resolve requirements.lock from pyproject.toml in a throwaway environment
lock:
	rm -rf var/lockenv && $(PYTHON) -m venv var/lockenv
	var/lockenv/bin/pip install --quiet --upgrade pip
	$(PYTHON) -c 'import tomllib; p = tomllib.load(open("pyproject.toml", "rb"))["project"]; \
		print("\n".join(p["dependencies"] + p["optional-dependencies"]["dev"]))' > var/lockenv/direct.txt
	var/lockenv/bin/pip install --quiet -r var/lockenv/direct.txt
	var/lockenv/bin/pip freeze | sort -f > requirements.lock
	rm -rf var/lockenv

## check-deploy: Django's deployment checklist under production settings
check-deploy: install
	DJANGO_DEBUG=0 DJANGO_SECRET_KEY=check-deploy-$$(head -c 32 /dev/urandom | base64 | tr -dc 'A-Za-z0-9') \
	DJANGO_ALLOWED_HOSTS=krisestotte.example.org DATABASE_URL=postgres://localhost/checkdeploy \
	DJANGO_EMAIL_HOST=smtp.example.org DJANGO_DEFAULT_FROM_EMAIL=noreply@example.org \
	DJANGO_INTAKE_TREE=first-contact DJANGO_INTAKE_DUTY_TO_AVERT_ROUTINE=avvergingsplikten-fasilitatorveileder \
	DJANGO_SITE_URL=https://krisestotte.example.org \
	$(MANAGE) check --deploy --fail-level WARNING

## security-scan: bandit and pip-audit, failing on high-severity findings and known vulnerabilities (CI runs it)
security-scan: install
	bash .ci/security-scan.sh

## restore-drill: pg_dump a seeded PostgreSQL database, pg_restore it into a scratch one, check migrations, row
## counts per table and the audit trigger; prints dump size and times (CI runs it; see docs/deployment.md)
restore-drill: install
	@bash .ci/postgres-up.sh >/dev/null
	$(PY) benchmarks/restore_drill.py $(DRILL_ARGS)
