"""A normal (non-editable) install ships the data and the lessons, and finds them.

The wheel is built once per test session (``nnkit_wheel`` in conftest.py). One
fresh virtual environment (no system site-packages, so a missing dependency
shows) installs it from the wheel the way a student would.
"""

import json
import os
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# nbgrader's markers, in two pieces so that this file (in the sdist's tests/) holds neither
TEACHER_MARKERS = ("BEGIN " + "SOLUTION", "BEGIN " + "HIDDEN TESTS")


def _lessons_in_checkout() -> list[str]:
    names = sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb"))
    names += sorted(f"exercises/{p.name}" for p in (ROOT / "notebooks/exercises").glob("*.ipynb"))
    return names


def test_wheel_contains_the_engine_and_the_data(nnkit_wheel):
    names = zipfile.ZipFile(nnkit_wheel).namelist()
    assert "nnkit/_datasets/penguins.csv" in names
    assert "nnkit/_datasets/README.md" in names
    assert "nnkit/network.py" in names


def test_wheel_carries_every_lesson_and_student_exercise_but_no_teacher_source(nnkit_wheel):
    archive = zipfile.ZipFile(nnkit_wheel)
    names = archive.namelist()
    expected = _lessons_in_checkout()
    assert len(expected) >= 8
    for name in expected:
        assert f"nnkit/_lessons/{name}" in names, name
    assert not [n for n in names if "coursework/" in n or n.startswith("coursework")]
    notebooks = [n for n in names if n.endswith(".ipynb")]
    assert len(notebooks) == len(expected)
    for name in notebooks:
        text = archive.read(name).decode("utf-8")
        json.loads(text)  # a real notebook
        found = [marker for marker in TEACHER_MARKERS if marker in text]
        assert not found, f"{name} is a teacher version ({found}): the wheel must not carry it"


def test_installed_copy_loads_penguins_outside_the_checkout(nnkit_wheel, tmp_path):
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target)]
        + [str(nnkit_wheel)],
        check=True,
        timeout=300,
    )
    code = (
        "import nnkit, pathlib; d = nnkit.datasets.load_penguins(); "
        "print(pathlib.Path(nnkit.__file__).parent.parent, d.X.shape, "
        "nnkit.datasets.data_dir().name)"
    )
    # run from an empty folder with only the installed copy on the path
    result = subprocess.run(
        [sys.executable, "-I", "-c", f"import sys; sys.path.insert(0, {str(target)!r}); {code}"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "(342, 4) _datasets" in result.stdout
    assert str(target) in result.stdout


@pytest.fixture(scope="module")
def student_venv(nnkit_wheel, tmp_path_factory):
    """A fresh virtual environment with nothing but ``pip install <wheel>`` (and its deps)."""
    folder = tmp_path_factory.mktemp("student-venv")
    venv.EnvBuilder(with_pip=True, system_site_packages=False).create(folder)
    python = folder / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check"]
        + [str(nnkit_wheel)],
        check=True,
        timeout=900,
    )
    return folder


def _nnkit(venv_folder: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    return subprocess.run(
        [str(venv_folder / "bin" / "nnkit"), *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.slow
def test_nnkit_lessons_from_the_wheel_copies_and_never_overwrites(student_venv, tmp_path):
    first = _nnkit(student_venv, "lessons", "course", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    expected = _lessons_in_checkout()
    for name in expected:
        assert (tmp_path / "course" / name).is_file(), name
        # the copy is the checkout's notebook, byte for byte
        assert (tmp_path / "course" / name).read_bytes() == (ROOT / "notebooks" / name).read_bytes()
        assert f"copied {name}" in first.stdout
    assert f"{len(expected) + 1} copied, 0 kept" in first.stdout  # + the exercises' README

    # the student edits lesson 01 and deletes lesson 02, then runs it again
    edited = tmp_path / "course" / "01_the_neuron.ipynb"
    edited.write_text(edited.read_text().replace("neuron", "NEURON (my notes)"))
    mine = edited.read_bytes()
    (tmp_path / "course" / "02_layers_and_forward_pass.ipynb").unlink()
    again = _nnkit(student_venv, "lessons", "course", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert edited.read_bytes() == mine  # the edited notebook is left alone
    assert "skipped 01_the_neuron.ipynb (already there: your copy is kept)" in again.stdout
    assert "copied 02_layers_and_forward_pass.ipynb" in again.stdout
    assert f"1 copied, {len(expected)} kept as they were" in again.stdout

    # the default folder is ./nnkit-lessons
    default = _nnkit(student_venv, "lessons", cwd=tmp_path)
    assert default.returncode == 0 and (tmp_path / "nnkit-lessons" / "03_softmax.ipynb").is_file()


@pytest.mark.slow
def test_installed_lessons_load_their_data_from_the_wheel(student_venv, tmp_path):
    code = (
        "import nnkit, nnkit.launch as l; "
        "print(nnkit.datasets.data_dir().parent == l.lessons_dir().parent, "
        "l.lessons_dir().name, nnkit.datasets.load_penguins().X.shape)"
    )
    result = subprocess.run(
        [str(student_venv / "bin" / "python"), "-I", "-c", code],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "_lessons", "(342,", "4)"]


@pytest.mark.slow
def test_nnkit_lab_without_jupyterlab_says_how_to_get_it(student_venv, tmp_path):
    result = _nnkit(student_venv, "lab", "course", cwd=tmp_path)
    assert result.returncode == 2
    assert 'pip install "nnkit-lessons[lab]"' in result.stderr
    assert not (tmp_path / "course").exists()  # nothing copied before the check
