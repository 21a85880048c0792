# onewindow — the two commands are `make demo` and `make test` (see README.md).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test setup lint bench clean

demo: setup ## set up, migrate, seed the demo zone and serve it on http://127.0.0.1:8000
	$(BIN)/onewindow demo

test: setup ## set up and run the whole suite on SQLite, then on PostgreSQL
	scripts/run-tests

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "onewindow needs Python 3.11 or newer"'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

lint: setup
	$(BIN)/ruff check .

bench: setup
	$(BIN)/python bench/workdays.py
	$(BIN)/python bench/catalog_import.py

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
