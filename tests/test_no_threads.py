"""Every lesson runs where the browser's Python (Pyodide) runs: no threads, no subprocesses.

Pyodide, the kernel of the JupyterLite site, cannot start a thread or a
process. Each lesson here runs top to bottom in a fresh kernel (nbclient) after
a first cell, run in the kernel but not saved to the notebook, has made
``threading.Thread.start``, ``_thread``'s starters, ``subprocess.Popen``,
``os.fork``, ``os.system`` and ``os.popen`` raise the errors Pyodide raises
(threads of the kernel's own plumbing, zmq and ipykernel, still start: the
browser's kernel has its own plumbing without them).
That cell first checks that a thread and a subprocess really fail, so the test
cannot pass with the patch silently not applied. A lesson that needs a thread
(a play button on a background loop, a progress monitor that cannot live
without one) fails here with the error in the cell that needed it.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
LESSONS = sorted((ROOT / "notebooks").glob("[0-9]*.ipynb"))

NO_THREADS = """\
import _thread
import os
import subprocess
import threading


def _no_thread(*args, **kwargs):
    raise RuntimeError("can't start new thread (no threads in the browser's Python, Pyodide)")


_start = threading.Thread.start
# the kernel's own plumbing (zmq's garbage collector, ipykernel's I/O) is not the lesson's:
# the browser's kernel has its own, thread-free one
_PLUMBING = ("zmq", "ipykernel", "jupyter_client", "comm")


def _start_unless_lesson(self):
    if type(self).__module__.split(".")[0] in _PLUMBING:
        return _start(self)
    return _no_thread()


def _no_process(*args, **kwargs):
    raise OSError("no subprocesses in the browser's Python (Pyodide)")


threading.Thread.start = _start_unless_lesson
_thread.start_new_thread = _thread.start_new = _no_thread
if hasattr(_thread, "start_joinable_thread"):
    _thread.start_joinable_thread = _no_thread
subprocess.Popen.__init__ = _no_process
os.fork = os.system = os.popen = _no_process

# the patch is really in force
for attempt, error in ((lambda: threading.Thread(target=int).start(), RuntimeError),
                       (lambda: subprocess.run(["true"]), OSError)):
    try:
        attempt()
    except error:
        pass
    else:
        raise AssertionError("the no-threads patch is not in force")
print("no threads, no subprocesses")
"""

pytestmark = pytest.mark.slow


def test_there_are_lessons_to_run():
    assert len(LESSONS) >= 8


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_lesson_runs_without_threads_or_subprocesses(path):
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    guard = nbformat.v4.new_code_cell(NO_THREADS)
    guard.id = "no-threads-guard"
    nb.cells.insert(0, guard)
    client = NotebookClient(
        nb,
        timeout=300,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute()  # raises CellExecutionError, naming the cell, when a cell fails
    assert nb.cells[0].outputs[0]["text"] == "no threads, no subprocesses\n"
    # every cell ran (none skipped), and none printed a traceback it swallowed
    code = [cell for cell in nb.cells if cell.cell_type == "code"]
    assert all(cell.execution_count for cell in code)
    for cell in code:
        for output in cell.outputs:
            if output.output_type == "error":
                assert "raises-exception" in cell.metadata.get("tags", []), output["ename"]
