# The two commands: `make demo` and `make test`. Both create .venv on first use.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-newskg

.PHONY: demo test lint bench docs clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/kg build examples/articles --out out/demo

lint: $(STAMP)
	$(PY) -m ruff check kg tests bench
	$(PY) -m mypy

test: lint
	$(PY) -m pytest

bench: $(STAMP)
	$(PY) bench/run.py

# Regenerate the example outputs in docs/SPARQL.md (builds the demo graph in a temp dir).
docs: $(STAMP)
	$(PY) docs/sparql_examples.py

clean:
	rm -rf out $(VENV) .mypy_cache .ruff_cache .pytest_cache
