"""Explorers that train on each change (lessons 08 and 09) train the settings one press away
while the student looks at the picture, so the next press only draws."""

import asyncio

import numpy as np
import pytest

from nnkit.widgets import NonlinearityExplorer, OverfittingExplorer


async def until_idle(explorer, seconds: float = 30.0) -> None:
    """Let the kernel's event loop run until the explorer has nothing more to do ahead."""
    for _ in range(int(seconds / 0.02)):
        await asyncio.sleep(0.02)
        if explorer._ahead is not None and explorer._ahead.done():
            return
    raise AssertionError("still working ahead")


@pytest.mark.lesson(8)
def test_one_press_away_puts_the_last_press_first():
    explorer = NonlinearityExplorer(neurons=8, hidden_layers=1)
    assert explorer.one_press_away(["neurons", "hidden_layers"]) == [
        {"neurons": 9},  # onwards first (up, for sliders not moved yet)
        {"hidden_layers": 2},
        {"neurons": 7},  # then back (0 hidden layers is below the slider's minimum)
    ]
    explorer.controls["hidden_layers"].value = 2
    explorer.controls["hidden_layers"].value = 3  # the top: no further up
    explorer.controls["neurons"].value = 7  # pressed down
    assert explorer.one_press_away(["neurons", "hidden_layers"]) == [
        {"neurons": 6},  # the last press, on in its direction
        {"neurons": 8},  # (hidden layers cannot go further up) then the steps back
        {"hidden_layers": 2},
    ]
    overfitting = OverfittingExplorer(size=32, l2=0.0, dropout=0.2)
    away = overfitting.one_press_away(["size", "l2", "dropout"])
    assert {"size": 64} in away and {"size": 16} in away and {"l2": 0.0003} in away
    assert {"dropout": 0.3} in away and {"dropout": 0.1} in away  # not 0.30000000000000004


@pytest.mark.lesson(8)
def test_nonlinearity_next_press_costs_no_training_after_a_look():
    async def press_look_press() -> tuple[int, int, int]:
        explorer = NonlinearityExplorer(activation="tanh")
        explorer.controls["neurons"].value = 9  # a new setting: trained at once
        shown = explorer.trainings
        await until_idle(explorer)  # the student looks at the picture
        ahead = explorer.trainings
        explorer.controls["neurons"].value = 10  # on in the same direction
        explorer.controls["activation"].value = "relu"  # another activation, too
        return shown, ahead, explorer.trainings, explorer

    shown, ahead, after, explorer = asyncio.run(press_look_press())
    assert ahead > shown  # trained ahead while nobody pressed anything
    # the two presses found their networks trained; only the work ahead for the first
    # (cancelled by the second) may have trained one more
    assert after <= ahead + 1
    fresh = NonlinearityExplorer(activation="relu", neurons=10)
    assert explorer.picture == fresh.picture  # working ahead changes nothing shown
    assert np.isclose(explorer.accuracy, fresh.accuracy)


@pytest.mark.lesson(9)
def test_overfitting_works_ahead_only_with_an_event_loop():
    explorer = OverfittingExplorer(size=32)  # below the top: every slider can go both ways
    explorer.controls["l2"].index += 1
    assert explorer._ahead is None and len(explorer.runs.finished) == 2  # a script: none ahead

    async def look() -> None:
        explorer.controls["dropout"].value = 0.1
        await until_idle(explorer)

    asyncio.run(look())
    names = ["train_size", "size", "l2", "dropout"]
    now = {name: explorer.value(name) for name in names}
    away = [now | press for press in explorer.one_press_away(names)]
    assert len(away) == 8  # each slider one step up and one down
    for setting in away:
        assert explorer.settings_key(**setting) in explorer.runs, setting
    # one of them (back to dropout 0) had been shown before: 3 shown + 7 trained ahead
    assert len(explorer.runs.finished) == 10 and explorer.runs.trainings == 10


@pytest.mark.lesson(11)
def test_torch_parity_trains_the_learning_rates_one_press_away():
    pytest.importorskip("torch")
    from nnkit.widgets import TorchParityExplorer

    explorer = TorchParityExplorer(learning_rate=0.1)
    away = explorer.one_press_away(["learning_rate"])
    assert [round(press["learning_rate"], 6) for press in away] == [0.125893, 0.079433]

    async def look() -> None:
        explorer.controls["epochs"].value = 60  # any change: then the student looks
        await until_idle(explorer)

    asyncio.run(look())
    runs = len(explorer._runs)
    assert runs == 5  # the rate shown, one step up and down, and the two other optimizers
    # the slider in the browser may send 10**-0.9 a bit off in its last digit: the same run
    explorer.controls["learning_rate"].value = 10**-0.9 * (1 + 2**-52)
    assert len(explorer._runs) == runs  # no training: it was trained ahead
    fresh = TorchParityExplorer(learning_rate=10**-0.9, epochs=60)
    np.testing.assert_allclose(explorer.curves, fresh.curves, rtol=1e-12)
    explorer.controls["learning_rate"].value = 0.1  # back to the rate shown before
    explorer.controls["optimizer"].value = "adam"  # trained ahead at that rate
    assert len(explorer._runs) == runs


@pytest.mark.lesson(8)
def test_an_error_while_working_ahead_waits_for_the_press_that_asks(monkeypatch):
    explorer = NonlinearityExplorer()
    trained = explorer.trained

    def diverges(activation, hidden_layers, neurons):
        if neurons == 9:
            raise RuntimeError("this setting diverges")
        return trained(activation, hidden_layers, neurons)

    monkeypatch.setattr(explorer, "trained", diverges)

    async def look() -> None:
        explorer.controls["hidden_layers"].value = 2  # then 9 neurons is one press away
        await until_idle(explorer)

    asyncio.run(look())
    assert explorer._ahead.done() and explorer._ahead.exception() is None  # no stray error
    with pytest.raises(RuntimeError, match="diverges"):
        explorer.controls["neurons"].value = 9  # the press shows it


def test_pyodide_loop_is_used_outside_a_coroutine(monkeypatch):
    from nnkit.widgets import base

    assert base.running_loop() is None  # a script: no loop runs
    pyodide_loop = object()  # Pyodide's loop runs inside the browser's, all the time
    monkeypatch.setattr(base.sys, "platform", "emscripten")
    monkeypatch.setattr(base.asyncio, "get_event_loop", lambda: pyodide_loop)
    assert base.running_loop() is pyodide_loop
