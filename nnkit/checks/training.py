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
    """A learning rate that makes one-weight gradient descent diverge (any above about 0.94
    = 2 / curvature of the loss curve does)."""
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


def critical_learning_rate() -> float:
    """Where one-weight descent on lesson 5's LossSurface starts to diverge: 2 / curvature.

    The loss mean((w x + b - y)^2) has curvature d2L/dw2 = 2 mean(x^2); a step of
    lr x gradient overshoots the bottom by more than it started once lr > 2 / curvature.
    """
    x = np.asarray(LossSurface().x, dtype=float)
    return float(2.0 / (2.0 * np.mean(x**2)))


def check_critical_learning_rate(answer, strict: bool = False) -> CheckResult:
    """Where the one-weight descent starts to diverge, read off the explorer (within 10%)."""
    if not_answered(answer):
        return unanswered("learning rate where divergence starts", strict)
    critical = critical_learning_rate()
    try:
        lr = float(answer)
    except (TypeError, ValueError):
        return report(
            False, f"expected a learning rate, got {answer!r}", "give a number such as 0.5", strict
        )
    if abs(lr - critical) <= 0.1 * critical:
        return report(
            True,
            f"{lr:g} is right: divergence starts at 2 / curvature = {critical:.3f}",
            strict=strict,
        )
    hint = (
        "that one still converges: move the slider further right"
        if lr < critical
        else "that one diverges, but so do smaller ones: move the slider back until it just stops"
    )
    return report(False, f"{lr:g} is not where divergence starts", hint, strict)


# -- lesson 06: backpropagation --------------------------------------------------


def check_sigmoid_gradient(
    answer, grad_output: float = 0.4028, output: float = 0.7311, strict: bool = False
) -> CheckResult:
    """∂L/∂z of a sigmoid neuron = ∂L/∂a * a * (1 - a), a its output (default about 0.0792)."""
    expected = grad_output * output * (1 - output)
    return check_number(
        "∂L/∂z",
        answer,
        expected,
        [
            (grad_output, "multiply by the sigmoid's slope, a * (1 - a)"),
            (output * (1 - output), "the slope alone is not enough: chain it with ∂L/∂a"),
        ],
        "chain rule: ∂L/∂z = ∂L/∂a x ∂a/∂z, and ∂a/∂z = a (1 - a) for sigmoid",
        strict,
    )


def check_weight_gradient(
    answer, input_value: float = 2.0, grad_output: float = -0.0977, strict: bool = False
) -> CheckResult:
    """∂L/∂w of one weight = the input it multiplies * ∂L/∂z (default -0.1954)."""
    expected = input_value * grad_output
    return check_number(
        "∂L/∂w",
        answer,
        expected,
        [
            (grad_output, "z = w * input + ..., so ∂z/∂w is the input: multiply by it"),
            (input_value, "multiply the input by the gradient arriving from above, ∂L/∂z"),
        ],
        "∂L/∂w = ∂L/∂z x ∂z/∂w, and ∂z/∂w is the input the weight multiplies",
        strict,
    )


