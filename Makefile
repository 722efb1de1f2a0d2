# The two commands of the README: `make demo` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip --disable-pip-version-check -q
PORT ?= 8000

.PHONY: demo test install install-dev lint typecheck migrations-check pytest test-postgres messages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(PIP) install -e .
	@touch $@

$(VENV)/.installed-dev: $(VENV)/.installed pyproject.toml
	$(PIP) install -e ".[dev]"
	@touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

demo: install
	$(BIN)/secretariat migrate --noinput -v0
	$(BIN)/secretariat loaddemo
	@echo "Open http://127.0.0.1:$(PORT)/ and log in with one of the logins above."
	PORT=$(PORT) $(BIN)/secretariat serve

lint: install-dev
	$(BIN)/ruff check secretariat tests benchmarks tools
	$(BIN)/ruff format --check secretariat tests benchmarks tools

typecheck: install-dev
	$(BIN)/mypy secretariat

migrations-check: install-dev
	DATABASE_URL= $(BIN)/secretariat makemigrations --check --dry-run -v0

pytest: install-dev
	STATIC_MANIFEST=0 $(BIN)/pytest -q -p no:cacheprovider $(PYTEST_ARGS)

test: lint typecheck migrations-check pytest

# The suite again on PostgreSQL (used by .ci/run).
test-postgres: install-dev
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/secretariat} STATIC_MANIFEST=0 \
		$(BIN)/pytest -q -p no:cacheprovider $(PYTEST_ARGS)

messages: install-dev
	cd secretariat && ../$(BIN)/django-admin makemessages -l fr -l de -l nl -l en --no-obsolete
	cd secretariat && ../$(BIN)/django-admin compilemessages

clean:
	rm -rf $(VENV) var build *.egg-info
