"""Graded coursework with nbgrader: student versions, release, autograde, feedback, solutions.

The repository's ``coursework/`` folder is the nbgrader course directory::

    nbgrader_config.py                      course id, exchange, safe feedback (committed)
    source/nnkit/ex01_neuron.ipynb ...      teacher versions: solutions, hidden tests (committed)
    release/nnkit/...                       student versions to hand out (git-ignored, as below)
    submitted/<student>/nnkit/...           collected work
    autograded/<student>/nnkit/...          executed and scored
    feedback/<student>/nnkit/*.html         feedback, without hidden tests
    gradebook.db                            nbgrader's sqlite gradebook

``notebooks/exercises/`` holds the student versions made by nbgrader's own
``generate_assignment`` from those sources (:func:`write_student_versions`).
Every function takes the course folder, so a teacher who keeps private
hidden tests works in a private copy of ``coursework/`` and passes its path.
Everything goes through nbgrader's API (``NbGraderAPI``) and its ``Gradebook``.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import re
import shutil
import sys
import tempfile
import warnings
from contextlib import contextmanager
from pathlib import Path

ASSIGNMENT = "nnkit"
COURSE_ID = "nnkit"
TOTAL = "TOTAL"
GRADES_COLUMNS = ["student", "notebook", "test", "score", "max_score"]


class CourseworkError(RuntimeError):
    """nbgrader failed, or the folders are not laid out as expected."""


def _delimiters() -> tuple[str, str, str, str]:
    """nbgrader's markers of hidden tests and solutions (begin, end, begin, end).

    Read from nbgrader rather than spelled out, so that nothing nnkit ships
    contains the marker text a leak test searches for.
    """
    from nbgrader.preprocessors import ClearHiddenTests, ClearSolutions

    tests, solutions = ClearHiddenTests(), ClearSolutions()
    return (
        tests.begin_test_delimeter,
        tests.end_test_delimeter,
        solutions.begin_solution_delimeter,
        solutions.end_solution_delimeter,
    )


def without_hidden_tests(source: str) -> str:
    """``source`` with every hidden-test region (markers included) removed."""
    begin, end, _, _ = _delimiters()
    pattern = rf"^[ \t]*### {re.escape(begin)}[ \t]*\n.*?^[ \t]*### {re.escape(end)}[ \t]*(\n|$)"
    return re.sub(pattern, "", source, flags=re.M | re.S).rstrip("\n")


def checkout() -> Path:
    """The checkout that holds ``nnkit/``, ``coursework/`` and ``notebooks/``."""
    import nnkit

    return Path(nnkit.__file__).resolve().parent.parent


def course_dir(path: str | os.PathLike | None = None) -> Path:
    """The course folder (default: the checkout's ``coursework/``), checked for sources."""
    folder = Path(path).resolve() if path else checkout() / "coursework"
    if not any((folder / "source" / ASSIGNMENT).glob("*.ipynb")):
        raise CourseworkError(
            f"no teacher notebooks in {folder / 'source' / ASSIGNMENT}; the coursework tools "
            "need a checkout of nnkit (git clone) or a course folder laid out like its "
            "coursework/ (pass it with --course)"
        )
    return folder


def _venv_on_path() -> None:
    """nbgrader runs ``alembic`` (and Jupyter kernels): find the ones of this Python."""
    bin_dir = str(Path(sys.executable).parent)
    if os.environ.get("PATH", "").split(os.pathsep)[0] != bin_dir:
        os.environ["PATH"] = bin_dir + os.pathsep + os.environ.get("PATH", "")


def safe_feedback_config(config) -> None:
    """Make nbgrader's feedback leave out the hidden tests and tracebacks (on ``config``)."""
    from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
    from nbgrader.preprocessors import GetGrades

    config.GenerateFeedback.preprocessors = [HideHiddenTests, GetGrades, CSSHTMLHeaderPreprocessor]


@contextmanager
def _nbgrader(folder: Path, exchange: str | os.PathLike | None = None):
    """An NbGraderAPI for the course ``folder`` (a throw-away exchange unless given)."""
    from nbgrader.apps import NbGraderAPI
    from traitlets.config import Config

    _venv_on_path()
    with tempfile.TemporaryDirectory(prefix="nnkit-exchange-") as scratch:
        config = Config()
        config.CourseDirectory.root = str(folder)
        config.CourseDirectory.course_id = COURSE_ID
        config.CourseDirectory.db_url = f"sqlite:///{folder / 'gradebook.db'}"
        config.Exchange.root = str(exchange or scratch)
        config.Execute.timeout = 120
        safe_feedback_config(config)
        with warnings.catch_warnings():
            # nbgrader's gradebook triggers a harmless SQLAlchemy 2 warning per student
            warnings.filterwarnings("ignore", message=".*not in session.*")
            yield NbGraderAPI(config=config)


def _check(result: dict, what: str) -> None:
    if not result.get("success"):
        details = result.get("error") or result.get("log") or "no details"
        raise CourseworkError(f"nbgrader {what} failed:\n{details}")


# -- student versions and release ---------------------------------------------------


def release(course: str | os.PathLike | None = None, assignment: str = ASSIGNMENT) -> Path:
    """Run nbgrader's ``generate_assignment`` on the course's sources.

    The student versions (solutions replaced by ``raise NotImplementedError()``,
    hidden tests removed, test cells locked) land in ``<course>/release/<assignment>``,
    and the tests and their points are recorded in ``<course>/gradebook.db``.
    Returns the release folder.
    """
    folder = course_dir(course)
    with _nbgrader(folder) as api:
        _check(api.generate_assignment(assignment, force=True, create=True), "generate_assignment")
    return folder / "release" / assignment


def write_student_versions(
    out_dir: str | os.PathLike, course: str | os.PathLike | None = None
) -> list[Path]:
    """Make the student versions with nbgrader (in a scratch copy) and write them to ``out_dir``.

    This is how ``notebooks/exercises/`` is made; the sources' course folder
    (and its gradebook) is left untouched.
    """
    source = course_dir(course) / "source" / ASSIGNMENT
    out_dir = Path(out_dir)
    with tempfile.TemporaryDirectory(prefix="nnkit-students-") as scratch:
        scratch = Path(scratch)
        shutil.copytree(source, scratch / "source" / ASSIGNMENT)
        released = release(scratch)
        out_dir.mkdir(parents=True, exist_ok=True)
        written = []
        for notebook in sorted(released.glob("*.ipynb")):
            shutil.copy(notebook, out_dir / notebook.name)
            written.append(out_dir / notebook.name)
    return written


# -- autograde ----------------------------------------------------------------------


def _collect(submissions_dir: Path, folder: Path, assignment: str) -> list[str]:
    """Copy ``<student>/<assignment>/*.ipynb`` into the course's submitted folder."""
    if not submissions_dir.is_dir():
        raise CourseworkError(f"no submissions folder at {submissions_dir}")
    students = []
    for student_dir in sorted(p for p in submissions_dir.iterdir() if p.is_dir()):
        notebooks_dir = student_dir / assignment
        if not notebooks_dir.is_dir():
            notebooks_dir = student_dir
        notebooks = sorted(notebooks_dir.glob("*.ipynb"))
        if not notebooks:
            continue
        target = folder / "submitted" / student_dir.name / assignment
        if target.resolve() != notebooks_dir.resolve():  # already there when nbgrader collected
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
    course: str | os.PathLike | None,
    submissions_dir: str | os.PathLike,
    grades_csv: str | os.PathLike,
    assignment: str = ASSIGNMENT,
) -> list[dict]:
    """Autograde every student's submission in one nbgrader run and write ``grades_csv``.

    ``submissions_dir`` holds ``<student_id>/<assignment>/*.ipynb`` (it may be
    the course's own ``submitted/`` folder, filled by ``nbgrader collect``).
    See :func:`grades` for the rows written.
    """
    folder = course_dir(course)
    if not (folder / "gradebook.db").is_file():
        raise CourseworkError(
            f"{folder} is not a released course folder (no gradebook.db); "
            "run `nnkit coursework release` first"
        )
    students = _collect(Path(submissions_dir), folder, assignment)
    with _nbgrader(folder) as api:
        _check(api.autograde(assignment, "*", force=True, create=True), "autograde")
    return grades(folder, grades_csv, assignment, students)


