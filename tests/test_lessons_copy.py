"""`nnkit lessons` / `nnkit lab` from this checkout: copy, never overwrite, clear errors.

(The same from an installed wheel, in a fresh environment: tests/test_packaging.py.)
"""

from __future__ import annotations

import json
from pathlib import Path

from nnkit import cli, launch

ROOT = Path(__file__).resolve().parent.parent


def test_lessons_copies_everything_then_keeps_the_students_copy(tmp_path, capsys):
    target = tmp_path / "course"
    assert cli.main(["lessons", str(target)]) == 0
    names = launch.lesson_files()
    assert Path("01_the_neuron.ipynb") in names and Path("exercises/README.md") in names
    for name in names:
        assert (target / name).read_bytes() == (launch.lessons_dir() / name).read_bytes()
    first = capsys.readouterr().out
    assert f"{len(names)} copied, 0 kept" in first

    mine = target / "03_softmax.ipynb"
    mine.write_text('{"my": "edits"}')
    assert cli.main(["lessons", str(target)]) == 0
    again = capsys.readouterr().out
    assert json.loads(mine.read_text()) == {"my": "edits"}
    assert "skipped 03_softmax.ipynb (already there: your copy is kept)" in again
    assert f"0 copied, {len(names)} kept as they were" in again


def test_lessons_into_a_file_is_a_clear_error(tmp_path, capsys):
    path = tmp_path / "notes.txt"
    path.write_text("x")
    assert cli.main(["lessons", str(path)]) == 2
    err = capsys.readouterr().err
    assert "is a file, expected a folder" in err and "name another folder" in err


def test_lab_in_the_checkouts_own_notebooks_copies_nothing(tmp_path):
    report = launch.copy_lessons(ROOT / "notebooks")
    assert report.copied == [] and len(report.skipped) == len(launch.lesson_files())


def test_lab_without_jupyterlab_says_how_to_install_it(tmp_path, capsys, monkeypatch):
    real = launch.importlib.util.find_spec
    monkeypatch.setattr(
        launch.importlib.util,
        "find_spec",
        lambda name, *a: None if name == "jupyterlab" else real(name, *a),
    )
    assert cli.main(["lab", str(tmp_path / "course")]) == 2
    assert 'pip install "nnkit-lessons[lab]"' in capsys.readouterr().err
    assert not (tmp_path / "course").exists()


def test_student_config_turns_every_nbgrader_piece_off(tmp_path):
    folder = launch.student_config(tmp_path)
    server = json.loads((folder / "jupyter_server_config.json").read_text())
    switches = server["ServerApp"]["jpserver_extensions"]
    assert switches["nbgrader.server_extensions.formgrader"] is False
    assert set(switches.values()) == {False}
    page = json.loads((folder / "labconfig" / "page_config.json").read_text())
    assert page["disabledExtensions"] == {
        "@jupyter/nbgrader": True,
        "@jupyterlite/pyodide-kernel-extension": True,  # for the browser site only
        "@jupyterlab/apputils-extension:announcements": True,  # its box covers the explorers
    }
    command = launch.lab_command(tmp_path, ["--port=9"])
    assert "--ServerApp.jpserver_extensions=nbgrader.server_extensions.course_list=False" in (
        command
    )
    assert command[-1] == "--port=9"
    env = launch.student_environment(folder)
    assert env["JUPYTER_CONFIG_PATH"].split(":")[0] == str(folder)
