"""Sequential and mlp: forward, backward, predictions, summary, save/load."""

import numpy as np
import pytest

import nnkit as nk


def _data(n=20, seed=0):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(n, 4)), rng.integers(0, 3, size=n)


@pytest.mark.lesson(2)
def test_mlp_builds_the_same_as_sequential():
    a = nk.mlp([4, 10, 3], activation="relu", seed=0)
    b = nk.Sequential(
        [nk.Dense(4, 10, init="he", seed=0), nk.ReLU(), nk.Dense(10, 3, init="he", seed=1)]
    )
    X, _ = _data()
    np.testing.assert_allclose(a.forward(X), b.forward(X))


@pytest.mark.lesson(3)
def test_predict_proba_rows_sum_to_one_and_predict_is_argmax():
    model = nk.mlp([4, 5, 3], seed=0)
    X, _ = _data()
    proba = model.predict_proba(X)
    assert proba.shape == (20, 3)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    np.testing.assert_array_equal(model.predict(X), proba.argmax(axis=1))


@pytest.mark.lesson(6)
@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu", "leaky_relu"])
def test_whole_model_gradients_match_numerical(activation):
    model = nk.mlp([4, 6, 5, 3], activation=activation, seed=3)
    X, y = _data(8, seed=1)
    assert nk.gradcheck.check_model(model, nk.CrossEntropy(), X, y) <= 1e-7


def test_softmax_layer_backward_matches_numerical():
    model = nk.Sequential([nk.Dense(4, 3, seed=0), nk.Softmax()])
    X, _ = _data(6)
    target = np.random.default_rng(2).uniform(size=(6, 3))
    assert nk.gradcheck.check_model(model, nk.SquaredError(), X, target) <= 1e-7


def test_small_net_overfits_twenty_samples():
    X, y = _data(20, seed=5)
    model = nk.mlp([4, 32, 3], activation="tanh", seed=0)
    history = model.fit(X, y, optimizer=nk.Adam(lr=0.02), epochs=400)
    assert history.accuracy[-1] == 1.0
    assert np.mean(model.predict(X) == y) == 1.0


def test_summary_lists_layers_shapes_and_parameters():
    text = nk.mlp([4, 10, 3], seed=0).summary()
    assert "Dense(n_inputs=4, n_neurons=10" in text
    assert "(n_samples, 10)" in text and "(n_samples, 3)" in text
    assert "total parameters: 83" in text  # 4*10+10 + 10*3+3


def test_save_load_round_trip(tmp_path):
    model = nk.mlp([4, 7, 3], activation="tanh", seed=2)
    X, y = _data()
    model.fit(X, y, epochs=5)
    path = model.save(tmp_path / "model.npz")
    loaded = nk.load(path)
    np.testing.assert_array_equal(loaded.predict_proba(X), model.predict_proba(X))
    assert repr(loaded) == repr(model)
    # the file holds no pickle
    assert not np.load(path, allow_pickle=False)["__nnkit__"].dtype.hasobject


def test_save_never_overwrites_without_asking(tmp_path):
    model = nk.mlp([4, 3], seed=0)
    path = model.save(tmp_path / "m.npz")
    before = path.read_bytes()
    with pytest.raises(FileExistsError, match="overwrite=True"):
        nk.mlp([4, 3], seed=1).save(path)
    assert path.read_bytes() == before
    nk.mlp([4, 3], seed=1).save(path, overwrite=True)
    assert path.read_bytes() != before


def test_load_rejects_files_that_are_not_models(tmp_path):
    bogus = tmp_path / "notes.npz"
    bogus.write_text("hello")
    with pytest.raises(nk.NNKitError, match="is not an nnkit model file"):
        nk.load(bogus)
    other = tmp_path / "arrays.npz"
    np.savez(other, a=np.ones(3))
    with pytest.raises(nk.NNKitError, match="is not an nnkit model file"):
        nk.load(other)
    with pytest.raises(FileNotFoundError):
        nk.load(tmp_path / "missing.npz")


def test_float32_stays_float32_end_to_end():
    X, y = _data()
    X = X.astype(np.float32)
    model = nk.mlp([4, 5, 3], seed=0, dtype=np.float32)
    assert model.forward(X).dtype == np.float32
    model.fit(X, y, epochs=3)
    assert all(value.dtype == np.float32 for _, _, value, _ in model.parameters())
    assert model.predict_proba(X).dtype == np.float32


def test_bad_network_inputs():
    model = nk.mlp([4, 5, 3], seed=0)
    with pytest.raises(ValueError, match="X has 5 features but the first Dense layer expects 4"):
        model.forward(np.ones((2, 5)))
    with pytest.raises(ValueError, match="X must be 2-D"):
        model.forward(np.ones(4))
    with pytest.raises(ValueError, match="X is empty"):
        model.forward(np.ones((0, 4)))
    with pytest.raises(ValueError, match="NaN or infinite"):
        model.forward(np.array([[1.0, np.nan, 0.0, 0.0]]))
    with pytest.raises(TypeError, match="must hold numbers only"):
        model.forward(np.array([["a", "b", "c", "d"]]))
    with pytest.raises(ValueError, match="layer sizes|each layer size must be >= 1"):
        nk.mlp([4, 0, 3])
    with pytest.raises(ValueError, match="expects 6 inputs but the layer before it outputs 5"):
        nk.Sequential([nk.Dense(4, 5), nk.ReLU(), nk.Dense(6, 3)])
