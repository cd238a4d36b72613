"""Lessons 08-11: the explorers blit (draw only what moves) and still show a full draw's picture.

Each explorer is built twice: as it is (blitting) and as a twin that draws the
whole figure at every change. The same slider moves must give the same pixels,
while the blitting one draws its whole figure only when its background changes.
"""

import io

import numpy as np
import pytest
from PIL import Image

from nnkit.widgets import (
    InitialisationExplorer,
    NonlinearityExplorer,
    OptimizerExplorer,
    OverfittingExplorer,
    TorchParityExplorer,
)


def pixels(explorer) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(explorer.picture)))


def differing(blitted, full) -> int:
    """How many pixels of the two explorers' pictures differ."""
    a, b = pixels(blitted), pixels(full)
    assert a.shape == b.shape
    return int(np.sum(np.any(a != b, axis=2)))


def full_drawing_twin(cls: type, **options):
    """The same explorer, but drawing the whole figure at every render (no blitting)."""

    class FullDraw(cls):
        def animated_artists(self) -> list:
            return []

    return FullDraw(**options)


# explorer, its options, the slider moves, how many full draws they may cost (1 for the
# first picture, plus one per move that changes the background: axes, points, contours),
# and how many pixels may differ from a full draw
CASES = {
    "nonlinearity": (
        NonlinearityExplorer,
        {},
        [("activation", "relu"), ("neurons", 9), ("hidden_layers", 2), ("dataset", "xor")],
        2,  # new data: new axis limits
        0,
    ),
    "overfitting": (
        OverfittingExplorer,
        {"epochs": 60},
        [("train_size", 40), ("size", 32), ("l2", 0.001), ("dropout", 0.2)],
        2,  # 40 points: the loss axis gets shorter
        # where the map's y ticks meet its frame: the frame is drawn again over the colours,
        # the ticks are not (drawing that axis again would cost more than all the rest)
        8,
    ),
    "initialisation": (
        InitialisationExplorer,
        {},
        [("depth", 12), ("init", "he"), ("activation", "relu"), ("init", "large")],
        2,  # the log axis grows once: "large" with ReLU explodes past 1e8
        0,
    ),
    "optimizers": (
        OptimizerExplorer,
        {},
        [
            ("learning_rate", 0.5),
            ("momentum", 0.7),
            ("adam_learning_rate", 0.2),
            ("beta1", 0.8),
            ("beta2", 0.99),
            ("steps", 45),
            ("surface", "banana"),
        ],
        3,  # momentum 0.7: the loss falls below another power of ten; and a new surface
        0,
    ),
    "torch_parity": (
        TorchParityExplorer,
        {},
        [("learning_rate", 0.2), ("epochs", 45), ("optimizer", "adam"), ("epochs", 20)],
        2,  # 20 epochs: the x axes end at 20 instead of 50
        0,
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_blitted_picture_matches_a_full_draw(name):
    cls, options, moves, most_full_draws, most_differing = CASES[name]
    if cls is TorchParityExplorer:
        pytest.importorskip("torch")
    blitted, full = cls(**options), full_drawing_twin(cls, **options)
    assert blitted.animated_artists(), "the explorer should blit"
    assert differing(blitted, full) <= most_differing
    for control, value in moves:
        blitted.controls[control].value = value
        full.controls[control].value = value
        assert differing(blitted, full) <= most_differing, f"after {control} = {value}"
    assert full.renderer.full_draws == len(moves) + 1
    assert blitted.renderer.full_draws <= most_full_draws


@pytest.mark.parametrize("name", list(CASES))
def test_moving_back_reuses_the_background_drawn_before(name):
    """Each background is kept with its layout: the moves undone, in reverse order, draw
    nothing new and give a full draw's picture again."""
    cls, options, moves, _, most_differing = CASES[name]
    if cls is TorchParityExplorer:
        pytest.importorskip("torch")
    blitted, full = cls(**options), full_drawing_twin(cls, **options)
    undo = [(control, blitted.controls[control].value) for control, _ in moves]
    for control, value in moves:
        blitted.controls[control].value = value
        full.controls[control].value = value
    draws = blitted.renderer.full_draws
    for control, value in reversed(undo):
        blitted.controls[control].value = value
        full.controls[control].value = value
        assert differing(blitted, full) <= most_differing, f"back to {control} = {value}"
    assert blitted.renderer.full_draws == draws


# -- the training behind a picture is done once per setting --------------------------


def test_nonlinearity_trains_each_setting_once():
    explorer = NonlinearityExplorer(epochs=50)
    first, model = explorer.picture, explorer.model
    explorer.controls["neurons"].value = 9
    assert explorer.trainings == 2 and explorer.model is not model
    explorer.controls["neurons"].value = 8  # back: the same network, not trained again
    assert explorer.trainings == 2 and explorer.model is model
    assert explorer.picture == first


def test_overfitting_trains_each_setting_once():
    explorer = OverfittingExplorer(epochs=30)
    first, history = explorer.picture, explorer.history
    explorer.controls["train_size"].value = 40
    assert explorer.history is not history
    explorer.controls["train_size"].value = 20
    assert explorer.history is history
    assert explorer.picture == first


def test_initialisation_measures_each_setting_once():
    explorer = InitialisationExplorer(depth=5)
    first, sizes = explorer.picture, explorer.sizes
    explorer.controls["depth"].value = 6
    assert explorer.sizes is not sizes and len(explorer.sizes.activations) == 6
    explorer.controls["depth"].value = 5
    assert explorer.sizes is sizes
    assert explorer.picture == first


def test_torch_parity_cuts_a_longer_run_to_the_epochs_asked():
    torch = pytest.importorskip("torch")
    from nnkit.network import mlp
    from nnkit.torch_bridge import train_side_by_side

    threads = torch.get_num_threads()
    explorer = TorchParityExplorer(optimizer="momentum", epochs=45)
    explorer.controls["epochs"].value = 17  # cut from the 50 epochs already trained
    assert torch.get_num_threads() == threads  # trained on one thread, then put back
    assert len(explorer.run("momentum", 0.1, 17)[0]) == 50  # the stored run, not a new one
    ours, theirs = train_side_by_side(
        mlp([4, 8, 3], activation="relu", seed=0),
        explorer.X,
        explorer.y,
        "momentum",
        0.1,
        epochs=17,
    )
    assert np.array_equal(explorer.curves[0], ours)
    assert np.array_equal(explorer.curves[1], theirs)


@pytest.mark.parametrize("activation, init", [("sigmoid", "glorot"), ("relu", "large")])
def test_initialisation_axis_shows_every_spread(activation, init):
    # vanishing (sigmoid: ~1e-15 at the first layer) and exploding (ReLU, large: ~1e13)
    explorer = InitialisationExplorer(depth=20, activation=activation, init=init)
    low, high = explorer.ax_act.get_ylim()
    for spread in (explorer.sizes.activations, explorer.sizes.gradients):
        finite = spread[np.isfinite(spread) & (spread > 0)]
        assert low <= finite.min() and finite.max() <= high, (low, high, finite)
