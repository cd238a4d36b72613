"""The exercise checks: right answers pass, each mistake fails with its hint, shortcuts fail.

A "shortcut" is an answer that hands the work to nnkit (``nk.softmax(z)``,
``super().backward(...)``, ``nk.CrossEntropy()(...)``, ``nk.SGD(...).step``):
while a check runs nnkit's own version is switched off, so it fails.
"""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

import nnkit as nk
from nnkit.activations import softmax as imported_softmax
from nnkit.checks import CheckFailed, lessons, training
from nnkit.checks import exercises as ex

# -- right answers -----------------------------------------------------------------


def stable_sigmoid(z):
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


def my_softmax(z):
    exp_z = np.exp(z - z.max(axis=1, keepdims=True))
    return exp_z / exp_z.sum(axis=1, keepdims=True)


def log_softmax(z):
    shifted = z - z.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


def cross_entropy(z, y):
    return float(-log_softmax(z)[np.arange(len(y)), y].mean())


def ce_gradient(z, y):
    return (my_softmax(z) - np.eye(z.shape[1])[y]) / len(y)


class MyDense(nk.Dense):
    def backward(self, grad_output):
        self.grads["weights"] = self.inputs.T @ grad_output
        self.grads["bias"] = grad_output.sum(axis=0)
        return grad_output @ self.weights.T


class MyReLU(nk.ReLU):
    def backward(self, grad_output):
        return grad_output * (self.z > 0)


class MySigmoid(nk.Sigmoid):
    def backward(self, grad_output):
        return grad_output * self.output * (1 - self.output)


def sgd_step(model, lr):
    for layer in model.layers:
        for name in layer.params:
            layer.params[name] -= lr * layer.grads[name]


class Momentum:
    def __init__(self, lr=0.1, momentum=0.9):
        self.lr, self.momentum, self.velocities = lr, momentum, {}

    def step(self, model):
        for layer in model.layers:
            for name, value in layer.params.items():
                key = (id(layer), name)
                velocity = self.momentum * self.velocities.get(key, 0.0) + layer.grads[name]
                self.velocities[key] = velocity
                value -= self.lr * velocity


def gd_train(model, X, y, optimizer, epochs=100):
    loss, losses = nk.CrossEntropy(), []
    for _ in range(epochs):
        losses.append(loss.forward(model.forward(X), y))
        model.backward(loss.backward())
        optimizer.step(model)
    return losses


def penguin_train(X, y, epochs=200, lr=0.1, seed=0):
    model = nk.mlp([4, 10, 3], activation="relu", seed=seed)
    loss, optimizer, losses = nk.CrossEntropy(), nk.SGD(lr=lr), []
    for _ in range(epochs):
        losses.append(loss.forward(model.forward(X), y))
        model.backward(loss.backward())
        optimizer.step(model)
    return model, losses


