# wirewatch: `make demo` and `make test` work on a fresh clone with only Python >= 3.11, make and pip.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DB ?= wirewatch.db
SAMPLE := wirewatch/data/sample_wire.txt

.PHONY: demo test test-slow eval bench install dev clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

dev: $(VENV)/.installed-dev

demo: install
	$(BIN)/wirewatch ingest --db $(DB) $(SAMPLE)
	$(BIN)/wirewatch summary --db $(DB)
	$(BIN)/wirewatch report --db $(DB) -o wirewatch-report.html

test: dev
	$(BIN)/python -m pytest -q

test-slow: dev
	$(BIN)/python -m pytest -q -m slow

eval: dev
	$(BIN)/python -m pytest -q -m eval -p no:cacheprovider

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache wirewatch.db wirewatch.db-wal wirewatch.db-shm wirewatch-report.html
