"""gradcheck: the numerical referee itself must be right."""

import numpy as np
import pytest

import nnkit as nk
from nnkit.gradcheck import numerical_gradient, relative_error


def test_numerical_gradient_of_a_known_function():
    x = np.array([1.0, -2.0, 3.0])
    grad = numerical_gradient(lambda: float(np.sum(x**3)), x)
    np.testing.assert_allclose(grad, 3 * x**2, rtol=1e-8)
    np.testing.assert_array_equal(x, [1.0, -2.0, 3.0])  # restored after measuring


def test_relative_error():
    assert relative_error(np.ones(3), np.ones(3)) == 0.0
    assert relative_error(np.array([1.0]), np.array([-1.0])) == pytest.approx(1.0)


def test_check_model_finds_a_broken_backward():
    model = nk.mlp([3, 4, 2], activation="tanh", seed=0)
    X = np.random.default_rng(0).normal(size=(5, 3))
    y = np.array([0, 1, 1, 0, 1])
    assert nk.gradcheck.check_model(model, nk.CrossEntropy(), X, y) <= 1e-7

    class WrongTanh(nk.Tanh):
        def backward(self, grad_output):
            return grad_output * (1.0 - self.output)  # forgot the square

    model.layers[1] = WrongTanh()
    errors = nk.gradcheck.check_model(model, nk.CrossEntropy(), X, y, details=True)
    assert errors[(0, "weights")] > 1e-3
    assert errors[(2, "weights")] <= 1e-7  # the layer after the bug is still right
