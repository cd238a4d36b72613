"""Lesson self-checks: a tick for a right answer, a hint for a wrong one."""

import math

import numpy as np
import pytest

import nnkit as nk
from nnkit.checks import CheckFailed, CheckResult
from nnkit.checks.base import CROSS, TICK
from nnkit.checks.lessons import (
    check_absolute_error,
    check_cross_entropy,
    check_hidden_shape,
    check_parameter_count,
    check_prediction,
    check_softmax,
    check_step_output,
    check_weighted_sum,
)

# (check, a right answer, wrong answers with a word the hint must contain)
CASES = [
    pytest.param(
        check_weighted_sum,
        0.5 * 2.0 + -1.0 * 1.5 + 0.25,
        [(-0.5, "bias"), (3.25, "its own weight"), (7, "multiply")],
        marks=pytest.mark.lesson(1),
        id="weighted_sum",
    ),
    pytest.param(
        check_step_output,
        0,
        [(1, "threshold"), (-0.25, "0 or 1")],
        marks=pytest.mark.lesson(1),
        id="step_output",
    ),
    pytest.param(
        check_hidden_shape,
        (10, 5),
        [((5, 10), "rows"), ((10, 4), "input"), ((3, 3), "n_neurons")],
        marks=pytest.mark.lesson(2),
        id="hidden_shape",
    ),
    pytest.param(
        check_parameter_count,
        43,
        [(35, "bias"), (47, "inputs"), (12, "Dense")],
        marks=pytest.mark.lesson(2),
        id="parameter_count",
    ),
    pytest.param(
        check_softmax,
        nk.softmax(np.array([2.0, 1.0, 0.1])),
        [
            (np.exp([2.0, 1.0, 0.1]), "divide"),
            ([2.0, 1.0, 0.1], "add up to 1"),
            ([1.0, 0.0, 0.0], "e^(value_1)"),
            ([0.5, 0.5], "one probability"),
        ],
        marks=pytest.mark.lesson(3),
        id="softmax",
    ),
    pytest.param(
        check_prediction,
        "Adelie",
        [("Gentoo", "highest"), (1, "highest")],
        marks=pytest.mark.lesson(3),
        id="prediction",
    ),
    pytest.param(
        check_absolute_error,
        0.5,
        [(-0.5 / 3, "absolute value"), (1.5, "mean"), (1.25 / 3, "squared"), (2.0, "average")],
        marks=pytest.mark.lesson(4),
        id="absolute_error",
    ),
    pytest.param(
        check_cross_entropy,
        -math.log(0.25),
        [
            (math.log(0.25), "sign"),
            (-math.log10(0.25), "natural"),
            (-math.log(0.75), "TRUE class"),
            (0.75, "absolute error"),
            (9, "-log"),
        ],
        marks=pytest.mark.lesson(4),
        id="cross_entropy",
    ),
]


@pytest.mark.parametrize(("check", "right", "wrong"), CASES)
def test_right_answer_prints_a_tick(check, right, wrong, capsys):
    result = check(right)
    out = capsys.readouterr().out
    assert isinstance(result, CheckResult) and result.passed and bool(result)
    assert out.startswith(TICK) and "Hint" not in out


@pytest.mark.parametrize(("check", "right", "wrong"), CASES)
def test_wrong_answers_print_a_matching_hint(check, right, wrong, capsys):
    for answer, hint_word in wrong:
        result = check(answer)
        out = capsys.readouterr().out
        assert isinstance(result, CheckResult) and not result.passed
        assert out.startswith(CROSS), answer
        assert "Hint:" in out and hint_word in result.hint, (answer, result.hint)


@pytest.mark.parametrize(("check", "right", "wrong"), CASES)
def test_unanswered_and_nonsense(check, right, wrong, capsys):
    for answer in (None, ...):
        result = check(answer)
        assert not result.passed and "not answered yet" in result.message
    assert not check("banana").passed
    assert "Hint" in capsys.readouterr().out


@pytest.mark.parametrize(("check", "right", "wrong"), CASES)
def test_strict_raises_only_when_wrong(check, right, wrong):
    assert check(right, strict=True).passed
    with pytest.raises(CheckFailed):
        check(wrong[0][0], strict=True)


@pytest.mark.lesson(4)
def test_rounded_answers_count_as_right():
    assert check_cross_entropy(1.386).passed
    assert not check_cross_entropy(1.38).passed


@pytest.mark.lesson(1)
def test_checks_accept_the_lesson_own_example():
    assert check_weighted_sum(1.0, inputs=(1.0, 1.0), weights=(0.5, 0.5), bias=0.0).passed
    assert check_step_output(1, weighted_sum=0.0).passed  # z = threshold fires
    assert check_parameter_count(4 * 10 + 10 + 10 * 3 + 3, sizes=(4, 10, 3)).passed


@pytest.mark.lesson(1)
def test_step_output_hint_does_not_give_away_the_weighted_sum():
    """Lesson 1 asks for the weighted sum (-0.25) just above the step output: a wrong step
    answer must point to the comparison without printing that sum."""
    result = check_step_output(1)
    assert not result.passed
    text = str(result) + getattr(result, "hint", "")
    assert "-0.25" not in text and "threshold 0" in text
