"""Headless tests of the lesson 05-08 explorers: move a control, training and pictures follow."""

import asyncio
import threading
from unittest import mock

import ipywidgets as widgets
import numpy as np
import pytest
from matplotlib.figure import Figure

import nnkit as nk
from nnkit.examples import tiny_example
from nnkit.widgets import (
    BackpropStepper,
    GradientDescentExplorer,
    LiveLoss,
    Playground,
    TrainingDashboard,
)


def descendants(widget) -> list:
    """Every widget inside ``widget`` (itself included)."""
    return [widget] + [w for child in getattr(widget, "children", ()) for w in descendants(child)]


def picture(explorer) -> bytes:
    return explorer.picture


def weights_equal(a, b) -> bool:
    return all(np.array_equal(x[k], y[k]) for x, y in zip(a, b) for k in x)


@pytest.mark.lesson(5)
@pytest.mark.lesson(6)
@pytest.mark.lesson(7)
@pytest.mark.lesson(8)
@pytest.mark.parametrize(
    "cls", [GradientDescentExplorer, BackpropStepper, TrainingDashboard, Playground]
)
def test_contract(cls):
    explorer = cls()
    assert isinstance(explorer.figure, Figure)
    assert explorer.controls
    assert picture(explorer).startswith(b"\x89PNG")
    assert explorer.image in descendants(explorer.widget)
    with mock.patch("IPython.display.display") as display:
        explorer._ipython_display_()  # what a notebook cell calls to show it
    display.assert_called_once_with(explorer.widget)
    assert explorer.widget is explorer.widget
    explorer.close()


# -- lesson 05 -------------------------------------------------------------------


@pytest.mark.lesson(5)
def test_gradient_descent_controls_move_the_path():
    explorer = GradientDescentExplorer()
    for name, value in [
        ("learning_rate", 0.01),
        ("start", 3.0),
        ("steps", 40),
        ("mode", "two weights"),
        ("start_bias", 2.0),
    ]:
        before, path = picture(explorer), explorer.path.points.copy()
        explorer.controls[name].value = value
        assert picture(explorer) != before, name
        assert not np.array_equal(explorer.path.points, path), name
    assert not explorer.path.diverged
    assert len(explorer.path.points) == 41


@pytest.mark.lesson(5)
@pytest.mark.parametrize("mode", ["one weight", "two weights"])
def test_gradient_descent_divergence_message(mode):
    explorer = GradientDescentExplorer(mode=mode, steps=50)
    assert "#b00020" not in explorer.message.value
    explorer.controls["learning_rate"].value = 3.0
    assert explorer.path.diverged
    assert np.all(np.isfinite(explorer.path.points)) and np.all(np.isfinite(explorer.path.losses))
    assert explorer.path.steps_taken < 50  # stopped at the last finite point
    assert "#b00020" in explorer.message.value and "smaller learning rate" in explorer.message.value


@pytest.mark.lesson(5)
def test_descent_follows_the_engine_gradient():
    from nnkit.descent import LossSurface, descend

    surface = LossSurface()
    path = descend(surface, 0.0, 0.0, 0.1, 1)
    dw, db = surface.gradient(0.0, 0.0)
    np.testing.assert_allclose(path.points[1], [-0.1 * dw, -0.1 * db])
    numeric = nk.gradcheck.numerical_gradient(lambda: surface.loss(*point), point := np.zeros(2))
    np.testing.assert_allclose(numeric, [dw, db], rtol=1e-6)


# -- lesson 06 -------------------------------------------------------------------


@pytest.mark.lesson(6)
def test_stepper_numbers_are_the_engines():
    stepper = BackpropStepper()
    model, X, y = tiny_example()
    loss = nk.CrossEntropy()
    value = loss.forward(model.forward(X), y)
    model.backward(loss.backward())
    assert stepper.trace.loss_value == pytest.approx(value, abs=1e-15)
    for (index, name), grad in stepper.trace.gradients().items():
        np.testing.assert_allclose(grad, model.layers[index].grads[name], rtol=0, atol=1e-15)
    assert max(stepper.errors.values()) < 1e-7
    # the numbers appear in the step's explanation
    stepper.go(4)  # backward through the output layer
    w_grad = model.layers[2].grads["weights"][0, 0]
    assert f"{w_grad:.4f}" in stepper.explanation.value


