# wfkit's build. Everything lives in one virtual environment, .venv, which the
# targets below create and keep up to date on demand (scripts/ensure_venv.sh).
#
#   make lab      open the course in JupyterLab
#   make test     run the test suite
#   make bench    run the benchmarks against peer frameworks
#
# Variables: PYTHON (interpreter that creates .venv, default python3),
# PYTEST_ARGS (extra pytest arguments), LAB_ARGS (extra jupyter lab arguments,
# e.g. LAB_ARGS="--no-browser --port 8899").

SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PYTEST_ARGS ?=
LAB_ARGS ?=
export PYTHON VENV

# The lesson the course opens on; the folder when it is not written yet.
LAB_TARGET := $(if $(wildcard notebooks/00_index.ipynb),notebooks/00_index.ipynb,notebooks)

.DEFAULT_GOAL := help
.PHONY: help test lab bench clean

help:
	@echo "make lab    open the course (notebooks/) in JupyterLab, installing what it needs into $(VENV)"
	@echo "make test   install wfkit with its test extras into $(VENV) and run pytest"
	@echo "make bench  install the benchmark extras into $(VENV) and run the benchmarks in benchmarks/"
	@echo "make clean  remove $(VENV) and test caches"

# pytest exits 5 when it collects no test at all: say so, and fail.
test:
	@bash scripts/ensure_venv.sh test
	@bash scripts/ensure_system_packages.sh graphviz chromium
	@echo "==> $(VENV)/bin/python -m pytest $(PYTEST_ARGS)"
	@$(VENV)/bin/python -m pytest $(PYTEST_ARGS); status=$$?; \
	if [ $$status -eq 5 ]; then \
		echo "error: pytest collected no tests (tests/ is empty, or PYTEST_ARGS deselected them all)." >&2; \
	fi; \
	exit $$status

# Jupyter refuses to start as root unless told it may (containers often run as root).
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)

# The lab uses the same environment as the tests (the test extra holds jupyterlab),
# so what a learner runs is what the tests checked. Kernels and settings come from
# $(VENV) first (JUPYTER_PREFER_ENV_PATH): nothing is registered for the user.
lab:
	@bash scripts/ensure_venv.sh test
	@bash scripts/ensure_system_packages.sh graphviz
	@mkdir -p notebooks
	@echo "==> $(VENV)/bin/jupyter lab $(LAB_TARGET) $(ROOT_FLAG) $(LAB_ARGS)"
	@JUPYTER_PREFER_ENV_PATH=1 $(VENV)/bin/jupyter lab $(LAB_TARGET) $(ROOT_FLAG) $(LAB_ARGS)

bench:
	@bash scripts/ensure_venv.sh bench
	@bash scripts/ensure_system_packages.sh graphviz
	@test -f benchmarks/run.py || { echo "error: benchmarks/run.py does not exist yet." >&2; exit 1; }
	@echo "==> $(VENV)/bin/python benchmarks/run.py (per-hop overhead)"
	@$(VENV)/bin/python benchmarks/run.py
	@echo "==> $(VENV)/bin/python benchmarks/checkpoints.py (checkpoint cost, pause + resume)"
	@$(VENV)/bin/python benchmarks/checkpoints.py
	@echo "==> $(VENV)/bin/python benchmarks/widgets_eventlog.py (10,000 events through the widgets)"
	@$(VENV)/bin/python benchmarks/widgets_eventlog.py
	@echo "==> $(VENV)/bin/python benchmarks/import_time.py (cold import wfkit)"
	@$(VENV)/bin/python benchmarks/import_time.py

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
