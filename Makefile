# Two commands for a fresh machine: `make demo` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
DISCOURSE_SHARED ?= ../shared
export DISCOURSE_SHARED
STAMP := $(VENV)/.installed

.PHONY: demo test lint acceptance bench clean venv tools

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

# BERTopic's light install: --no-deps skips sentence-transformers (and so a
# multi-GB CUDA torch); its light dependencies come in through the [topics] extra.
$(STAMP): pyproject.toml Makefile | $(BIN)/python
	$(BIN)/pip install -q -e '.[topics,test,plots,parquet,dask]'
	$(BIN)/pip install -q --no-deps 'bertopic>=0.16,<0.18'
	touch $(STAMP)

venv: $(STAMP)

demo: $(STAMP)
	rm -f demo.db demo.db-wal demo.db-shm
	$(BIN)/discourse ingest corpora/demo/government corpora/demo/lay --manifest corpora/demo/MANIFEST.csv --db demo.db
	$(BIN)/discourse stats --db demo.db --format table
	$(BIN)/discourse report prominence --by source_type --period all --db demo.db --format table
	$(BIN)/discourse kwic co-production --db demo.db --limit 8 --window 6 --format table

# Lint, format, types and the one-way import contract (ARCHITECTURE.md), then the tests.
lint: $(STAMP)
	$(BIN)/ruff check discourse
	$(BIN)/ruff format --check discourse tests benchmarks acceptance
	$(BIN)/mypy
	$(BIN)/lint-imports

# The tests run on both cores (pytest-xdist); TEST_JOBS=1 runs them in one process.
TEST_JOBS ?= 2
test: lint tools
	$(BIN)/python -m pytest -q -n $(TEST_JOBS) --durations=10

# Independent references for the acceptance checks (CI runs as root).
tools:
	@command -v pdftotext >/dev/null && command -v rg >/dev/null && command -v chromium >/dev/null || \
	  (apt-get update -qq && apt-get install -y -qq poppler-utils ripgrep chromium >/dev/null)

acceptance: $(STAMP) tools
	$(BIN)/python -m pytest -q -s -p no:cacheprovider acceptance

bench: $(STAMP) tools
	$(BIN)/python benchmarks/ingest.py
	$(BIN)/python benchmarks/match.py
	$(BIN)/python benchmarks/senses.py
	$(BIN)/python benchmarks/index.py --all-tables --out benchmarks/index-results.json
	$(BIN)/python benchmarks/dask.py --workers 2

clean:
	rm -rf $(VENV) *.db *.db-wal *.db-shm
