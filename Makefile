# The two commands of the README: `make demo` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip --disable-pip-version-check -q
PORT ?= 8000
# Tests run in parallel (pytest-xdist) and in random order (pytest-randomly prints its seed;
# `make pytest PYTEST_ARGS=--randomly-seed=N` repeats an order).
PYTEST := STATIC_MANIFEST=0 $(BIN)/pytest -q -p no:cacheprovider -n auto
# A moment that crosses a year end in the organisations' time zones (UTC is still in 2027) and
# whose next two months hold 29 February.
MOVED_CLOCK ?= 2027-12-31T23:30:00+00:00

.PHONY: demo test install install-dev lock lint typecheck migrations-check pytest test-moved-clock test-postgres messages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Every dependency comes from a lock file with its hashes (pip refuses a file whose hash
# differs), pip and the build tools included (requirements/build.lock); the project itself is
# then built with those tools, without fetching or resolving anything more.
$(VENV)/.installed: $(BIN)/python pyproject.toml requirements/build.lock requirements/main.lock
	$(PIP) install --require-hashes -r requirements/build.lock
	$(PIP) install --require-hashes -r requirements/main.lock
	$(PIP) install --no-deps --no-build-isolation -e .
	@touch $@

$(VENV)/.installed-dev: $(VENV)/.installed pyproject.toml requirements/dev.lock
	$(PIP) install --require-hashes -r requirements/dev.lock
	$(PIP) install --no-deps --no-build-isolation -e ".[dev]"
	@touch $@

# After changing a pin in pyproject.toml: the lock files again, with every file's hash.
lock: install-dev
	$(BIN)/uv pip compile requirements/build.in --generate-hashes --universal --python-version 3.11 -q -o requirements/build.lock
	$(BIN)/uv pip compile pyproject.toml --generate-hashes --universal --python-version 3.11 -q -o requirements/main.lock
	$(BIN)/uv pip compile pyproject.toml --extra dev --generate-hashes --universal --python-version 3.11 -q -o requirements/dev.lock

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

demo: install
	$(BIN)/secretariat migrate --noinput -v0
	$(BIN)/secretariat loaddemo
	@echo "Open http://127.0.0.1:$(PORT)/ and log in with one of the logins above."
	PORT=$(PORT) $(BIN)/secretariat serve

# Ruff, and the layers of docs/architecture.md (import-linter's contracts in pyproject.toml).
lint: install-dev
	$(BIN)/ruff check secretariat tests benchmarks tools
	$(BIN)/ruff format --check secretariat tests benchmarks tools
	$(BIN)/lint-imports --no-cache

typecheck: install-dev
	$(BIN)/mypy secretariat

migrations-check: install-dev
	DATABASE_URL= $(BIN)/secretariat makemigrations --check --dry-run -v0

pytest: install-dev
	$(PYTEST) $(PYTEST_ARGS)

# The suite on SQLite with the clock moved (used by .ci/run): a test that trusts today's
# calendar fails here rather than on main some months later.
# The attacker's tests (tests/security) do not depend on the calendar and are left out there.
test-moved-clock: install-dev
	SECRETARIAT_TEST_CLOCK=$(MOVED_CLOCK) $(PYTEST) -m "not hostile" $(PYTEST_ARGS)

test: lint typecheck migrations-check pytest

# The suite again on PostgreSQL (used by .ci/run).
test-postgres: install-dev
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/secretariat} $(PYTEST) $(PYTEST_ARGS)

messages: install-dev
	cd secretariat && ../$(BIN)/django-admin makemessages -l fr -l de -l nl -l en --no-obsolete
	cd secretariat && ../$(BIN)/django-admin compilemessages

clean:
	rm -rf $(VENV) var build *.egg-info
