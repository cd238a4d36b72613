"""Checks for the graded exercises (notebooks/exercises): a tick, or the mistake and a hint.

Each ``check_*`` function takes what the student wrote (a function, a class,
arrays), tries it on small fixed examples, and reports through
:func:`nnkit.checks.report`. They are strict by default: a failed check
raises :class:`CheckFailed` (an AssertionError), so nbgrader counts the
test cell as failed. A ``NotImplementedError`` from an unanswered exercise
is let through unchanged.

The hints name the common mistakes: a forgotten bias, a softmax that
overflows, weights not transposed in backward, gradients accumulated
instead of overwritten, a loss gradient not divided by n, a scaler fit
before the train/test split.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .. import gradcheck
from ..activations import softmax as _softmax
from ..losses import CrossEntropy
from .base import CheckResult, report

GRADCHECK_TOLERANCE = 1e-7


class _Mistake(Exception):
    """Internal: the answer is wrong; carries the message and the hint."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


def _run(name: str, test: Callable[[], None], success: str, strict: bool) -> CheckResult:
    """Run ``test``; report a tick, or the mistake it found (or an unexpected error)."""
    try:
        with np.errstate(over="raise", invalid="raise", divide="raise", under="ignore"):
            test()
    except NotImplementedError:
        raise
    except _Mistake as mistake:
        return report(False, f"{name}: {mistake.message}", mistake.hint, strict=strict)
    except FloatingPointError as error:
        return report(
            False,
            f"{name}: numpy {error} (a number became too large or undefined)",
            "look for an e^z that overflows or a division by zero",
            strict=strict,
        )
    except Exception as error:  # the student's code raised: say what, not a traceback
        return report(
            False,
            f"{name} raised {type(error).__name__}: {error}",
            "read the error, check the shapes (print x.shape) and try again",
            strict=strict,
        )
    return report(True, success, strict=strict)


def _close(a, b, tol: float = 1e-6) -> bool:
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=tol, atol=tol))


def _array(value, what: str) -> np.ndarray:
    if value is None:
        raise _Mistake(f"{what} is None", "return the result (did you forget `return`?)")
    return np.asarray(value, dtype=float)


def _shape(value: np.ndarray, shape: tuple, what: str, hint: str = "") -> None:
    if value.shape != shape:
        raise _Mistake(f"{what} has shape {value.shape}, expected {shape}", hint)


# -- exercise 1: the neuron -------------------------------------------------


def check_weighted_sum(weighted_sum: Callable, strict: bool = True) -> CheckResult:
    """``weighted_sum(inputs, weights, bias)`` = sum of inputs * weights, plus bias."""

    def test() -> None:
        for inputs, weights, bias in [
            ([1.0, 2.0, 3.0], [0.5, -1.0, 2.0], 0.5),
            ([2.0, -1.0], [0.25, 3.0], -1.5),
        ]:
            inputs, weights = np.array(inputs), np.array(weights)
            expected = float(inputs @ weights + bias)
            got = _array(weighted_sum(inputs, weights, bias), "the weighted sum")
            if got.size == inputs.size and got.size > 1:
                raise _Mistake(
                    "returned one number per input instead of a single number",
                    "add up the products: np.sum(inputs * weights) or inputs @ weights",
                )
            if got.size != 1:
                raise _Mistake(f"returned shape {got.shape}, expected a single number")
            if np.isclose(got, expected - bias):
                raise _Mistake(
                    f"gave {float(got):g}, expected {expected:g}",
                    "you forgot the bias: add it after the sum of inputs * weights",
                )
            if not np.isclose(got, expected):
                raise _Mistake(
                    f"weighted_sum({list(inputs)}, {list(weights)}, {bias}) gave "
                    f"{float(got):g}, expected {expected:g}",
                    "multiply each input by its weight, add them up, then add the bias",
                )

    return _run("weighted_sum", test, "weighted_sum is right", strict)


