"""The teacher's walkthrough, end to end through a JupyterHub-style exchange.

One course, four students, one autograde run (nbgrader is slow: a kernel per
notebook):

- ``untouched`` hands in the release as fetched: 0 points;
- ``correct`` answers everything: full marks;
- ``mistakes`` makes one typical mistake per exercise: partial marks, and the
  feedback shows one hint per mistake;
- ``delegating`` hands the work to nnkit (``nk.softmax``, ``super().backward``,
  ``nk.CrossEntropy()``, ``nk.SGD(...).step``, ``model.fit``): 0 on those parts.

The workflow is nbgrader's own, headless, with a temporary exchange folder and
the course id of ``coursework/nbgrader_config.py``; teacher and students each
have their own HOME and nbgrader config, as on a hub:
release_assignment -> fetch_assignment -> submit -> collect -> autograde
(``nnkit coursework autograde``) -> generate_feedback (``nnkit coursework
feedback``, no hidden tests) -> release_feedback -> fetch_feedback.
"""

from __future__ import annotations

import csv
import os
import re
import shutil
import subprocess
import sys
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

ROOT = Path(__file__).resolve().parent.parent
ASSIGNMENT = "nnkit"
EXERCISES = [
    "ex01_neuron",
    "ex02_forward_softmax",
    "ex03_losses",
    "ex04_backprop",
    "ex05_train_penguins",
    "ex06_gradient_descent",
    "ex07_dropout",
]
# nbgrader's markers, spelled in two pieces so that the sdist (which ships tests/) holds none
BEGIN_SOLUTION = "BEGIN " + "SOLUTION"
HIDDEN_TESTS = "HIDDEN " + "TESTS"
STUDENTS = ["untouched", "correct", "mistakes", "delegating"]

# notebook -> {grade_id of an answer cell: new code for each solution region (None keeps
# the correct answer)}
MISTAKES = {
    "ex01_neuron": {"weighted_sum": ["return float(np.dot(inputs, weights))"]},
    "ex02_forward_softmax": {
        "softmax": ["exp_z = np.exp(z)\nreturn exp_z / exp_z.sum(axis=1, keepdims=True)"]
    },
    "ex03_losses": {
        "absolute_error": [None, "return np.sign(predictions - targets)"],
        "cross_entropy": [
            "exp_z = np.exp(logits - logits.max(axis=1, keepdims=True))\n"
            "p = exp_z / exp_z.sum(axis=1, keepdims=True)\n"
            "p_true = np.clip(p[np.arange(len(labels)), labels], 1e-12, 1.0)\n"
            "return float(-np.log(p_true).mean())",
            None,
        ],
    },
    "ex04_backprop": {
        "dense_backward": [
            'self.grads["weights"] = self.inputs.T @ grad_output\n'
            'self.grads["bias"] = grad_output.sum(axis=0)\n'
            "return grad_output @ self.weights"
        ]
    },
    "ex05_train_penguins": {
        "split": [
            "scaler = StandardScaler().fit(data.X)\n"
            "X_train, X_test, y_train, y_test = train_test_split(\n"
            "    data.X, data.y, test_size=0.25, stratify=data.y, random_state=0)\n"
            "X_train_scaled = scaler.transform(X_train)\n"
            "X_test_scaled = scaler.transform(X_test)"
        ]
    },
    "ex06_gradient_descent": {
        "momentum": [
            "for layer in model.layers:\n"
            "    for name, value in layer.params.items():\n"
            "        key = (value.shape, name)\n"
            "        velocity = self.momentum * self.velocities.get(key, 0.0) + layer.grads[name]\n"
            "        self.velocities[key] = velocity\n"
            "        value -= self.lr * velocity"
        ]
    },
    "ex07_dropout": {"dropout_backward": ["return grad_output * (mask > 0)"]},
}
# the test cells each mistake fails, and a phrase of the hint it must print
MISTAKE_FAILS = {
    "ex01_neuron": {"test_weighted_sum_value": "the bias is missing"},
    "ex02_forward_softmax": {"test_softmax_stable": "Why subtract the largest value first?"},
    "ex03_losses": {
        "test_absolute_error_gradient": "carries a 1/n",
        "test_cross_entropy_stable": "caps the loss",
    },
    "ex04_backprop": {"test_dense_inputs_gradient": "used transposed"},
    "ex05_train_penguins": {"test_honest_scaler": "leaked into training"},
    "ex06_gradient_descent": {"test_momentum_per_parameter": "its own velocity"},
    "ex07_dropout": {
        "test_dropout_backward_values": "its slope is that same mask",
        "test_dropout_backward_numerically": "dL/doutputs * mask",
    },
}

