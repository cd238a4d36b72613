"""fit: history, reproducibility, callbacks, early stopping, divergence, penguins."""

import numpy as np
import pytest
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

import nnkit as nk


def _penguins_split(seed=0):
    data = nk.datasets.load_penguins()
    # honest split: split first, then fit the scaler on the training part only
    X_train, X_test, y_train, y_test = train_test_split(
        data.X, data.y, test_size=0.3, random_state=seed, stratify=data.y
    )
    scaler = StandardScaler().fit(X_train)
    return scaler.transform(X_train), scaler.transform(X_test), y_train, y_test


@pytest.mark.lesson(7)
def test_penguins_4_10_3_reaches_97_percent_on_the_test_set():
    X_train, X_test, y_train, y_test = _penguins_split()
    model = nk.mlp([4, 10, 3], activation="relu", seed=0)
    history = model.fit(
        X_train,
        y_train,
        optimizer=nk.SGD(lr=0.1, momentum=0.9),
        epochs=100,
        batch_size=32,
        validation_data=(X_test, y_test),
    )
    assert history.loss[-1] < history.loss[0] / 5  # the loss falls
    assert np.mean(model.predict(X_test) == y_test) >= 0.97


def test_history_has_one_value_per_epoch():
    X_train, X_test, y_train, y_test = _penguins_split()
    history = nk.mlp([4, 5, 3], seed=0).fit(
        X_train, y_train, epochs=7, validation_data=(X_test, y_test)
    )
    for values in (history.loss, history.val_loss, history.accuracy, history.val_accuracy):
        assert len(values) == 7
    assert history.epochs == 7
    assert 0 <= min(history.accuracy) <= max(history.accuracy) <= 1


def test_same_seed_same_weights_and_history():
    X_train, _, y_train, _ = _penguins_split()

    def run(seed):
        model = nk.mlp([4, 6, 3], seed=seed)
        history = model.fit(X_train, y_train, epochs=5, batch_size=16, seed=seed)
        return model.get_weights(), history.loss

    (w1, h1), (w2, h2), (_, h3) = run(0), run(0), run(1)
    assert h1 == h2 and h1 != h3
    for a, b in zip(w1, w2):
        for name in a:
            np.testing.assert_array_equal(a[name], b[name])


def test_callbacks_run_after_each_epoch_and_batch():
    X_train, _, y_train, _ = _penguins_split()
    seen, batches = [], []

    class Batches(nk.Callback):
        def on_batch_end(self, batch, loss, model):
            batches.append(loss)

    nk.mlp([4, 5, 3], seed=0).fit(
        X_train,
        y_train,
        epochs=3,
        batch_size=60,
        callbacks=[lambda epoch, h: seen.append((epoch, h.loss[-1])), Batches()],
    )
    assert [epoch for epoch, _ in seen] == [1, 2, 3]
    assert len(batches) == 3 * int(np.ceil(len(y_train) / 60))


def test_a_callback_can_stop_training():
    X_train, _, y_train, _ = _penguins_split()

    def stop_at_two(epoch, history):
        if epoch == 2:
            raise nk.StopTraining

    history = nk.mlp([4, 5, 3], seed=0).fit(X_train, y_train, epochs=50, callbacks=[stop_at_two])
    assert history.epochs == 2


def test_early_stopping_restores_the_best_weights():
    X_train, X_test, y_train, y_test = _penguins_split()
    model = nk.mlp([4, 64, 3], seed=0)
    stopper = nk.EarlyStopping(patience=3)
    history = model.fit(
        X_train[:30],
        y_train[:30],
        optimizer=nk.Adam(lr=0.05),
        epochs=500,
        validation_data=(X_test, y_test),
        early_stopping=stopper,
    )
    assert history.stopped_early and history.epochs < 500
    best = history.best_epoch
    assert history.val_loss[best - 1] == min(history.val_loss)
    val_now = nk.CrossEntropy().forward(model.forward(X_test), y_test)
    assert val_now == pytest.approx(history.val_loss[best - 1])


def test_divergence_stops_with_a_hint_and_restores_finite_weights():
    X_train, _, y_train, _ = _penguins_split()
    model = nk.mlp([4, 10, 3], seed=0)
    with pytest.raises(nk.TrainingDiverged, match="smaller learning rate.*lr=100") as info:
        model.fit(X_train, y_train, optimizer=nk.SGD(lr=1000.0), epochs=50)
    assert info.value.epoch >= 1 and info.value.learning_rate == 1000.0
    assert all(np.all(np.isfinite(value)) for _, _, value, _ in model.parameters())


def test_progress_bar(capsys):
    X_train, _, y_train, _ = _penguins_split()
    nk.mlp([4, 5, 3], seed=0).fit(X_train, y_train, epochs=3, progress=True)
    assert "3/3" in capsys.readouterr().err


def test_bad_fit_arguments():
    X_train, _, y_train, _ = _penguins_split()
    model = nk.mlp([4, 5, 3], seed=0)
    with pytest.raises(ValueError, match="epochs must be >= 1, got 0"):
        model.fit(X_train, y_train, epochs=0)
    with pytest.raises(ValueError, match="batch_size must be >= 1, got 0"):
        model.fit(X_train, y_train, batch_size=0)
    with pytest.raises(ValueError, match="X has 239 samples but y has 238 labels"):
        model.fit(X_train, y_train[:-1])
    with pytest.raises(ValueError, match="labels out of range.*0..2"):
        model.fit(X_train, y_train + 1)
    with pytest.raises(ValueError, match="X_val has 3 features but the first Dense"):
        model.fit(X_train, y_train, validation_data=(X_train[:, :3], y_train))
    with pytest.raises(ValueError, match="lr \\(learning rate\\) must be a finite number > 0"):
        model.fit(X_train, y_train, optimizer=nk.SGD(lr=-1))