def check_step(step: Callable, strict: bool = True) -> CheckResult:
    """``step(z)``: 1 where z >= 0, else 0, element by element on arrays."""

    def test() -> None:
        z = np.array([-2.0, -0.5, 0.0, 0.5, 3.0])
        expected = np.array([0.0, 0.0, 1.0, 1.0, 1.0])
        try:
            got = _array(step(z), "step(z)")
        except ValueError as error:
            raise _Mistake(
                f"step failed on an array: {error}",
                "use numpy so it works on whole arrays: np.where(z >= 0, 1.0, 0.0)",
            ) from None
        _shape(got, z.shape, "step(z)", "return one value per element of z")
        if got[2] == 0 and _close(got[[0, 1, 3, 4]], expected[[0, 1, 3, 4]]):
            raise _Mistake(
                "step(0) gave 0, expected 1",
                "the neuron fires when z >= 0 (greater than or equal), not only when z > 0",
            )
        if not _close(got, expected):
            raise _Mistake(
                f"step({list(z)}) gave {list(got)}, expected {list(expected)}",
                "output 1 where z >= 0 and 0 elsewhere",
            )

    return _run("step", test, "step is right", strict)


def check_sigmoid(sigmoid: Callable, strict: bool = True) -> CheckResult:
    """``sigmoid(z)`` = 1 / (1 + e^-z), right values and no overflow for z = -1000."""

    def test() -> None:
        z = np.array([-2.0, 0.0, 0.5, 3.0])
        expected = 1.0 / (1.0 + np.exp(-z))
        got = _array(sigmoid(z), "sigmoid(z)")
        _shape(got, z.shape, "sigmoid(z)", "return one value per element of z")
        if _close(got, 1.0 - expected):
            raise _Mistake(
                "the values are mirrored (sigmoid(3) < 0.5)",
                "check the sign: sigmoid(z) = 1 / (1 + e^-z)",
            )
        if not _close(got, expected):
            raise _Mistake(
                f"sigmoid({list(z)}) gave {np.round(got, 4).tolist()}, expected "
                f"{np.round(expected, 4).tolist()}",
                "sigmoid(z) = 1 / (1 + e^-z)",
            )
        big = np.array([-1000.0, -50.0, 50.0, 1000.0])
        try:
            got = _array(sigmoid(big), "sigmoid(z)")
            ok = bool(np.all(np.isfinite(got))) and _close(got, [0.0, 0.0, 1.0, 1.0], 1e-9)
        except (FloatingPointError, OverflowError):
            ok = False
        if not ok:
            raise _Mistake(
                "overflows for large negative z (e^1000 is too big for a float)",
                "make it stable: with e = np.exp(-np.abs(z)), which never "
                "overflows, sigmoid = 1/(1+e) where z >= 0 and e/(1+e) where z < 0",
            )

    return _run("sigmoid", test, "sigmoid is right and stable for large |z|", strict)


# -- exercise 2: a layer's forward pass and softmax ---------------------------

_FORWARD_HINT = (
    "weights has shape (n_inputs, n_neurons): the weighted sums are "
    "inputs @ weights + bias, shape (n_samples, n_neurons)"
)


def check_layer_forward(layer_forward: Callable, strict: bool = True) -> CheckResult:
    """``layer_forward(inputs, weights, bias)`` = inputs @ weights + bias for a batch."""

    def test() -> None:
        rng = np.random.default_rng(1)
        inputs, weights = rng.normal(size=(5, 4)), rng.normal(size=(4, 3))
        bias = np.array([0.5, -1.0, 2.0])
        expected = inputs @ weights + bias
        try:
            got = _array(layer_forward(inputs, weights, bias), "the output")
        except ValueError as error:
            raise _Mistake(f"failed with a shape error: {error}", _FORWARD_HINT) from None
        _shape(got, expected.shape, "the output", _FORWARD_HINT)
        if _close(got, expected - bias):
            raise _Mistake(
                "the bias is missing", "add the bias to every row: inputs @ weights + bias"
            )
        if not _close(got, expected):
            raise _Mistake("wrong values", _FORWARD_HINT)

    return _run("layer_forward", test, "layer_forward is right", strict)


