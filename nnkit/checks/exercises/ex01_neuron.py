"""Exercise 1, the neuron: the weighted sum, the step and a stable sigmoid."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ...activations import Sigmoid, Step
from ...layers import Dense
from ..base import CheckResult
from ._common import Mistake, as_array, as_number, close, expect_shape, fmt, run_check

SWITCHED = [(Dense, ("forward",)), Step, Sigmoid]

WEIGHTED_SUM_CASES = [
    ([1.0, 2.0, 3.0], [0.5, -1.0, 2.0], 0.5),
    ([2.0, -1.0], [0.25, 3.0], -1.5),
]


def check_weighted_sum_is_one_number(weighted_sum: Callable, strict: bool = True) -> CheckResult:
    """``weighted_sum(inputs, weights, bias)`` returns one number, not one per input."""

    def test() -> None:
        for inputs, weights, bias in WEIGHTED_SUM_CASES:
            got = as_array(weighted_sum(np.array(inputs), np.array(weights), bias), "the result")
            if got.size == len(inputs):
                raise Mistake(
                    f"returned {got.size} numbers, one per input, instead of one number",
                    "the products of inputs and weights are added up into a single "
                    "number (lesson 1, 'Inputs, weights and a bias')",
                )
            if got.size != 1:
                raise Mistake(f"returned shape {got.shape}, expected a single number")

    return run_check(
        "weighted_sum", test, "weighted_sum returns one number", strict, SWITCHED, "1-D arrays"
    )


def check_weighted_sum_value(
    weighted_sum: Callable, cases: list | None = None, strict: bool = True
) -> CheckResult:
    """``weighted_sum(inputs, weights, bias)`` = sum of inputs * weights, plus bias."""

    def test() -> None:
        for inputs, weights, bias in cases or WEIGHTED_SUM_CASES:
            inputs, weights = np.asarray(inputs, float), np.asarray(weights, float)
            expected = float(np.sum(inputs * weights) + bias)
            got = as_number(weighted_sum(inputs, weights, bias), "the weighted sum")
            if bias != 0 and np.isclose(got, expected - bias):
                raise Mistake(
                    f"gave {got:g}, expected {expected:g}",
                    "the bias is missing (lesson 1, 'Inputs, weights and a bias')",
                )
            if not np.isclose(got, expected):
                raise Mistake(
                    f"weighted_sum({fmt(inputs)}, {fmt(weights)}, {bias}) gave {got:g}, "
                    f"expected {expected:g}",
                    "each input is multiplied by its own weight, the products are added "
                    "up and the bias comes last (lesson 1, 'Inputs, weights and a bias')",
                )

    return run_check("weighted_sum", test, "weighted_sum is right", strict, SWITCHED, "1-D arrays")


def check_step_values(step: Callable, z=None, strict: bool = True) -> CheckResult:
    """``step(z)``: 1 where z >= 0, else 0, element by element on arrays."""

    def test() -> None:
        values = np.array([-2.0, -0.5, 0.0, 0.5, 3.0]) if z is None else np.asarray(z, float)
        expected = np.where(values >= 0, 1.0, 0.0)
        try:
            got = as_array(step(values), "step(z)")
        except ValueError as error:
            if "truth value" not in str(error):
                raise
            raise Mistake(
                "step failed on an array: `if z >= 0` asks one question, an array holds many",
                "a comparison on a numpy array gives an array of True/False, one per "
                "element; turn that into numbers (lesson 1, 'The activation decides')",
            ) from None
        expect_shape(got, values.shape, "step(z)", "return one value per element of z")
        at_zero = values == 0
        if at_zero.any() and close(got[~at_zero], expected[~at_zero]) and np.any(got[at_zero] != 1):
            raise Mistake(
                "step(0) gave 0, expected 1",
                "the neuron fires when z is greater than OR equal to 0 "
                "(lesson 1, 'The activation decides')",
            )
        if not close(got, expected):
            raise Mistake(
                f"step({fmt(values)}) gave {fmt(got)}, expected {fmt(expected)}",
                "1 where the weighted sum reaches the threshold 0, else 0 "
                "(lesson 1, 'The activation decides')",
            )

    return run_check("step", test, "step is right", strict, SWITCHED)


def _sigmoid(z: np.ndarray) -> np.ndarray:
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def check_sigmoid_values(sigmoid: Callable, z=None, strict: bool = True) -> CheckResult:
    """``sigmoid(z)`` = 1 / (1 + e^-z) for moderate z."""

    def test() -> None:
        values = np.array([-2.0, 0.0, 0.5, 3.0]) if z is None else np.asarray(z, float)
        expected = _sigmoid(values)
        got = as_array(sigmoid(values), "sigmoid(z)")
        expect_shape(got, values.shape, "sigmoid(z)", "return one value per element of z")
        if close(got, 1.0 - expected):
            raise Mistake(
                "the values are mirrored: sigmoid(3) came out below 0.5",
                "check the sign of the exponent: sigmoid grows with z "
                "(lesson 1, 'The activation decides')",
            )
        if not close(got, expected):
            raise Mistake(
                f"sigmoid({fmt(values)}) gave {fmt(got)}, expected {fmt(expected)}",
                "compare your formula with the one in the exercise text",
            )

    return run_check("sigmoid", test, "sigmoid gives the right values", strict, SWITCHED)


def check_sigmoid_stable(sigmoid: Callable, z=None, strict: bool = True) -> CheckResult:
    """``sigmoid(z)`` stays finite and accurate for very large |z| (no overflow)."""

    def test() -> None:
        values = np.array([-1000.0, -50.0, 50.0, 1000.0]) if z is None else np.asarray(z, float)
        expected = _sigmoid(values)
        try:
            got = as_array(sigmoid(values), "sigmoid(z)")
        except (FloatingPointError, OverflowError):
            got = None
        if got is None or not np.all(np.isfinite(got)):
            raise Mistake(
                f"overflows for z = {fmt(values)} (e^1000 is too big for a float)",
                "only ever take e to a power that is 0 or below; the two forms of "
                "sigmoid in the exercise text are equal, use the one that fits the sign of z",
            )
        expect_shape(got, values.shape, "sigmoid(z)", "return one value per element of z")
        if not close(got, expected, 1e-9):
            raise Mistake(
                f"sigmoid({fmt(values)}) gave {fmt(got)}, expected {fmt(expected)}",
                "for very large |z| the answer is (almost exactly) 0 or 1",
            )

    return run_check("sigmoid", test, "sigmoid is stable for large |z|", strict, SWITCHED)
