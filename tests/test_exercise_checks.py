"""The exercise checks: a right answer passes, each common mistake fails with its hint."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

import nnkit as nk
from nnkit.checks import CheckFailed
from nnkit.checks import exercises as ex


def _stable_sigmoid(z):
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


def _log_softmax(z):
    shifted = z - z.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


def _cross_entropy(z, y):
    return float(-_log_softmax(z)[np.arange(len(y)), y].mean())


def _ce_gradient(z, y):
    return (nk.softmax(z) - np.eye(z.shape[1])[y]) / len(y)


RIGHT = [
    (ex.check_weighted_sum, lambda x, w, b: x @ w + b),
    (ex.check_step, lambda z: np.where(z >= 0, 1.0, 0.0)),
    (ex.check_sigmoid, _stable_sigmoid),
    (ex.check_layer_forward, lambda x, w, b: x @ w + b),
    (ex.check_softmax, nk.softmax),
    (ex.check_absolute_error, lambda p, t: np.mean(np.abs(p - t))),
    (ex.check_absolute_error_gradient, lambda p, t: np.sign(p - t) / len(t)),
    (ex.check_squared_error, lambda p, t: np.mean((p - t) ** 2)),
    (ex.check_squared_error_gradient, lambda p, t: 2 * (p - t) / len(t)),
    (ex.check_cross_entropy, _cross_entropy),
    (ex.check_cross_entropy_gradient, _ce_gradient),
    (ex.check_dense_backward, nk.Dense),
    (ex.check_relu_backward, nk.ReLU),
    (ex.check_sigmoid_backward, nk.Sigmoid),
]


@pytest.mark.parametrize("check, answer", RIGHT, ids=[c.__name__ for c, _ in RIGHT])
def test_right_answer_passes(check, answer, capsys):
    result = check(answer)
    assert result.passed
    assert capsys.readouterr().out.startswith("\u2714")


def _naive_softmax(z):
    exp_z = np.exp(z)
    return exp_z / exp_z.sum(axis=1, keepdims=True)


def _global_max_softmax(z):
    exp_z = np.exp(z - z.max())
    return exp_z / exp_z.sum(axis=1, keepdims=True)


def _naive_cross_entropy(z, y):
    p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    return float(-np.log(p[np.arange(len(y)), y]).mean())


class _NotTransposed(nk.Dense):
    def backward(self, grad_output):
        self.grads["weights"] = self.inputs.T @ grad_output
        self.grads["bias"] = grad_output.sum(axis=0)
        return grad_output @ self.weights


class _Accumulating(nk.Dense):
    def backward(self, grad_output):
        self.grads["weights"] += self.inputs.T @ grad_output
        self.grads["bias"] += grad_output.sum(axis=0)
        return grad_output @ self.weights.T


class _BiasMean(nk.Dense):
    def backward(self, grad_output):
        self.grads["weights"] = self.inputs.T @ grad_output
        self.grads["bias"] = grad_output.mean(axis=0)
        return grad_output @ self.weights.T


class _NoReturn(nk.Dense):
    def backward(self, grad_output):
        self.grads["weights"] = self.inputs.T @ grad_output
        self.grads["bias"] = grad_output.sum(axis=0)


class _WeightsGradTransposed(nk.Dense):
    def backward(self, grad_output):
        self.grads["weights"] = grad_output.T @ self.inputs
        self.grads["bias"] = grad_output.sum(axis=0)
        return grad_output @ self.weights.T


class _SlopeOnly(nk.ReLU):
    def backward(self, grad_output):
        return (self.z > 0).astype(float)


class _PassThrough(nk.ReLU):
    def backward(self, grad_output):
        return grad_output


class _SigmoidOfZ(nk.Sigmoid):
    def backward(self, grad_output):
        z = np.log(self.output / (1 - self.output))
        return grad_output * z * (1 - z)


MISTAKES = [
    (ex.check_weighted_sum, lambda x, w, b: float(x @ w), "forgot the bias"),
    (ex.check_weighted_sum, lambda x, w, b: x * w + b, "add up the products"),
    (ex.check_step, lambda z: np.where(z > 0, 1.0, 0.0), "z >= 0"),
    (ex.check_step, lambda z: 1.0 if z >= 0 else 0.0, "whole arrays"),
    (ex.check_sigmoid, lambda z: 1 / (1 + np.exp(-z)), "make it stable"),
    (ex.check_sigmoid, lambda z: 1 / (1 + np.exp(z)), "check the sign"),
    (ex.check_layer_forward, lambda x, w, b: x @ w, "bias is missing"),
    (ex.check_layer_forward, lambda x, w, b: w @ x + b, "inputs @ weights"),
    (ex.check_softmax, _naive_softmax, "subtract the maximum"),
    (ex.check_softmax, _global_max_softmax, "maximum of each row"),
    (ex.check_softmax, lambda z: np.exp(z) / np.exp(z).sum(axis=0), "divide each row"),
    (ex.check_absolute_error, lambda p, t: np.sum(np.abs(p - t)), "mean over the samples"),
    (ex.check_absolute_error, lambda p, t: np.mean(p - t), "absolute value"),
    (ex.check_absolute_error_gradient, lambda p, t: np.sign(p - t), "divide by n"),
    (ex.check_absolute_error_gradient, lambda p, t: np.sign(t - p) / len(t), "wrong sign"),
    (ex.check_squared_error, lambda p, t: np.sum((p - t) ** 2), "mean over the samples"),
    (ex.check_squared_error_gradient, lambda p, t: (p - t) / len(t), "multiply by 2"),
    (ex.check_squared_error_gradient, lambda p, t: 2 * (p - t), "divide by n"),
    (ex.check_cross_entropy, _naive_cross_entropy, "subtract each row's maximum"),
    (ex.check_cross_entropy, lambda z, y: _cross_entropy(z, y) * len(y), "mean over the samples"),
    (ex.check_cross_entropy_gradient, lambda z, y: _ce_gradient(z, y) * len(y), "divide by n"),
    (ex.check_cross_entropy_gradient, lambda z, y: -_ce_gradient(z, y), "wrong sign"),
    (ex.check_cross_entropy_gradient, lambda z, y: nk.softmax(z) / len(y), "not subtracted"),
    (ex.check_dense_backward, _NotTransposed, "grad_output @ weights.T"),
    (ex.check_dense_backward, _Accumulating, "don't accumulate them"),
    (ex.check_dense_backward, _BiasMean, "don't average"),
    (ex.check_dense_backward, _NoReturn, "return dL/dinputs"),
    (ex.check_dense_backward, _WeightsGradTransposed, "inputs.T @ grad_output"),
    (ex.check_relu_backward, _SlopeOnly, "chain rule"),
    (ex.check_relu_backward, _PassThrough, "blocks the gradient"),
    (ex.check_sigmoid_backward, _SigmoidOfZ, "not z"),
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


def test_not_strict_returns_the_result_instead_of_raising(capsys):
    result = ex.check_softmax(_naive_softmax, strict=False)
    assert not result.passed and "subtract the maximum" in result.hint


def test_unanswered_exercise_raises_not_implemented():
    def unanswered(z):
        raise NotImplementedError()

    with pytest.raises(NotImplementedError):
        ex.check_softmax(unanswered)


def test_an_error_in_the_answer_is_reported_not_raised(capsys):
    result = ex.check_weighted_sum(lambda x, w, b: undefined_name, strict=False)  # noqa: F821
    assert not result.passed and "NameError" in result.message


# -- exercise 5: split, training, accuracy -------------------------------------------


@pytest.fixture(scope="module")
def penguins():
    data = nk.datasets.load_penguins()
    return train_test_split(data.X, data.y, test_size=0.25, stratify=data.y, random_state=0)


def test_honest_split_passes(penguins, capsys):
    X_train, X_test, _, _ = penguins
    scaler = StandardScaler().fit(X_train)
    assert ex.check_honest_split(
        scaler, X_train, X_test, scaler.transform(X_train), scaler.transform(X_test)
    )


def test_scaler_fit_on_all_rows_is_a_leak(penguins, capsys):
    X_train, X_test, _, _ = penguins
    scaler = StandardScaler().fit(np.vstack([X_train, X_test]))
    with pytest.raises(CheckFailed, match="split first"):
        ex.check_honest_split(scaler, X_train, X_test)


def test_split_after_scaling_is_a_leak(penguins, capsys):
    X_train, X_test, _, _ = penguins
    scaler = StandardScaler().fit(np.vstack([X_train, X_test]))
    with pytest.raises(CheckFailed, match="already holds scaled values"):
        ex.check_honest_split(scaler, scaler.transform(X_train), scaler.transform(X_test))


def test_scaled_parts_must_come_from_the_scaler(penguins, capsys):
    X_train, X_test, _, _ = penguins
    scaler = StandardScaler().fit(X_train)
    other = StandardScaler().fit(X_test)
    with pytest.raises(CheckFailed, match="scaler.transform"):
        ex.check_honest_split(
            scaler, X_train, X_test, scaler.transform(X_train), other.transform(X_test)
        )


def test_training_check(capsys):
    assert ex.check_training(list(np.linspace(1.1, 0.1, 20)), epochs=20)
    with pytest.raises(CheckFailed, match="never changed"):
        ex.check_training([1.1] * 20, epochs=20)
    with pytest.raises(CheckFailed, match="lower the learning rate"):
        ex.check_training([1.1, 5.0, np.nan], epochs=3)
    with pytest.raises(CheckFailed, match="one loss per epoch"):
        ex.check_training([1.0, 0.5], epochs=20)


class _Constant:
    """A model that always predicts one class."""

    def predict(self, X):
        return np.zeros(len(X), dtype=int)


def test_accuracy_check(penguins, capsys):
    X_train, X_test, y_train, y_test = penguins
    scaler = StandardScaler().fit(X_train)
    model = nk.mlp([4, 10, 3], seed=0)
    model.fit(
        scaler.transform(X_train), y_train, optimizer=nk.SGD(lr=0.1), epochs=200, shuffle=False
    )
    assert ex.check_accuracy(model, scaler.transform(X_test), y_test, target=0.95)
    with pytest.raises(CheckFailed, match="the target is 95%"):
        ex.check_accuracy(_Constant(), X_test, y_test, target=0.95)