@pytest.mark.lesson(6)
def test_stepper_shows_the_activation_slope_that_backprop_uses():
    stepper = BackpropStepper()
    stepper.go(5)  # backward through layer 1, the sigmoid
    assert stepper.current.phase == "backward" and stepper.current.name == "Sigmoid"
    z = stepper.current.inputs[0]
    eps = 1e-6
    sigmoid = nk.Sigmoid()
    numeric = (sigmoid.function(z + eps) - sigmoid.function(z - eps)) / (2 * eps)
    for slope in numeric:
        assert f"\u00d7 {slope:.4f}" in stepper.explanation.value


@pytest.mark.lesson(6)
def test_stepper_next_previous_and_update():
    stepper = BackpropStepper()
    pictures = {picture(stepper)}
    assert stepper.controls["previous"].disabled
    for expected in range(1, stepper.n_steps):
        stepper.controls["next"].click()
        assert stepper.value("step") == expected
        pictures.add(picture(stepper))
    assert len(pictures) == stepper.n_steps  # every step looks different
    assert stepper.controls["next"].disabled and stepper.current is None
    # the last step: one SGD update, new = old - lr * gradient
    lr = stepper.value("learning_rate")
    old = stepper.trace.forward_steps[0].params["weights"]
    grad = stepper.trace.gradients()[(0, "weights")]
    np.testing.assert_allclose(stepper.updated.layers[0].weights, old - lr * grad)
    assert f"{(old - lr * grad)[0, 0]:.4f}" in stepper.explanation.value
    np.testing.assert_array_equal(stepper.model.layers[0].weights, old)  # original untouched
    before = picture(stepper)
    stepper.controls["learning_rate"].value = 1.0
    assert picture(stepper) != before
    stepper.controls["previous"].click()
    assert stepper.value("step") == stepper.n_steps - 2


# -- lesson 07 -------------------------------------------------------------------


@pytest.fixture(scope="module")
def dashboard():
    return TrainingDashboard()


@pytest.mark.lesson(7)
def test_dashboard_learning_rate_retrains(dashboard):
    history, before, retrains = dashboard.history, picture(dashboard), dashboard.retrains
    dashboard.controls["learning_rate"].value = 0.01
    assert dashboard.retrains == retrains + 1
    assert dashboard.history is not history
    assert dashboard.history.loss != history.loss
    assert picture(dashboard) != before
    dashboard.controls["learning_rate"].value = 0.1


@pytest.mark.lesson(7)
def test_dashboard_settings_and_new_penguin(dashboard):
    for name, value in [
        ("hidden_neurons", 4),
        ("hidden_layers", 2),
        ("epochs", 50),
        ("activation", "tanh"),
        ("optimizer", "adam"),
        ("batch_size", 32),
        ("seed", 3),
    ]:
        before = picture(dashboard)
        dashboard.controls[name].value = value
        assert picture(dashboard) != before, name
    assert dashboard.history.epochs == 50
    assert [layer.n_neurons for layer in dashboard.model.layers if isinstance(layer, nk.Dense)] == [
        4,
        4,
        3,
    ]
    retrains, before = dashboard.retrains, picture(dashboard)
    dashboard.controls["flipper_length_mm"].value = 225.0  # a Gentoo-sized flipper
    assert dashboard.retrains == retrains  # a new penguin does not retrain
    assert picture(dashboard) != before
    assert "The new penguin: <b>Gentoo" in dashboard.message.value
    assert dashboard.new_penguin.startswith("Gentoo")


