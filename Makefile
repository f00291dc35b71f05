# One command runs everything, one runs the tests. See README.md.
#   make all                       set up .venv, then run the whole pipeline
#   make all RAW_MIRROR=/path      take raw files from a local mirror instead of the publishers
#   make all RAW_BUNDLE_URL=u RAW_BUNDLE_SHA256=h   take them from a pinned raw-data bundle
#   make bundle                    pack the raw files of the last run: results/bundle/raw-bundle.tar.gz
#   make test                      set up .venv, then run the test suite (on every core: pytest-xdist)
#   make lint                      ruff check and snakemake --lint (CI runs it before the tests)
#   make format                    ruff format the Python tree (not run by CI or lint)
#   make verify                    rerun everything into a scratch directory, compare result hashes
#   make benchmark                 time the pipeline and the main model (results/benchmark/)
#   make report-html               self-contained Snakemake report: results/snakemake_report.html
#   make live-check                one small request per publisher: OK or the publisher's error
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
CORES ?= all
# The offline mirror: RAW_MIRROR if given, else ../shared/raw-snapshots when it exists, else
# none (download live from the publishers). Make splits words at spaces (so no $(abspath) on a
# user's path): the shell makes it absolute, quoted, when a recipe runs.
RAW_MIRROR ?= $(if $(wildcard ../shared/raw-snapshots/README.md),$(CURDIR)/../shared/raw-snapshots,)
MIRROR_ABS := "$$(realpath -m -- "$(RAW_MIRROR)")"
# A pinned raw-data bundle instead (make bundle writes one): RAW_BUNDLE_URL (http(s) URL or a path)
# and RAW_BUNDLE_SHA256 together; it replaces the mirror.
ifneq ($(RAW_BUNDLE_URL),)
MIRROR_ARG := --config raw_mirror=null 'raw_bundle={url: "$(RAW_BUNDLE_URL)", sha256: "$(RAW_BUNDLE_SHA256)"}'
else
MIRROR_ARG := $(if $(RAW_MIRROR),--config raw_mirror=$(MIRROR_ABS),)
endif

.PHONY: all test lint format dryrun clean-results

all: $(VENV)/.installed
	$(BIN)/snakemake --cores $(CORES) $(MIRROR_ARG)

# pytest-xdist: one worker per core; tests/conftest.py hands out whole modules (and the end-to-end
# modules sharing one pipeline run as one unit) so module and session fixtures are built once.
# TEST_WORKERS=0 runs serially.
TEST_WORKERS ?= auto
test: $(VENV)/.installed
	$(BIN)/python -m pytest -q -n $(TEST_WORKERS) --cov=resilience --cov-branch --cov-report=term:skip-covered

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/snakemake --lint $(MIRROR_ARG)

# Rewrites files in place, so it is a separate, deliberate step (run it on a quiet tree: it touches most
# files). `ruff format --check .` shows what it would change.
format: $(VENV)/.installed
	$(BIN)/ruff format .

dryrun: $(VENV)/.installed
	$(BIN)/snakemake -n $(MIRROR_ARG)

# The Snakemake report (after `make all`, which it runs first): one self-contained HTML file with every
# figure and table flagged report(...) in workflow/rules/, its caption (workflow/report/*.rst), the rule
# graph and run times. Open it in any browser; nothing is fetched from the network.
.PHONY: report-html
report-html: all
	$(BIN)/snakemake --report results/snakemake_report.html $(MIRROR_ARG)

# Reproducibility check (after `make all`): reruns the whole pipeline from the same raw files into a
# scratch directory and checks every file listed in results/MANIFEST.sha256, the manifest the last
# complete run wrote (saved before the rerun, never rewritten by it): a file whose bytes in results/
# no longer match it was edited after the run; a file the rerun computes differently differs because
# the raw files differ, or because its rule's code or config changed, or it is not reproducible. Exit
# non-zero if any; a failing rerun is kept for inspection.
# The raw files the last run used, as one byte-reproducible archive in the mirror's layout, with its
# sha256 beside it: deposit it (for example on Zenodo) and pin URL and sha256 as raw_bundle in config.
.PHONY: bundle
bundle: $(VENV)/.installed
	$(BIN)/python -m resilience.sources.bundle --raw data/raw --out results/bundle/raw-bundle.tar.gz \
	    $(if $(RAW_MIRROR),--mirror $(MIRROR_ABS),)

