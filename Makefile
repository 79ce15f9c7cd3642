# Leadflow: `make run` starts everything on embedded defaults; `make test` runs the tests.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
ADDR ?= 127.0.0.1:8000

.PHONY: run test browsers lint format migrate clean messages docs-screenshots

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $@

## Start the web server, the Celery worker and beat together (Ctrl-C stops all three).
run: $(VENV)/.installed
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	@echo ""
	@echo "  Leadflow is starting at http://$(ADDR)/  (Ctrl-C stops the web server, worker and beat)"
	@echo ""
	@trap 'trap - INT TERM EXIT; kill 0' INT TERM EXIT; \
	$(VENV)/bin/celery -A leadflow worker -P solo --loglevel=INFO & \
	$(VENV)/bin/celery -A leadflow beat --loglevel=INFO & \
	$(PY) manage.py runserver $(ADDR)

## Run the whole test suite against real services: DATABASE_URL and REDIS_URL when set,
## else this machine's PostgreSQL and Redis; browser tests use Debian's Chromium.
test: $(VENV)/.installed browsers
	DATABASE_URL="$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/leadflow}" \
	REDIS_URL="$${REDIS_URL:-redis://127.0.0.1:6379/0}" \
	$(PY) -m pytest -n 2 $(PYTEST_ARGS)

## Debian's Chromium for the browser tests (Playwright never downloads a browser here).
browsers:
	@[ -x /usr/bin/chromium ] || { apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.installed
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

migrate: $(VENV)/.installed
	$(PY) manage.py migrate --noinput

clean:
	rm -rf $(VENV) var staticfiles .pytest_cache

## After changing user-facing text: refresh the Spanish catalogue, translate the new
## entries in locale/es/LC_MESSAGES/django.po, then run this again to compile the .mo
## (both files are committed; a test fails while they disagree).
messages: $(VENV)/.installed
	$(PY) manage.py makemessages -l es --no-location --no-obsolete \
	  --ignore=.venv --ignore=tests --ignore=bench --ignore=test-artifacts
	$(PY) manage.py compilemessages -l es --ignore=.venv

## The user guide's screenshots (docs/screenshots/), taken by the browser tests.
docs-screenshots: $(VENV)/.installed browsers
	DOCS_SCREENSHOTS=1 DATABASE_URL="$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/leadflow}" \
	REDIS_URL="$${REDIS_URL:-redis://127.0.0.1:6379/0}" $(PY) -m pytest tests/browser -p no:randomly
