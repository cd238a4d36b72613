"""Nothing nnkit ships holds a solution or a hidden test: the wheel and the sdist are searched."""

from __future__ import annotations

import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# nbgrader's markers, in two pieces so that this file (in the sdist's tests/) holds neither
MARKERS = ["BEGIN " + "SOLUTION", "BEGIN " + "HIDDEN TESTS"]

pytestmark = pytest.mark.slow


def _build(kind: str, out: Path) -> Path:
    hatchling = Path(sys.executable).parent / "hatchling"
    subprocess.run(
        [str(hatchling), "build", "-t", kind, "-d", str(out)],
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=300,
    )
    (path,) = out.glob("*.whl" if kind == "wheel" else "*.tar.gz")
    return path


@pytest.fixture(scope="module")
def shipped(tmp_path_factory) -> dict[str, dict[str, bytes]]:
    out = tmp_path_factory.mktemp("dist")
    wheel, sdist = _build("wheel", out / "wheel"), _build("sdist", out / "sdist")
    with zipfile.ZipFile(wheel) as archive:
        wheel_files = {name: archive.read(name) for name in archive.namelist()}
    with tarfile.open(sdist) as archive:
        sdist_files = {
            m.name: archive.extractfile(m).read() for m in archive.getmembers() if m.isfile()
        }
    return {"wheel": wheel_files, "sdist": sdist_files}


@pytest.mark.parametrize("kind", ["wheel", "sdist"])
def test_no_solution_or_hidden_test_is_shipped(shipped, kind):
    files = shipped[kind]
    assert any(name.endswith("nnkit/checks/exercises/ex03_losses.py") for name in files)
    assert not [name for name in files if "/coursework/source/" in f"/{name}"]
    for name, data in files.items():
        for marker in MARKERS:
            assert marker.encode() not in data, f"{marker} in {name} of the {kind}"


def test_the_sdist_leaves_the_teacher_sources_out(shipped):
    names = shipped["sdist"]
    assert not [n for n in names if "nbgrader_config" in n or "coursework/source" in n]