RIGHT = [
    (ex.check_weighted_sum_is_one_number, lambda x, w, b: x @ w + b),
    (ex.check_weighted_sum_value, lambda x, w, b: np.sum(x * w) + b),
    (ex.check_step_values, lambda z: np.where(z >= 0, 1.0, 0.0)),
    (ex.check_sigmoid_values, stable_sigmoid),
    (ex.check_sigmoid_stable, stable_sigmoid),
    # clipping z is accurate to far below 1e-9 here, so it counts as stable
    (ex.check_sigmoid_stable, lambda z: 1 / (1 + np.exp(-np.clip(z, -500, 500)))),
    (ex.check_layer_forward_shape, lambda x, w, b: x @ w + b),
    (ex.check_layer_forward_values, lambda x, w, b: x @ w + b),
    (ex.check_softmax_rows, my_softmax),
    (ex.check_softmax_values, my_softmax),
    (ex.check_softmax_stable, my_softmax),
    (ex.check_absolute_error_value, lambda p, t: np.mean(np.abs(p - t))),
    (ex.check_absolute_error_slope, lambda p, t: np.sign(p - t) / len(t)),
    # sign(0) = +1 is a subgradient too
    (ex.check_absolute_error_slope, lambda p, t: np.where(p >= t, 1.0, -1.0) / len(t)),
    (ex.check_squared_error_value, lambda p, t: np.mean((p - t) ** 2)),
    (ex.check_squared_error_slope, lambda p, t: 2 * (p - t) / len(t)),
    (ex.check_cross_entropy_value, cross_entropy),
    (ex.check_cross_entropy_stable, cross_entropy),
    (ex.check_cross_entropy_slope, ce_gradient),
    (ex.check_cross_entropy_slope_stable, ce_gradient),
    (ex.check_dense_inputs_gradient, MyDense),
    (ex.check_dense_parameter_gradients, MyDense),
    (ex.check_dense_gradients_overwritten, MyDense),
    (ex.check_relu_backward_values, MyReLU),
    (ex.check_relu_backward_numerically, MyReLU),
    (ex.check_sigmoid_backward_values, MySigmoid),
    (ex.check_sigmoid_backward_numerically, MySigmoid),
    (ex.check_train_records_losses, penguin_train),
    (ex.check_train_matches_reference, penguin_train),
    (ex.check_sgd_step_values, sgd_step),
    (ex.check_sgd_step_in_place, sgd_step),
    (ex.check_momentum_first_step, Momentum),
    (ex.check_momentum_velocity, Momentum),
    (ex.check_momentum_per_parameter, Momentum),
    (ex.check_gd_loop_steps, gd_train),
    (ex.check_gd_loop_matches_sgd, gd_train),
]


@pytest.mark.parametrize("check, answer", RIGHT, ids=[c.__name__ for c, _ in RIGHT])
def test_right_answer_passes(check, answer, capsys):
    result = check(answer)
    assert result.passed
    assert capsys.readouterr().out.startswith("\u2714")


class FakeShell:
    """Just enough of IPython: the pre_run_cell event."""

    def __init__(self):
        self.callbacks = []
        self.events = self

    def register(self, event, callback):
        assert event == "pre_run_cell"
        self.callbacks.append(callback)

    def run_cell(self):
        for callback in self.callbacks:
            callback(None)


def test_a_hidden_rerun_in_the_same_cell_prints_no_second_tick(capsys, monkeypatch):
    from nnkit.checks.exercises import _common

    shell = FakeShell()
    monkeypatch.setattr(_common, "_ipython", lambda: shell)
    # a test cell: the visible check, then the hidden tests call it on other inputs
    shell.run_cell()
    ex.check_softmax_values(my_softmax)
    ex.check_softmax_values(my_softmax, z=np.array([[0.5, -1.0], [2.0, 2.0]]))
    assert capsys.readouterr().out.count("\u2714") == 1
    # a failure in the hidden re-run still prints
    with pytest.raises(CheckFailed):
        ex.check_softmax_values(lambda z: z)
    assert capsys.readouterr().out.startswith("\u2718")
    # and running the cell again prints its tick again
    shell.run_cell()
    ex.check_softmax_values(my_softmax)
    assert capsys.readouterr().out.count("\u2714") == 1


# -- typical mistakes ---------------------------------------------------------------


def naive_softmax(z):
    return np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)


def naive_cross_entropy(z, y):
    return float(-np.log(naive_softmax(z)[np.arange(len(y)), y]).mean())


def clipped_cross_entropy(z, y):
    p = my_softmax(z)
    return float(-np.log(np.clip(p[np.arange(len(y)), y], 1e-12, 1.0)).mean())


class NotTransposed(MyDense):
    def backward(self, grad_output):
        super().backward(grad_output)  # MyDense's, the student's own
        return grad_output @ self.weights


class Accumulating(nk.Dense):
    def backward(self, grad_output):
        self.grads["weights"] += self.inputs.T @ grad_output
        self.grads["bias"] += grad_output.sum(axis=0)
        return grad_output @ self.weights.T


class BiasMean(MyDense):
    def backward(self, grad_output):
        result = super().backward(grad_output)
        self.grads["bias"] = grad_output.mean(axis=0)
        return result


class NoReturn(MyDense):
    def backward(self, grad_output):
        super().backward(grad_output)


class SlopeOnly(nk.ReLU):
    def backward(self, grad_output):
        return (self.z > 0).astype(float)


