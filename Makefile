# wfkit's build. Everything lives in one virtual environment, .venv, which the
# targets below create and keep up to date on demand (scripts/ensure_venv.sh).
#
#   make lab      open your copy of the course (course/) in JupyterLab
#   make reset    put a lesson of course/ back to its original (LESSON=02), and keep or clear its progress
#   make lite     build the course as a static JupyterLite site (build/lite/): Python in the browser
#   make lite-serve  serve that site on 127.0.0.1 (LITE_PORT=8800) for a look
#   make test     run the test suite
#   make bench    run the benchmarks against peer frameworks
#   make lock     for course authors: pin every package again (requirements/lock.txt)
#
# Variables: PYTHON (interpreter that creates .venv and runs scripts/course.py,
# default python3), PYTEST_ARGS (pytest arguments; default --lessons notebooks, which also runs
# every lesson headless), LAB_ARGS (extra jupyter
# lab arguments, e.g. LAB_ARGS="--no-browser --port 8899"), COURSE (the folder the
# lab opens: course, the learner's copy, by default; notebooks for course authors),
# LESSON (what make reset resets: a lesson number, or all), KEEP_PROGRESS (make reset: 1 keeps your
# progress on the lessons reset, 0 clears it; unset, you are asked).

SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PYTEST_ARGS ?= --lessons notebooks
LAB_ARGS ?=
COURSE ?= course
LESSON ?=
KEEP_PROGRESS ?=
LITE_PORT ?= 8800
export PYTHON VENV

# The lesson the course opens on (scripts/course.py copies it into $(COURSE)); the
# folder when it is not written yet.
LAB_TARGET := $(if $(wildcard notebooks/00_index.ipynb),$(COURSE)/00_index.ipynb,$(COURSE))

.DEFAULT_GOAL := help
.PHONY: help test lab reset lite lite-serve bench lock clean

help:
	@echo "make lab                   open your copy of the course, course/ (made and topped up from notebooks/), in"
	@echo "                           JupyterLab, installing what it needs (.[lab]) into $(VENV)"
	@echo "make lab COURSE=notebooks  for course authors: open the committed lessons themselves (clear outputs before committing)"
	@echo "make reset LESSON=02       put lesson 02 of course/ back to its original; your version is kept in course/old/"
	@echo "make reset LESSON=all      the same for every lesson"
	@echo "                           your progress (the index's table) is kept or cleared as you answer;"
	@echo "                           KEEP_PROGRESS=1 keeps it, KEEP_PROGRESS=0 clears it, without asking"
	@echo "make lite                  build the course as a static JupyterLite site in build/lite/: every lesson runs"
	@echo "                           in the browser (Pyodide), nothing to install; needs npm (Pyodide, Graphviz)"
	@echo "make lite-serve            serve build/lite/ on http://127.0.0.1:$(LITE_PORT)/ (LITE_PORT=...) for a look"
	@echo "make test                  install wfkit with its test extras into $(VENV) and run pytest"
	@echo "make bench                 install the benchmark extras into $(VENV) and run the benchmarks in benchmarks/"
	@echo "make lock                  for course authors: pin every package at its newest release again, in"
	@echo "                           requirements/lock.txt (every install uses it); then make test, and commit it"
	@echo "make clean                 remove $(VENV) and test caches (course/, your work, is kept)"

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

# The lab installs only the lab extra (JupyterLab, Notebook 7); the test extra holds
# it too, so the tests drive the same JupyterLab a learner opens. Kernels and settings
# come from $(VENV) first (JUPYTER_PREFER_ENV_PATH), and the news toast is turned off
# in $(VENV)'s own JupyterLab settings: nothing is registered or written for the user.
# The lessons open from the learner's copy, $(COURSE)/ (scripts/course.py makes or
# tops it up, keeping their work), so autosave never touches the committed notebooks/.
lab:
	@bash scripts/ensure_venv.sh lab
	@bash scripts/ensure_system_packages.sh graphviz
	@$(VENV)/bin/python scripts/lab_overrides.py
	@$(PYTHON) scripts/course.py --course $(COURSE) prepare
	@echo "==> $(VENV)/bin/jupyter lab --ServerApp.root_dir=$(COURSE) $(LAB_TARGET) $(ROOT_FLAG) $(LAB_ARGS)"
	@JUPYTER_PREFER_ENV_PATH=1 $(VENV)/bin/jupyter lab --ServerApp.root_dir=$(COURSE) $(LAB_TARGET) $(ROOT_FLAG) $(LAB_ARGS)