DELEGATING = {
    "ex01_neuron": {"sigmoid": ["import nnkit as nk\n\nreturn nk.Sigmoid().forward(z)"]},
    "ex02_forward_softmax": {
        "softmax": [
            "from nnkit.activations import softmax as nnkit_softmax\n\nreturn nnkit_softmax(z)"
        ]
    },
    "ex03_losses": {
        "cross_entropy": [
            "import nnkit as nk\n\nreturn nk.CrossEntropy()(logits, labels)",
            "import nnkit as nk\n\nloss = nk.CrossEntropy()\nloss.forward(logits, labels)\n"
            "return loss.backward()",
        ]
    },
    "ex04_backprop": {"dense_backward": ["return super().backward(grad_output)"]},
    "ex05_train_penguins": {
        "train": [
            "history = model.fit(X, y, loss=loss, optimizer=optimizer, epochs=epochs,\n"
            "                    shuffle=False)\n"
            "return model, history.loss"
        ]
    },
    "ex06_gradient_descent": {
        "sgd_step": ["nk.SGD(lr=lr).step([layer])\nbreak"],
        "momentum": [
            "if not hasattr(self, 'sgd'):\n"
            "    self.sgd = nk.SGD(lr=self.lr, momentum=self.momentum)\n"
            "self.sgd.step(model)"
        ],
    },
    "ex07_dropout": {
        "dropout_forward": [
            "layer = nk.Dropout(rate)\nlayer.training = training\n"
            "return layer.forward(inputs), layer.mask"
        ]
    },
}
DELEGATED_PARTS = {
    "ex01_neuron": {"test_sigmoid_values", "test_sigmoid_stable"},
    "ex02_forward_softmax": {"test_softmax_rows", "test_softmax_values", "test_softmax_stable"},
    "ex03_losses": {
        "test_cross_entropy",
        "test_cross_entropy_stable",
        "test_cross_entropy_gradient",
        "test_cross_entropy_gradient_stable",
    },
    "ex04_backprop": {
        "test_dense_inputs_gradient",
        "test_dense_parameter_gradients",
        "test_dense_overwritten",
    },
    "ex05_train_penguins": {"test_train_records_losses", "test_train_matches_reference"},
    "ex06_gradient_descent": {
        "test_sgd_step_values",
        "test_sgd_step_in_place",
        "test_momentum_first_step",
        "test_momentum_velocity",
        "test_momentum_per_parameter",
    },
    "ex07_dropout": {
        "test_dropout_forward_values",
        "test_dropout_not_training",
        "test_dropout_uses_rng",
        "test_dropout_backward_numerically",
    },
}

REGION = re.compile(
    r"^([ \t]*)### " + BEGIN_SOLUTION + r"\n(.*?)^[ \t]*### END SOLUTION\n?", re.M | re.S
)


def answered(source: str, answers: list[str | None] | None = None) -> str:
    """The teacher's cell with each solution region replaced (None: the right answer)."""
    answers = iter(answers or [])

    def swap(match: re.Match) -> str:
        answer = next(answers, None)
        if answer is None:
            return match.group(2)
        return textwrap.indent(answer, match.group(1)) + "\n"

    return REGION.sub(swap, source)


# -- the hub: users, configs and nbgrader's own commands --------------------------------


# Hub images run every user's server as the OS user "jovyan" and name the user in
# JUPYTERHUB_USER, which nbgrader then takes as the student id; this machine has one OS
# user, so the commands run as if it were jovyan.
AS_HUB_USER = (
    "import sys, nbgrader.utils\n"
    "nbgrader.utils.get_osusername = lambda: 'jovyan'\n"
    "from nbgrader.apps.nbgraderapp import main\n"
    "main()\n"
)