def check_softmax(softmax: Callable, strict: bool = True) -> CheckResult:
    """``softmax(z)`` row by row: rows sum to 1, right values, stable for z = 1000."""

    def test() -> None:
        z = np.array([[1.0, 2.0, 3.0], [0.5, -1.0, 0.0], [2.0, 2.0, -2.0], [0.0, 4.0, 1.0]])
        expected = _softmax(z)
        got = _array(softmax(z), "softmax(z)")
        _shape(got, z.shape, "softmax(z)", "return one probability per output value")
        if not np.allclose(got.sum(axis=1), 1.0):
            raise _Mistake(
                f"the rows sum to {np.round(got.sum(axis=1), 3).tolist()}, not 1",
                "divide each row by its own sum: exp_z / exp_z.sum(axis=1, keepdims=True)",
            )
        if not _close(got, expected):
            raise _Mistake("wrong values", "softmax(z)_i = e^z_i / sum_j e^z_j, row by row")
        big = np.array([[1000.0, 1001.0, 1002.0], [-1000.0, -999.0, -998.0]])
        try:
            got = _array(softmax(big), "softmax(z)")
            ok = bool(np.all(np.isfinite(got))) and _close(got, _softmax(big))
        except (FloatingPointError, OverflowError):
            ok = False
        if not ok:
            raise _Mistake(
                "overflows (or gives nan) for large values such as z = 1000",
                "subtract the maximum of each row first: z - z.max(axis=1, "
                "keepdims=True); it cancels in the fraction but keeps e^z small",
            )

    return _run("softmax", test, "softmax is right and stable for large values", strict)


# -- exercise 3: losses and their gradients -----------------------------------


def _regression_data():
    predictions = np.array([2.5, 0.0, 2.0, 8.0, -1.0, 3.0])
    targets = np.array([3.0, -0.5, 2.0, 7.0, 1.0, 1.0])
    return predictions, targets


def _check_value(got, expected: float, n: int, formula: str) -> None:
    got = float(_array(got, "the loss"))
    if np.isclose(got, expected * n):
        raise _Mistake(
            f"gave {got:g}, expected {expected:g}",
            "take the mean over the samples (divide the sum by n), not the sum",
        )
    if np.isclose(got, -expected):
        raise _Mistake(f"gave {got:g}, expected {expected:g}", "check the sign")
    if not np.isclose(got, expected):
        raise _Mistake(f"gave {got:g}, expected {expected:g}", formula)


def _check_gradient(
    got, expected: np.ndarray, n: int, formula: str, factor_hint: tuple[float, str] | None = None
) -> None:
    got = _array(got, "the gradient")
    _shape(
        got,
        expected.shape,
        "the gradient",
        "the gradient has one value per prediction (the same shape as predictions)",
    )
    if _close(got, expected * n):
        raise _Mistake(
            "the gradient is n times too large",
            "divide by n (the number of samples): the loss is a mean, so each "
            "sample's share of the gradient is 1/n",
        )
    if _close(got, -expected):
        raise _Mistake(
            "the gradient has the wrong sign",
            "differentiate with respect to the predictions: use "
            "(predictions - targets), not (targets - predictions)",
        )
    if factor_hint and _close(got * factor_hint[0], expected):
        raise _Mistake("the gradient is off by a constant factor", factor_hint[1])
    if not _close(got, expected):
        raise _Mistake("wrong values", formula)


def check_absolute_error(absolute_error: Callable, strict: bool = True) -> CheckResult:
    """``absolute_error(predictions, targets)`` = mean |predictions - targets|."""
    predictions, targets = _regression_data()
    expected = float(np.mean(np.abs(predictions - targets)))

    def test() -> None:
        got = absolute_error(predictions, targets)
        if np.isclose(float(_array(got, "the loss")), np.mean(predictions - targets)):
            raise _Mistake(
                "positive and negative errors cancel out",
                "take the absolute value of each error: np.abs(...)",
            )
        _check_value(
            got,
            expected,
            len(targets),
            "absolute error = mean over samples of |prediction - target|",
        )

    return _run("absolute_error", test, "absolute_error is right", strict)


