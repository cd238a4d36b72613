"""Graded coursework with nbgrader: release the exercises, autograde submissions.

The teacher versions of the exercises live in ``notebooks/exercises`` (next to
the ``nnkit`` package in the checkout). Everything here goes through
nbgrader's own API (``NbGraderAPI``: ``generate_assignment``, ``autograde``,
and its ``Gradebook`` for the scores), with a course directory laid out as
nbgrader expects::

    <course>/source/<assignment>/ex01_neuron.ipynb ...   teacher versions (copied here)
    <course>/release/<assignment>/...                     student versions: hand these out
    <course>/submitted/<student>/<assignment>/...         collected work (copied in by autograde)
    <course>/autograded/<student>/<assignment>/...        executed and scored
    <course>/gradebook.db                                 nbgrader's sqlite gradebook

Submissions are collected as ``<submissions>/<student_id>/<assignment>/*.ipynb``
(a folder per student, inside it a folder named after the assignment; the
notebooks may also sit directly in the student's folder).
"""

from __future__ import annotations

import csv
import os
import shutil
import sys
import tempfile
import warnings
from contextlib import contextmanager
from pathlib import Path

ASSIGNMENT = "nnkit"
TOTAL = "TOTAL"


class CourseworkError(RuntimeError):
    """nbgrader failed, or the folders are not laid out as expected."""


def exercises_dir() -> Path:
    """The folder of teacher notebooks: ``notebooks/exercises`` next to the package."""
    import nnkit

    folder = Path(nnkit.__file__).resolve().parent.parent / "notebooks" / "exercises"
    if not folder.is_dir() or not any(folder.glob("*.ipynb")):
        raise CourseworkError(
            f"no exercise notebooks found in {folder}; the coursework tools need a checkout "
            "of nnkit (git clone, then pip install -e .), where notebooks/ sits next to nnkit/"
        )
    return folder


def _venv_on_path() -> None:
    """nbgrader runs ``alembic`` (and Jupyter kernels): find the ones of this Python."""
    bin_dir = str(Path(sys.executable).parent)
    if os.environ.get("PATH", "").split(os.pathsep)[0] != bin_dir:
        os.environ["PATH"] = bin_dir + os.pathsep + os.environ.get("PATH", "")


@contextmanager
def _nbgrader(course_dir: Path):
    """An NbGraderAPI for ``course_dir``, with a throw-away exchange folder."""
    from nbgrader.apps import NbGraderAPI
    from traitlets.config import Config

    _venv_on_path()
    with tempfile.TemporaryDirectory(prefix="nnkit-exchange-") as exchange:
        config = Config()
        config.CourseDirectory.root = str(course_dir)
        config.CourseDirectory.db_url = f"sqlite:///{course_dir / 'gradebook.db'}"
        config.Exchange.root = exchange
        config.Execute.timeout = 120
        yield NbGraderAPI(config=config)


def _check(result: dict, what: str) -> None:
    if not result.get("success"):
        details = result.get("error") or result.get("log") or "no details"
        raise CourseworkError(f"nbgrader {what} failed:\n{details}")


def release(
    out_dir: str | os.PathLike,
    assignment: str = ASSIGNMENT,
    source: str | os.PathLike | None = None,
) -> Path:
    """Build a course folder and generate the student versions with nbgrader.

    Copies the teacher notebooks (``source``, default :func:`exercises_dir`)
    to ``out_dir/source/<assignment>/`` and runs ``generate_assignment``,
    which removes the solutions and hidden tests and records the tests in
    ``out_dir/gradebook.db``. Returns ``out_dir/release/<assignment>``, the
    folder to hand out.
    """
    course_dir = Path(out_dir).resolve()
    notebooks = sorted(Path(source or exercises_dir()).glob("*.ipynb"))
    if not notebooks:
        raise CourseworkError(f"no notebooks to release in {source}")
    source_dir = course_dir / "source" / assignment
    if source_dir.exists():
        shutil.rmtree(source_dir)
    source_dir.mkdir(parents=True)
    for notebook in notebooks:
        shutil.copy(notebook, source_dir / notebook.name)
    (course_dir / "nbgrader_config.py").write_text(
        "# nbgrader settings for this course folder (run nbgrader / formgrader from here)\n"
        "import os\n\n"
        "c = get_config()  # noqa: F821\n"
        "c.CourseDirectory.root = os.path.dirname(os.path.abspath(__file__))\n"
    )
    with _nbgrader(course_dir) as api:
        _check(api.generate_assignment(assignment, force=True, create=True), "generate_assignment")
    return course_dir / "release" / assignment


