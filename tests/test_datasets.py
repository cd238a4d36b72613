"""Data: the shipped penguins, the toy sets and load_csv's errors."""

import hashlib

import numpy as np
import pytest

import nnkit as nk
from nnkit import datasets


def test_penguins_loads_complete_rows():
    data = datasets.load_penguins()
    assert data.X.shape == (342, 4) and data.y.shape == (342,)
    assert data.class_names == ["Adelie", "Chinstrap", "Gentoo"]
    assert np.bincount(data.y).tolist() == [151, 68, 123]
    assert np.all(np.isfinite(data.X))
    X, y = data  # unpacks like a pair
    assert X is data.X and y is data.y


def test_shipped_csv_matches_its_recorded_checksum():
    digest = hashlib.sha256((datasets.data_dir() / "penguins.csv").read_bytes()).hexdigest()
    readme = (datasets.data_dir() / "README.md").read_text()
    assert digest in readme


@pytest.mark.parametrize("name", sorted(datasets.TOY_DATASETS))
def test_toy_sets_are_seeded_and_two_dimensional(name):
    make = datasets.TOY_DATASETS[name]
    a, b, c = make(n=100, noise=0.1, seed=0), make(n=100, noise=0.1, seed=0), make(n=100, seed=1)
    assert a.X.shape == (100, 2) and a.y.shape == (100,)
    np.testing.assert_array_equal(a.X, b.X)
    assert not np.array_equal(a.X, c.X)
    assert set(np.unique(a.y)) == {0, 1}


def test_spiral_has_any_number_of_classes():
    data = datasets.make_spiral(n=300, n_classes=3, seed=0)
    assert np.bincount(data.y).tolist() == [100, 100, 100]


def test_toy_set_arguments_are_checked():
    with pytest.raises(ValueError, match="noise must be >= 0.0"):
        datasets.make_moons(noise=-1)
    with pytest.raises(ValueError, match="n must be >= 2"):
        datasets.make_xor(n=0)


def test_load_csv_reads_your_own_data(tmp_path):
    path = tmp_path / "fruit.csv"
    path.write_text("weight,diameter,fruit\n150,7,apple\n120,6,apple\n300,9,orange\n")
    data = datasets.load_csv(path, target="fruit")
    assert data.feature_names == ["weight", "diameter"]
    assert data.class_names == ["apple", "orange"]
    np.testing.assert_array_equal(data.y, [0, 0, 1])
    model = nk.mlp([2, 3, 2], seed=0)
    assert model.predict(data.X).shape == (3,)


def test_load_csv_errors(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("weight,colour,fruit\n150,red,apple\n,green,apple\n")
    with pytest.raises(ValueError, match="has no column 'species'.*columns are"):
        datasets.load_csv(path, target="species")
    with pytest.raises(ValueError, match="line 3 has a missing value.*drop_missing=True"):
        datasets.load_csv(path, target="fruit", features=["weight"])
    with pytest.raises(TypeError, match="column 'colour' must be numeric, found 'red'"):
        datasets.load_csv(path, target="fruit")
    data = datasets.load_csv(path, target="fruit", features=["weight"], drop_missing=True)
    assert data.X.shape == (1, 1)
    with pytest.raises(FileNotFoundError):
        datasets.load_csv(tmp_path / "nope.csv", target="fruit")
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    with pytest.raises(ValueError, match="is empty"):
        datasets.load_csv(empty, target="fruit")


@pytest.mark.lesson(7)
def test_split_and_scale_fits_the_scaler_on_the_training_part_only():
    data = nk.datasets.load_penguins()
    X_train, X_test, y_train, y_test, scaler = nk.datasets.split_and_scale(
        data.X, data.y, test_size=0.25, seed=0
    )
    assert len(X_train) + len(X_test) == len(data.X) and len(X_test) == 86
    raw_train = scaler.inverse_transform(X_train)
    np.testing.assert_allclose(scaler.mean_, raw_train.mean(axis=0))
    np.testing.assert_allclose(X_train.mean(axis=0), 0.0, atol=1e-12)
    assert np.abs(X_test.mean(axis=0)).max() > 1e-3  # the test part was not used to fit
    # stratified: each class keeps its share in both parts
    share = np.bincount(data.y) / len(data.y)
    np.testing.assert_allclose(np.bincount(y_test) / len(y_test), share, atol=0.02)
    again = nk.datasets.split_and_scale(data.X, data.y, test_size=0.25, seed=0)
    np.testing.assert_array_equal(again.X_test, X_test)
    np.testing.assert_array_equal(nk.datasets.penguin_split().X_test, X_test)


def test_split_and_scale_bad_test_size():
    data = nk.datasets.make_xor(n=20)
    with pytest.raises(ValueError, match="test_size must be <= 1.0, got 2.0"):
        nk.datasets.split_and_scale(data.X, data.y, test_size=2.0)