def check_absolute_error_gradient(gradient: Callable, strict: bool = True) -> CheckResult:
    """``absolute_error_gradient(predictions, targets)`` = sign(predictions - targets) / n."""
    predictions, targets = _regression_data()
    n = len(targets)

    def test() -> None:
        _check_gradient(
            gradient(predictions, targets),
            np.sign(predictions - targets) / n,
            n,
            "dL/dpredictions = sign(predictions - targets) / n",
        )

    return _run("absolute_error_gradient", test, "absolute_error_gradient is right", strict)


def check_squared_error(squared_error: Callable, strict: bool = True) -> CheckResult:
    """``squared_error(predictions, targets)`` = mean (predictions - targets)^2."""
    predictions, targets = _regression_data()
    expected = float(np.mean((predictions - targets) ** 2))

    def test() -> None:
        _check_value(
            squared_error(predictions, targets),
            expected,
            len(targets),
            "squared error = mean over samples of (prediction - target)^2",
        )

    return _run("squared_error", test, "squared_error is right", strict)


def check_squared_error_gradient(gradient: Callable, strict: bool = True) -> CheckResult:
    """``squared_error_gradient(predictions, targets)`` = 2 (predictions - targets) / n."""
    predictions, targets = _regression_data()
    n = len(targets)

    def test() -> None:
        _check_gradient(
            gradient(predictions, targets),
            2 * (predictions - targets) / n,
            n,
            "dL/dpredictions = 2 (predictions - targets) / n",
            factor_hint=(2.0, "d(e^2)/de = 2e: multiply by 2"),
        )

    return _run("squared_error_gradient", test, "squared_error_gradient is right", strict)


def _classification_data():
    logits = np.array([[2.0, 1.0, 0.1], [0.5, 2.5, -1.0], [-1.0, 0.0, 3.0], [1.0, 1.0, 1.0]])
    labels = np.array([0, 1, 2, 1])
    return logits, labels


_STABLE_CE_HINT = (
    "compute it stably: subtract each row's maximum from the logits before "
    "np.exp (log softmax = shifted - log(sum(exp(shifted)))), so e^z never "
    "overflows and log never sees 0"
)


def check_cross_entropy(cross_entropy: Callable, strict: bool = True) -> CheckResult:
    """``cross_entropy(logits, labels)`` = mean of -log(softmax(logits)[true class])."""
    logits, labels = _classification_data()

    def test() -> None:
        _check_value(
            cross_entropy(logits, labels),
            CrossEntropy().forward(logits, labels),
            len(labels),
            "cross-entropy = mean over samples of -log(probability of "
            "the true class), with probabilities = softmax(logits)",
        )
        big = np.array([[1000.0, 0.0, -1000.0], [0.0, 800.0, 0.0]])
        big_labels = np.array([1, 1])
        try:
            got = float(_array(cross_entropy(big, big_labels), "the loss"))
            ok = np.isfinite(got) and np.isclose(got, 500.0)
        except (FloatingPointError, OverflowError, ZeroDivisionError):
            ok = False
        if not ok:
            raise _Mistake(
                "overflows (or takes log(0)) for large logits such as 1000", _STABLE_CE_HINT
            )

    return _run("cross_entropy", test, "cross_entropy is right and stable", strict)


def check_cross_entropy_gradient(gradient: Callable, strict: bool = True) -> CheckResult:
    """``cross_entropy_gradient(logits, labels)`` = (softmax(logits) - one_hot(labels)) / n."""
    logits, labels = _classification_data()
    n = len(labels)
    one_hot = np.eye(logits.shape[1])[labels]
    expected = (_softmax(logits) - one_hot) / n

    def test() -> None:
        got = _array(gradient(logits, labels), "the gradient")
        if _close(got, _softmax(logits) / n) or _close(got, _softmax(logits)):
            raise _Mistake(
                "the true class is not subtracted",
                "dL/dlogits = (softmax(logits) - one_hot(labels)) / n",
            )
        _check_gradient(got, expected, n, "dL/dlogits = (softmax(logits) - one_hot(labels)) / n")

    return _run("cross_entropy_gradient", test, "cross_entropy_gradient is right", strict)


