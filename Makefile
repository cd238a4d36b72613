# Two commands do all the set-up: `make lab` opens the lessons, `make test` runs every test.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
EXTRAS ?= test
PYTEST_ARGS ?=

.PHONY: lab test bench lint format release-coursework autograde-coursework clean \
	teacher student-versions feedback-coursework solutions-coursework \
	hub-release hub-collect hub-return-feedback site

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

# -- teacher side of the graded exercises (docs/teaching.md) --------------------------------
# coursework/ is the nbgrader course folder; its nbgrader_config.py sets the course id, the
# exchange and feedback without hidden tests. nbgrader runs `alembic`, so the venv's bin
# goes first on PATH. COURSE can point at a private copy of coursework/ (private hidden tests).
COURSE ?= coursework
SUBMISSIONS ?= $(COURSE)/submitted
GRADES ?= grades.csv
DEADLINE ?=
TEACHER := PATH="$(abspath $(BIN)):$$PATH" $(abspath $(BIN))
NNKIT_COURSE := $(TEACHER)/python -m nnkit coursework

# JupyterLab in the course folder, with nbgrader's Formgrader (as root too).
teacher: $(VENV)/.installed-teacher
	cd $(COURSE) && $(TEACHER)/jupyter lab --ServerApp.root_dir=. $(LAB_ARGS)

# notebooks/exercises/ from coursework/source/nnkit/, after editing the sources
student-versions: $(VENV)/.installed-teacher
	$(NNKIT_COURSE) student-versions --course $(COURSE)

release-coursework: $(VENV)/.installed-teacher
	$(NNKIT_COURSE) release --course $(COURSE)

autograde-coursework: $(VENV)/.installed-teacher
	$(NNKIT_COURSE) autograde --course $(COURSE) --submissions $(SUBMISSIONS) --grades $(GRADES)

feedback-coursework: $(VENV)/.installed-teacher
	$(NNKIT_COURSE) feedback --course $(COURSE)

solutions-coursework: $(VENV)/.installed-teacher
	$(NNKIT_COURSE) solutions --course $(COURSE) $(if $(DEADLINE),--deadline $(DEADLINE),)

# On a JupyterHub: nbgrader's exchange, run from the course folder (its nbgrader_config.py).
hub-release: release-coursework
	cd $(COURSE) && $(TEACHER)/nbgrader release_assignment nnkit --force

hub-collect: $(VENV)/.installed-teacher
	cd $(COURSE) && $(TEACHER)/nbgrader collect nnkit

hub-return-feedback: feedback-coursework
	cd $(COURSE) && $(TEACHER)/nbgrader release_feedback nnkit

# A static JupyterLite site in site/ (Pyodide kernel, widgets, the lessons and the
# nnkit wheel); serve it with any static host: python -m http.server -d site
site: $(VENV)/.installed-site
	$(BIN)/python tools/build_site.py --out site

clean:
	rm -rf $(VENV) build dist *.egg-info test-artifacts .pytest_cache site
