"""Lesson 11 without PyTorch: every cell runs, the torch cells say they were skipped."""

import os
import sys
from pathlib import Path

import nbformat
import pytest

pytestmark = [pytest.mark.lesson(11), pytest.mark.slow]

NOTEBOOK = Path(__file__).parent.parent / "notebooks" / "11_from_nnkit_to_pytorch.ipynb"


def test_lesson_11_runs_and_explains_without_torch(tmp_path, monkeypatch):
    from nbclient import NotebookClient

    blocker = tmp_path / "torch"
    blocker.mkdir()
    (blocker / "__init__.py").write_text("raise ImportError('PyTorch hidden for this test')\n")
    path = os.pathsep.join([str(tmp_path), str(NOTEBOOK.parent.parent), *sys.path[1:2]])
    monkeypatch.setenv("PYTHONPATH", path)
    nb = nbformat.read(NOTEBOOK, as_version=4)
    NotebookClient(nb, timeout=300, kernel_name="python3").execute()  # raises on any error
    text = "\n".join(
        output.get("text", "") for cell in nb.cells for output in cell.get("outputs", [])
    )
    assert 'pip install -e ".[torch]"' in text
    skipped = sum(cell.source.startswith("%%torch") for cell in nb.cells)
    assert text.count("(skipped)") == skipped > 5
    assert "nnkit loss every 10 epochs" in text  # the nnkit half still runs