@pytest.mark.lesson(7)
def test_dashboard_divergence_message():
    dashboard = TrainingDashboard()
    dashboard.controls["learning_rate"].value = 30.0
    assert "diverged" in dashboard.message.value and "#b00020" in dashboard.message.value
    assert dashboard.history.epochs < dashboard.value("epochs")  # stopped at the blow-up
    assert np.isfinite(dashboard.history.loss).all()
    dashboard.controls["learning_rate"].value = 0.1
    assert "#b00020" not in dashboard.message.value


@pytest.mark.lesson(7)
def test_dashboard_same_seed_same_history():
    a, b = TrainingDashboard(seed=5), TrainingDashboard(seed=5)
    assert a.history.loss == b.history.loss
    assert picture(a) == picture(b)


@pytest.mark.lesson(7)
def test_live_loss_redraws_during_fit():
    live = LiveLoss(every=10)
    model = nk.mlp([2, 4, 2], seed=0)
    data = nk.datasets.make_xor(n=60)
    model.fit(data.X, data.y, epochs=30, callbacks=[live])
    assert live.redraws == 4  # epochs 1, 10, 20, 30
    assert bytes(live.image.value).startswith(b"\x89PNG")


# -- lesson 08 -------------------------------------------------------------------


@pytest.mark.lesson(8)
def test_playground_step_and_reset():
    playground = Playground()
    start_weights, start_picture = playground.model.get_weights(), picture(playground)
    playground.step()
    assert playground.epoch == 1 and playground.history.epochs == 1
    playground.controls["step"].click()
    assert playground.epoch == 2
    assert picture(playground) != start_picture
    playground.step(epochs=5)
    assert playground.epoch == 7 and len(playground.history.val_loss) == 7
    playground.controls["reset"].click()
    assert playground.epoch == 0 and playground.history.epochs == 0
    assert weights_equal(playground.model.get_weights(), start_weights)
    assert picture(playground) == start_picture


async def play_until(playground, epoch: int) -> None:
    """Press Play and wait (in the event loop, as in a kernel) until ``epoch`` is reached."""
    playground.play()
    for _ in range(2000):
        if playground.epoch >= epoch or not playground.is_playing:
            return
        await asyncio.sleep(0.005)
    raise AssertionError(f"still at epoch {playground.epoch} while playing")


@pytest.mark.lesson(8)
def test_playground_plays_in_the_event_loop_and_pause_stops_it():
    playground = Playground()
    button, chunk = playground.controls["play"], playground.play_chunk
    assert isinstance(button, widgets.ToggleButton) and not playground.is_playing
    assert "Play" in button.description
    start = picture(playground)

    async def play_then_pause() -> tuple[int, int]:
        await play_until(playground, 3 * chunk)
        assert playground.is_playing and button.value and "Pause" in button.description
        playground.pause()
        paused_at = playground.epoch
        await asyncio.sleep(0.1)  # time for several more pictures, had it gone on
        return paused_at, playground.epoch

    paused_at, later = asyncio.run(play_then_pause())
    assert paused_at >= 3 * chunk and paused_at % chunk == 0  # whole pictures of play_chunk
    assert later == paused_at and playground._playing is None  # Pause stopped the task
    assert "Play" in button.description and picture(playground) != start
    assert playground.redraws >= 1 + paused_at // chunk  # a picture for every chunk played
    # played or stepped, the same seed gives the same network
    stepped = Playground()
    stepped.step(paused_at)
    assert weights_equal(stepped.model.get_weights(), playground.model.get_weights())
    assert stepped.history.loss == playground.history.loss


@pytest.mark.lesson(8)
def test_playground_hears_the_controls_while_playing():
    playground = Playground(learning_rate=0.1)

    async def change_while_playing() -> tuple[float, bool, int]:
        await play_until(playground, playground.play_chunk)
        playground.controls["learning_rate"].value = 0.03  # between two pictures
        epoch = playground.epoch
        await play_until(playground, epoch + 2 * playground.play_chunk)
        lr_while_playing = playground.optimizer.lr
        playground.controls["noise"].value = 0.2  # new data: starts over and stops playing
        await asyncio.sleep(0.05)
        return lr_while_playing, playground.is_playing, playground.epoch

    lr, playing, epoch = asyncio.run(change_while_playing())
    assert lr == 0.03 and not playing and epoch == 0 and playground._playing is None