class PassThrough(nk.ReLU):
    def backward(self, grad_output):
        return grad_output


class SigmoidOfZ(nk.Sigmoid):
    def backward(self, grad_output):
        z = np.log(self.output / (1 - self.output))
        return grad_output * z * (1 - z)


def sgd_uphill(model, lr):
    for layer in model.layers:
        for name in layer.params:
            layer.params[name] += lr * layer.grads[name]


def sgd_new_arrays(model, lr):
    for layer in model.layers:
        for name in layer.params:
            layer.params[name] = layer.params[name] - lr * layer.grads[name]


def sgd_local(model, lr):
    for layer in model.layers:
        for value in layer.params.values():
            value = value - lr * 0  # noqa: F841 - rebinds a local name, changes nothing


class SharedVelocity(Momentum):
    def step(self, model):
        for layer in model.layers:
            for name, value in layer.params.items():
                key = (value.shape, name)  # two layers of the same shape share it
                velocity = self.momentum * self.velocities.get(key, 0.0) + layer.grads[name]
                self.velocities[key] = velocity
                value -= self.lr * velocity


def train_step_before_backward(model, X, y, optimizer, epochs=100):
    loss, losses = nk.CrossEntropy(), []
    for _ in range(epochs):
        losses.append(loss.forward(model.forward(X), y))
        optimizer.step(model)
        model.backward(loss.backward())
    return losses


MISTAKES = [
    (ex.check_weighted_sum_value, lambda x, w, b: float(x @ w), "the bias is missing"),
    (ex.check_weighted_sum_is_one_number, lambda x, w, b: x * w + b, "added up"),
    (ex.check_step_values, lambda z: np.where(z > 0, 1.0, 0.0), "greater than OR equal"),
    (ex.check_step_values, lambda z: 1.0 if z >= 0 else 0.0, "array of True/False"),
    (ex.check_sigmoid_stable, lambda z: 1 / (1 + np.exp(-z)), "power that is 0 or below"),
    (ex.check_sigmoid_values, lambda z: 1 / (1 + np.exp(z)), "sign of the exponent"),
    (ex.check_layer_forward_values, lambda x, w, b: x @ w, "bias"),
    (ex.check_layer_forward_shape, lambda x, w, b: w @ x + b, "(the check gave it inputs (5, 4)"),
    (ex.check_softmax_stable, naive_softmax, "Why subtract the largest value first?"),
    (
        ex.check_softmax_stable,
        lambda z: naive_softmax(z - z.max()),
        "changes nothing in the fraction",
    ),
    (ex.check_softmax_rows, lambda z: np.exp(z) / np.exp(z).sum(axis=0), "its own row"),
    (ex.check_absolute_error_value, lambda p, t: np.sum(np.abs(p - t)), "mean over the samples"),
    (ex.check_absolute_error_value, lambda p, t: np.mean(p - t), "both wrong"),
    (ex.check_absolute_error_slope, lambda p, t: np.sign(p - t), "carries a 1/n"),
    (ex.check_absolute_error_slope, lambda p, t: np.sign(t - p) / len(t), "not the targets"),
    (ex.check_absolute_error_slope, lambda p, t: (p - t) / np.abs(p - t) / len(t), "sign(0)"),
    (
        ex.check_absolute_error_slope,
        lambda p, t: np.where(p == t, 1.0, np.sign(p - t)) / len(t) * (1 + (p == t) * 5),
        "sign(0)",
    ),
    (ex.check_squared_error_value, lambda p, t: np.sum((p - t) ** 2), "mean over the samples"),
    (ex.check_squared_error_slope, lambda p, t: (p - t) / len(t), "power rule"),
    (ex.check_squared_error_slope, lambda p, t: 2 * (p - t), "carries a 1/n"),
    (ex.check_cross_entropy_stable, naive_cross_entropy, "log-sum-exp"),
    (ex.check_cross_entropy_stable, clipped_cross_entropy, "caps the loss"),
    (ex.check_cross_entropy_value, lambda z, y: cross_entropy(z, y) * len(y), "not the sum"),
    (ex.check_cross_entropy_slope, lambda z, y: ce_gradient(z, y) * len(y), "carries a 1/n"),
    (ex.check_cross_entropy_slope, lambda z, y: -ce_gradient(z, y), "wrong sign"),
    (ex.check_cross_entropy_slope, lambda z, y: my_softmax(z) / len(y), "one-hot"),
    (
        ex.check_cross_entropy_slope_stable,
        lambda z, y: (naive_softmax(z) - 0) / len(y),
        "exercise 2",
    ),
    (ex.check_dense_inputs_gradient, NotTransposed, "used transposed"),
    (ex.check_dense_gradients_overwritten, Accumulating, "do not add it"),
    (ex.check_dense_parameter_gradients, BiasMean, "already inside grad_output"),
    (ex.check_dense_inputs_gradient, NoReturn, "backward returns dL/dinputs"),
    (ex.check_relu_backward_values, SlopeOnly, "chain rule"),
    (ex.check_relu_backward_values, PassThrough, "no gradient through"),
    (ex.check_sigmoid_backward_values, SigmoidOfZ, "not z"),
    (ex.check_sgd_step_values, sgd_uphill, "the other way"),
    (ex.check_sgd_step_values, sgd_local, "new local"),
    (ex.check_sgd_step_in_place, sgd_new_arrays, "in place"),
    (ex.check_momentum_per_parameter, SharedVelocity, "its own velocity"),
    (ex.check_gd_loop_steps, train_step_before_backward, "its own backward pass"),
]


