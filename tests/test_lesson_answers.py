"""Every lesson's "check yourself" and "your turn" cells, answered right and answered wrong.

The committed cells hold ``...`` placeholders, so Run All ends with "not answered yet"
and no tick. This test runs each lesson's code cells in order (in this process, like
a fresh kernel would), then runs every answer cell three times: as committed (no tick),
with the right answers put in place of the ``...`` (a tick for each check, no cross)
and with a typical wrong answer (the hint that answer deserves).
"""

from __future__ import annotations

import contextlib
import functools
import io
import re
from pathlib import Path

import nbformat
import pytest

from nnkit.checks.base import CROSS, TICK

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"

# lesson -> {answer variable: (right answer, typical wrong answer, a word of its hint)}
ANSWERS = {
    "01_the_neuron": {
        "my_bias": ("-1.0", "1.0", "MINUS"),
        "my_weighted_sum": ("0.5 * 2.0 + -1.0 * 1.5 + 0.25", "-0.5", "bias"),
        "my_step_output": ("0", "1", "threshold"),
    },
    "02_layers_and_forward_pass": {
        "my_hidden_value": ("0.5", "0.0", "sigmoid"),
        "my_hidden_shape": ("(10, 5)", "(5, 10)", "rows"),
        "my_parameter_count": ("43", "35", "bias"),
    },
    "03_softmax": {
        "my_hot_probability": ("0.3996", "0.6590", "divide every value by T"),
        "my_probabilities": (
            "np.exp(values) / np.exp(values).sum()",
            "np.exp(values)",
            "divide",
        ),
        "my_prediction": ('"Adelie"', '"Gentoo"', "highest"),
    },
    "04_loss": {
        "my_confident_loss": ("-np.log(0.05)", "0.95", "absolute error"),
        "my_absolute_error": ("0.5", "1.5", "mean"),
        "my_cross_entropy": ("-np.log(0.25)", "np.log(0.25)", "sign"),
    },
    "05_gradient_descent": {
        "my_critical_learning_rate": ("0.94", "0.5", "further right"),
        "my_new_weight": ("1.6", "2.4", "uphill"),
        "my_diverging_learning_rate": ("1.5", "0.5", "larger"),
    },
    "06_backpropagation": {
        "my_output_gradient": ("0.6338 - 1", "1 - 0.6338", "sign"),
        "my_dL_dz": ("0.4028 * 0.7311 * (1 - 0.7311)", "0.4028", "slope"),
        "my_dL_dw": ("2.0 * -0.0977", "-0.0977", "input"),
    },
    "07_training_penguins": {
        "my_diverging_learning_rate": ("15.8", "10", "further right"),
        "my_tuning_split": ('"validation"', '"test"', "flatters"),
        "my_best_epoch": ("int(np.argmin(history.val_loss)) + 1", "0", "val_loss"),
    },
    "08_playground": {
        "my_circle_features": (
            '("x1_squared", "x2_squared")',
            '("x1", "x2")',
            "distance from the centre",
        ),
        "my_xor_feature": ('"x1_x2"', '"x1_squared"', "both inputs"),
        "my_playground": (
            'Playground(dataset="xor", hidden_layers=2, neurons=4, learning_rate=0.3, seed=0)'
            "\nmy_playground.step(epochs=60)",
            'Playground(dataset="xor", hidden_layers=0, seed=0)\nmy_playground.step(epochs=5)',
            "train more epochs",
        ),
    },
}
PLACEHOLDER = re.compile(r"^(\w+) = \.\.\.(.*)$", re.MULTILINE)


def _run(source: str, namespace: dict) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(source, "<lesson cell>", "exec"), namespace)
    return out.getvalue()


def _answer(source: str, answers: dict, which: int) -> str:
    def put(match):
        first, *rest = answers[match.group(1)][which].split("\n")
        return "\n".join([f"{match.group(1)} = {first}", *rest])

    return PLACEHOLDER.sub(put, source)


def _lesson(name: str):
    nb = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
    # the browser-install cell awaits at the top level, which only a kernel allows; it does
    # nothing outside the browser anyway
    return [
        cell.source
        for cell in nb.cells
        if cell.cell_type == "code" and "nnkit-browser-install" not in cell.metadata.get("tags", [])
    ]


