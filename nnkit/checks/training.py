"""Checks for the "check yourself" cells of lessons 05-08.

Gradient descent (05), backpropagation (06), training a penguin classifier
(07) and the playground (08). Each prints a tick or what is wrong with a
hint and returns a CheckResult; ``strict=True`` raises instead (for graders).
"""

from __future__ import annotations

import numpy as np

from ..descent import LossSurface, descend
from .base import CheckResult, check_number, not_answered, report, unanswered

# -- lesson 05: gradient descent -----------------------------------------------


def check_descent_step(
    answer,
    weight: float = 2.0,
    gradient: float = 4.0,
    learning_rate: float = 0.1,
    strict: bool = False,
) -> CheckResult:
    """One step downhill: new weight = weight - learning_rate * gradient (default 1.6)."""
    expected = weight - learning_rate * gradient
    return check_number(
        "new weight",
        answer,
        expected,
        [
            (
                weight + learning_rate * gradient,
                "you went uphill: subtract learning_rate * gradient, the gradient points up",
            ),
            (learning_rate * gradient, "that is the size of the step; start from the old weight"),
            (weight - gradient, "scale the gradient by the learning rate before subtracting"),
        ],
        "new weight = old weight - learning rate x gradient",
        strict,
    )


def check_diverging_learning_rate(answer, steps: int = 30, strict: bool = False) -> CheckResult:
    """A learning rate that makes one-weight gradient descent diverge (any above 1 does)."""
    if not_answered(answer):
        return unanswered("diverging learning rate", strict)
    try:
        lr = float(answer)
    except (TypeError, ValueError):
        return report(
            False,
            f"expected a learning rate (a number), got {answer!r}",
            "try a value such as 0.5 or 2",
            strict,
        )
    if not lr > 0:
        return report(
            False, f"a learning rate must be > 0, got {lr}", "try a value such as 0.5 or 2", strict
        )
    surface = LossSurface()
    path = descend(surface, -1.5, surface.best_b, lr, steps, move_bias=False)
    if path.diverged:
        return report(
            True, f"learning rate {lr:g} diverges: each step overshoots the bottom", strict=strict
        )
    return report(
        False,
        f"learning rate {lr:g} still converges (loss "
        f"{path.losses[0]:.3f} -> {path.losses[-1]:.3f})",
        "try a larger one; watch the explorer's message as you move the slider",
        strict,
    )


# -- lesson 06: backpropagation --------------------------------------------------


def check_sigmoid_gradient(
    answer, grad_output: float = 0.4028, output: float = 0.7311, strict: bool = False
) -> CheckResult:
    """dL/dz of a sigmoid = dL/doutput * output * (1 - output) (default about 0.0792)."""
    expected = grad_output * output * (1 - output)
    return check_number(
        "dL/dz",
        answer,
        expected,
        [
            (grad_output, "multiply by the sigmoid's slope, output * (1 - output)"),
            (output * (1 - output), "the slope alone is not enough: chain it with dL/doutput"),
        ],
        "chain rule: dL/dz = dL/doutput x doutput/dz",
        strict,
    )


def check_weight_gradient(
    answer, input_value: float = 2.0, grad_output: float = -0.0977, strict: bool = False
) -> CheckResult:
    """dL/dw of one weight = the input it multiplies * dL/dz (default -0.1954)."""
    expected = input_value * grad_output
    return check_number(
        "dL/dw",
        answer,
        expected,
        [
            (grad_output, "z = w * input + ..., so dz/dw is the input: multiply by it"),
            (input_value, "multiply the input by the gradient arriving from above, dL/dz"),
        ],
        "dL/dw = dL/dz x dz/dw, and dz/dw is the input the weight multiplies",
        strict,
    )


# -- lesson 07: training a penguin classifier -------------------------------------


def check_scaler_fit_on_train(scaler, X_train, strict: bool = False) -> CheckResult:
    """The StandardScaler learned its means and spreads from the training part only."""
    if not_answered(scaler) or not hasattr(scaler, "mean_"):
        return report(
            False, "no fitted scaler yet", "scaler = StandardScaler().fit(X_train)", strict
        )
    X_train = np.asarray(X_train, dtype=float)
    if scaler.mean_.shape != (X_train.shape[1],):
        return report(
            False,
            f"the scaler knows {scaler.mean_.shape[0]} features, X_train has {X_train.shape[1]}",
            "fit it on X_train",
            strict,
        )
    if np.allclose(scaler.mean_, X_train.mean(axis=0)):
        return report(True, "the scaler was fitted on the training part only", strict=strict)
    return report(
        False,
        "the scaler's means are not the training part's means",
        "fit on X_train only: the test part must stay unseen, even by the scaler",
        strict,
    )


def check_test_accuracy(
    model, X_test, y_test, at_least: float = 0.9, strict: bool = False
) -> CheckResult:
    """The trained model gets at least ``at_least`` of the test penguins right."""
    if not_answered(model):
        return unanswered("trained model", strict)
    accuracy = float(np.mean(model.predict(X_test) == np.asarray(y_test)))
    if accuracy >= at_least:
        return report(
            True, f"test accuracy {accuracy:.1%} (at least {at_least:.0%})", strict=strict
        )
    return report(
        False,
        f"test accuracy {accuracy:.1%}, below {at_least:.0%}",
        "train longer or with a larger learning rate, and check the features are scaled",
        strict,
    )


# -- lesson 08: the playground -------------------------------------------------------

XOR_ANSWERS = {"x1_x2", "x1*x2", "x1 x2", "x1x2", "x1 * x2"}


def check_xor_feature(answer, strict: bool = False) -> CheckResult:
    """The one input feature that lets a network with no hidden layer solve xor: x1*x2."""
    if not_answered(answer):
        return unanswered("xor feature", strict)
    text = str(answer).strip().lower()
    if text in XOR_ANSWERS:
        return report(
            True, "x1 * x2 is positive when the signs agree, negative when not", strict=strict
        )
    hint = (
        "xor depends on both inputs at once; a feature of one input alone cannot tell "
        "the classes apart"
        if text.endswith(("x1", "x2", "squared", "^2"))
        else "which product of the inputs has the same sign pattern as xor?"
    )
    return report(False, f"{answer!r} does not separate xor on its own", hint, strict)


def check_playground(
    playground, min_test_accuracy: float = 0.9, strict: bool = False
) -> CheckResult:
    """The playground's network classifies at least ``min_test_accuracy`` of the test points."""
    accuracy = float(np.mean(playground.model.predict(playground.inputs_test) == playground.y_test))
    if accuracy >= min_test_accuracy:
        return report(
            True, f"test accuracy {accuracy:.0%} after {playground.epoch} epochs", strict=strict
        )
    return report(
        False,
        f"test accuracy {accuracy:.0%} after {playground.epoch} epochs",
        "train more epochs (step), add neurons or features, or change the learning rate",
        strict,
    )
