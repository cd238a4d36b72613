"""Explorers draw only what moves: the blitted picture equals a whole draw of the same state,
and moving a slider does not draw the whole figure again."""

import io

import numpy as np
import pytest
from PIL import Image

from nnkit.widgets import (
    BackpropStepper,
    ForwardPassExplorer,
    NeuronExplorer,
    Playground,
    SoftmaxExplorer,
    TrainingDashboard,
)


def shown(explorer) -> np.ndarray:
    """The picture in the Image widget (height, width, 3)."""
    return np.asarray(Image.open(io.BytesIO(explorer.picture)).convert("RGB"))


def drawn_whole(explorer) -> np.ndarray:
    """The same state drawn the slow way: every artist, nothing cached."""
    for artist in explorer.figure.findobj():
        artist.set_animated(False)
    canvas = explorer.renderer.canvas
    canvas.draw()
    return np.asarray(canvas.buffer_rgba())[:, :, :3].copy()


def assert_same_picture(explorer) -> None:
    a, b = shown(explorer), drawn_whole(explorer)
    assert a.shape == b.shape
    differs = np.any(a != b, axis=2)
    # known and accepted: a moving shade lands on top of a legend, a moving line on a spine
    height = differs.shape[0]
    for legend in explorer.figure.findobj(lambda artist: type(artist).__name__ == "Legend"):
        box = legend.get_window_extent()
        rows = slice(height - int(np.ceil(box.y1)) - 1, height - int(box.y0) + 1)
        differs[rows, int(box.x0) - 1 : int(np.ceil(box.x1)) + 1] = False
    assert np.mean(differs) < 0.005


MOVES = {
    NeuronExplorer: [("x1", 1.5), ("w2", -2.0), ("bias", 1.0), ("x2", -2.5)],
    ForwardPassExplorer: [("penguin", 200), ("flipper_length_mm", 225.0), ("penguin", 10)],
    SoftmaxExplorer: [("output_1", 3.0), ("temperature", 2.5), ("output_2", -4.0)],
}


@pytest.mark.parametrize("cls", list(MOVES))
def test_slider_moves_blit_over_one_background(cls):
    explorer = cls()
    for name, value in MOVES[cls]:
        explorer.controls[name].value = value
        assert_same_picture(explorer)
    assert explorer.renderer.full_draws == 1  # the background, drawn once


def test_dashboard_new_penguin_and_a_revisited_setting_cost_no_training():
    dashboard = TrainingDashboard()
    draws = dashboard.renderer.full_draws
    dashboard.controls["flipper_length_mm"].value = 225.0
    dashboard.controls["body_mass_g"].value = 5500.0
    assert_same_picture(dashboard)
    assert dashboard.renderer.full_draws == draws
    retrains = dashboard.retrains
    dashboard.controls["hidden_neurons"].value = 12
    dashboard.controls["hidden_neurons"].value = 8  # back: the remembered run
    assert dashboard.retrains == retrains + 1
    assert_same_picture(dashboard)
    assert dashboard.renderer.full_draws <= draws + 2  # the loss axis may change and back


def test_playground_steps_and_settings_blit():
    playground = Playground()
    playground.step(5)  # the loss axis takes the scale of the first loss
    draws = playground.renderer.full_draws
    playground.step(2)
    playground.controls["learning_rate"].index += 1
    playground.controls["noise"].value += 0.05  # new points, the same map
    assert_same_picture(playground)
    assert playground.renderer.full_draws == draws + 1  # the new start's empty loss axis
    playground.step(3)
    assert_same_picture(playground)


def test_stepper_learning_rate_redraws_only_the_weights():
    stepper = BackpropStepper()
    draws = stepper.renderer.full_draws
    stepper.go(stepper.n_steps - 1)
    for rate in (0.3, 1.0, 1.5):
        stepper.controls["learning_rate"].value = rate
        assert_same_picture(stepper)
    assert stepper.renderer.full_draws == draws + 1  # the update step's background, once
    stepper.go(2)  # an earlier step is drawn whole, the weights included
    assert_same_picture(stepper)
    stepper.go(stepper.n_steps - 1)
    stepper.controls["learning_rate"].value = 0.7
    assert_same_picture(stepper)


@pytest.mark.parametrize("cls", [Playground, TrainingDashboard])
def test_confusion_matrix_is_drawn_again_only_when_its_counts_change(cls, monkeypatch):
    explorer = cls()
    if cls is Playground:
        explorer.step(3)
    conf = explorer.confusion
    drawn = []
    for text in conf.texts[0]:
        monkeypatch.setattr(text, "draw", lambda renderer, text=text: drawn.append(text))
    counts = conf.counts.copy()
    explorer.render()  # the same counts: the matrix's pixels are pasted back
    assert drawn == [] and np.array_equal(conf.counts, counts)
    monkeypatch.undo()
    assert_same_picture(explorer)
    # new counts: drawn again, and the picture shows them
    conf.set(counts[::-1])
    explorer.render()
    assert_same_picture(explorer)
    assert conf.texts[0][0].get_text() == str(counts[-1, 0])


@pytest.mark.lesson(8)
def test_the_playground_loss_axis_grows_in_few_round_steps():
    from nnkit.widgets.playground import loss_axis_end

    ends = [loss_axis_end(epochs) for epochs in (0, 10, 11, 30, 31, 100, 101, 300, 301, 2500)]
    assert ends == [10, 10, 30, 30, 100, 100, 300, 300, 1000, 3000]
    # playing to epoch 1000 crosses five limits (each a full redraw), not the eight of doubling
    assert len({loss_axis_end(epochs) for epochs in range(1, 1001)}) == 5
