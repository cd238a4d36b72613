"""fit: history, reproducibility, callbacks, early stopping, divergence, penguins."""

import numpy as np
import pytest

import nnkit as nk


def _penguins_split(seed=0):
    # honest split: split first, then fit the scaler on the training part only
    return nk.datasets.penguin_split(test_size=0.3, seed=seed)[:4]


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


def test_learning_rate_given_twice_is_an_error():
    X_train, _, y_train, _ = _penguins_split()
    model = nk.mlp([4, 5, 3], seed=0)
    with pytest.raises(nk.NNKitValueError, match="both optimizer=SGD\\(lr=0.5\\) and lr=99"):
        model.fit(X_train, y_train, optimizer=nk.SGD(lr=0.5), lr=99)
    # lr alone (or with an optimizer's name) sets the learning rate
    history = model.fit(X_train, y_train, lr=0.05, epochs=1)
    assert history.epochs == 1


def test_fit_accepts_lists():
    data = nk.datasets.make_xor(n=20)
    history = nk.mlp([2, 3, 2], seed=0).fit(data.X.tolist(), data.y.tolist(), epochs=2)
    assert len(history.loss) == 2 and np.isfinite(history.loss).all()


def test_a_stricter_divergence_guard_keeps_its_yardstick_over_several_fits():
    X_train, _, y_train, _ = _penguins_split()
    sgd = nk.SGD(lr=10.0)  # losses per epoch: 1.31, 3.05, 90, 852, ...
    nk.mlp([4, 10, 3], seed=0).fit(X_train, y_train, optimizer=sgd, epochs=3)  # 1000x: fine
    model = nk.mlp([4, 10, 3], seed=0)
    untrained = nk.CrossEntropy()(model.forward(X_train), y_train)
    guard = nk.DivergenceGuard(factor=2.0)
    model.fit(X_train, y_train, optimizer=sgd, epochs=1, divergence=guard)
    after_first = model.get_weights()
    assert guard.reference == pytest.approx(untrained)
    with pytest.raises(nk.TrainingDiverged, match="over 2 times its starting value"):
        model.fit(X_train, y_train, optimizer=sgd, epochs=1, divergence=guard)
    assert all(
        np.array_equal(a["weights"], b["weights"])
        for a, b in zip(model.get_weights(), after_first)
        if a
    )
    # a new yardstick per fit (divergence=2.0) would have measured from the worse loss
    model.fit(X_train, y_train, optimizer=sgd, epochs=1, divergence=2.0)