@functools.cache
def _run_lesson(name: str):
    """Run the lesson's cells in order; keep the namespace and the answer cells."""
    from IPython.display import display

    namespace: dict = {"display": display, "__name__": "__lesson__"}
    answer_cells = []
    for source in _lesson(name):
        runnable = "\n".join(line for line in source.splitlines() if not line.startswith("%"))
        output = _run(runnable, namespace)
        if PLACEHOLDER.search(source):
            answer_cells.append((source, output))
    return name, namespace, answer_cells


@pytest.fixture(params=sorted(ANSWERS))
def lesson(request):
    return _run_lesson(request.param)


def test_every_answer_cell_starts_unanswered(lesson):
    name, _, cells = lesson
    assert cells, f"{name} has no cell with a ... placeholder"
    names = {m.group(1) for source, _ in cells for m in PLACEHOLDER.finditer(source)}
    assert names == set(ANSWERS[name]), "ANSWERS must name every placeholder of the lesson"
    for source, output in cells:
        assert TICK not in output, (source, output)
        assert output.count("not answered yet") == len(PLACEHOLDER.findall(source)), output


def test_right_answers_get_a_tick(lesson):
    name, namespace, cells = lesson
    for source, _ in cells:
        output = _run(_answer(source, ANSWERS[name], 0), namespace)
        assert CROSS not in output and "not answered" not in output, output
        assert output.count(TICK) == len(PLACEHOLDER.findall(source)), output


def test_typical_wrong_answers_get_their_hint(lesson):
    name, namespace, cells = lesson
    for source, _ in cells:
        for match in PLACEHOLDER.finditer(source):
            variable = match.group(1)
            # only this answer wrong, the others right: the one cross carries its hint
            answers = dict(ANSWERS[name])
            _, wrong, hint = answers[variable]
            answers[variable] = (wrong, wrong, hint)
            output = _run(_answer(source, answers, 0), namespace)
            assert output.count(CROSS) == 1, (variable, output)
            assert "Hint:" in output and hint in output, (variable, output)


def test_lesson_07_split_is_the_dashboards():
    """Lesson 7 splits step by step exactly as TrainingDashboard does (the same penguins)."""
    import numpy as np

    from nnkit.widgets.dashboard import penguin_three_way_split

    _, namespace, _ = _run_lesson("07_training_penguins")
    parts = penguin_three_way_split()
    for mine, theirs in zip(("X_train", "X_val", "X_test", "y_train", "y_val", "y_test"), parts):
        assert np.array_equal(namespace[mine], theirs), mine


def _cells(name: str):
    return nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4).cells


def test_lesson_01_step_hint_keeps_the_weighted_sum_secret():
    """Both answers wrong: the step-output hint must not print the weighted sum (-0.25)."""
    _, namespace, cells = _run_lesson("01_the_neuron")
    (source,) = [s for s, _ in cells if "my_step_output" in s]
    answers = {k: (wrong, wrong, hint) for k, (_, wrong, hint) in ANSWERS["01_the_neuron"].items()}
    output = _run(_answer(source, answers, 0), namespace)
    assert output.count(CROSS) == 2, output
    assert "-0.25" not in output and "threshold" in output, output


def test_lesson_06_run_all_leaves_the_stepper_on_step_0():
    """Section 4 says "press Next": after Run All its stepper must still be on the first step."""
    _, namespace, _ = _run_lesson("06_backpropagation")
    stepper = namespace["stepper"]
    assert stepper.value("step") == 0
    assert not stepper.controls["next"].disabled


def test_lesson_07_summary_does_not_answer_the_divergence_question():
    summary = next(c.source for c in _cells("07_training_penguins") if "## Summary" in c.source)
    right = ANSWERS["07_training_penguins"]["my_diverging_learning_rate"][0]
    assert "diverges" in summary
    assert not re.search(rf"\b(16|{re.escape(right)})\b", summary), summary


def test_lesson_09_asks_before_it_prints_the_answer():
    """The your-turn checks come before the cells that print the baseline and the recall."""
    sources = [c.source for c in _cells("09_generalisation")]

    def first(text):
        return next(i for i, s in enumerate(sources) if text in s)

    assert first("check_majority_baseline(") < first("counts.max() / counts.sum()")
    assert first("check_recall(") < first("classification_report(y_test")
    assert first("confusion_matrix(y_test") < first("check_recall(")


@pytest.mark.parametrize(
    "name", ["06_backpropagation", "07_training_penguins", "09_generalisation"]
)
def test_code_lines_fit_a_1280_px_window(name):
    for cell in _cells(name):
        if cell.cell_type == "code":
            for line in cell.source.splitlines():
                assert len(line) <= 100, line
