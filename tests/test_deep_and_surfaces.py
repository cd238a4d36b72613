"""Signal sizes in deep networks, the init schemes, and optimizer paths on 2-D surfaces."""

import numpy as np
import pytest

import nnkit as nk
from nnkit.deep import deep_network, initialise, signal_sizes
from nnkit.surfaces import SURFACES, optimizer_path

pytestmark = pytest.mark.lesson(10)


@pytest.mark.parametrize(
    "scheme,std",
    [("small", 0.01), ("large", 1.0), ("glorot", np.sqrt(2 / 600)), ("he", np.sqrt(2 / 300))],
)
def test_init_schemes_give_the_stated_spread(scheme, std):
    model = initialise(nk.Sequential([nk.Dense(300, 300)]), scheme, seed=0)
    assert model.layers[0].weights.std() == pytest.approx(std, rel=0.02)
    assert np.all(model.layers[0].bias == 0)


def test_zero_init_keeps_every_neuron_the_same_even_after_training():
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(30, 3)), rng.integers(0, 2, size=30)
    model = initialise(nk.mlp([3, 5, 2], activation="tanh"), "zeros")
    model.fit(X, y, epochs=20, lr=0.5)
    weights = model.layers[0].weights
    np.testing.assert_allclose(weights, weights[:, :1] * np.ones((1, 5)))  # identical columns


def test_signal_sizes_match_a_hand_computation():
    rng = np.random.default_rng(1)
    X, y = rng.normal(size=(10, 4)), rng.integers(0, 3, size=10)
    model = deep_network(2, width=5, n_inputs=4, n_classes=3, activation="tanh", seed=2)
    sizes = signal_sizes(model, X, y)
    hidden1 = np.tanh(X @ model.layers[0].weights)
    hidden2 = np.tanh(hidden1 @ model.layers[2].weights)
    np.testing.assert_allclose(sizes.activations, [hidden1.std(), hidden2.std()])
    assert sizes.gradients.shape == (3,)
    assert sizes.gradients[0] == pytest.approx(model.layers[0].grads["weights"].std())


def test_sigmoid_shrinks_gradients_relu_he_does_not():
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(128, 32)), rng.integers(0, 10, size=128)
    sig = signal_sizes(deep_network(12, 32, 32, activation="sigmoid", init="glorot"), X, y)
    relu = signal_sizes(deep_network(12, 32, 32, activation="relu", init="he"), X, y)
    assert sig.gradients[0] / sig.gradients[-1] < 1e-5
    assert relu.gradients[0] / relu.gradients[-1] > 0.05


def test_first_steps_of_each_optimizer_by_hand():
    ravine = SURFACES["ravine"]
    start = np.array(ravine.start)
    g = ravine.gradient(start)
    path = optimizer_path("ravine", nk.SGD(lr=0.1), steps=1)
    np.testing.assert_allclose(path.points[1], start - 0.1 * g)
    path = optimizer_path("ravine", nk.SGD(lr=0.1, momentum=0.5), steps=2)
    g2 = ravine.gradient(path.points[1])
    np.testing.assert_allclose(path.points[2], path.points[1] - 0.1 * (0.5 * g + g2))
    path = optimizer_path("ravine", nk.Adam(lr=0.1), steps=1)  # Adam's first step: lr * sign(g)
    np.testing.assert_allclose(path.points[1], start - 0.1 * np.sign(g), rtol=1e-6)


@pytest.mark.parametrize("name", sorted(SURFACES))
def test_surface_gradients_match_numerical_gradients(name):
    surface, w = SURFACES[name], np.array([0.3, -0.7])
    numeric = nk.gradcheck.numerical_gradient(lambda: float(surface.loss(w)), w)
    np.testing.assert_allclose(surface.gradient(w), numeric, rtol=1e-7)


def test_diverging_paths_stop_and_bad_names_are_explained():
    path = optimizer_path("banana", nk.SGD(lr=0.5), steps=50)
    assert path.diverged and len(path.points) < 50 and np.all(np.isfinite(path.losses))
    with pytest.raises(ValueError, match="surface"):
        optimizer_path("valley", nk.SGD(), 3)
    with pytest.raises(ValueError, match="scheme"):
        initialise(nk.mlp([2, 2]), "random")
