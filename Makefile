# Two commands do all the set-up: `make lab` opens the lessons, `make test` runs every test.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
EXTRAS ?= test
PYTEST_ARGS ?=

.PHONY: lab test bench lint format release-coursework autograde-coursework clean site

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --upgrade pip

# One stamp per set of extras: reinstall when pyproject.toml changes.
$(VENV)/.installed-%: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -e ".[$*]"
	touch $@

# JupyterLab refuses to run as root (containers, classroom VMs) unless told it may.
LAB_ARGS ?= $(if $(filter 0,$(shell id -u)),--allow-root,)

# The student's JupyterLab (as `nnkit lab`): nbgrader's teacher tools stay hidden
# even when `make test` has installed nbgrader into the same environment.
lab: $(VENV)/.installed-lab
	$(BIN)/python -m nnkit lab notebooks

test: $(VENV)/.installed-$(EXTRAS)
	PATH="$(abspath $(BIN)):$$PATH" $(BIN)/python -m pytest $(PYTEST_ARGS)

bench: $(VENV)/.installed-$(EXTRAS)
	$(BIN)/python -m benchmarks

# Key press -> new picture in JupyterLab in Chromium, every lesson's explorers (needs chromium).
.PHONY: bench-browser
BENCH_BROWSER_ARGS ?=
bench-browser: $(VENV)/.installed-$(EXTRAS)
	PATH="$(abspath $(BIN)):$$PATH" $(BIN)/python -m benchmarks.browser $(BENCH_BROWSER_ARGS)

lint: $(VENV)/.installed-test
	$(BIN)/ruff check nnkit tests benchmarks tools notebooks
	$(BIN)/ruff format --check nnkit tests benchmarks tools

format: $(VENV)/.installed-test
	$(BIN)/ruff format nnkit tests benchmarks tools
	$(BIN)/ruff check --fix nnkit tests benchmarks tools

release-coursework: $(VENV)/.installed-$(EXTRAS)
	PATH="$(abspath $(BIN)):$$PATH" $(BIN)/python -m nnkit coursework release --out coursework

autograde-coursework: $(VENV)/.installed-$(EXTRAS)
	PATH="$(abspath $(BIN)):$$PATH" $(BIN)/python -m nnkit coursework autograde \
		--course coursework --submissions submissions --grades grades.csv

# A static JupyterLite site in site/ (Pyodide kernel, widgets, the lessons and the
# nnkit wheel); serve it with any static host: python -m http.server -d site
site: $(VENV)/.installed-site
	$(BIN)/python tools/build_site.py --out site

clean:
	rm -rf $(VENV) build dist *.egg-info test-artifacts .pytest_cache site
