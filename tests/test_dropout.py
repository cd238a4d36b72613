"""nk.Dropout: inverted dropout, only while training, backward checked numerically."""

import numpy as np
import pytest

import nnkit as nk
from nnkit.gradcheck import numerical_gradient, relative_error

pytestmark = pytest.mark.lesson(9)


def _training_dropout(rate, seed):
    layer = nk.Dropout(rate, seed=seed)
    layer.training = True
    return layer


def test_dropout_zeroes_about_rate_and_scales_the_rest():
    layer = _training_dropout(0.25, seed=0)
    x = np.ones((400, 50))
    out = layer.forward(x)
    dropped = np.mean(out == 0)
    assert dropped == pytest.approx(0.25, abs=0.01)
    # the kept values are scaled by 1 / (1 - rate): the mean stays about 1
    np.testing.assert_allclose(out[out != 0], 1 / 0.75)
    assert out.mean() == pytest.approx(1.0, abs=0.02)


def test_dropout_does_nothing_outside_training_and_in_predict():
    layer = nk.Dropout(0.5, seed=0)
    x = np.arange(12.0).reshape(3, 4)
    np.testing.assert_array_equal(layer.forward(x), x)
    np.testing.assert_array_equal(layer.backward(np.ones_like(x)), np.ones_like(x))
    model = nk.Sequential(
        [nk.Dense(4, 6, seed=0), nk.ReLU(), nk.Dropout(0.5, seed=1), nk.Dense(6, 3, seed=2)]
    )
    first = model.predict_proba(x)
    np.testing.assert_array_equal(model.predict_proba(x), first)
    model.training = True
    assert not np.allclose(model.forward(x), model.forward(x))  # new masks each time
    model.training = False
    np.testing.assert_array_equal(model.predict_proba(x), first)


def test_dropout_backward_uses_the_forward_mask():
    layer = _training_dropout(0.5, seed=3)
    x = np.random.default_rng(0).normal(size=(5, 7))
    out = layer.forward(x)
    upstream = np.random.default_rng(1).normal(size=x.shape)
    grad = layer.backward(upstream)
    expected = upstream * (out != 0) / 0.5
    np.testing.assert_array_equal(grad, expected)


def test_dropout_backward_matches_numerical_gradient_with_a_fixed_mask():
    x = np.random.default_rng(0).normal(size=(6, 5))
    upstream = np.random.default_rng(1).normal(size=x.shape)

    def loss():  # a fresh layer with the same seed draws the same mask every time
        return float(np.sum(_training_dropout(0.4, seed=7).forward(x) * upstream))

    layer = _training_dropout(0.4, seed=7)
    layer.forward(x)
    analytic = layer.backward(upstream)
    assert relative_error(analytic, numerical_gradient(loss, x)) < 1e-7


def test_model_with_dropout_gradcheck_in_training_mode():
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(8, 4)), rng.integers(0, 3, size=8)
    dropout = nk.Dropout(0.3, seed=5)
    model = nk.Sequential([nk.Dense(4, 6, seed=0), nk.Tanh(), dropout, nk.Dense(6, 3, seed=1)])
    model.training = True
    loss = nk.CrossEntropy()

    def compute_loss():
        dropout.rng = np.random.default_rng(5)  # the same mask in every forward
        return loss.forward(model.forward(X), y)

    compute_loss()
    model.backward(loss.backward())
    for layer in (model.layers[0], model.layers[3]):
        for name, value in layer.params.items():
            analytic = layer.grads[name].copy()
            numeric = numerical_gradient(compute_loss, value)
            assert relative_error(analytic, numeric) < 1e-7


def test_fit_trains_with_dropout_on_and_validates_with_it_off():
    seen = []

    class Spy(nk.Dropout):
        def forward(self, inputs):
            seen.append(self.training)
            return super().forward(inputs)

    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(20, 3)), rng.integers(0, 2, size=20)
    model = nk.Sequential(
        [nk.Dense(3, 5, seed=0), nk.ReLU(), Spy(0.5, seed=0), nk.Dense(5, 2, seed=1)]
    )
    model.fit(X, y, epochs=2, validation_data=(X, y))
    assert seen == [True, False, True, False]  # train epoch, validation, train, validation
    assert model.training is False


def test_dropout_keeps_float32_and_saves(tmp_path):
    layer = _training_dropout(0.5, seed=0)
    assert layer.forward(np.ones((3, 4), dtype=np.float32)).dtype == np.float32
    model = nk.Sequential([nk.Dense(2, 3, seed=0), nk.Dropout(0.2, seed=4), nk.Dense(3, 2)])
    loaded = nk.load(model.save(tmp_path / "m.npz"))
    assert repr(loaded.layers[1]) == "Dropout(rate=0.2, seed=4)"


@pytest.mark.parametrize("rate", [-0.1, 1.0, 1.5])
def test_dropout_rejects_bad_rates(rate):
    with pytest.raises(ValueError, match="rate"):
        nk.Dropout(rate)