def grades(
    course: str | os.PathLike | None,
    grades_csv: str | os.PathLike,
    assignment: str = ASSIGNMENT,
    students: list[str] | None = None,
) -> list[dict]:
    """Write the gradebook's scores to a CSV file and return its rows.

    Columns student, notebook, test, score, max_score: a row per test cell
    (``test`` is its grade id), a ``TOTAL`` row per notebook, and a row with
    notebook ``TOTAL`` per student. A notebook not handed in scores 0.
    """
    from nbgrader.api import Gradebook, MissingEntry

    folder = Path(course).resolve() if course else checkout() / "coursework"
    rows = []
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*not in session.*")
        with Gradebook(f"sqlite:///{folder / 'gradebook.db'}") as gradebook:
            if students is None:
                students = sorted(s.id for s in gradebook.students)
            notebooks = sorted(
                gradebook.find_assignment(assignment).notebooks, key=lambda n: n.name
            )
            for student in students:
                total = max_total = 0.0
                for notebook in notebooks:
                    cells = sorted(notebook.grade_cells, key=lambda c: c.name)
                    score = 0.0
                    for cell in cells:
                        try:
                            cell_score = gradebook.find_grade(
                                cell.name, notebook.name, assignment, student
                            ).score
                        except MissingEntry:
                            cell_score = 0.0
                        rows.append(
                            _row(student, notebook.name, cell.name, cell_score, cell.max_score)
                        )
                        score += cell_score
                    rows.append(_row(student, notebook.name, TOTAL, score, notebook.max_score))
                    total, max_total = total + score, max_total + notebook.max_score
                rows.append(_row(student, TOTAL, TOTAL, total, max_total))
    grades_csv = Path(grades_csv)
    grades_csv.parent.mkdir(parents=True, exist_ok=True)
    with open(grades_csv, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=GRADES_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return rows


def _row(student: str, notebook: str, test: str, score, max_score) -> dict:
    return {
        "student": student,
        "notebook": notebook,
        "test": test,
        "score": float(score or 0.0),
        "max_score": float(max_score),
    }


# -- feedback without hidden tests -----------------------------------------------------


def _hidden_preprocessor_base():
    # nbgrader's base: enabled by default (nbconvert's plain Preprocessor is not)
    from nbgrader.preprocessors import NbGraderPreprocessor

    return NbGraderPreprocessor


class HideHiddenTests(_hidden_preprocessor_base()):
    """nbgrader feedback preprocessor: no hidden-test code, no traceback that could quote it.

    Test cells get back the source the student saw (the hidden-test region
    removed). Every error keeps only its name and message (a failed
    exercise check: its one line), as a traceback would quote the line of
    the hidden test, or nnkit's internals, that raised.
    """

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type != "code":
            return cell, resources
        if cell.metadata.get("nbgrader", {}).get("grade"):
            cell.source = without_hidden_tests(cell.source)
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error" and output.get("ename") != (
                "ExerciseCheckFailed"
            ):
                output["traceback"] = [f"{output.get('ename')}: {output.get('evalue')}"]
        return cell, resources


