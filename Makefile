# wirewatch: `make demo` and `make test` work on a fresh clone with only Python >= 3.11, make and pip.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DB ?= wirewatch.db
SAMPLE := wirewatch/data/sample_wire.txt

.PHONY: demo test test-slow eval audit bench install dev clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	# the setuptools that `venv` seeds (65.5 on Python 3.11) has published advisories; nothing here needs
	# that old one, so take the current release
	$(BIN)/python -m pip install --quiet --upgrade 'setuptools>=78.1.1'

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

audit: dev
	$(BIN)/python scripts/audit_deps.py --allow-file scripts/audit-allow.txt --json dependency-audit.json

eval: dev
	$(BIN)/python -m pytest -q -m eval -p no:cacheprovider

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache wirewatch.db wirewatch.db-wal wirewatch.db-shm wirewatch-report.html dependency-audit.json