def nbgrader(home: Path, cwd: Path, *args: str, user: str) -> str:
    """Run an nbgrader command as hub user ``user`` (own HOME and config)."""
    env = dict(os.environ)
    env.update(
        HOME=str(home),
        JUPYTERHUB_USER=user,
        JUPYTER_CONFIG_DIR=str(home / ".jupyter"),
        PATH=str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", ""),
        PYTHONPATH=str(ROOT) + os.pathsep + env.get("PYTHONPATH", ""),
    )
    done = subprocess.run(
        [sys.executable, "-c", AS_HUB_USER, *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, f"nbgrader {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout + done.stderr


@pytest.fixture(scope="module")
def hub(tmp_path_factory) -> dict:
    """Release, fetch, answer, submit, collect, autograde, feedback: everything once."""
    base = tmp_path_factory.mktemp("hub")
    exchange = base / "exchange"
    exchange.mkdir()
    exchange.chmod(0o777)

    # the teacher: a copy of the checkout's course folder, its committed config unchanged
    teacher_home = base / "home" / "teacher"
    (teacher_home / ".jupyter").mkdir(parents=True)
    course = teacher_home / "coursework"
    shutil.copytree(
        ROOT / "coursework",
        course,
        ignore=shutil.ignore_patterns(
            "release", "submitted", "autograded", "feedback", "gradebook.db", "solutions"
        ),
    )
    os.environ["NBGRADER_EXCHANGE"] = str(exchange)  # read by coursework/nbgrader_config.py
    try:
        assert cli.main(["coursework", "release", "--course", str(course)]) == 0
        nbgrader(teacher_home, course, "release_assignment", ASSIGNMENT, "--force", user="teacher")

        teacher_sources = {
            name: nbformat.read(course / "source" / ASSIGNMENT / f"{name}.ipynb", as_version=4)
            for name in EXERCISES
        }
        homes = {}
        for student in STUDENTS:
            home = base / "home" / student
            (home / ".jupyter").mkdir(parents=True)
            (home / ".jupyter" / "nbgrader_config.py").write_text(
                STUDENT_CONFIG.format(exchange=exchange)
            )
            nbgrader(home, home, "fetch_assignment", ASSIGNMENT, user=student)
            for name in EXERCISES:
                path = home / ASSIGNMENT / f"{name}.ipynb"
                write_answers(path, teacher_sources[name], student, name)
            nbgrader(home, home, "submit", ASSIGNMENT, user=student)
            homes[student] = home

        nbgrader(teacher_home, course, "collect", ASSIGNMENT, user="teacher")
        grades_csv = base / "grades.csv"
        assert (
            cli.main(
                [
                    "coursework",
                    "autograde",
                    "--course",
                    str(course),
                    "--submissions",
                    str(course / "submitted"),
                    "--grades",
                    str(grades_csv),
                ]
            )
            == 0
        )
        assert cli.main(["coursework", "feedback", "--course", str(course)]) == 0
        nbgrader(teacher_home, course, "release_feedback", ASSIGNMENT, user="teacher")
        for student, home in homes.items():
            nbgrader(home, home, "fetch_feedback", ASSIGNMENT, user=student)
    finally:
        del os.environ["NBGRADER_EXCHANGE"]
    with open(grades_csv, newline="") as handle:
        rows = list(csv.DictReader(handle))
    return {"course": course, "homes": homes, "rows": rows, "exchange": exchange}


STUDENT_CONFIG = """\
c = get_config()  # noqa: F821
c.CourseDirectory.course_id = "nnkit"
c.Exchange.root = "{exchange}"
"""


def write_answers(path: Path, teacher: nbformat.NotebookNode, student: str, name: str) -> None:
    """Fill the fetched notebook at ``path`` as ``student`` would."""
    if student == "untouched":
        return
    changes = {"mistakes": MISTAKES, "delegating": DELEGATING}.get(student, {}).get(name, {})
    notebook = nbformat.read(path, as_version=4)
    for cell in notebook.cells:
        info = cell.metadata.get("nbgrader", {})
        if info.get("solution"):
            source = next(
                c for c in teacher.cells if c.metadata.nbgrader.grade_id == info["grade_id"]
            )
            cell.source = answered(source.source, changes.get(info["grade_id"]))
            assert BEGIN_SOLUTION not in cell.source
    nbformat.write(notebook, path)


def scores(rows: list[dict]) -> dict[tuple[str, str, str], tuple[float, float]]:
    return {
        (r["student"], r["notebook"], r["test"]): (float(r["score"]), float(r["max_score"]))
        for r in rows
    }


def failed_cells(rows, student: str, name: str) -> set[str]:
    return {
        test
        for (who, notebook, test), (score, max_score) in scores(rows).items()
        if who == student and notebook == name and test != coursework.TOTAL and score < max_score
    }


def feedback_html(hub, student: str, name: str) -> str:
    """The feedback the student fetched back from the exchange."""
    (path,) = (hub["homes"][student] / ASSIGNMENT / "feedback").glob(f"*/{name}.html")
    return path.read_text(encoding="utf-8")


# -- the four students -----------------------------------------------------------------------


def test_untouched_release_scores_zero(hub):
    table = scores(hub["rows"])
    total, max_total = table[("untouched", coursework.TOTAL, coursework.TOTAL)]
    assert max_total == 44 and total == 0


def test_correct_answers_get_full_marks(hub):
    table = scores(hub["rows"])
    for name in EXERCISES:
        score, max_score = table[("correct", name, coursework.TOTAL)]
        assert max_score > 0 and score == max_score, name
    assert table[("correct", coursework.TOTAL, coursework.TOTAL)] == (44.0, 44.0)


@pytest.mark.parametrize("name", EXERCISES)
def test_each_mistake_costs_its_own_part_and_shows_its_hint(hub, name):
    assert failed_cells(hub["rows"], "mistakes", name) == set(MISTAKE_FAILS[name])
    html = feedback_html(hub, "mistakes", name)
    for hint in MISTAKE_FAILS[name].values():
        assert hint in html.replace("&#39;", "'")
    assert html.count("Hint:") == len(MISTAKE_FAILS[name])
    table = scores(hub["rows"])
    score, max_score = table[("mistakes", name, coursework.TOTAL)]
    assert 0 < score < max_score


@pytest.mark.parametrize("name", EXERCISES)
def test_handing_the_work_to_nnkit_scores_zero_on_those_parts(hub, name):
    assert failed_cells(hub["rows"], "delegating", name) == DELEGATED_PARTS[name]
    html = feedback_html(hub, "delegating", name)
    assert "write this yourself" in html


def test_scores_of_the_walkthrough(hub):
    table = scores(hub["rows"])
    totals = {s: table[(s, coursework.TOTAL, coursework.TOTAL)][0] for s in STUDENTS}
    # 44 points: the mistakes cost 9 cells, the delegated parts 23
    assert totals == {"untouched": 0.0, "correct": 44.0, "mistakes": 35.0, "delegating": 21.0}


def test_grades_csv_has_a_row_per_test_cell_and_totals(hub):
    rows = hub["rows"]
    assert list(rows[0]) == coursework.GRADES_COLUMNS
    for student in STUDENTS:
        mine = [r for r in rows if r["student"] == student]
        cells = [r for r in mine if r["notebook"] != coursework.TOTAL and r["test"] != "TOTAL"]
        assert len(cells) == 43  # test cells over the seven notebooks
        for name in EXERCISES:
            parts = [float(r["score"]) for r in cells if r["notebook"] == name]
            (total,) = [r for r in mine if r["notebook"] == name and r["test"] == "TOTAL"]
            assert float(total["score"]) == sum(parts)


# -- nothing a student receives holds a solution or a hidden test ------------------------------


def test_feedback_holds_no_hidden_test_no_solution_and_no_traceback(hub):
    hidden_code = []  # every line of every hidden test long enough to be telling
    for name in EXERCISES:
        path = hub["course"] / "source" / ASSIGNMENT / f"{name}.ipynb"
        for cell in nbformat.read(path, as_version=4).cells:
            for region in re.findall(
                r"### BEGIN " + HIDDEN_TESTS + r"\n(.*?)### END", cell.source, flags=re.S
            ):
                hidden_code += [line.strip() for line in region.splitlines() if len(line) > 20]
    assert len(hidden_code) > 10
    for student in STUDENTS:
        for name in EXERCISES:
            html = feedback_html(hub, student, name)
            assert HIDDEN_TESTS not in html and BEGIN_SOLUTION not in html
            assert "most recent call last" not in html and "site-packages" not in html
            text = html.replace("&quot;", '"').replace("&#39;", "'")
            for line in hidden_code:
                assert line not in text, (student, name, line)
    untouched = feedback_html(hub, "untouched", "ex02_forward_softmax")
    assert "exp_z.sum(axis=1, keepdims=True)" not in untouched  # the solution


def test_release_and_exchange_hold_no_solution_or_hidden_test(hub):
    released = list((hub["exchange"] / "nnkit" / "outbound" / ASSIGNMENT).glob("*.ipynb"))
    assert sorted(p.stem for p in released) == EXERCISES
    for path in released:
        text = path.read_text(encoding="utf-8")
        assert BEGIN_SOLUTION not in text and HIDDEN_TESTS not in text


def test_committed_student_versions_are_up_to_date_and_clean(hub):
    """notebooks/exercises/ is what nbgrader makes from coursework/source (regenerate:
    `nnkit coursework student-versions`)."""
    released = hub["course"] / "release" / ASSIGNMENT
    committed = sorted((ROOT / "notebooks" / "exercises").glob("*.ipynb"))
    assert [p.stem for p in committed] == EXERCISES
    for path in committed:
        mine = nbformat.read(path, as_version=4)
        fresh = nbformat.read(released / path.name, as_version=4)
        assert [(c.cell_type, c.source, c.metadata) for c in mine.cells] == [
            (c.cell_type, c.source, c.metadata) for c in fresh.cells
        ], f"{path.name} is out of date: run `nnkit coursework student-versions`"
        text = path.read_text(encoding="utf-8")
        assert BEGIN_SOLUTION not in text and HIDDEN_TESTS not in text


def test_autograded_failures_are_one_line_not_a_traceback(hub):
    path = hub["course"] / "autograded" / "mistakes" / ASSIGNMENT / "ex02_forward_softmax.ipynb"
    notebook = nbformat.read(path, as_version=4)
    errors = [
        o
        for c in notebook.cells
        if c.cell_type == "code"
        for o in c.outputs
        if o.output_type == "error"
    ]
    assert [e.ename for e in errors] == ["ExerciseCheckFailed"]
    assert len(errors[0].traceback) == 1 and "nnkit" not in errors[0].traceback[0]


def test_the_feedback_preprocessor_removes_hidden_tests_and_tracebacks():
    """The preprocessor nbgrader_config.py and `nnkit coursework feedback` give nbgrader."""
    from nbconvert import HTMLExporter

    test = nbformat.v4.new_code_cell(
        "check_softmax_rows(softmax)\n### BEGIN " + HIDDEN_TESTS + "\nsecret_case(42)\n"
        "### END " + HIDDEN_TESTS,
        metadata={"nbgrader": {"grade": True, "grade_id": "t", "points": 1}},
    )
    test.outputs = [
        nbformat.v4.new_output(
            "error",
            ename="NameError",
            evalue="name 'x' is not defined",
            traceback=["Traceback (most recent call last)", "secret_case(42)"],
        )
    ]
    exporter = HTMLExporter()
    exporter.register_preprocessor(coursework.HideHiddenTests)  # as nbgrader does
    html, _ = exporter.from_notebook_node(nbformat.v4.new_notebook(cells=[test]))
    assert "check_softmax_rows" in html
    assert "secret_case" not in html and HIDDEN_TESTS not in html and "Traceback" not in html
    assert "NameError" in html


# -- the other commands ------------------------------------------------------------------------


def test_solutions_handout_waits_for_the_deadline(hub, tmp_path, capsys):
    course = str(hub["course"])
    out = tmp_path / "solutions"
    args = ["coursework", "solutions", "--course", course, "--out", str(out)]
    assert cli.main([*args, "--deadline", "2999-01-01"]) == 2
    assert "has not passed yet" in capsys.readouterr().err
    assert not out.exists()
    assert cli.main(args) == 2  # no deadline given and none in the gradebook
    assert cli.main([*args, "--deadline", "2000-01-01"]) == 0
    written = sorted(out.glob("*.ipynb"))
    assert [p.stem for p in written] == EXERCISES
    text = (out / "ex02_forward_softmax.ipynb").read_text(encoding="utf-8")
    assert "exp_z.sum(axis=1, keepdims=True)" in text  # the answers
    assert BEGIN_SOLUTION not in text and HIDDEN_TESTS not in text
    code = [c.source for c in nbformat.reads(text, as_version=4).cells if c.cell_type == "code"]
    assert not [source for source in code if "raise NotImplementedError" in source]


def test_autograde_needs_a_released_course(tmp_path, capsys):
    shutil.copytree(ROOT / "coursework" / "source", tmp_path / "source")
    code = cli.main(
        ["coursework", "autograde", "--course", str(tmp_path), "--submissions", str(tmp_path)]
    )
    assert code == 2
    assert "not a released course folder" in capsys.readouterr().err


def test_a_folder_without_sources_says_what_is_expected(tmp_path, capsys):
    assert cli.main(["coursework", "release", "--course", str(tmp_path)]) == 2
    assert "no teacher notebooks" in capsys.readouterr().err
