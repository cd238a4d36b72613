"""Committed notebooks stay small and clean: no widget state, no pictures, only checked outputs.

Lessons are executed by nbval (``pytest notebooks/``); these checks read the files only.
Widget outputs would show "Error displaying widget" in a freshly opened notebook and images
bloat the repository, so neither is committed (see tools/clean_notebooks.py).
"""

import contextlib
import io
import re
from pathlib import Path

import nbformat
import pytest

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
ALL = sorted(NOTEBOOKS.rglob("*.ipynb"))
ALL = [path for path in ALL if ".ipynb_checkpoints" not in path.parts]
LESSONS = [
    path for path in ALL if path.parent == NOTEBOOKS and re.match(r"0[1-8]_.*\.ipynb$", path.name)
]
CHECK_MARK = "# NBVAL_CHECK_OUTPUT"
MAX_BYTES = 100 * 1024


def _ids(paths):
    return [str(path.relative_to(NOTEBOOKS)) for path in paths]


def _read(path: Path):
    return nbformat.read(path, as_version=4)


def _code_cells(nb):
    return [cell for cell in nb.cells if cell.cell_type == "code"]


@pytest.mark.parametrize("path", ALL, ids=_ids(ALL))
def test_no_widget_state_or_pictures(path):
    nb = _read(path)
    assert "widgets" not in nb.metadata, "saved widget state: run tools/clean_notebooks.py"
    for cell in _code_cells(nb):
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            assert "application/vnd.jupyter.widget-view+json" not in data, cell.source[:60]
            assert "image/png" not in data, cell.source[:60]


@pytest.mark.parametrize("path", ALL, ids=_ids(ALL))
def test_only_checked_cells_keep_outputs(path):
    for cell in _code_cells(_read(path)):
        if CHECK_MARK not in cell.source:
            assert not cell.get("outputs"), f"unchecked output kept in: {cell.source[:60]!r}"


@pytest.mark.parametrize("path", ALL, ids=_ids(ALL))
def test_small_file(path):
    assert path.stat().st_size < MAX_BYTES


def test_lesson_notebooks_exist():
    assert len(LESSONS) >= 4
    assert {path.name[:2] for path in LESSONS} >= {"01", "02", "03", "04"}


@pytest.mark.parametrize("path", LESSONS, ids=_ids(LESSONS))
def test_lesson_has_checked_output_check_yourself_and_explorer(path):
    nb = _read(path)
    checked = [cell for cell in _code_cells(nb) if CHECK_MARK in cell.source]
    assert any(cell.get("outputs") for cell in checked), "no stored NBVAL_CHECK_OUTPUT output"
    headings = [
        line
        for cell in nb.cells
        if cell.cell_type == "markdown"
        for line in cell.source.splitlines()
        if line.startswith("#")
    ]
    assert any("check yourself" in line.lower() for line in headings)
    assert any("nnkit.widgets" in cell.source for cell in _code_cells(nb))
    first_code = _code_cells(nb)[0].source
    assert "import nnkit as nk" in first_code


LESSON_CHECK_CELLS = [
    (path, cell.source)
    for path in LESSONS
    for cell in _code_cells(_read(path))
    if "nnkit.checks.lessons" in cell.source
]


@pytest.mark.parametrize(
    ("path", "source"), LESSON_CHECK_CELLS, ids=_ids([path for path, _ in LESSON_CHECK_CELLS])
)
def test_committed_answers_get_a_tick(path, source):
    """The "check yourself" cells are self-contained: run them and expect only ticks."""
    import numpy as np

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(source, str(path), "exec"), {"np": np})
    assert "\u2714" in out.getvalue() and "\u2718" not in out.getvalue(), out.getvalue()
