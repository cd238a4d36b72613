"""Binder: the steps repo2docker takes with binder/, repeated in a fresh virtual environment.

repo2docker installs ``binder/requirements.txt`` from the repository's root,
runs ``binder/postBuild`` there, and serves JupyterLab from the environment.
Here a new virtual environment (no system site-packages, so a missing
dependency shows) does the same, then runs lesson 01 top to bottom with
nbclient in that environment's own kernel, and checks that the ipywidgets
extension is installed for its JupyterLab. (pip's cache keeps the reinstall quick.)
"""

from __future__ import annotations

import os
import subprocess
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BINDER = ROOT / "binder"

pytestmark = pytest.mark.slow

RUN_LESSON = """
import nbformat
from nbclient import NotebookClient
nb = nbformat.read("notebooks/01_the_neuron.ipynb", as_version=4)
probe = "import nnkit; print('kernel nnkit from', nnkit.__file__)"
nb.cells.append(nbformat.v4.new_code_cell(probe))
NotebookClient(nb, timeout=300, kernel_name="python3",
               resources={"metadata": {"path": "notebooks"}}).execute()
code = [c for c in nb.cells if c.cell_type == "code"]
assert code and all(c.execution_count for c in code)
print(nb.cells[-1].outputs[0]["text"].strip())
print("cells run:", len(code) - 1)
"""


def _env(folder: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["PATH"] = f"{folder / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    env["VIRTUAL_ENV"] = str(folder)
    return env


@pytest.fixture(scope="module")
def binder_env(tmp_path_factory):
    folder = tmp_path_factory.mktemp("binder-venv")
    venv.EnvBuilder(with_pip=True, system_site_packages=False).create(folder)
    env = _env(folder)
    install = subprocess.run(
        [str(folder / "bin" / "python"), "-m", "pip", "install", "-q"]
        + ["--disable-pip-version-check", "-r", "binder/requirements.txt"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=1200,
    )
    assert install.returncode == 0, install.stderr[-3000:]
    post = subprocess.run(
        [str(BINDER / "postBuild")], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert post.returncode == 0, post.stdout + post.stderr
    assert "nnkit 0.1.0 ready" in post.stdout
    return folder


def test_binder_files_are_what_repo2docker_reads():
    assert os.access(BINDER / "postBuild", os.X_OK)  # repo2docker runs it as a program
    lines = [
        line.strip()
        for line in (BINDER / "requirements.txt").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert lines == [".[lab]"]  # nnkit from this repository, with JupyterLab


def test_binder_environment_runs_lesson_01_with_widgets(binder_env, tmp_path):
    env = _env(binder_env)
    extensions = subprocess.run(
        [str(binder_env / "bin" / "jupyter"), "labextension", "list"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    listed = extensions.stdout + extensions.stderr
    assert "@jupyter-widgets/jupyterlab-manager" in listed and "enabled" in listed
    assert "anywidget" in listed  # the explorers' picture widget
    assert "nbgrader" not in listed  # a student's Binder has no teacher tools

    result = subprocess.run(
        [str(binder_env / "bin" / "python"), "-c", RUN_LESSON],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]
    # the lesson imported the nnkit installed into the Binder environment, not the checkout
    assert f"kernel nnkit from {binder_env}" in result.stdout
    assert int(result.stdout.split("cells run:")[1]) >= 5
