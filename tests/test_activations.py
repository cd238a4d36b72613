"""Activations: values, stability and gradients against numerical gradients."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nnkit as nk
from nnkit.gradcheck import check_layer

SMOOTH = [nk.Sigmoid, nk.Tanh, nk.ReLU, lambda: nk.LeakyReLU(0.1), nk.Identity, nk.Softmax]


@pytest.mark.lesson(1)
def test_step_is_the_course_threshold():
    step = nk.Step(threshold=0.5)
    z = np.array([[0.2, 0.5, 0.9]])
    np.testing.assert_array_equal(step.forward(z), [[0.0, 1.0, 1.0]])
    # its gradient is zero everywhere: why training needs smooth activations
    np.testing.assert_array_equal(step.backward(np.ones_like(z)), [[0.0, 0.0, 0.0]])


@pytest.mark.lesson(1)
def test_activation_values():
    z = np.array([[-2.0, 0.0, 3.0]])
    np.testing.assert_allclose(nk.Sigmoid().forward(z), 1 / (1 + np.exp(-z)))
    np.testing.assert_allclose(nk.Tanh().forward(z), np.tanh(z))
    np.testing.assert_array_equal(nk.ReLU().forward(z), [[0.0, 0.0, 3.0]])
    np.testing.assert_allclose(nk.LeakyReLU(0.1).forward(z), [[-0.2, 0.0, 3.0]])
    np.testing.assert_array_equal(nk.Identity().forward(z), z)


@pytest.mark.lesson(1)
def test_sigmoid_is_stable_for_large_inputs():
    with np.errstate(over="raise", invalid="raise"):
        out = nk.Sigmoid().forward(np.array([[-1000.0, 1000.0]]))
    np.testing.assert_allclose(out, [[0.0, 1.0]])


@pytest.mark.lesson(3)
def test_softmax_rows_sum_to_one_and_are_stable():
    with np.errstate(over="raise", invalid="raise"):
        p = nk.softmax(np.array([[1000.0, 999.0, 998.0], [-1000.0, 0.0, 1000.0]]))
    np.testing.assert_allclose(p.sum(axis=1), 1.0)
    e = np.exp([2.0, 1.0, 0.0])
    np.testing.assert_allclose(p[0], e / e.sum())
    # temperature: higher flattens, lower sharpens
    z = np.array([[2.0, 1.0, 0.0]])
    assert (
        nk.softmax(z, temperature=5.0).max()
        < nk.softmax(z).max()
        < nk.softmax(z, temperature=0.2).max()
    )


@pytest.mark.lesson(6)
@settings(max_examples=15, deadline=None)
@given(
    n_samples=st.integers(1, 5),
    n_features=st.integers(1, 6),
    seed=st.integers(0, 10**6),
    which=st.integers(0, len(SMOOTH) - 1),
)
def test_activation_gradients_match_numerical(n_samples, n_features, seed, which):
    z = np.random.default_rng(seed).normal(size=(n_samples, n_features)) * 2
    z[np.abs(z) < 1e-3] = 0.5  # keep away from ReLU's kink, where no slope exists
    errors = check_layer(SMOOTH[which](), z, seed=seed)
    assert errors["inputs"] <= 1e-7, errors


def test_unknown_activation_is_a_clear_error():
    with pytest.raises(ValueError, match="unknown activation 'relux'.*choose one of"):
        nk.get_activation("relux")
    with pytest.raises(ValueError, match="unknown activation"):
        nk.mlp([2, 3, 1], activation="swish")


ELEMENTWISE = ["step", "sigmoid", "tanh", "relu", "leaky_relu", "identity"]


@pytest.mark.lesson(1)
@pytest.mark.lesson(6)
@pytest.mark.parametrize("name", ELEMENTWISE)
def test_slope_shown_by_plots_matches_the_numerical_slope(name):
    """slope(z), what the plots and the backprop stepper show, is the measured slope."""
    activation = nk.get_activation(name)
    z = np.linspace(-3.0, 3.0, 25)
    z = z[np.abs(z - getattr(activation, "threshold", 0.0)) > 0.1]  # off the kink/jump
    eps = 1e-6
    numeric = (activation.function(z + eps) - activation.function(z - eps)) / (2 * eps)
    slope = activation.slope(z)
    assert slope.shape == z.shape and slope.dtype == z.dtype
    np.testing.assert_allclose(slope, numeric, rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_backward_uses_the_same_slope(name):
    activation = nk.get_activation(name)
    z = np.array([[-2.0, -0.5, 0.7, 2.5]])
    grad_output = np.array([[1.0, -2.0, 3.0, 0.5]])
    activation.forward(z)
    np.testing.assert_array_equal(
        activation.backward(grad_output), grad_output * activation.slope(z)
    )


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_every_activation_caches_z_and_output(name):
    activation = nk.get_activation(name)
    z = np.array([[-1.0, 0.5]])
    output = activation.forward(z)
    assert activation.z is not None and np.array_equal(activation.z, z)
    assert activation.output is output


@pytest.mark.parametrize("name", [*ELEMENTWISE, "softmax"])
def test_backward_before_forward_is_a_clear_error(name):
    with pytest.raises(nk.NNKitValueError, match="call forward before backward"):
        nk.get_activation(name).backward(np.ones((1, 2)))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name", [*ELEMENTWISE, "softmax"])
def test_precision_is_kept_forward_and_backward(name, dtype):
    layer = nk.get_activation(name)
    z = np.array([[-1.0, 0.5, 2.0]], dtype=dtype)
    assert layer.forward(z).dtype == dtype
    assert layer.backward(np.ones_like(z)).dtype == dtype


def test_activations_accept_lists():
    np.testing.assert_array_equal(nk.ReLU().forward([[-1, 2]]), [[0.0, 2.0]])
    np.testing.assert_allclose(nk.Softmax().forward([[0.0, 0.0]]), [[0.5, 0.5]])


def test_softmax_is_a_layer_of_its_own_kind():
    softmax = nk.Softmax()
    assert isinstance(softmax, nk.Layer) and not isinstance(softmax, nk.Activation)
    assert not hasattr(softmax, "derivative")
    z = np.array([[1.0, 2.0, 0.5]])
    # backward is the Jacobian p_i (delta_ij - p_j) applied to the upstream gradient
    p = softmax.forward(z)[0]
    jacobian = np.diag(p) - np.outer(p, p)
    upstream = np.array([[0.3, -1.0, 2.0]])
    np.testing.assert_allclose(softmax.backward(upstream)[0], jacobian.T @ upstream[0])