# -- exercise 4: backpropagation ------------------------------------------------

_TRANSPOSE_HINT = (
    "dL/dinputs = grad_output @ weights.T (weights has shape "
    "(n_inputs, n_neurons), so it must be transposed)"
)


def _gradcheck(layer, inputs: np.ndarray) -> None:
    errors = gradcheck.check_layer(layer, inputs)
    bad = {name: error for name, error in errors.items() if not error < GRADCHECK_TOLERANCE}
    if bad:
        worst = ", ".join(f"{name} {error:.1e}" for name, error in bad.items())
        raise _Mistake(
            f"backward disagrees with the numerical gradient (relative error "
            f"{worst}, should be < {GRADCHECK_TOLERANCE:g})",
            "compare each gradient with its formula and check the shapes",
        )


def check_dense_backward(layer_class: type, strict: bool = True) -> CheckResult:
    """A Dense subclass's ``backward``: grads right, overwritten, dL/dinputs returned.

    Tries ``layer_class(n_inputs, n_neurons, seed=...)`` against the known
    formulas, calls backward twice (the gradients must not add up), and
    finishes with a numerical gradient check (nnkit.gradcheck.check_layer).
    """

    def test() -> None:
        rng = np.random.default_rng(4)
        for n_inputs, n_neurons in [(4, 3), (3, 3)]:
            layer = layer_class(n_inputs, n_neurons, seed=n_inputs)
            inputs = rng.normal(size=(5, n_inputs))
            grad_output = rng.normal(size=(5, n_neurons))
            layer.forward(inputs)
            try:
                grad_inputs = layer.backward(grad_output)
            except ValueError as error:
                raise _Mistake(
                    f"backward failed with a shape error: {error}", _TRANSPOSE_HINT
                ) from None
            if grad_inputs is None:
                raise _Mistake(
                    "backward returned None", "return dL/dinputs so the layer below can continue"
                )
            grad_inputs = np.asarray(grad_inputs, dtype=float)
            _shape(grad_inputs, inputs.shape, "dL/dinputs", _TRANSPOSE_HINT)
            if not _close(grad_inputs, grad_output @ layer.weights.T):
                hint = _TRANSPOSE_HINT
                if not _close(grad_inputs, grad_output @ layer.weights):
                    hint = "dL/dinputs = grad_output @ weights.T"
                raise _Mistake("dL/dinputs has the wrong values", hint)
            grad_weights = _array(layer.grads.get("weights"), "grads['weights']")
            _shape(
                grad_weights,
                layer.weights.shape,
                "grads['weights']",
                "dL/dweights = inputs.T @ grad_output, the same shape as weights",
            )
            expected_weights = inputs.T @ grad_output
            if not _close(grad_weights, expected_weights):
                raise _Mistake(
                    "grads['weights'] has the wrong values",
                    "dL/dweights = inputs.T @ grad_output (use the inputs cached "
                    "by forward: self.inputs)",
                )
            grad_bias = _array(layer.grads.get("bias"), "grads['bias']")
            _shape(
                grad_bias,
                layer.bias.shape,
                "grads['bias']",
                "dL/dbias = grad_output.sum(axis=0): one value per neuron",
            )
            if _close(grad_bias, grad_output.mean(axis=0)):
                raise _Mistake(
                    "grads['bias'] is the mean over the samples",
                    "sum over the samples (axis=0), don't average: the loss "
                    "gradient is already divided by n",
                )
            if not _close(grad_bias, grad_output.sum(axis=0)):
                raise _Mistake(
                    "grads['bias'] has the wrong values", "dL/dbias = grad_output.sum(axis=0)"
                )
            layer.forward(inputs)
            layer.backward(grad_output)
            if not _close(layer.grads["weights"], expected_weights):
                raise _Mistake(
                    "calling backward twice changed the gradients (they add up)",
                    "overwrite the gradients (self.grads['weights'] = ...), don't "
                    "accumulate them with +=: each backward pass starts afresh",
                )
        _gradcheck(layer_class(3, 2, seed=7), rng.normal(size=(4, 3)))

    return _run(
        "Dense backward",
        test,
        "Dense backward is right (matches nnkit.gradcheck to < 1e-7)",
        strict,
    )


