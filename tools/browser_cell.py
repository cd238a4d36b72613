"""Put the browser-install cell first in every lesson and student exercise.

Usage: python tools/browser_cell.py [NOTEBOOK ...]      (default: every lesson and exercise)
       python tools/browser_cell.py --check [NOTEBOOK ...]

In the JupyterLite site the kernel is Python compiled to WebAssembly (Pyodide)
and starts without nnkit: the cell installs it there, from the wheel the site
carries. Everywhere else (JupyterLab, Binder, a hub, nbval) ``sys.platform`` is
not ``"emscripten"`` and the cell does nothing. Running the tool again changes
nothing; a notebook whose cell has drifted gets the current text back.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
TAG = "nnkit-browser-install"
SOURCE = """\
# In the browser (JupyterLite) this installs nnkit into the kernel; elsewhere it does nothing.
import sys

if sys.platform == "emscripten":
    import piplite

    await piplite.install("nnkit-lessons")"""


def default_notebooks() -> list[Path]:
    """The lessons, the student exercises and, when present, the teacher sources they come from."""
    found = sorted((ROOT / "notebooks").glob("[0-9]*.ipynb"))
    found += sorted((ROOT / "notebooks" / "exercises").glob("*.ipynb"))
    found += sorted((ROOT / "coursework" / "source").glob("*/*.ipynb"))
    return found


# In an nbgrader notebook (a teacher source) the cell is a locked one, like every other
# cell there: students cannot change it, and nbgrader's tools find the metadata they expect.
NBGRADER = {
    "grade": False,
    "grade_id": "browser_install",
    "locked": True,
    "schema_version": 3,
    "solution": False,
    "task": False,
}


def _uses_nbgrader(nb: nbformat.NotebookNode) -> bool:
    return any(
        "nbgrader" in cell.metadata for cell in nb.cells if TAG not in cell.metadata.get("tags", [])
    )


def has_cell(nb: nbformat.NotebookNode) -> bool:
    """True when the first code cell is the browser-install cell, word for word."""
    code = [cell for cell in nb.cells if cell.cell_type == "code"]
    if not code or TAG not in code[0].metadata.get("tags", []) or code[0].source != SOURCE:
        return False
    return "nbgrader" in code[0].metadata or not _uses_nbgrader(nb)


def apply(nb: nbformat.NotebookNode) -> bool:
    """Insert or refresh the cell in ``nb``; return True when something changed."""
    if has_cell(nb):
        return False
    nb.cells = [cell for cell in nb.cells if TAG not in cell.get("metadata", {}).get("tags", [])]
    metadata = {"tags": [TAG]}
    if _uses_nbgrader(nb):
        metadata["nbgrader"] = dict(NBGRADER)
    cell = nbformat.v4.new_code_cell(SOURCE, metadata=metadata)
    # after a leading title (markdown) cell, before any code
    first_code = next((i for i, c in enumerate(nb.cells) if c.cell_type == "code"), len(nb.cells))
    position = min(1, first_code) if nb.cells and nb.cells[0].cell_type == "markdown" else 0
    if nb.nbformat_minor >= 5:
        cell.id = TAG  # a fixed id: the same bytes every time
    else:
        cell.pop("id", None)
    nb.cells.insert(position, cell)
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path)
    parser.add_argument("--check", action="store_true", help="report, change nothing")
    args = parser.parse_args(argv)
    missing = []
    for path in args.notebooks or default_notebooks():
        nb = nbformat.read(path, as_version=4)
        if args.check:
            if not has_cell(nb):
                missing.append(path)
            continue
        if apply(nb):
            nbformat.write(nb, path)
            print(f"updated {path}")
    for path in missing:
        print(f"{path}: no browser-install cell first (run python tools/browser_cell.py)")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