def feedback(
    course: str | os.PathLike | None = None,
    assignment: str = ASSIGNMENT,
    student: str | None = None,
) -> list[Path]:
    """Write every autograded student's feedback HTML, without hidden tests or solutions.

    The files land in ``<course>/feedback/<student>/<assignment>/`` (where
    ``nbgrader release_feedback`` / ``return_feedback`` look). Each shows the
    scores, the student's own code, the visible checks' messages and hints.
    """
    folder = course_dir(course)
    if not (folder / "autograded").is_dir():
        raise CourseworkError(f"nothing autograded in {folder}; run `nnkit coursework autograde`")
    with _nbgrader(folder) as api:
        _check(
            api.generate_feedback(assignment, student_id=student, force=True), "generate_feedback"
        )
    pattern = f"{student or '*'}/{assignment}/*.html"
    return sorted((folder / "feedback").glob(pattern))


# -- solutions handout -------------------------------------------------------------------


def _deadline(folder: Path, assignment: str) -> dt.datetime | None:
    """The assignment's due date recorded in the gradebook (nbgrader db assignment --duedate)."""
    from nbgrader.api import Gradebook, MissingEntry

    db = folder / "gradebook.db"
    if not db.is_file():
        return None
    with Gradebook(f"sqlite:///{db}") as gradebook:
        try:
            return gradebook.find_assignment(assignment).duedate
        except MissingEntry:
            return None


def solutions(
    out_dir: str | os.PathLike,
    course: str | os.PathLike | None = None,
    deadline: str | dt.date | None = None,
    force: bool = False,
    assignment: str = ASSIGNMENT,
    today: dt.date | None = None,
) -> list[Path]:
    """Write the solutions handout (answers in, hidden tests out) once the deadline has passed.

    ``deadline`` is a date (``YYYY-MM-DD``); without it the assignment's due
    date in the gradebook counts. Refuses before the deadline, or when no
    deadline is known, unless ``force``.
    """
    folder = course_dir(course)
    today = today or dt.date.today()
    if isinstance(deadline, str):
        try:
            deadline = dt.date.fromisoformat(deadline)
        except ValueError:
            raise CourseworkError(
                f"deadline must be a date such as 2026-12-24, got {deadline!r}"
            ) from None
    if deadline is None:
        due = _deadline(folder, assignment)
        deadline = due.date() if due else None
    if not force:
        if deadline is None:
            raise CourseworkError(
                "no deadline known: pass --deadline YYYY-MM-DD (or --force to write the "
                "solutions anyway)"
            )
        if today <= deadline:
            raise CourseworkError(
                f"the deadline {deadline} has not passed yet (today is {today}): students "
                "could still copy the solutions; pass --force to write them anyway"
            )
    import nbformat

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for path in sorted((folder / "source" / assignment).glob("*.ipynb")):
        notebook = nbformat.read(path, as_version=4)
        _, _, begin, end = _delimiters()
        markers = rf"^[ \t]*### ({re.escape(begin)}|{re.escape(end)})[ \t]*\n?"
        for cell in notebook.cells:
            cell.source = re.sub(markers, "", without_hidden_tests(cell.source), flags=re.M)
            if cell.cell_type == "code":
                cell.outputs = []
        nbformat.write(notebook, out_dir / path.name)
        written.append(out_dir / path.name)
    return written
