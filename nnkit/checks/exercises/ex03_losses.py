"""Exercise 3: absolute error, squared error, cross-entropy and their gradients."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ...activations import Softmax, softmax
from ...losses import AbsoluteError, CrossEntropy, SquaredError
from ..base import CheckResult
from ._common import Mistake, as_array, as_number, close, expect_shape, run_check

SWITCHED = [AbsoluteError, SquaredError, CrossEntropy, softmax, Softmax]

# one prediction equals its target (error 0), where |e| has no slope
PREDICTIONS = np.array([2.5, 0.0, 2.0, 8.0, -1.0, 3.0])
TARGETS = np.array([3.0, -0.5, 2.0, 7.0, 1.0, 1.0])
LOGITS = np.array([[2.0, 1.0, 0.1], [0.5, 2.5, -1.0], [-1.0, 0.0, 3.0], [1.0, 1.0, 1.0]])
LABELS = np.array([0, 1, 2, 1])
_SHAPES = "predictions (6,) and targets (6,)"
_CE_SHAPES = "logits (4, 3) and labels (4,)"


def _mean_hint(lesson_section: str) -> str:
    return f"the loss is the mean over the samples, not the sum ({lesson_section})"


def _value(got, expected: float, n: int, formula_hint: str, section: str) -> None:
    got = as_number(got, "the loss")
    if not np.isclose(got, expected) and np.isclose(got, expected * n):
        raise Mistake(f"gave {got:g}, expected {expected:g}", _mean_hint(section))
    if not np.isclose(got, expected) and np.isclose(got, -expected):
        raise Mistake(f"gave {got:g}, expected {expected:g}", f"check the sign ({section})")
    if not np.isclose(got, expected):
        raise Mistake(f"gave {got:g}, expected {expected:g}", formula_hint)


def _gradient(got, expected: np.ndarray, n: int, hint: str, section: str) -> np.ndarray:
    got = as_array(got, "the gradient")
    expect_shape(
        got,
        expected.shape,
        "the gradient",
        "there is one partial derivative per prediction, so the gradient has the shape "
        f"of what the loss was differentiated by ({section})",
    )
    if close(got, expected * n) and not close(expected, 0 * expected):
        raise Mistake(
            "the gradient is n times too large",
            "the loss is a mean over n samples, so each sample's share of the gradient "
            f"carries a 1/n ({section})",
        )
    if close(got, -expected) and not close(expected, 0 * expected):
        raise Mistake(
            "the gradient has the wrong sign",
            f"differentiate with respect to the predictions, not the targets ({section})",
        )
    return got


def check_absolute_error_value(
    absolute_error: Callable, predictions=None, targets=None, strict: bool = True
) -> CheckResult:
    """``absolute_error(predictions, targets)`` = mean |predictions - targets|."""
    p = PREDICTIONS if predictions is None else np.asarray(predictions, float)
    t = TARGETS if targets is None else np.asarray(targets, float)
    section = "lesson 4, 'The course's loss: the absolute difference'"

    def test() -> None:
        got = absolute_error(p.copy(), t.copy())
        value = as_number(got, "the loss")
        if np.isclose(value, np.mean(p - t)) and not np.isclose(value, np.mean(np.abs(p - t))):
            raise Mistake(
                "positive and negative errors cancel out",
                f"a prediction too high and one too low are both wrong ({section})",
            )
        _value(
            got,
            float(np.mean(np.abs(p - t))),
            len(t),
            f"compare with the formula ({section})",
            section,
        )

    return run_check("absolute_error", test, "absolute_error is right", strict, SWITCHED, _SHAPES)


def check_absolute_error_slope(
    gradient: Callable, predictions=None, targets=None, strict: bool = True
) -> CheckResult:
    """``absolute_error_gradient`` = sign(predictions - targets) / n.

    Where a prediction equals its target, |e| has no slope; the course takes
    sign(0) = 0 (as np.sign does), and any value between -1/n and 1/n (a
    subgradient) is accepted there.
    """
    p = PREDICTIONS if predictions is None else np.asarray(predictions, float)
    t = TARGETS if targets is None else np.asarray(targets, float)
    n = len(t)
    section = "lesson 4, 'The course's loss: the absolute difference'"

    def test() -> None:
        expected = np.sign(p - t) / n
        try:
            answer = gradient(p.copy(), t.copy())
        except (FloatingPointError, ZeroDivisionError):
            raise Mistake(
                "divides 0 by 0 where a prediction equals its target (error 0)",
                f"|e| has a corner at e = 0: take sign(0) = 0 as np.sign does ({section})",
            ) from None
        got = _gradient(answer, expected, n, "", section)
        at_zero = p == t
        if not close(got[~at_zero], expected[~at_zero]):
            raise Mistake(
                "wrong values",
                "each prediction's slope is +1/n or -1/n, depending on the sign of its "
                f"error, and sign(0) = 0 where there is no error ({section})",
            )
        if np.any(np.abs(got[at_zero]) > 1.0 / n + 1e-12):
            raise Mistake(
                "wrong value where a prediction equals its target (error 0)",
                "|e| has a corner at e = 0: take sign(0) = 0 as np.sign does (any value "
                f"between -1/n and 1/n is accepted there) ({section})",
            )

    return run_check(
        "absolute_error_gradient",
        test,
        "absolute_error_gradient is right",
        strict,
        SWITCHED,
        _SHAPES,
    )


def check_squared_error_value(
    squared_error: Callable, predictions=None, targets=None, strict: bool = True
) -> CheckResult:
    """``squared_error(predictions, targets)`` = mean (predictions - targets)^2."""
    p = PREDICTIONS if predictions is None else np.asarray(predictions, float)
    t = TARGETS if targets is None else np.asarray(targets, float)
    section = "lesson 4, 'Squared error, and the gradient'"

    def test() -> None:
        _value(
            squared_error(p.copy(), t.copy()),
            float(np.mean((p - t) ** 2)),
            len(t),
            f"compare with the formula ({section})",
            section,
        )

    return run_check("squared_error", test, "squared_error is right", strict, SWITCHED, _SHAPES)


def check_squared_error_slope(
    gradient: Callable, predictions=None, targets=None, strict: bool = True
) -> CheckResult:
    """``squared_error_gradient`` = 2 (predictions - targets) / n (compared with reference code)."""
    p = PREDICTIONS if predictions is None else np.asarray(predictions, float)
    t = TARGETS if targets is None else np.asarray(targets, float)
    n = len(t)
    section = "lesson 4, 'Squared error, and the gradient'"

    def test() -> None:
        expected = 2 * (p - t) / n
        got = _gradient(gradient(p.copy(), t.copy()), expected, n, "", section)
        if close(got * 2, expected):
            raise Mistake(
                "the gradient is half what it should be",
                f"the derivative of e^2 is not e: use the power rule ({section})",
            )
        if not close(got, expected):
            raise Mistake("wrong values", f"differentiate (prediction - target)^2 / n ({section})")

    return run_check(
        "squared_error_gradient", test, "squared_error_gradient is right", strict, SWITCHED, _SHAPES
    )


def _log_softmax(z: np.ndarray) -> np.ndarray:
    shifted = z - z.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


def _cross_entropy(z: np.ndarray, labels: np.ndarray) -> float:
    return float(-_log_softmax(z)[np.arange(len(labels)), labels].mean())


_CE_SECTION = "lesson 4, 'Cross-entropy for classes'"


def check_cross_entropy_value(
    cross_entropy: Callable, logits=None, labels=None, strict: bool = True
) -> CheckResult:
    """``cross_entropy(logits, labels)`` = mean of -log(softmax(logits)[true class])."""
    z = LOGITS if logits is None else np.asarray(logits, float)
    y = LABELS if labels is None else np.asarray(labels)

    def test() -> None:
        _value(
            cross_entropy(z.copy(), y.copy()),
            _cross_entropy(z, y),
            len(y),
            "the loss of a sample is -log of the probability softmax gives its true class "
            f"({_CE_SECTION})",
            _CE_SECTION,
        )

    return run_check("cross_entropy", test, "cross_entropy is right", strict, SWITCHED, _CE_SHAPES)


_LSE_HINT = (
    "use the log-sum-exp form from the exercise text: log p = (z - max) - "
    "log(sum of e^(z - max)) never overflows and never takes log(0) "
    f"({_CE_SECTION}; lesson 3, 'Why subtract the largest value first?')"
)


def check_cross_entropy_stable(cross_entropy: Callable, strict: bool = True) -> CheckResult:
    """Finite for logits of 1000, and exact when the true class gets a tiny probability.

    Clipping the probabilities or adding an epsilon passes the first part
    (it stays finite) but caps the loss, which the second part notices.
    """

    def test() -> None:
        large = np.array([[1000.0, 999.0, 998.0], [-1000.0, -999.0, -1001.0]])
        large_labels = np.array([0, 1])
        try:
            got = as_number(cross_entropy(large.copy(), large_labels), "the loss")
        except (FloatingPointError, OverflowError, ZeroDivisionError):
            got = np.nan
        if not np.isfinite(got):
            raise Mistake("overflows (or gives nan) for logits such as 1000", _LSE_HINT)
        expected = _cross_entropy(large, large_labels)
        if not np.isclose(got, expected, rtol=1e-6, atol=1e-6):
            raise Mistake(f"gave {got:g} for logits around 1000, expected {expected:g}", _LSE_HINT)
        wrong = np.array([[1000.0, 0.0, -1000.0], [0.0, 800.0, 0.0]])
        wrong_labels = np.array([1, 1])  # the first sample's true class gets e^-1000
        try:
            got = as_number(cross_entropy(wrong.copy(), wrong_labels), "the loss")
        except (FloatingPointError, OverflowError, ZeroDivisionError):
            got = np.nan
        expected = _cross_entropy(wrong, wrong_labels)
        if not np.isfinite(got):
            raise Mistake(
                "takes log(0) (or overflows) when the true class gets a tiny probability",
                _LSE_HINT,
            )
        if not np.isclose(got, expected, rtol=1e-6):
            raise Mistake(
                f"gave {got:g} where the loss is {expected:g}: a probability of e^-1000 was "
                "rounded to 0 and then clipped (or given an epsilon), which caps the loss",
                _LSE_HINT,
            )

    return run_check(
        "cross_entropy",
        test,
        "cross_entropy is stable and exact for large logits",
        strict,
        SWITCHED,
        _CE_SHAPES,
    )


def _ce_gradient(z: np.ndarray, labels: np.ndarray) -> np.ndarray:
    exp_z = np.exp(z - z.max(axis=1, keepdims=True))
    probabilities = exp_z / exp_z.sum(axis=1, keepdims=True)
    return (probabilities - np.eye(z.shape[1])[labels]) / len(labels)


def check_cross_entropy_slope(
    gradient: Callable, logits=None, labels=None, strict: bool = True
) -> CheckResult:
    """``cross_entropy_gradient`` = (softmax(logits) - one_hot(labels)) / n."""
    z = LOGITS if logits is None else np.asarray(logits, float)
    y = LABELS if labels is None else np.asarray(labels)
    n = len(y)

    def test() -> None:
        expected = _ce_gradient(z, y)
        got = _gradient(gradient(z.copy(), y.copy()), expected, n, "", _CE_SECTION)
        probabilities = expected + np.eye(z.shape[1])[y] / n
        if close(got, probabilities) or close(got, probabilities * n):
            raise Mistake(
                "the true class is not taken into account",
                "the gradient is predicted minus true probabilities; the true ones are "
                f"one-hot (1 for the true class, 0 elsewhere) ({_CE_SECTION})",
            )
        if not close(got, expected):
            raise Mistake(
                "wrong values", f"compare with the formula in the exercise text ({_CE_SECTION})"
            )

    return run_check(
        "cross_entropy_gradient",
        test,
        "cross_entropy_gradient is right",
        strict,
        SWITCHED,
        _CE_SHAPES,
    )


def check_cross_entropy_slope_stable(gradient: Callable, strict: bool = True) -> CheckResult:
    """``cross_entropy_gradient`` stays finite and right for logits of 1000."""

    def test() -> None:
        z = np.array([[1000.0, 999.0, 998.0], [0.0, 800.0, -800.0]])
        y = np.array([2, 0])
        expected = _ce_gradient(z, y)
        try:
            got = as_array(gradient(z.copy(), y.copy()), "the gradient")
        except (FloatingPointError, OverflowError):
            got = None
        if got is None or not np.all(np.isfinite(got)):
            raise Mistake(
                "overflows (or gives nan) for logits such as 1000",
                "the softmax inside the gradient needs the same care as in exercise 2 "
                "(lesson 3, 'Why subtract the largest value first?')",
            )
        if not close(got, expected):
            raise Mistake("wrong values for logits such as 1000", _LSE_HINT)

    return run_check(
        "cross_entropy_gradient",
        test,
        "cross_entropy_gradient is stable for large logits",
        strict,
        SWITCHED,
        _CE_SHAPES,
    )