def _check_activation_backward(
    name: str,
    layer_class: type,
    z: np.ndarray,
    local_slope: np.ndarray,
    wrong: list[tuple[np.ndarray, str]],
    strict: bool,
) -> CheckResult:
    """Shared by the activation checks: right values, known mistakes, then gradcheck."""

    def test() -> None:
        grad_output = np.random.default_rng(5).normal(size=z.shape)
        layer = layer_class()
        layer.forward(z)
        got = _array(layer.backward(grad_output), "backward's result")
        _shape(got, z.shape, "backward's result", "return dL/dz, the same shape as z")
        if _close(got, local_slope) and not _close(local_slope, grad_output * local_slope):
            raise _Mistake(
                "returned the local slope only",
                "chain rule: multiply the slope by grad_output (dL/dz = grad_output * doutput/dz)",
            )
        for value, hint in wrong:
            if _close(got, grad_output * value):
                raise _Mistake("wrong values", hint)
        if not _close(got, grad_output * local_slope):
            raise _Mistake("wrong values", f"dL/dz = grad_output * {name}'(z)")
        _gradcheck(layer_class(), z)

    return _run(
        f"{name} backward",
        test,
        f"{name} backward is right (matches nnkit.gradcheck to < 1e-7)",
        strict,
    )


_Z = np.array([[-2.0, -0.5, 0.3], [1.5, -1.2, 0.7], [0.2, 2.5, -0.1]])


def check_relu_backward(layer_class: type, strict: bool = True) -> CheckResult:
    """A ReLU subclass's ``backward``: dL/dz = grad_output where z > 0, else 0."""
    slope = (_Z > 0).astype(float)
    wrong = [
        (np.ones_like(_Z), "ReLU blocks the gradient where z <= 0: grad_output * (self.z > 0)"),
        (1 - slope, "the gradient flows where z > 0 (check the comparison)"),
    ]
    return _check_activation_backward("ReLU", layer_class, _Z, slope, wrong, strict)


def check_sigmoid_backward(layer_class: type, strict: bool = True) -> CheckResult:
    """A Sigmoid subclass's ``backward``: dL/dz = grad_output * s (1 - s), s = output."""
    s = 1.0 / (1.0 + np.exp(-_Z))
    wrong = [
        (_Z * (1 - _Z), "sigmoid'(z) = s (1 - s) with s the sigmoid's output (self.output), not z"),
        (s, "sigmoid'(z) = s (1 - s), not s"),
    ]
    return _check_activation_backward("Sigmoid", layer_class, _Z, s * (1 - s), wrong, strict)


# -- exercise 5: training a penguin classifier ----------------------------------


