# reportqa: `make serve` and `make test` are all a fresh machine needs.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
INDEX_DIR ?= $(or $(REPORTQA_INDEX_DIR),var/index)
CORPUS_DIR ?= $(or $(REPORTQA_CORPUS_DIR),corpus)
PYTEST_ARGS ?=

.PHONY: setup index serve test test-fast lint bench soak clean

setup: $(STAMP)

# Re-install whenever the project's dependencies change. torch is pinned in
# pyproject.toml to the CPU wheel that lies on these machines.
$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "reportqa needs Python 3.11")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

index: setup
	$(BIN)/reportqa ingest $(CORPUS_DIR) --index $(INDEX_DIR)

serve: index
	$(BIN)/reportqa serve --index $(INDEX_DIR)

# Lint first (seconds), then every test: the fast tier and the slow tier with the real
# bundled model, real servers and a real browser.
test: setup
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/python -m pytest $(PYTEST_ARGS)

test-fast: setup
	$(BIN)/python -m pytest -m "not slow" $(PYTEST_ARGS)

# Speed and memory figures (bench/results/latest.md, shown in the README); see bench/run.py.
BENCH_ARGS ?=
bench: setup
	$(BIN)/python -m bench.run $(BENCH_ARGS)

# 32 concurrent clients against a real server on 127.0.0.1 while re-ingests swap the
# index; fails on any failed request. SOAK_ARGS="--seconds 10 --embedder hashing" is quick.
SOAK_ARGS ?=
soak: setup
	$(BIN)/python scripts/soak.py $(SOAK_ARGS)

lint: setup
	$(BIN)/ruff check .
	$(BIN)/mypy

clean:
	rm -rf $(VENV) var build *.egg-info
