"""Copy the lessons out of the installed package and open them in a student's JupyterLab.

``nnkit lessons [DIR]`` and ``nnkit lab [DIR]`` use these, and so does ``make lab``.
A student's JupyterLab shows no nbgrader teacher tools (formgrader, course list,
create-assignment toolbar) even when nbgrader sits in the same environment, as it
does after ``make test``: the launch turns nbgrader's server and lab extensions off
for that one server, and nothing else (``jupyter lab`` run by hand, a teacher's
target) is touched.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_FOLDER = "nnkit-lessons"

# nbgrader's pieces a student must not see: its four server extensions...
NBGRADER_SERVER_EXTENSIONS = (
    "nbgrader",
    "nbgrader.server_extensions.formgrader",
    "nbgrader.server_extensions.validate_assignment",
    "nbgrader.server_extensions.assignment_list",
    "nbgrader.server_extensions.course_list",
)
# ...and its JupyterLab / Notebook 7 extension (menus, toolbar, create-assignment panel)
NBGRADER_LAB_EXTENSIONS = ("@jupyter/nbgrader",)
# JupyterLite's kernel extension is installed for `make site` (and by the test extra); it is
# for the browser-only site, and inside a JupyterLab server it only logs a console error.
SITE_ONLY_LAB_EXTENSIONS = ("@jupyterlite/pyodide-kernel-extension",)
# JupyterLab's "get notified about Jupyter news?" box: it covers the lesson's explorers
DISTRACTING_LAB_PLUGINS = ("@jupyterlab/apputils-extension:announcements",)


def lessons_dir() -> Path:
    """Folder holding the lesson notebooks (inside the installed wheel, or the checkout)."""
    packaged = Path(__file__).parent / "_lessons"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "notebooks"


def lesson_files(source: Path | None = None) -> list[Path]:
    """Every notebook (and the exercises' README) under ``source``, relative to it, sorted."""
    source = lessons_dir() if source is None else Path(source)
    found = [
        path.relative_to(source)
        for path in source.rglob("*")
        if path.is_file()
        and (path.suffix == ".ipynb" or path.name == "README.md")
        and ".ipynb_checkpoints" not in path.parts
    ]
    return sorted(found)


@dataclass
class CopyReport:
    """What ``copy_lessons`` did: files copied and files left alone (already there)."""

    folder: Path
    copied: list[Path] = field(default_factory=list)
    skipped: list[Path] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [f"copied {name}" for name in self.copied]
        out += [f"skipped {name} (already there: your copy is kept)" for name in self.skipped]
        out.append(
            f"{len(self.copied)} copied, {len(self.skipped)} kept as they were, in {self.folder}"
        )
        return out


def copy_lessons(folder: str | os.PathLike = DEFAULT_FOLDER) -> CopyReport:
    """Copy the lessons and student exercises into ``folder``, never overwriting a file.

    A notebook already in ``folder`` (perhaps edited by the student) is skipped and
    reported, so running it again after an upgrade only adds the new lessons.
    """
    source = lessons_dir()
    target = Path(folder)
    if target.exists() and not target.is_dir():
        raise FileExistsError(
            f"folder={str(folder)!r} is a file, expected a folder for the lessons; "
            "name another folder"
        )
    report = CopyReport(folder=target)
    if target.exists() and target.resolve() == source.resolve():
        report.skipped = lesson_files(source)  # the checkout's own notebooks: nothing to copy
        return report
    for name in lesson_files(source):
        destination = target / name
        if destination.exists():
            report.skipped.append(name)
            continue
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source / name, destination)
        report.copied.append(name)
    return report


def student_config(config_dir: Path) -> Path:
    """Write a Jupyter config folder that turns nbgrader's extensions off; return it.

    Put first on ``JUPYTER_CONFIG_PATH`` it outranks the environment's own config
    (where nbgrader enables itself) but not the student's ``~/.jupyter`` settings,
    which stay where they are.
    """
    config_dir = Path(config_dir)
    (config_dir / "labconfig").mkdir(parents=True, exist_ok=True)
    server = {
        "ServerApp": {"jpserver_extensions": dict.fromkeys(NBGRADER_SERVER_EXTENSIONS, False)}
    }
    (config_dir / "jupyter_server_config.json").write_text(json.dumps(server, indent=2))
    disabled = NBGRADER_LAB_EXTENSIONS + SITE_ONLY_LAB_EXTENSIONS + DISTRACTING_LAB_PLUGINS
    page = {"disabledExtensions": dict.fromkeys(disabled, True)}
    (config_dir / "labconfig" / "page_config.json").write_text(json.dumps(page, indent=2))
    return config_dir


def lab_command(folder: Path, extra_args: list[str] | None = None) -> list[str]:
    """The ``jupyter lab`` command line for a student's server on ``folder``."""
    command = [sys.executable, "-m", "jupyterlab", f"--ServerApp.root_dir={folder}"]
    # the same switches on the command line, which outranks every config file
    for name in NBGRADER_SERVER_EXTENSIONS:
        command.append(f"--ServerApp.jpserver_extensions={name}=False")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")  # containers and classroom VMs often run as root
    return command + list(extra_args or [])


def student_environment(config_dir: Path) -> dict[str, str]:
    """The process environment for a student's server, with ``config_dir`` first in line."""
    env = dict(os.environ)
    paths = [str(config_dir)]
    if env.get("JUPYTER_CONFIG_PATH"):
        paths.append(env["JUPYTER_CONFIG_PATH"])
    env["JUPYTER_CONFIG_PATH"] = os.pathsep.join(paths)
    return env


def open_lab(
    folder: str | os.PathLike = DEFAULT_FOLDER, extra_args: list[str] | None = None
) -> int:
    """Copy the lessons into ``folder`` when missing, then run a student's JupyterLab there."""
    if importlib.util.find_spec("jupyterlab") is None:
        raise ModuleNotFoundError(
            "nnkit lab needs JupyterLab, which is not installed in this environment "
            f'({sys.prefix}); install it with: pip install "nnkit-lessons[lab]" '
            "(or pip install jupyterlab ipykernel)"
        )
    folder = Path(folder)
    report = copy_lessons(folder)
    if report.copied:
        print("\n".join(report.lines()))
    with tempfile.TemporaryDirectory(prefix="nnkit-student-") as config_dir:
        student_config(Path(config_dir))
        command = lab_command(folder.resolve(), extra_args)
        server = subprocess.Popen(command, env=student_environment(Path(config_dir)))
        return _wait(server)


def _wait(server: subprocess.Popen) -> int:
    """Wait for the server; pass a stop request on to it instead of leaving it orphaned."""
    previous = signal.signal(signal.SIGTERM, lambda signum, frame: server.terminate())
    try:
        while True:
            try:
                return server.wait()
            except KeyboardInterrupt:
                continue  # Ctrl-C reaches JupyterLab too, which asks whether to shut down
    finally:
        signal.signal(signal.SIGTERM, previous)
