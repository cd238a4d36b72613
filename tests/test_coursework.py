"""The graded exercises end to end with nbgrader: release, autograde, hints.

nbgrader is slow (a kernel per notebook), so the course is released once per
module and every student is autograded in a single pass: a teacher handing in
the solutions, a student handing in the untouched release, and students
making one plausible mistake per exercise (the solution region of one cell
replaced by a wrong answer).
"""

from __future__ import annotations

import csv
import re
import shutil
import textwrap
from pathlib import Path

import nbformat
import pytest

from nnkit import cli, coursework

pytestmark = [
    pytest.mark.slow,
    # nbgrader's own gradebook code trips this SQLAlchemy warning; nothing to act on here
    pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SAWarning"),
]

ASSIGNMENT = "nnkit"
EXERCISES = [
    "ex01_neuron",
    "ex02_forward_softmax",
    "ex03_losses",
    "ex04_backprop",
    "ex05_train_penguins",
]

# student, notebook, grade_id of the solution cell, new code for each solution region
# (None keeps the teacher's), the hint the visible check must print
MISTAKES = [
    (
        "mistakes",
        "ex01_neuron",
        "weighted_sum",
        ["return float(np.dot(inputs, weights))"],
        "you forgot the bias",
    ),
    (
        "mistakes",
        "ex02_forward_softmax",
        "softmax",
        ["exp_z = np.exp(z)\nreturn exp_z / exp_z.sum(axis=1, keepdims=True)"],
        "subtract the maximum",
    ),
    (
        "mistakes",
        "ex03_losses",
        "absolute_error",
        [None, "return np.sign(predictions - targets)"],
        "divide by n",
    ),
    (
        "mistakes",
        "ex04_backprop",
        "dense_backward",
        [
            'self.grads["weights"] = self.inputs.T @ grad_output\n'
            'self.grads["bias"] = grad_output.sum(axis=0)\n'
            "return grad_output @ self.weights"
        ],
        "grad_output @ weights.T",
    ),
    (
        "mistakes",
        "ex05_train_penguins",
        "split",
        [
            "scaler = StandardScaler().fit(data.X)\n"
            "X_train, X_test, y_train, y_test = train_test_split(\n"
            "    data.X, data.y, test_size=0.25, stratify=data.y, random_state=0)\n"
            "X_train_scaled = scaler.transform(X_train)\n"
            "X_test_scaled = scaler.transform(X_test)"
        ],
        "split first",
    ),
    (
        "more_mistakes",
        "ex04_backprop",
        "dense_backward",
        [
            'self.grads["weights"] += self.inputs.T @ grad_output\n'
            'self.grads["bias"] += grad_output.sum(axis=0)\n'
            "return grad_output @ self.weights.T"
        ],
        "don't accumulate them",
    ),
]

REGION = re.compile(r"^([ \t]*)### BEGIN SOLUTION\n.*?^[ \t]*### END SOLUTION", re.M | re.S)


def with_answers(source: str, answers: list[str | None]) -> str:
    """Replace each solution region of ``source`` in turn (None keeps it)."""
    answers = iter(answers)

    def swap(match: re.Match) -> str:
        answer = next(answers)
        if answer is None:
            return match.group(0)
        indent = match.group(1)
        return textwrap.indent(answer, indent)

    return REGION.sub(swap, source)


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Path:
    """The course folder, released once through the command line."""
    folder = tmp_path_factory.mktemp("course")
    assert cli.main(["coursework", "release", "--out", str(folder)]) == 0
    return folder


def _write(folder: Path, notebook: nbformat.NotebookNode, name: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, folder / f"{name}.ipynb")


@pytest.fixture(scope="module")
def graded(course, tmp_path_factory) -> dict[tuple[str, str], tuple[float, float]]:
    """Every student autograded in one pass: {(student, notebook): (score, max_score)}."""
    submissions = tmp_path_factory.mktemp("submissions")
    for name in EXERCISES:
        source = course / "source" / ASSIGNMENT / f"{name}.ipynb"
        shutil.copy(source, _folder(submissions, "teacher"))
        shutil.copy(
            course / "release" / ASSIGNMENT / f"{name}.ipynb", _folder(submissions, "untouched")
        )
    for student, name, grade_id, answers, _ in MISTAKES:
        notebook = nbformat.read(course / "source" / ASSIGNMENT / f"{name}.ipynb", as_version=4)
        cell = next(c for c in notebook.cells if c.metadata["nbgrader"]["grade_id"] == grade_id)
        changed = with_answers(cell.source, answers)
        assert changed != cell.source
        cell.source = changed
        _write(_folder(submissions, student), notebook, name)
    grades = submissions.parent / "grades.csv"
    assert (
        cli.main(
            [
                "coursework",
                "autograde",
                "--course",
                str(course),
                "--submissions",
                str(submissions),
                "--grades",
                str(grades),
            ]
        )
        == 0
    )
    with open(grades, newline="") as handle:
        return {
            (row["student"], row["notebook"]): (float(row["score"]), float(row["max_score"]))
            for row in csv.DictReader(handle)
        }


