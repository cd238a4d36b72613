"""Training in pieces: ``fitting`` is ``fit`` one epoch per step, and an explorer's ``Runs``
train a setting ahead in pieces that a press can pick up where they stopped."""

from __future__ import annotations

import numpy as np
import pytest

import nnkit as nk
from nnkit.errors import NNKitValueError, TrainingDiverged
from nnkit.training import fitting
from nnkit.widgets import OverfittingExplorer, TrainingDashboard
from nnkit.widgets.runs import Runs


def moons():
    data = nk.datasets.make_moons(n=120, noise=0.2, seed=3)
    return data.X, data.y


def test_fitting_yields_each_epoch_and_gives_fits_numbers():
    X, y = moons()
    options = dict(optimizer=nk.Adam(lr=0.02), epochs=12, batch_size=32, seed=4)
    fitted = nk.mlp([2, 8, 2], activation="tanh", seed=1, dropout=0.2)
    history = fitted.fit(X, y, validation_data=(X, y), **options)
    stepped = nk.mlp([2, 8, 2], activation="tanh", seed=1, dropout=0.2)
    steps = stepped.fitting(X, y, validation_data=(X, y), **options)
    lengths = []
    for partial in steps:
        lengths.append(partial.epochs)
        assert not stepped.training  # between epochs the model predicts as after training
        stepped.predict(X)  # e.g. a picture drawn in between changes nothing
    assert lengths == list(range(1, 13))
    assert partial.loss == history.loss and partial.val_accuracy == history.val_accuracy
    for a, b in zip(fitted.get_weights(), stepped.get_weights(), strict=True):
        for name in a:
            np.testing.assert_array_equal(a[name], b[name])


def test_fitting_ends_with_early_stopping_and_returns_the_history():
    X, y = moons()
    model = nk.mlp([2, 16, 2], activation="relu", seed=0)
    steps = fitting(model, X[:20], y[:20], optimizer=nk.Adam(lr=0.05), epochs=300,
                    validation_data=(X[60:], y[60:]), early_stopping=5)  # fmt: skip
    with pytest.raises(StopIteration) as done:
        while True:
            next(steps)
    history = done.value.value
    assert history.stopped_early and history.epochs < 300
    reference = nk.mlp([2, 16, 2], activation="relu", seed=0)
    same = reference.fit(X[:20], y[:20], optimizer=nk.Adam(lr=0.05), epochs=300,
                         validation_data=(X[60:], y[60:]), early_stopping=5)  # fmt: skip
    assert history.best_epoch == same.best_epoch and history.val_loss == same.val_loss
    np.testing.assert_array_equal(model.layers[0].weights, reference.layers[0].weights)


def test_fitting_checks_its_arguments_at_the_first_step():
    X, y = moons()
    steps = nk.mlp([2, 4, 2], seed=0).fitting(X, y, epochs=0)
    with pytest.raises(NNKitValueError, match="epochs"):
        next(steps)


def start_moons_run(key):
    lr, epochs = key
    X, y = moons()
    model = nk.mlp([2, 8, 2], activation="relu", seed=2)
    return model, model.fitting(X, y, optimizer=nk.SGD(lr=lr), epochs=epochs, seed=0)


def test_a_run_stopped_between_epochs_goes_on_where_it_stopped():
    runs = Runs(start_moons_run)
    pieces = runs.training((0.5, 40))
    for _ in range(15):
        next(pieces)  # fifteen epochs, then a press comes
    pieces.close()  # the work ahead stops between two epochs...
    assert (0.5, 40) not in runs and runs.begun[(0.5, 40)].history.epochs == 15
    run = runs[(0.5, 40)]  # ...and the press goes on from there
    assert runs.trainings == 1 and run.history.epochs == 40 and run.diverged is None
    assert run.seconds > 0
    whole = Runs(start_moons_run)[(0.5, 40)]
    assert run.history.loss == whole.history.loss
    np.testing.assert_array_equal(run.model.layers[0].weights, whole.model.layers[0].weights)
    assert runs[(0.5, 40)] is run and runs.trainings == 1  # trained once


def test_a_run_that_diverges_keeps_the_good_epochs_and_the_error():
    runs = Runs(start_moons_run)
    run = runs[(1e4, 50)]
    assert isinstance(run.diverged, TrainingDiverged) and "smaller learning rate" in str(
        run.diverged
    )
    assert run.history.epochs < 50 and all(np.isfinite(run.history.loss))
    assert runs[(1e4, 50)] is run and runs.trainings == 1


def test_a_run_that_fails_is_begun_again_and_the_oldest_is_forgotten():
    calls = []

    def start(key):
        calls.append(key)
        if len(calls) == 1:
            raise_later = iter([])  # a generator that fails at its first step

            def failing():
                yield from raise_later
                raise RuntimeError("out of memory")

            return None, failing()
        return start_moons_run(key)

    runs = Runs(start, kept=2)
    with pytest.raises(RuntimeError, match="out of memory"):
        runs[(0.1, 3)]
    assert runs[(0.1, 3)].history.epochs == 3 and calls == [(0.1, 3), (0.1, 3)]
    runs[(0.2, 3)], runs[(0.3, 3)]
    assert list(runs.finished) == [(0.2, 3), (0.3, 3)]  # kept=2: the oldest went


def test_a_press_goes_on_with_the_run_begun_ahead_and_shows_the_same_picture():
    explorer = OverfittingExplorer(epochs=60)
    pieces = explorer._pieces_ahead()  # what the kernel does while the student looks
    while not explorer.runs.begun:
        next(pieces)
    for _ in range(10):
        next(pieces)  # ten epochs into the first press ahead; then the student presses
    (key,) = explorer.runs.begun
    trainings = explorer.runs.trainings
    pieces.close()
    name, value = next(
        (n, v) for n, v in zip(("train_size", "size", "l2", "dropout"), key, strict=True)
        if v != explorer.value(n)
    )  # fmt: skip
    explorer.controls[name].value = value
    assert explorer.runs.trainings == trainings  # finished, not trained again
    fresh = OverfittingExplorer(epochs=60, **{name: value})
    assert explorer.picture == fresh.picture
    assert explorer.message.value == fresh.message.value


def test_dashboard_trains_ahead_in_pieces_and_reports_the_training_time():
    dashboard = TrainingDashboard()
    pieces = dashboard._pieces_ahead()
    while not dashboard.runs.begun:
        next(pieces)
    (settings,) = dashboard.runs.begun
    for _ in pieces:  # everything one press away
        pass
    run = dashboard.runs[settings]
    assert run.history.epochs == dashboard.value("epochs") and 0 < run.seconds < 10
    assert dashboard.retrains == len(dashboard.runs.finished)
