"""Learning-rate schedules: the numbers, and their use from fit."""

import math

import numpy as np
import pytest

import nnkit as nk

pytestmark = pytest.mark.lesson(10)


def test_step_decay_halves_every_ten_epochs():
    schedule = nk.StepDecay(every=10, drop=0.5)
    assert schedule(1, 0.8) == 0.8
    assert schedule(10, 0.8) == 0.8
    assert schedule(11, 0.8) == 0.4
    assert schedule(21, 0.8) == 0.2
    assert schedule.rates(25, 1.0)[-1] == 0.25


def test_cosine_decay_numbers():
    schedule = nk.CosineDecay(epochs=10, min_lr=0.01)
    assert schedule(1, 0.5) == 0.5
    assert schedule(6, 0.5) == pytest.approx(0.01 + 0.49 * 0.5)  # half way: the middle
    assert schedule(4, 0.5) == pytest.approx(0.01 + 0.49 * (1 + math.cos(math.pi * 0.3)) / 2)
    assert schedule(11, 0.5) == pytest.approx(0.01)
    assert schedule(50, 0.5) == pytest.approx(0.01)
    rates = schedule.rates(11, 0.5)
    assert all(a > b for a, b in zip(rates, rates[1:]))


def test_fit_uses_the_schedule_and_records_it():
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(30, 2)), rng.integers(0, 2, size=30)
    model = nk.mlp([2, 4, 2], seed=0)
    history = model.fit(
        X, y, optimizer=nk.SGD(lr=0.4), epochs=7, schedule=nk.StepDecay(every=3, drop=0.1)
    )
    np.testing.assert_allclose(history.learning_rate, [0.4] * 3 + [0.04] * 3 + [0.004])


def test_a_schedule_changes_training_like_setting_lr_by_hand():
    rng = np.random.default_rng(1)
    X, y = rng.normal(size=(30, 2)), rng.integers(0, 2, size=30)
    scheduled = nk.mlp([2, 4, 2], seed=0)
    scheduled.fit(X, y, optimizer=nk.SGD(lr=0.5), epochs=4, schedule=lambda e, lr: lr / e)
    by_hand = nk.mlp([2, 4, 2], seed=0)
    optimizer = nk.SGD(lr=0.5)
    for epoch in range(1, 5):
        optimizer.lr = 0.5 / epoch
        by_hand.fit(X, y, optimizer=optimizer, epochs=1)
    np.testing.assert_allclose(scheduled.layers[0].weights, by_hand.layers[0].weights)


def test_fit_without_schedule_records_the_constant_rate():
    X, y = np.eye(2), np.array([0, 1])
    history = nk.mlp([2, 2], seed=0).fit(X, y, lr=0.3, epochs=3)
    assert history.learning_rate == [0.3, 0.3, 0.3]


def test_bad_schedules_say_what_is_wrong():
    with pytest.raises(TypeError, match="schedule"):
        nk.mlp([2, 2]).fit(np.eye(2), [0, 1], schedule=0.1)
    with pytest.raises(ValueError, match="drop"):
        nk.StepDecay(drop=1.5)
    with pytest.raises(ValueError, match="every"):
        nk.StepDecay(every=0)