def _collect(submissions_dir: Path, course_dir: Path, assignment: str) -> list[str]:
    """Copy ``<student>/<assignment>/*.ipynb`` into the course's submitted folder."""
    if not submissions_dir.is_dir():
        raise CourseworkError(f"no submissions folder at {submissions_dir}")
    students = []
    for student_dir in sorted(p for p in submissions_dir.iterdir() if p.is_dir()):
        folder = student_dir / assignment
        if not folder.is_dir():
            folder = student_dir
        notebooks = sorted(folder.glob("*.ipynb"))
        if not notebooks:
            continue
        target = course_dir / "submitted" / student_dir.name / assignment
        if target.resolve() != folder.resolve():  # already there when collected by nbgrader
            if target.exists():
                shutil.rmtree(target)
            target.mkdir(parents=True)
            for notebook in notebooks:
                shutil.copy(notebook, target / notebook.name)
        students.append(student_dir.name)
    if not students:
        raise CourseworkError(
            f"no notebooks found in {submissions_dir}; expected "
            f"{submissions_dir}/<student_id>/{assignment}/*.ipynb"
        )
    return students


def autograde(
    course_dir: str | os.PathLike,
    submissions_dir: str | os.PathLike,
    grades_csv: str | os.PathLike,
    assignment: str = ASSIGNMENT,
) -> list[dict]:
    """Autograde every student's submission and write the grades to a CSV file.

    ``course_dir`` is a folder made by :func:`release`; ``submissions_dir``
    holds ``<student_id>/<assignment>/*.ipynb``. The submissions are copied
    to ``course_dir/submitted`` and graded in one nbgrader ``autograde`` run.
    The CSV has the columns student, notebook, score, max_score: one row per
    student and notebook, then a ``TOTAL`` row per student. Notebooks a
    student did not hand in score 0. Returns the rows.
    """
    from nbgrader.api import Gradebook, MissingEntry

    course_dir = Path(course_dir).resolve()
    db_path = course_dir / "gradebook.db"
    if not db_path.is_file():
        raise CourseworkError(
            f"{course_dir} is not a released course folder (no gradebook.db); "
            "run `python -m nnkit coursework release --out DIR` first"
        )
    students = _collect(Path(submissions_dir), course_dir, assignment)
    with _nbgrader(course_dir) as api:
        with warnings.catch_warnings():
            # nbgrader's gradebook triggers a harmless SQLAlchemy 2 warning per student
            warnings.filterwarnings("ignore", message=".*not in session.*")
            _check(api.autograde(assignment, "*", force=True, create=True), "autograde")

    rows = []
    with Gradebook(f"sqlite:///{db_path}") as gradebook:
        notebooks = sorted(nb.name for nb in gradebook.find_assignment(assignment).notebooks)
        for student in students:
            total = max_total = 0.0
            for name in notebooks:
                max_score = gradebook.find_notebook(name, assignment).max_score
                try:
                    score = gradebook.find_submission_notebook(name, assignment, student).score
                except MissingEntry:
                    score = 0.0
                rows.append(
                    {
                        "student": student,
                        "notebook": name,
                        "score": float(score),
                        "max_score": float(max_score),
                    }
                )
                total, max_total = total + score, max_total + max_score
            rows.append(
                {
                    "student": student,
                    "notebook": TOTAL,
                    "score": float(total),
                    "max_score": float(max_total),
                }
            )
    grades_csv = Path(grades_csv)
    grades_csv.parent.mkdir(parents=True, exist_ok=True)
    with open(grades_csv, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=["student", "notebook", "score", "max_score"])
        writer.writeheader()
        writer.writerows(rows)
    return rows