@pytest.mark.parametrize(
    "check, answer, hint", MISTAKES, ids=[f"{c.__name__}-{h}" for c, _, h in MISTAKES]
)
def test_mistake_fails_with_its_hint(check, answer, hint, capsys):
    with pytest.raises(CheckFailed, match="Hint") as failure:
        check(answer)
    assert hint in str(failure.value)
    printed = capsys.readouterr().out
    assert printed.startswith("\u2718") and hint in printed


def test_a_hint_names_the_lesson_not_the_code(capsys):
    result = ex.check_softmax_stable(naive_softmax, strict=False)
    assert "lesson 3" in result.hint
    assert "max(" not in result.hint and "keepdims" not in result.hint


# -- shortcuts to nnkit fail, everything else keeps working -----------------------------


class DelegatingDense(nk.Dense):
    def backward(self, grad_output):
        return super().backward(grad_output)


class DelegatingReLU(nk.ReLU):
    def backward(self, grad_output):
        return super().backward(grad_output)


class DelegatingSigmoid(nk.Sigmoid):
    def backward(self, grad_output):
        return nk.Sigmoid.backward(self, grad_output)


class DelegatingMomentum:
    def __init__(self, lr=0.1, momentum=0.9):
        self.optimizer = nk.SGD(lr=lr, momentum=momentum)

    def step(self, model):
        self.optimizer.step(model)


def delegating_sgd_step(model, lr):
    nk.SGD(lr=lr).step(model)


def fit_train(X, y, epochs=200, lr=0.1, seed=0):
    model = nk.mlp([4, 10, 3], activation="relu", seed=seed)
    history = model.fit(X, y, optimizer=nk.SGD(lr=lr), epochs=epochs, shuffle=False)
    return model, history.loss


