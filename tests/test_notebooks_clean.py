"""Committed notebooks stay small and clean: no widget state, only checked outputs and one
key figure per lesson.

Lessons are executed by nbval (``pytest notebooks/``); these checks read the files only.
Widget outputs would show "Error displaying widget" in a freshly opened notebook, so they are
never committed. Each lesson keeps exactly one small picture (its ``# KEEP_FIGURE`` cell), so
the notebook is not a wall of code when only viewed (see tools/clean_notebooks.py).
"""

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
FIGURE_MARK = "# KEEP_FIGURE"
MAX_BYTES = 100 * 1024
MAX_FIGURE_BYTES = 60 * 1024  # the base64 text of one kept picture


def _ids(paths):
    return [str(path.relative_to(NOTEBOOKS)) for path in paths]


def _read(path: Path):
    return nbformat.read(path, as_version=4)


def _code_cells(nb):
    return [cell for cell in nb.cells if cell.cell_type == "code"]


@pytest.mark.parametrize("path", ALL, ids=_ids(ALL))
def test_no_widget_state_and_pictures_only_where_kept(path):
    nb = _read(path)
    assert "widgets" not in nb.metadata, "saved widget state: run tools/clean_notebooks.py"
    for cell in _code_cells(nb):
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            assert "application/vnd.jupyter.widget-view+json" not in data, cell.source[:60]
            if "image/png" in data:
                assert FIGURE_MARK in cell.source, cell.source[:60]
                assert len(data["image/png"]) < MAX_FIGURE_BYTES, cell.source[:60]


@pytest.mark.parametrize("path", LESSONS, ids=_ids(LESSONS))
def test_each_lesson_shows_its_key_figure_without_running(path):
    kept = [cell for cell in _code_cells(_read(path)) if FIGURE_MARK in cell.source]
    assert len(kept) == 1, "mark the lesson's key figure with # KEEP_FIGURE"
    outputs = kept[0].get("outputs", [])
    assert [list(output["data"]) for output in outputs] == [["image/png"]], (
        "run tools/clean_notebooks.py to store the picture"
    )


@pytest.mark.parametrize("path", ALL, ids=_ids(ALL))
def test_only_checked_cells_keep_outputs(path):
    for cell in _code_cells(_read(path)):
        if CHECK_MARK not in cell.source and FIGURE_MARK not in cell.source:
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
    # the first cell after the browser-install one (which does nothing outside JupyterLite)
    first_code = next(
        cell.source
        for cell in _code_cells(nb)
        if "nnkit-browser-install" not in cell.metadata.get("tags", [])
    )
    assert "import nnkit as nk" in first_code


@pytest.mark.parametrize("path", LESSONS, ids=_ids(LESSONS))
def test_check_cells_start_unanswered_and_each_lesson_has_a_your_turn(path):
    """The student answers: every check cell holds ``name = ...`` placeholders, never an answer.

    (tests/test_lesson_answers.py runs them with right and wrong answers put in.)
    """
    nb = _read(path)
    check_cells = [
        cell.source for cell in _code_cells(nb) if re.search(r"\bcheck_\w+\(", cell.source)
    ]
    assert check_cells
    for source in check_cells:
        assert re.search(r"^\w+ = \.\.\.", source, re.MULTILINE), source
    headings = [
        line.lower()
        for cell in nb.cells
        if cell.cell_type == "markdown"
        for line in cell.source.splitlines()
        if line.startswith("#")
    ]
    assert any("your turn" in line for line in headings), "no 'Your turn' section"
