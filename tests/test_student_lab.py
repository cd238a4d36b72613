"""A student's JupyterLab (``nnkit lab``, ``make lab``) shows no nbgrader teacher tools.

Both servers start headless on free local ports in this environment, where
``make test`` has installed nbgrader: the student's launch must turn nbgrader's
server extensions (formgrader, course list...) and its lab extension off, while
a teacher's plain ``jupyter lab`` in the same environment keeps them.
"""

from __future__ import annotations

import json
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from nnkit import launch

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "nnkit-student-lab-test"

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(port: int, path: str) -> tuple[int, str]:
    url = f"http://127.0.0.1:{port}{path}{'&' if '?' in path else '?'}token={TOKEN}"
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, ""


def _page_config(html: str) -> dict:
    found = re.search(r'<script id="jupyter-config-data" type="application/json">(.*?)</script>',
                      html, re.S)  # fmt: skip
    assert found, "JupyterLab page without its page config"
    return json.loads(found.group(1))


class Server:
    def __init__(self, command: list[str], cwd: Path, log: Path):
        self.port = _free_port()
        args = [f"--port={self.port}", "--no-browser", f"--IdentityProvider.token={TOKEN}"]
        self.log = open(log, "w")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            command + args, cwd=cwd, stdout=self.log, stderr=subprocess.STDOUT
        )

    def wait(self) -> None:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            assert self.process.poll() is None, f"server exited: see {self.log.name}"
            try:
                if _get(self.port, "/api/status")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.5)
        raise AssertionError(f"server not up after 180 s: see {self.log.name}")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    pytest.importorskip("jupyterlab")
    pytest.importorskip("nbgrader", reason="nbgrader is not installed: nothing to hide")
    folder = tmp_path_factory.mktemp("lab")
    student = Server([sys.executable, "-m", "nnkit", "lab", "lessons"], folder, folder / "s.log")
    teacher = Server(
        [sys.executable, "-m", "jupyterlab", f"--ServerApp.root_dir={folder}"]
        + (["--allow-root"] if launch.lab_command(folder)[-1] == "--allow-root" else []),
        folder,
        folder / "t.log",
    )
    try:
        student.wait()
        teacher.wait()
        yield student, teacher, folder
    finally:
        student.stop()
        teacher.stop()
        if (folder / "lessons").exists():
            shutil.rmtree(folder / "lessons")


def test_student_lab_copies_the_lessons_and_serves_them(servers):
    student, _, folder = servers
    assert (folder / "lessons" / "01_the_neuron.ipynb").is_file()
    status, body = _get(student.port, "/api/contents")
    names = {item["name"] for item in json.loads(body)["content"]}
    assert status == 200 and {"01_the_neuron.ipynb", "exercises"} <= names


def test_student_lab_hides_nbgrader(servers):
    student, _, _ = servers
    # the server extensions are not loaded: their handlers do not exist
    assert _get(student.port, "/nbgrader_version?version=0.9.6")[0] == 404
    assert _get(student.port, "/formgrader/api/status")[0] == 404
    # the lab extension (menus, create-assignment toolbar) is disabled in the page
    status, html = _get(student.port, "/lab")
    assert status == 200
    disabled = _page_config(html)["disabledExtensions"]
    assert "@jupyter/nbgrader" in disabled


def test_teacher_jupyter_lab_in_the_same_environment_keeps_nbgrader(servers):
    _, teacher, _ = servers
    assert _get(teacher.port, "/nbgrader_version?version=0.9.6")[0] != 404
    assert _get(teacher.port, "/formgrader/api/status")[0] != 404
    status, html = _get(teacher.port, "/lab")
    assert status == 200
    assert "@jupyter/nbgrader" not in _page_config(html).get("disabledExtensions", [])


def test_make_lab_uses_the_student_launcher():
    makefile = (ROOT / "Makefile").read_text()
    recipe = makefile.split("\nlab:", 1)[1].split("\n\n", 1)[0]
    assert "-m nnkit lab notebooks" in recipe
    assert "jupyter lab" not in recipe
