# One command runs everything, one runs the tests. See README.md.
#   make all                       set up .venv, then run the whole pipeline
#   make all RAW_MIRROR=/path      take raw files from a local mirror instead of the publishers
#   make test                      set up .venv, then run the test suite
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
CORES ?= all
# The offline mirror: RAW_MIRROR if given, else ../shared/raw-snapshots when it exists, else
# none (download live from the publishers).
RAW_MIRROR ?= $(if $(wildcard ../shared/raw-snapshots/README.md),$(abspath ../shared/raw-snapshots),)
MIRROR_ARG := $(if $(RAW_MIRROR),--config raw_mirror=$(abspath $(RAW_MIRROR)),)

.PHONY: all test lint dryrun clean-results

all: $(VENV)/.installed
	$(BIN)/snakemake --cores $(CORES) $(MIRROR_ARG)

test: $(VENV)/.installed
	$(BIN)/python -m pytest -q

lint: $(VENV)/.installed
	$(BIN)/snakemake --lint $(MIRROR_ARG)

dryrun: $(VENV)/.installed
	$(BIN)/snakemake -n $(MIRROR_ARG)

# The environment is rebuilt only when the pinned stack or the package metadata change.
$(VENV)/.installed: requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

clean-results:
	rm -rf results/tables results/figures results/models results/report.md results/report.html \
	       data/interim/*.parquet data/interim/*.csv data/processed/*.parquet