SHORTCUTS = [
    (ex.check_softmax_values, lambda z: nk.softmax(z), "nk.softmax"),
    (ex.check_softmax_stable, imported_softmax, "nk.softmax"),
    (ex.check_softmax_rows, lambda z: nk.Softmax().forward(z), "nk.Softmax.forward"),
    (ex.check_layer_forward_values, lambda x, w, b: _dense_forward(x, w, b), "nk.Dense.forward"),
    (ex.check_sigmoid_values, lambda z: nk.Sigmoid().forward(z), "nk.Sigmoid"),
    (ex.check_step_values, lambda z: nk.Step().forward(z), "nk.Step"),
    (ex.check_absolute_error_value, lambda p, t: nk.AbsoluteError()(p, t), "nk.AbsoluteError"),
    (
        ex.check_squared_error_slope,
        lambda p, t: _loss_gradient(nk.SquaredError(), p, t),
        "nk.SquaredError",
    ),
    (ex.check_cross_entropy_value, lambda z, y: nk.CrossEntropy()(z, y), "nk.CrossEntropy"),
    (
        ex.check_cross_entropy_slope,
        lambda z, y: _loss_gradient(nk.CrossEntropy(), z, y),
        "nk.CrossEntropy",
    ),
    (ex.check_dense_inputs_gradient, DelegatingDense, "nk.Dense.backward"),
    (ex.check_dense_parameter_gradients, DelegatingDense, "nk.Dense.backward"),
    (ex.check_relu_backward_numerically, DelegatingReLU, "nk.ReLU.backward"),
    (ex.check_sigmoid_backward_values, DelegatingSigmoid, "nk.Sigmoid.backward"),
    (ex.check_sgd_step_values, delegating_sgd_step, "nk.SGD.step"),
    (ex.check_momentum_velocity, DelegatingMomentum, "nk.SGD.step"),
    (ex.check_train_matches_reference, fit_train, "nk.Sequential.fit"),
]


def _dense_forward(x, w, b):
    dense = nk.Dense(*w.shape)
    dense.weights, dense.bias = w, b
    return dense.forward(x)


def _loss_gradient(loss, predictions, targets):
    loss.forward(predictions, targets)
    return loss.backward()


@pytest.mark.parametrize(
    "check, answer, name", SHORTCUTS, ids=[f"{c.__name__}-{n}" for c, _, n in SHORTCUTS]
)
def test_handing_the_work_to_nnkit_fails(check, answer, name, capsys):
    with pytest.raises(CheckFailed, match=ex.SWITCHED_OFF) as failure:
        check(answer)
    # the message names what the student called, not a method inside nnkit
    assert f"your code calls {name}: " in str(failure.value)
    # and nnkit's own version works again afterwards
    z = np.array([[1.0, 2.0, 3.0]])
    assert np.allclose(nk.softmax(z), my_softmax(z))
    assert np.allclose(imported_softmax(z), my_softmax(z))


def test_switched_off_leaves_everything_else_working():
    X, y = np.random.default_rng(0).normal(size=(12, 2)), np.arange(12) % 2
    with ex.switched_off([nk.softmax, nk.CrossEntropy, (nk.Dense, ("backward",))]):
        with pytest.raises(ex.SwitchedOff, match="nk.softmax: write this yourself"):
            nk.softmax(np.zeros((1, 2)))
        with pytest.raises(ex.SwitchedOff, match="nk.Dense.backward"):
            nk.Dense(2, 2).backward(np.zeros((1, 2)))
        model = nk.mlp([2, 3, 2], seed=0)  # building, forward and SGD still work
        model.forward(X)
        loss = nk.SquaredError()
        loss.forward(model.forward(X), np.zeros((12, 2)))
        assert model.layers[1].backward(np.ones((12, 3))).shape == (12, 3)
    history = nk.mlp([2, 3, 2], seed=0).fit(X, y, epochs=2)
    assert len(history.loss) == 2


def test_switched_off_is_undone_when_the_check_raises():
    with pytest.raises(ZeroDivisionError):
        with ex.switched_off([nk.softmax]):
            raise ZeroDivisionError
    assert np.allclose(nk.softmax(np.zeros((1, 2))), 0.5)


# -- errors in the student's code get a hint that fits -------------------------------------


class TypoDense(nk.Dense):
    def backward(self, grad_output):
        self.grads["weights"] = self.input.T @ grad_output  # forward cached self.inputs
        return grad_output @ self.weights.T


def test_a_name_error_gets_a_hint_about_names(capsys):
    result = ex.check_weighted_sum_value(lambda x, w, b: x @ weigths + b, strict=False)  # noqa: F821
    assert "NameError" in result.message and "not defined" in result.hint


def test_an_attribute_not_cached_gets_a_hint_about_forward(capsys):
    result = ex.check_dense_parameter_gradients(TypoDense, strict=False)
    assert "AttributeError" in result.message and "forward stores on self" in result.hint