.PHONY: verify
verify: $(VENV)/.installed
	@test -f results/MANIFEST.sha256 || { echo "verify: results/MANIFEST.sha256 is missing: run make all first" >&2; exit 2; }
	@scratch=$$(mktemp -d "$${TMPDIR:-/tmp}/resilience-verify.XXXXXX") && echo "verify: rerun in $$scratch" && \
	cp results/MANIFEST.sha256 "$$scratch/recorded.sha256" && \
	$(BIN)/snakemake -s "$(CURDIR)/Snakefile" --directory "$$scratch" --cores $(CORES) --quiet rules $(MIRROR_ARG) && \
	$(BIN)/python -m resilience.provenance.manifest verify "$$scratch/recorded.sha256" "$$scratch/results/MANIFEST.sha256" \
	    "$(CURDIR)" "$$scratch" && \
	rm -rf "$$scratch" || { echo "verify: FAILED; the rerun is kept in $$scratch" >&2; exit 1; }

# Benchmark (a script, not a test; see bench/benchmark.py): cold run, no-op rerun, model stage and
# peak memory from the mirror on BENCH_CORES cores, and the two-way FE model on synthetic panels of
# 10^3-10^6 unit-years (linearmodels beside pyfixest when installed: pip install -e '.[bench]').
# Writes results/benchmark/benchmark.json and benchmark.md.
BENCH_CORES ?= 2
.PHONY: benchmark
benchmark: $(VENV)/.installed
	$(BIN)/python bench/benchmark.py --cores $(BENCH_CORES) $(if $(RAW_MIRROR),--mirror $(MIRROR_ABS),) $(BENCH_ARGS)

# Whether each publisher still answers the catalog's request (needs internet; not part of `make test`):
# one small request per live dataset (one year, one partner, one record where the API allows), printing
# OK or the publisher's own error; with no network it says so and exits 0. ONLY=dataset,dataset limits
# it; COMTRADE_API_KEY in the environment checks the keyed Comtrade endpoint instead of the preview.
.PHONY: live-check
live-check: $(VENV)/.installed
	$(BIN)/python -m resilience.sources.live_check $(if $(ONLY),--only $(ONLY),)

# Where a number of the report comes from (after `make all`): the results files holding it as printed,
# the rule and config values that wrote each, and the chain of inputs back to the raw files with their
# sha256 (checked again) and URL. NUMBER=-9.33, or FILE=results/tables/x.csv, or both.
.PHONY: explain
explain: $(VENV)/.installed
	$(BIN)/python -m resilience.provenance.explain $(if $(NUMBER),--number="$(NUMBER)",) $(if $(FILE),--file "$(FILE)",)

# The environment is rebuilt only when the pinned stack or the package metadata change.
# uv installs the same lock as pip but downloads and unpacks in parallel from its cache: about 15 s cold
# and 4 s warm against pip's 2 minutes on two cores. uv comes from PyPI as a wheel with its binary
# inside, so it needs nothing pip cannot reach. The venv is made without pip (ensurepip alone costs
# 4-8 s) and uv is put into it by the interpreter's own pip (`pip --python`, pip >= 22.3), else by a pip
# bootstrapped into the venv. Where uv cannot be had or fails (an index only pip is configured for: uv
# reads UV_INDEX_URL/UV_DEFAULT_INDEX, not pip.conf), plain pip installs the same lock; USE_UV=0 forces it.
# Bytecode is compiled at install (uv does not by default; pip does): where PYTHONDONTWRITEBYTECODE is set,
# as on CI machines, nothing is ever cached otherwise, and each of the workflow's ~200 jobs recompiled
# pandas, scipy and statsmodels from source: 2-5 s a job, about 40 % of a run's time. Compiling costs
# about 20 s once.
UV_VERSION := 0.13.9
USE_UV ?= 1
PIP := $(BIN)/python -m pip --disable-pip-version-check
UV_PIP := $(BIN)/uv pip install --quiet --python $(BIN)/python
$(VENV)/.installed: requirements.lock pyproject.toml
	test -x $(BIN)/python || "$(PYTHON)" -m venv --without-pip $(VENV)
	if [ "$(USE_UV)" != 0 ] && { "$(PYTHON)" -m pip --disable-pip-version-check --python $(BIN)/python install --quiet "uv==$(UV_VERSION)" || \
	     { $(BIN)/python -m ensurepip --default-pip >/dev/null && $(PIP) install --quiet "uv==$(UV_VERSION)"; }; } && \
	   $(UV_PIP) --compile-bytecode -r requirements.lock && $(UV_PIP) --no-deps -e . ; then :; else \
	   echo "installing with pip (uv not used)"; \
	   { $(PIP) --version >/dev/null 2>&1 || $(BIN)/python -m ensurepip --default-pip >/dev/null; } && \
	   $(PIP) install --quiet -r requirements.lock && $(PIP) install --quiet --no-deps -e . ; fi
	touch $@

clean-results:
	rm -rf results/tables results/figures results/models results/sections results/report.md results/report.html \
	       results/MANIFEST.sha256 results/REPLICATION.md results/snakemake_report.html \
	       data/interim/*.parquet data/interim/*.csv data/processed/*.parquet