def _folder(submissions: Path, student: str) -> Path:
    folder = submissions / student / ASSIGNMENT
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _autograded(course: Path, student: str, name: str) -> nbformat.NotebookNode:
    return nbformat.read(
        course / "autograded" / student / ASSIGNMENT / f"{name}.ipynb", as_version=4
    )


def test_every_exercise_is_released(course):
    released = sorted(p.stem for p in (course / "release" / ASSIGNMENT).glob("*.ipynb"))
    assert released == EXERCISES


@pytest.mark.parametrize("name", EXERCISES)
def test_student_version_has_no_solutions_or_hidden_tests(course, name):
    notebook = nbformat.read(course / "release" / ASSIGNMENT / f"{name}.ipynb", as_version=4)
    text = "\n".join(cell.source for cell in notebook.cells)
    assert "BEGIN SOLUTION" not in text and "END SOLUTION" not in text
    assert "HIDDEN TESTS" not in text
    assert "raise NotImplementedError()" in text
    tests = [c for c in notebook.cells if c.metadata.get("nbgrader", {}).get("grade")]
    assert tests and all(c.metadata["nbgrader"]["points"] > 0 for c in tests)
    assert all(c.metadata["nbgrader"]["locked"] for c in tests)


@pytest.mark.parametrize("name", EXERCISES)
def test_teacher_solution_gets_full_marks(graded, name):
    score, max_score = graded[("teacher", name)]
    assert max_score > 0
    assert score == max_score


@pytest.mark.parametrize("name", EXERCISES)
def test_untouched_release_scores_zero(graded, name):
    score, max_score = graded[("untouched", name)]
    assert max_score > 0
    assert score == 0


@pytest.mark.parametrize(
    "student, name, grade_id, answers, hint", MISTAKES, ids=[f"{m[0]}-{m[1]}" for m in MISTAKES]
)
def test_mistake_gets_partial_marks_and_a_hint(
    course, graded, student, name, grade_id, answers, hint
):
    score, max_score = graded[(student, name)]
    assert 0 < score < max_score
    notebook = _autograded(course, student, name)
    printed = "".join(
        output.get("text", "")
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.outputs
        if output.output_type == "stream"
    )
    assert "\u2718" in printed and "Hint:" in printed
    assert hint in printed


def test_grades_csv_has_a_total_per_student(graded):
    students = {student for student, _ in graded}
    assert students == {"teacher", "untouched", "mistakes", "more_mistakes"}
    for student in students:
        rows = [
            value
            for (who, name), value in graded.items()
            if who == student and name != coursework.TOTAL
        ]
        assert len(rows) == len(EXERCISES)
        total = graded[(student, coursework.TOTAL)]
        assert total == (sum(s for s, _ in rows), sum(m for _, m in rows))
    # a notebook not handed in scores 0 out of its points
    assert graded[("more_mistakes", "ex01_neuron")][0] == 0


@pytest.mark.parametrize("name", EXERCISES)
def test_student_version_runs_until_the_first_exercise(course, name):
    """Executed cell by cell, the first error is NotImplementedError in an answer cell."""
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    path = course / "release" / ASSIGNMENT / f"{name}.ipynb"
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(
        notebook,
        timeout=120,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
    )
    failed = None
    with client.setup_kernel():
        for index, cell in enumerate(notebook.cells):
            try:
                client.execute_cell(cell, index)
            except CellExecutionError as error:
                failed = (cell, error)
                break
    assert failed is not None, "the student version ran without reaching an exercise"
    cell, error = failed
    assert error.ename == "NotImplementedError"
    assert cell.metadata["nbgrader"]["solution"]


def test_release_without_notebooks_says_so(tmp_path):
    with pytest.raises(coursework.CourseworkError, match="no notebooks"):
        coursework.release(tmp_path / "course", source=tmp_path)


def test_autograde_needs_a_released_course(tmp_path, capsys):
    code = cli.main(
        [
            "coursework",
            "autograde",
            "--course",
            str(tmp_path),
            "--submissions",
            str(tmp_path),
            "--grades",
            str(tmp_path / "g.csv"),
        ]
    )
    assert code == 2
    assert "not a released course folder" in capsys.readouterr().err


def test_submissions_collected_by_nbgrader_are_graded_in_place(course, graded):
    submitted = course / "submitted"
    students = coursework._collect(submitted, course, ASSIGNMENT)
    assert set(students) == {"teacher", "untouched", "mistakes", "more_mistakes"}
    assert len(list((submitted / "teacher" / ASSIGNMENT).glob("*.ipynb"))) == len(EXERCISES)
