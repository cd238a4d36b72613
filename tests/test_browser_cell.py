"""Every lesson and student exercise starts with the browser-install cell, which acts only there."""

from __future__ import annotations

import asyncio
import sys
import types
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

import browser_cell  # noqa: E402

NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9]*.ipynb")) + sorted(
    (ROOT / "notebooks" / "exercises").glob("*.ipynb")
)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_starts_with_the_browser_install_cell(path):
    nb = nbformat.read(path, as_version=4)
    assert browser_cell.has_cell(nb), f"run: python tools/browser_cell.py {path.relative_to(ROOT)}"
    # it comes before any other code, and only once
    tagged = [c for c in nb.cells if browser_cell.TAG in c.metadata.get("tags", [])]
    assert len(tagged) == 1


def _run_cell(platform: str, monkeypatch) -> list[str]:
    """Run the cell's code as the kernel would (top-level await) on a given platform."""
    installed: list[str] = []

    async def install(name):
        installed.append(name)

    monkeypatch.setattr(sys, "platform", platform)
    monkeypatch.setitem(sys.modules, "piplite", types.SimpleNamespace(install=install))
    body = "\n".join("    " + line for line in browser_cell.SOURCE.splitlines())
    namespace: dict = {}
    exec(f"async def cell():\n{body}", namespace)
    asyncio.run(namespace["cell"]())
    return installed


def test_the_cell_installs_nnkit_in_the_browser_only(monkeypatch):
    assert _run_cell("emscripten", monkeypatch) == ["nnkit-lessons"]
    assert _run_cell("linux", monkeypatch) == []
    assert _run_cell("win32", monkeypatch) == []


def test_the_tool_inserts_once_and_then_changes_nothing(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Lesson"),
        nbformat.v4.new_code_cell("import nnkit as nk"),
    ]
    assert browser_cell.apply(nb) is True
    assert [c.cell_type for c in nb.cells] == ["markdown", "code", "code"]
    assert nb.cells[1].source == browser_cell.SOURCE and nb.cells[2].source == "import nnkit as nk"
    assert browser_cell.apply(nb) is False  # idempotent
    # a drifted copy is brought back to the current text, still once
    nb.cells[1].source = "# old text"
    nb.cells.append(nb.cells.pop(1))
    assert browser_cell.apply(nb) is True
    assert sum(browser_cell.TAG in c.metadata.get("tags", []) for c in nb.cells) == 1
    path = tmp_path / "lesson.ipynb"
    nbformat.write(nb, path)
    before = path.read_bytes()
    assert browser_cell.main([str(path)]) == 0
    assert path.read_bytes() == before
    assert browser_cell.main(["--check", str(path)]) == 0


def test_in_an_nbgrader_notebook_the_cell_is_locked():
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("x = 1", metadata={"nbgrader": {"locked": True}})]
    assert browser_cell.apply(nb) is True
    cell = nb.cells[0]
    assert cell.metadata.nbgrader["locked"] is True
    assert cell.metadata.nbgrader["grade_id"] == "browser_install"
    assert browser_cell.has_cell(nb) and browser_cell.apply(nb) is False
