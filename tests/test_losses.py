"""Losses: the course's absolute error, squared error and cross-entropy."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nnkit as nk
from nnkit.gradcheck import numerical_gradient, relative_error


@pytest.mark.lesson(4)
def test_loss_values_by_hand():
    pred = np.array([[0.5, 2.0], [1.0, -1.0]])
    true = np.array([[1.0, 1.0], [1.0, 1.0]])
    # absolute: (0.5 + 1) and (0 + 2) -> mean 1.75
    assert nk.AbsoluteError().forward(pred, true) == pytest.approx(1.75)
    # squared: (0.25 + 1) and (0 + 4) -> mean 2.625
    assert nk.SquaredError().forward(pred, true) == pytest.approx(2.625)
    logits = np.array([[2.0, 1.0, 0.0]])
    expected = -math.log(math.exp(2) / (math.exp(2) + math.e + 1))
    assert nk.CrossEntropy().forward(logits, np.array([0])) == pytest.approx(expected)


@pytest.mark.lesson(4)
def test_cross_entropy_accepts_one_hot_and_labels_alike():
    logits = np.random.default_rng(0).normal(size=(5, 3))
    y = np.array([0, 2, 1, 1, 0])
    a = nk.CrossEntropy().forward(logits, y)
    b = nk.CrossEntropy().forward(logits, nk.one_hot(y, 3))
    assert a == pytest.approx(b)


@pytest.mark.lesson(4)
def test_cross_entropy_is_stable_for_huge_logits():
    loss = nk.CrossEntropy()
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        value = loss.forward(np.array([[1000.0, -1000.0], [-1000.0, 1000.0]]), np.array([1, 1]))
        grad = loss.backward()
    assert math.isfinite(value) and value == pytest.approx(1000.0)
    assert np.all(np.isfinite(grad))


@pytest.mark.lesson(4)
def test_cross_entropy_gradient_is_probabilities_minus_truth():
    logits = np.array([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]])
    loss = nk.CrossEntropy()
    loss.forward(logits, np.array([2, 0]))
    expected = (nk.softmax(logits) - nk.one_hot([2, 0], 3)) / 2
    np.testing.assert_allclose(loss.backward(), expected)


LOSSES = [nk.AbsoluteError, nk.SquaredError, nk.CrossEntropy]


@pytest.mark.lesson(4)
@settings(max_examples=15, deadline=None)
@given(
    n_samples=st.integers(1, 6),
    n_outputs=st.integers(2, 5),
    seed=st.integers(0, 10**6),
    which=st.integers(0, 2),
)
def test_loss_gradients_match_numerical(n_samples, n_outputs, seed, which):
    rng = np.random.default_rng(seed)
    pred = rng.normal(size=(n_samples, n_outputs))
    if which == 2:
        target = rng.integers(0, n_outputs, size=n_samples)
    else:
        target = pred + rng.choice([-1, 1], size=pred.shape) * rng.uniform(0.1, 1, pred.shape)
    loss = LOSSES[which]()
    loss.forward(pred, target)
    analytic = loss.backward()
    numeric = numerical_gradient(lambda: LOSSES[which]().forward(pred, target), pred)
    assert relative_error(analytic, numeric) <= 1e-7


def test_untrained_network_loss_is_about_ln_c():
    X = np.random.default_rng(0).normal(size=(500, 4))
    y = np.random.default_rng(1).integers(0, 3, size=500)
    model = nk.mlp([4, 16, 3], activation="tanh", seed=0)
    loss = nk.CrossEntropy().forward(model.forward(X), y)
    assert loss == pytest.approx(math.log(3), abs=0.25)


def test_bad_loss_inputs():
    with pytest.raises(ValueError, match="targets must have the same shape as the predictions"):
        nk.SquaredError().forward(np.ones((3, 2)), np.ones((3, 1)))
    with pytest.raises(ValueError, match=r"labels out of range: found 0\.\.3.*0\.\.2"):
        nk.CrossEntropy().forward(np.ones((2, 3)), np.array([0, 3]))
    with pytest.raises(ValueError, match="whole-number class labels"):
        nk.CrossEntropy().forward(np.ones((2, 3)), np.array([0.5, 1.0]))
    with pytest.raises(TypeError, match="integer class labels"):
        nk.CrossEntropy().forward(np.ones((2, 3)), np.array(["a", "b"]))
    with pytest.raises(ValueError, match="unknown loss"):
        nk.get_loss("hinge")


@pytest.mark.parametrize("loss", [nk.AbsoluteError, nk.SquaredError, nk.CrossEntropy])
def test_backward_before_forward_is_a_clear_error(loss):
    with pytest.raises(nk.NNKitValueError, match="call forward before backward"):
        loss().backward()


@pytest.mark.parametrize("shape", [(1, 2), (7, 3), (32, 10), (342, 3)])
def test_cross_entropy_matches_the_textbook_formula_with_rows_far_apart(shape):
    # each row's own maximum is subtracted (not one for the whole batch): rows whose
    # logits lie 1000 apart still get finite, exact losses and gradients
    rng = np.random.default_rng(shape[0])
    logits = rng.normal(size=shape) + rng.choice([-1000.0, 0.0, 1000.0], size=(shape[0], 1))
    labels = rng.integers(0, shape[1], size=shape[0])
    shifted = logits - logits.max(axis=1, keepdims=True)
    p = np.exp(shifted) / np.exp(shifted).sum(axis=1, keepdims=True)
    expected = -np.mean(np.log(p[np.arange(shape[0]), labels]))
    loss = nk.CrossEntropy()
    assert loss.compute(logits, labels) == pytest.approx(expected, rel=1e-12)
    one_hot = np.eye(shape[1])[labels]
    np.testing.assert_allclose(loss.backward(), (p - one_hot) / shape[0], atol=1e-15)
