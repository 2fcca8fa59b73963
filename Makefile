# The two commands: `make demo` and `make test`. Both create .venv on first use.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-newskg

.PHONY: demo test lint system-deps bench docs clean eval-realnews

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

# Debian's chromium and raptor2-utils: installed when missing and run as root, else one
# message naming the apt-get command (.ci/system-deps).
system-deps:
	@sh .ci/system-deps

test: system-deps lint
	$(PY) -m pytest

bench: $(STAMP)
	$(PY) bench/run.py

# Regenerate the example outputs in docs/SPARQL.md (builds the demo graph in a temp dir).
docs: $(STAMP)
	$(PY) docs/sparql_examples.py

# The real-news development set: restore it first into .realnews
# (../shared/data/realnews/README.md); its texts are third-party and never committed.
eval-realnews: $(STAMP)
	$(VENV)/bin/kg eval --gold .realnews/gold.jsonl .realnews/articles
	$(VENV)/bin/kg extract .realnews/articles .realnews/tricky_sources -o .realnews/tricky-pred.jsonl
	$(VENV)/bin/kg eval --gold .realnews/tricky.jsonl .realnews/tricky-pred.jsonl

clean:
	rm -rf out $(VENV) .mypy_cache .ruff_cache .pytest_cache