def test_a_shape_mismatch_names_both_shapes(capsys):
    result = ex.check_layer_forward_values(lambda x, w, b: w @ x + b, strict=False)
    assert "(4,3)" in result.message.replace(" ", "") or "4" in result.message
    assert "inputs (5, 4), weights (4, 3)" in result.message
    assert "matrix product" in result.hint


def test_unanswered_is_a_clean_failure(capsys):
    def unanswered(z):
        raise NotImplementedError()

    with pytest.raises(ex.ExerciseCheckFailed, match="not answered yet"):
        ex.check_softmax_rows(unanswered)


def test_a_failed_check_shows_one_line_instead_of_a_traceback(capsys):
    with pytest.raises(ex.ExerciseCheckFailed) as failure:
        ex.check_softmax_rows(naive_softmax.__call__ if False else (lambda z: z))
    lines = failure.value._render_traceback_()
    assert len(lines) == 1 and "Traceback" not in lines[0] and "nnkit" not in lines[0]


# -- exercise 5 -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def penguins():
    data = nk.datasets.load_penguins()
    return train_test_split(data.X, data.y, test_size=0.25, stratify=data.y, random_state=0)


def test_split_checks(penguins, capsys):
    X_train, X_test, y_train, y_test = penguins
    assert ex.check_split_rows(X_train, X_test, y_train, y_test)
    scaler = StandardScaler().fit(X_train)
    assert ex.check_honest_scaler(
        scaler, X_train, X_test, scaler.transform(X_train), scaler.transform(X_test)
    )
    with pytest.raises(CheckFailed, match="labels do not match"):
        ex.check_split_rows(X_train, X_test, y_test, y_train)
    leaky = StandardScaler().fit(np.vstack([X_train, X_test]))
    with pytest.raises(CheckFailed, match="split first"):
        ex.check_honest_scaler(leaky, X_train, X_test)
    with pytest.raises(CheckFailed, match="already holds scaled values"):
        ex.check_honest_scaler(leaky, leaky.transform(X_train), leaky.transform(X_test))
    other = StandardScaler().fit(X_test)
    with pytest.raises(CheckFailed, match="one scaler"):
        ex.check_honest_scaler(
            scaler, X_train, X_test, scaler.transform(X_train), other.transform(X_test)
        )


def test_loss_check_follows_the_students_own_epochs(capsys):
    assert ex.check_loss_went_down(list(np.linspace(1.1, 0.1, 400)))
    assert ex.check_loss_went_down(list(np.linspace(1.1, 0.1, 37)))
    with pytest.raises(CheckFailed, match="more epochs"):
        ex.check_loss_went_down([1.1] * 20)
    with pytest.raises(CheckFailed, match="nan or inf"):
        ex.check_loss_went_down([1.1, 5.0, np.nan])


def test_train_check_catches_a_missing_step(capsys):
    def no_step(X, y, epochs=200, lr=0.1, seed=0):
        model = nk.mlp([4, 10, 3], seed=seed)
        loss = nk.CrossEntropy()
        losses = [loss.forward(model.forward(X), y) for _ in range(epochs)]
        return model, losses

    with pytest.raises(CheckFailed, match="never changed"):
        ex.check_train_matches_reference(no_step)
    with pytest.raises(CheckFailed, match="recorded 1 losses"):
        ex.check_train_records_losses(lambda X, y, epochs=200: no_step(X, y, epochs=1))


class Constant:
    def predict(self, X):
        return np.zeros(len(X), dtype=int)


def test_accuracy_check(penguins, capsys):
    X_train, X_test, y_train, y_test = penguins
    scaler = StandardScaler().fit(X_train)
    model, _ = penguin_train(scaler.transform(X_train), y_train)
    assert ex.check_penguin_accuracy(model, scaler.transform(X_test), y_test, target=0.95)
    with pytest.raises(CheckFailed, match="the target is 95%"):
        ex.check_penguin_accuracy(Constant(), X_test, y_test, target=0.95)


# -- names ----------------------------------------------------------------------------------


def test_exercise_check_names_differ_from_lesson_check_names():
    exercise = {name for name in ex.__all__ if name.startswith("check_")}
    lesson = {n for module in (lessons, training) for n in dir(module) if n.startswith("check_")}
    assert exercise and lesson
    assert not exercise & lesson
