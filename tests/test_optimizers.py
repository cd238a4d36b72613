"""Optimizers: each update rule against numbers worked out by hand."""

import numpy as np
import pytest

import nnkit as nk


def _layer(weight=1.0, grad=0.5):
    layer = nk.Dense(1, 1, seed=0)
    layer.weights = [[weight]]
    layer.grads["weights"] = np.array([[grad]])
    layer.grads["bias"] = np.array([grad])
    return layer


@pytest.mark.lesson(5)
def test_sgd_moves_against_the_gradient():
    layer = _layer(1.0, 0.5)
    nk.SGD(lr=0.1).step([layer])
    assert layer.weights[0, 0] == pytest.approx(1.0 - 0.1 * 0.5)
    assert layer.bias[0] == pytest.approx(-0.05)


def test_sgd_momentum_by_hand():
    layer = _layer(1.0, 0.5)
    opt = nk.SGD(lr=0.1, momentum=0.9)
    opt.step([layer])  # v = 0.5 -> w = 0.95
    layer.grads["weights"] = np.array([[0.5]])
    opt.step([layer])  # v = 0.9*0.5 + 0.5 = 0.95 -> w = 0.95 - 0.095
    assert layer.weights[0, 0] == pytest.approx(0.855)


def test_weight_decay_and_l1_pull_weights_to_zero():
    layer = _layer(2.0, 0.0)
    nk.SGD(lr=0.1, weight_decay=0.5).step([layer])
    assert layer.weights[0, 0] == pytest.approx(2.0 - 0.1 * 0.5 * 2.0)
    layer = _layer(2.0, 0.0)
    nk.SGD(lr=0.1, l1=0.5).step([layer])
    assert layer.weights[0, 0] == pytest.approx(2.0 - 0.05)
    assert layer.bias[0] == 0.0  # biases are not regularised


def test_adam_first_step_is_lr_times_sign():
    layer = _layer(1.0, 0.5)
    nk.Adam(lr=0.01).step([layer])
    # m_hat = g, v_hat = g^2 -> step = lr * g / |g|
    assert layer.weights[0, 0] == pytest.approx(0.99, abs=1e-6)


def test_optimizers_keep_their_own_state():
    layer = _layer()
    opt = nk.SGD(lr=0.1, momentum=0.5)
    opt.step([layer])
    assert opt.state and not any(k.startswith("velocity") for k in vars(layer))


@pytest.mark.parametrize("lr", [0, -0.1, float("nan"), float("inf")])
def test_bad_learning_rate(lr):
    with pytest.raises(ValueError, match="lr \\(learning rate\\) must be a finite number > 0"):
        nk.SGD(lr=lr)


def test_learning_rate_must_be_a_number():
    with pytest.raises(TypeError, match="lr \\(learning rate\\) must be a number"):
        nk.Adam(lr="fast")
    with pytest.raises(ValueError, match="unknown optimizer"):
        nk.get_optimizer("rmsprop")


def test_what_is_regularised_is_the_layers_choice_not_the_parameters_name():
    class Scale(nk.Layer):
        """A layer with one parameter named "weights" that it does not want regularised."""

        regularised = ("gain",)

        def __init__(self):
            super().__init__()
            self.params = {"gain": np.array([2.0]), "weights": np.array([2.0])}
            self.grads = {"gain": np.array([0.0]), "weights": np.array([0.0])}

    layer = Scale()
    nk.SGD(lr=0.1, weight_decay=0.5).step([layer])
    assert layer.params["gain"][0] == pytest.approx(2.0 - 0.1 * 0.5 * 2.0)
    assert layer.params["weights"][0] == 2.0
