"""Dense: shapes, initialisation, seeds, gradients and float32."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nnkit as nk
from nnkit.gradcheck import check_layer


@pytest.mark.lesson(2)
def test_dense_shapes_and_weighted_sum():
    dense = nk.Dense(4, 10, seed=0)
    assert dense.weights.shape == (4, 10)
    assert dense.bias.shape == (10,)
    assert set(dense.params) == set(dense.grads) == {"weights", "bias"}
    X = np.arange(8.0).reshape(2, 4)
    dense.bias = np.full(10, 0.5)
    np.testing.assert_allclose(dense.forward(X), X @ dense.weights + 0.5)


def test_weights_start_random_but_seeded():
    a, b, c = nk.Dense(4, 10, seed=0), nk.Dense(4, 10, seed=0), nk.Dense(4, 10, seed=1)
    np.testing.assert_array_equal(a.weights, b.weights)
    assert not np.allclose(a.weights, c.weights)
    assert np.std(a.weights) > 0
    np.testing.assert_array_equal(a.bias, 0.0)


def test_he_and_glorot_scales():
    he = nk.Dense(400, 400, init="he", seed=0).weights.std()
    glorot = nk.Dense(400, 400, init="glorot", seed=0).weights.std()
    assert he == pytest.approx(np.sqrt(2 / 400), rel=0.05)
    assert glorot == pytest.approx(np.sqrt(2 / 800), rel=0.05)


@pytest.mark.lesson(6)
@settings(max_examples=15, deadline=None)
@given(
    n_samples=st.integers(1, 6),
    n_inputs=st.integers(1, 6),
    n_neurons=st.integers(1, 6),
    seed=st.integers(0, 10**6),
)
def test_dense_gradients_match_numerical(n_samples, n_inputs, n_neurons, seed):
    dense = nk.Dense(n_inputs, n_neurons, seed=seed)
    dense.bias = np.random.default_rng(seed).normal(size=n_neurons)
    X = np.random.default_rng(seed + 1).normal(size=(n_samples, n_inputs))
    errors = check_layer(dense, X, seed=seed)
    assert max(errors.values()) <= 1e-7, errors


def test_backward_overwrites_gradients():
    dense = nk.Dense(3, 2, seed=0)
    X = np.ones((4, 3))
    dense.forward(X)
    dense.backward(np.ones((4, 2)))
    first = dense.grads["weights"].copy()
    dense.forward(X)
    dense.backward(np.ones((4, 2)))
    np.testing.assert_array_equal(dense.grads["weights"], first)


def test_forward_does_not_modify_the_callers_array():
    X = np.ones((2, 3))
    nk.Dense(3, 2, seed=0).forward(X)
    np.testing.assert_array_equal(X, 1.0)


def test_float32_stays_float32():
    dense = nk.Dense(3, 2, seed=0, dtype=np.float32)
    out = dense.forward(np.ones((4, 3), dtype=np.float32))
    assert out.dtype == np.float32
    assert dense.backward(np.ones((4, 2), dtype=np.float32)).dtype == np.float32
    assert dense.grads["weights"].dtype == np.float32


def test_inputs_are_converted_to_the_layers_precision_once():
    dense = nk.Dense(3, 2, seed=0)  # float64 weights
    out = dense.forward(np.ones((4, 3), dtype=np.float32))
    assert out.dtype == np.float64 and dense.inputs.dtype == np.float64


def test_lists_are_accepted_like_arrays():
    dense = nk.Dense(2, 1, seed=0)
    dense.weights, dense.bias = [[0.5], [-1.0]], [0.25]
    np.testing.assert_allclose(dense.forward([[1.0, 2.0]]), [[-1.25]])
    np.testing.assert_allclose(dense.backward([[1.0]]), [[0.5, -1.0]])
    np.testing.assert_allclose(dense.grads["weights"], [[1.0], [2.0]])


def test_backward_before_forward_is_a_clear_error():
    with pytest.raises(nk.NNKitValueError, match="call forward before backward: Dense"):
        nk.Dense(2, 1).backward(np.ones((1, 1)))


def test_dense_regularises_its_weights_not_its_bias():
    assert nk.Dense(2, 1).regularised == ("weights",)
    assert nk.ReLU().regularised == ()


def test_bad_layer_arguments():
    with pytest.raises(ValueError, match="n_neurons must be >= 1, got 0"):
        nk.Dense(3, 0)
    with pytest.raises(TypeError, match="n_inputs must be a whole number"):
        nk.Dense(2.5, 3)
    with pytest.raises(ValueError, match="init must be one of"):
        nk.Dense(2, 3, init="zeros")
    with pytest.raises(ValueError, match="weights must have shape"):
        nk.Dense(2, 3).weights = np.zeros((3, 2))
    with pytest.raises(ValueError, match="inputs has 5 features but this Dense layer expects 3"):
        nk.Dense(3, 2).forward(np.ones((1, 5)))
