# Two commands for a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run demo test lint typecheck contracts install clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "smartbrief needs Python 3.11 or newer"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

## Install, apply migrations and start the bot (reads BOT_TOKEN from the environment or .env).
run: $(STAMP)
	$(BIN)/python -m bot

## Try it without Telegram: the real bot, a built-in Bot API and a web chat on http://127.0.0.1:8080.
## Options go in ARGS, e.g. `make demo ARGS="--port 8081 --language en"`.
ARGS ?=
demo: $(STAMP)
	$(BIN)/python -m bot.sandbox $(ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy bot ui handlers dialogs testkit

## The import contracts in pyproject.toml (the layers, pure domain, no UI module imports another).
contracts: $(STAMP)
	$(BIN)/lint-imports

## Lint, type-check, check the import contracts and run every test.
test: lint typecheck contracts
	$(BIN)/pytest

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
