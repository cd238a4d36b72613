"""A normal (non-editable) install ships the data and finds it."""

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(out),
            str(ROOT),
        ],
        check=True,
        timeout=300,
    )
    (path,) = out.glob("nnkit_lessons-*.whl")
    return path


def test_wheel_contains_the_engine_and_the_data(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    assert "nnkit/_datasets/penguins.csv" in names
    assert "nnkit/_datasets/README.md" in names
    assert "nnkit/network.py" in names


def test_installed_copy_loads_penguins_outside_the_checkout(wheel, tmp_path):
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "-q",
            "--target",
            str(target),
            str(wheel),
        ],
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