def check_honest_split(
    scaler, X_train, X_test, X_train_scaled=None, X_test_scaled=None, strict: bool = True
) -> CheckResult:
    """Split first, then fit the scaler on the training rows only.

    ``X_train``/``X_test`` are the raw measurements after the split;
    ``scaler`` a fitted StandardScaler; the scaled arrays (optional) must be
    ``scaler.transform`` of them. A scaler fit on all rows lets the test rows
    leak into training (its mean and spread include them).
    """

    def test() -> None:
        train, test_rows = _array(X_train, "X_train"), _array(X_test, "X_test")
        if train.ndim != 2 or test_rows.ndim != 2 or train.shape[1] != test_rows.shape[1]:
            raise _Mistake(
                f"X_train {train.shape} and X_test {test_rows.shape} should be "
                "tables with the same columns",
                "split the rows, not the columns",
            )
        n_total = len(train) + len(test_rows)
        if not 0.15 <= len(test_rows) / n_total <= 0.5:
            raise _Mistake(
                f"the test part holds {len(test_rows)} of {n_total} rows",
                "keep about 20-30% of the rows for testing (test_size=0.25)",
            )
        mean = getattr(scaler, "mean_", None)
        if mean is None:
            raise _Mistake("the scaler is not fitted", "scaler = StandardScaler().fit(X_train)")
        mean = np.asarray(mean, dtype=float)
        if not _close(mean, train.mean(axis=0), 1e-6):
            if _close(mean, np.vstack([train, test_rows]).mean(axis=0), 1e-6):
                raise _Mistake(
                    "the scaler was fit on all rows, test rows included, so the "
                    "test set leaked into training",
                    "split first, then fit the scaler on the training part only: "
                    "StandardScaler().fit(X_train)",
                )
            if np.allclose(train.mean(axis=0), 0.0, atol=0.2):
                raise _Mistake(
                    "X_train already holds scaled values",
                    "keep X_train and X_test as the raw measurements and put the "
                    "scaled ones in X_train_scaled and X_test_scaled; fit the "
                    "scaler on X_train after splitting",
                )
            raise _Mistake(
                "the scaler's mean_ is not the mean of X_train",
                "fit the scaler on the training part only: StandardScaler().fit(X_train)",
            )
        for raw, scaled, name in [
            (train, X_train_scaled, "X_train_scaled"),
            (test_rows, X_test_scaled, "X_test_scaled"),
        ]:
            if scaled is not None and not _close(_array(scaled, name), scaler.transform(raw)):
                raise _Mistake(
                    f"{name} is not scaler.transform of the raw rows",
                    "scale both parts with the same scaler, fit on X_train: "
                    f"{name} = scaler.transform(...)",
                )

    return _run("honest split", test, "honest split: the scaler saw the training rows only", strict)


def check_training(losses, epochs: int | None = None, strict: bool = True) -> CheckResult:
    """The training loop recorded one finite loss per epoch and the loss went down."""

    def test() -> None:
        values = _array(losses, "losses").ravel()
        if values.size == 0:
            raise _Mistake(
                "no loss was recorded", "append loss.forward(...) to losses in every epoch"
            )
        if epochs is not None and values.size != epochs:
            raise _Mistake(
                f"{values.size} losses for {epochs} epochs",
                "record one loss per epoch: losses.append(loss.forward(logits, y))",
            )
        if not np.all(np.isfinite(values)):
            raise _Mistake("the loss became nan or inf", "lower the learning rate")
        if np.allclose(values, values[0]):
            raise _Mistake(
                f"the loss never changed (stuck at {values[0]:.4f})",
                "in every epoch: logits = model.forward(X); loss.forward(logits, y); "
                "model.backward(loss.backward()); optimizer.step(model)",
            )
        if not values[-1] < 0.5 * values[0]:
            raise _Mistake(
                f"the loss only went from {values[0]:.3f} to {values[-1]:.3f}",
                "train for more epochs or with a larger learning rate; check that "
                "you call optimizer.step(model) after model.backward",
            )

    return _run("training", test, "training: the loss went down", strict)


def check_accuracy(model, X_test, y_test, target: float = 0.95, strict: bool = True) -> CheckResult:
    """The model's accuracy on the (scaled) test rows reaches ``target``."""

    def test() -> None:
        predicted = np.asarray(model.predict(X_test))
        accuracy = float(np.mean(predicted == np.asarray(y_test)))
        if accuracy < target:
            raise _Mistake(
                f"test accuracy {accuracy:.1%}, the target is {target:.0%}",
                "scale the test rows with the training scaler (X_test_scaled), "
                "then train longer or with a larger learning rate",
            )

    return _run("test accuracy", test, f"test accuracy reaches {target:.0%}", strict)


__all__ = [
    "check_absolute_error",
    "check_absolute_error_gradient",
    "check_accuracy",
    "check_cross_entropy",
    "check_cross_entropy_gradient",
    "check_dense_backward",
    "check_honest_split",
    "check_layer_forward",
    "check_relu_backward",
    "check_sigmoid",
    "check_sigmoid_backward",
    "check_softmax",
    "check_squared_error",
    "check_squared_error_gradient",
    "check_step",
    "check_training",
    "check_weighted_sum",
]