# Without LESSON, scripts/course.py says how to use it and lists the lessons. Then the progress the
# course's checks noted (COURSE/.wfkit-progress.json, wfkit.teach.progress) is kept or cleared, as
# KEEP_PROGRESS says or, unset, as the learner answers (nobody at a terminal to answer: kept).
PROGRESS_FILE := $(COURSE)/.wfkit-progress.json
reset:
	@case "$(KEEP_PROGRESS)" in 1|yes|0|no|"") ;; \
		*) echo "error: KEEP_PROGRESS=$(KEEP_PROGRESS): give 1 to keep your progress, 0 to clear it" >&2; exit 2 ;; esac
	@$(PYTHON) scripts/course.py --course $(COURSE) reset $(LESSON)
	@if [ ! -f "$(PROGRESS_FILE)" ]; then :; \
	elif [ "$(KEEP_PROGRESS)" = 1 ] || [ "$(KEEP_PROGRESS)" = yes ]; then echo "==> your progress is kept"; \
	elif [ ! -x "$(VENV)/bin/wfkit" ]; then echo "==> your progress is kept (make lab installs what clears it)"; \
	elif [ -n "$(KEEP_PROGRESS)" ]; then $(VENV)/bin/wfkit progress "$(COURSE)" --forget "$(LESSON)"; \
	else $(VENV)/bin/wfkit progress "$(COURSE)" --forget "$(LESSON)" --ask; fi

# The site is plain files (scripts/build_lite.py says what goes in and from where); any static
# web server can publish it. lite-serve is Python's own, on this computer only.
lite:
	@bash scripts/ensure_venv.sh lite
	@command -v npm >/dev/null || { echo "error: make lite takes Pyodide and Graphviz from npm; install Node.js and npm (apt-get install npm)." >&2; exit 1; }
	@$(VENV)/bin/python scripts/build_lite.py --out build/lite

lite-serve:
	@test -f build/lite/index.html || $(MAKE) lite
	@$(VENV)/bin/python scripts/serve_lite.py --site build/lite --port $(LITE_PORT)

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
	@echo "==> $(VENV)/bin/python benchmarks/explorer_scrub.py (the run explorer on 1,000 supersteps)"
	@$(VENV)/bin/python benchmarks/explorer_scrub.py
	@echo "==> $(VENV)/bin/python benchmarks/import_time.py (cold import wfkit)"
	@$(VENV)/bin/python benchmarks/import_time.py

# Every install takes its versions from requirements/lock.txt (scripts/ensure_venv.sh). make lock
# writes it again: the newest release of every package that pyproject.toml's dependencies and
# extras (and requirements/installer.in: uv, setuptools) allow, resolved once for Python 3.10 and
# newer on every platform (--universal writes a marker where one of them needs another version).
# Run make test next: it installs the new pins and tests the course on them.
lock:
	@bash scripts/ensure_venv.sh installer
	@echo "==> $(VENV)/bin/uv pip compile pyproject.toml requirements/installer.in --all-extras --universal (Python 3.10+) --upgrade -o requirements/lock.txt"
	@$(VENV)/bin/uv pip compile pyproject.toml requirements/installer.in --all-extras --universal --python-version 3.10 \
		--upgrade --quiet --custom-compile-command "make lock" --output-file requirements/lock.txt
	@echo "==> wrote requirements/lock.txt; next: make test (installs and tests these versions), then commit it"

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
