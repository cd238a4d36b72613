"""What one student costs a class's JupyterHub: memory and CPU, measured.

    python -m benchmarks.classroom [--skip-server]

1. Memory of the kernel: every lesson notebook runs top to bottom, one after the
   other, in ONE kernel (nbclient), as a student who works through the course
   without restarting would; the kernel reports its resident memory (RSS) after
   each lesson and its peak (``ru_maxrss``) at the end.
2. Memory of the student's server: a headless ``nnkit lab`` (JupyterLab) is
   started and its RSS read once it answers (a hub's single-user server is this
   plus one kernel per open notebook).
3. CPU of the training dashboard (lesson 07): the CPU seconds (``process_time``,
   all threads) and wall seconds of one retrain after a slider moves, median of 5.

The figures go into docs/classroom.md; they are measurements on this machine,
never assertions in tests.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

ROOT = Path(__file__).resolve().parent.parent
MIB = 1024 * 1024

REPORT = """
import json, os, resource, psutil
print(json.dumps({"rss": psutil.Process().memory_info().rss,
                  "peak": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024}))
"""


def kernel_memory() -> list[tuple[str, float, float]]:
    """(lesson, RSS MiB after it, peak MiB so far) for every lesson, all in one kernel."""
    import nbformat
    from nbclient import NotebookClient

    lessons = sorted((ROOT / "notebooks").glob("[0-9]*.ipynb"))
    # one notebook made of all the lessons, with a memory report after each
    combined = nbformat.v4.new_notebook()
    marks = []
    for path in lessons:
        nb = nbformat.read(path, as_version=4)
        combined.cells += [c for c in nb.cells if c.cell_type == "code"]
        combined.cells.append(nbformat.v4.new_code_cell(REPORT))
        marks.append((path.stem, len(combined.cells) - 1))
    for index, cell in enumerate(combined.cells):
        cell.id = f"cell-{index}"
    client = NotebookClient(
        combined,
        timeout=600,
        kernel_name="python3",
        resources={"metadata": {"path": str(ROOT / "notebooks")}},
    )
    client.execute()
    rows = []
    for name, index in marks:
        report = json.loads(combined.cells[index].outputs[0]["text"])
        rows.append((name, report["rss"] / MIB, report["peak"] / MIB))
    return rows


def server_memory() -> float:
    """RSS in MiB of a student's JupyterLab server (``nnkit lab``) once it answers."""
    import psutil

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with tempfile.TemporaryDirectory() as folder:
        process = subprocess.Popen(
            [sys.executable, "-m", "nnkit", "lab", str(Path(folder) / "lessons")]
            + [f"--port={port}", "--no-browser", "--IdentityProvider.token=measure"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            for _ in range(360):
                try:
                    urllib.request.urlopen(
                        f"http://127.0.0.1:{port}/lab?token=measure", timeout=10
                    ).read()
                    break
                except OSError:
                    time.sleep(0.5)
            time.sleep(2)
            tree = [psutil.Process(process.pid), *psutil.Process(process.pid).children(True)]
            # the launcher (a small python process) plus the JupyterLab server it started
            return sum(p.memory_info().rss for p in tree) / MIB
        finally:
            process.terminate()
            process.wait(timeout=60)


def dashboard_cpu(repeat: int = 5) -> tuple[float, float]:
    """(CPU seconds, wall seconds) of one dashboard retrain after a slider move, medians."""
    from nnkit.widgets import TrainingDashboard

    dashboard = TrainingDashboard()
    seed = dashboard.controls["seed"]
    cpu, wall = [], []
    for _ in range(repeat):
        start_cpu, start_wall = time.process_time(), time.perf_counter()
        seed.value += 1  # retrains the default network and redraws
        cpu.append(time.process_time() - start_cpu)
        wall.append(time.perf_counter() - start_wall)
    dashboard.close()
    return statistics.median(cpu), statistics.median(wall)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-server", action="store_true", help="no JupyterLab server")
    args = parser.parse_args(argv)
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPU cores")
    print("kernel memory, all lessons in one kernel:")
    rows = kernel_memory()
    for name, rss, peak in rows:
        print(f"  after {name:<34} RSS {rss:6.0f} MiB   peak so far {peak:6.0f} MiB")
    print(f"  peak RSS of the kernel: {max(peak for _, _, peak in rows):.0f} MiB")
    if not args.skip_server:
        print(f"student's JupyterLab server (nnkit lab), idle: {server_memory():.0f} MiB")
    cpu, wall = dashboard_cpu()
    print(f"dashboard retrain (lesson 07, default settings): {cpu:.3f} CPU s, {wall:.3f} s wall")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