def check_output_gradient(
    answer, probability: float = 0.6338, true: bool = True, strict: bool = False
) -> CheckResult:
    """∂L/∂z of one output value of softmax + cross-entropy: p - 1 for the true class, else p."""
    expected = probability - (1.0 if true else 0.0)
    return check_number(
        "∂L/∂z",
        answer,
        expected,
        [
            (-expected, "mind the sign: it is p minus the one-hot truth, p - y"),
            (probability, "the true class has y = 1: subtract it"),
            (float(-np.log(probability)), "that is the loss itself; the gradient is p - y"),
        ],
        "for softmax + cross-entropy, ∂L/∂z = p - y (y = 1 for the true class, 0 otherwise)",
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


SPLIT_NAMES = ("training", "validation", "test")


def check_tuning_split(answer, strict: bool = False) -> CheckResult:
    """Which part of the data chooses the settings (learning rate, size, epochs): validation."""
    if not_answered(answer):
        return unanswered("split for tuning", strict)
    text = str(answer).strip().lower()
    if text.startswith("val"):
        return report(
            True,
            "validation: the test set stays untouched until the final check",
            strict=strict,
        )
    if text.startswith("test"):
        hint = (
            "a test score that chose the settings is no longer an unseen-data score: "
            "it flatters the model"
        )
    elif text.startswith("train"):
        hint = "the training loss keeps falling as a network memorises; it cannot show overfitting"
    else:
        hint = f"answer one of {', '.join(SPLIT_NAMES)}"
    return report(False, f"{answer!r} is not the part to tune on", hint, strict)


def check_best_epoch(answer, history, strict: bool = False) -> CheckResult:
    """The epoch (counting from 1) with the lowest validation loss in ``history``."""
    if not_answered(answer):
        return unanswered("best epoch", strict)
    losses = np.asarray(history.val_loss, dtype=float)
    best = int(np.argmin(losses)) + 1
    try:
        epoch = int(answer)
    except (TypeError, ValueError):
        return report(
            False, f"expected an epoch number, got {answer!r}", "np.argmin gives the index", strict
        )
    if epoch == best:
        return report(
            True,
            f"epoch {best}: validation loss {losses[best - 1]:.4f}; "
            "early stopping keeps these weights",
            strict=strict,
        )
    hint = (
        "epochs count from 1, np.argmin counts from 0: add 1"
        if epoch == best - 1
        else "look at history.val_loss, not the training loss: np.argmin(history.val_loss) + 1"
    )
    return report(False, f"epoch {epoch} is not the lowest validation loss", hint, strict)


def check_dashboard_divergence(answer, strict: bool = False) -> CheckResult:
    """A learning rate at which the dashboard's default network diverges, found near the edge:
    it diverges, and a learning rate two slider notches lower (/ 10^0.2) does not."""
    from ..widgets.dashboard import diverges

    if not_answered(answer):
        return unanswered("learning rate where training diverges", strict)
    try:
        lr = float(answer)
    except (TypeError, ValueError):
        return report(
            False, f"expected a learning rate, got {answer!r}", "give a number such as 10", strict
        )
    if not lr > 0:
        return report(False, f"a learning rate must be > 0, got {lr:g}", "try 10", strict)
    if not diverges(lr):
        return report(
            False,
            f"learning rate {lr:g} still trains",
            "move the learning rate further right until the dashboard reports divergence",
            strict,
        )
    if diverges(lr / 10**0.2):
        return report(
            False,
            f"{lr:g} diverges, but so does {lr / 10**0.2:.3g} (two slider notches lower)",
            "move the slider back until it just stops diverging, then one notch up",
            strict,
        )
    return report(
        True,
        f"learning rate {lr:g} diverges, {lr / 10**0.2:.3g} (two slider notches lower) does not",
        strict=strict,
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


def check_circle_features(answer, strict: bool = False) -> CheckResult:
    """Input features with which a network WITHOUT hidden layers separates the circle data."""
    from ..widgets.playground import FEATURES, Playground

    what = "features for the circle"
    if not_answered(answer):
        return unanswered(what, strict)
    names = [answer] if isinstance(answer, str) else list(answer)
    unknown = [name for name in names if name not in FEATURES]
    if unknown or not names:
        return report(
            False,
            f"{what}: unknown feature names {unknown or names!r}",
            f"choose from {', '.join(FEATURES)}",
            strict,
        )
    playground = Playground(
        dataset="circle", hidden_layers=0, features=names, learning_rate=0.3, seed=0
    )
    playground.step(epochs=60)
    accuracy = float(np.mean(playground.model.predict(playground.inputs_test) == playground.y_test))
    playground.close()
    if accuracy >= 0.9:
        return report(
            True,
            f"{what}: test accuracy {accuracy:.0%} with no hidden layer: "
            "x1^2 + x2^2 is the squared distance from the centre, one straight cut in those inputs",
            strict=strict,
        )
    return report(
        False,
        f"{what}: test accuracy only {accuracy:.0%} with {names}",
        "the classes differ in their distance from the centre: which features add up to it?",
        strict,
    )


def check_playground(
    playground, min_test_accuracy: float = 0.9, strict: bool = False
) -> CheckResult:
    """The playground's network classifies at least ``min_test_accuracy`` of the test points."""
    if not_answered(playground):
        return unanswered("your playground", strict)
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