@pytest.mark.lesson(8)
def test_playground_play_outside_an_event_loop_says_what_to_do():
    playground = Playground()
    with pytest.raises(nk.NNKitError, match=r"event loop.*step\(epochs\)"):
        playground.play()
    assert not playground.is_playing and "Play" in playground.controls["play"].description


@pytest.mark.lesson(8)
def test_playground_plays_without_threads(monkeypatch):
    def no_threads(*args, **kwargs):
        raise RuntimeError("threads are not available (as under Pyodide)")

    monkeypatch.setattr(threading.Thread, "start", no_threads)
    playground = Playground()
    asyncio.run(play_until(playground, 3 * playground.play_chunk))
    playground.pause()
    assert playground.epoch >= 3 * playground.play_chunk


@pytest.mark.lesson(8)
def test_playground_controls_change_the_picture():
    playground = Playground()
    for name, value in [
        ("dataset", "spiral (3 classes)"),
        ("noise", 0.3),
        ("x1_squared", True),
        ("hidden_layers", 3),
        ("neurons", 6),
        ("activation", "relu"),
        ("train_ratio", 0.7),
        ("seed", 4),
    ]:
        before = picture(playground)
        playground.controls[name].value = value
        assert picture(playground) != before, name
        assert playground.epoch == 0, name
    assert playground.n_classes == 3 and playground.model.n_outputs == 3
    assert playground.model.n_inputs == 3  # x1, x2, x1^2
    playground.step(3)
    # training settings apply from now on, without starting over
    playground.controls["regularization"].value = "L2"
    playground.controls["regularization_rate"].value = 0.01
    playground.controls["learning_rate"].value = 0.3
    assert playground.epoch == 3
    assert playground.optimizer.weight_decay == 0.01 and playground.optimizer.lr == 0.3


@pytest.mark.lesson(8)
def test_playground_divergence_message():
    playground = Playground(learning_rate=30.0)
    start_weights = playground.model.get_weights()
    playground.step(20)
    assert isinstance(playground.diverged, nk.TrainingDiverged)
    assert "diverged" in playground.message.value and "#b00020" in playground.message.value
    assert np.isfinite(playground.history.loss).all()
    # as the message says, the network keeps its last good weights: here it blows up in
    # the first epoch, so they are the starting weights
    assert playground.epoch == 0
    assert weights_equal(playground.model.get_weights(), start_weights)
    # Play after the blow-up: the button pops back up, nothing trains
    playground.play()
    assert not playground.is_playing and playground.epoch == 0 and playground._playing is None
    playground.controls["learning_rate"].value = 0.1
    playground.reset()
    assert playground.message.value == "" and playground.diverged is None


@pytest.mark.lesson(8)
def test_playground_same_seed_same_state():
    a, b = Playground(seed=7, dataset="xor"), Playground(seed=7, dataset="xor")
    a.step(5)
    b.step(2)
    b.step(3)
    assert a.history.loss == b.history.loss
    assert weights_equal(a.model.get_weights(), b.model.get_weights())
    np.testing.assert_array_equal(a.X_test, b.X_test)
    assert picture(a) == picture(b)
    c = Playground(seed=8, dataset="xor")
    assert not np.array_equal(a.X_train, c.X_train)


@pytest.mark.lesson(8)
def test_playground_classroom_mode():
    shown = ["learning_rate", "hidden_layers", "play", "step"]
    playground = Playground(visible=shown)
    box = playground.widget
    inside = {id(widget) for widget in descendants(box)}
    assert all(id(control) in inside for control in playground.controls.values())
    for name, control in playground.controls.items():
        assert (control.layout.display != "none") == (name in shown), name
    hidden = Playground(hidden=["dataset", "seed"])
    assert hidden.controls["dataset"].layout.display == "none"
    assert hidden.controls["noise"].layout.display != "none"
    with pytest.raises(ValueError, match="unknown control"):
        Playground(visible=["learning_rat"])
