"""Headless tests of the lesson 09-10 explorers: move a control, the picture and result follow."""

import numpy as np
import pytest
from matplotlib.figure import Figure

from nnkit.widgets import InitialisationExplorer, OptimizerExplorer, OverfittingExplorer


def picture(explorer) -> bytes:
    return explorer.picture


@pytest.fixture(scope="module")
def overfitting():
    return OverfittingExplorer()


@pytest.mark.lesson(9)
@pytest.mark.lesson(10)
@pytest.mark.parametrize("cls", [InitialisationExplorer, OptimizerExplorer])
def test_contract(cls):
    explorer = cls()
    assert isinstance(explorer.figure, Figure)
    assert explorer.controls
    assert picture(explorer).startswith(b"\x89PNG")
    assert explorer.message.value


@pytest.mark.lesson(9)
def test_overfitting_by_default_training_falls_validation_turns_up(overfitting):
    h = overfitting.history
    assert isinstance(overfitting.figure, Figure)
    assert overfitting.overfitting
    best = overfitting.best_epoch
    assert best < h.epochs // 2
    assert h.val_loss[-1] > 1.5 * h.val_loss[best - 1]  # validation loss turned up
    assert h.loss[-1] < h.loss[best - 1] / 10  # while the training loss kept falling
    assert "Overfitting" in overfitting.message.value


@pytest.mark.lesson(9)
def test_a_hump_in_the_validation_loss_is_overfitting_too():
    # L2 0.01 on 20 points: the validation loss climbs ~45% above its lowest, then sinks back
    # to within 20% of it by the last epoch; the picture shows the turn up, so does the message
    explorer = OverfittingExplorer(l2=0.01)
    val = explorer.history.val_loss
    assert val[-1] < 1.2 * min(val)  # the last epoch alone would say "no overfitting"
    assert explorer.highest_after_best > 1.2 * min(val)
    assert explorer.overfitting and "Overfitting" in explorer.message.value
    assert f"{explorer.highest_after_best:.3f}" in explorer.message.value
    explorer.controls["l2"].value = 0.03  # stronger L2: no turn up at all
    assert not explorer.overfitting and "no overfitting" in explorer.message.value


@pytest.mark.lesson(9)
@pytest.mark.parametrize("name,value", [("l2", 0.03), ("train_size", 200)])
def test_remedies_shrink_the_gap(overfitting, name, value):
    before_picture, before = picture(overfitting), overfitting.history.val_loss[-1]
    old = overfitting.controls[name].value
    overfitting.controls[name].value = value
    try:
        assert picture(overfitting) != before_picture
        assert overfitting.history.val_loss[-1] < 0.5 * before
    finally:
        overfitting.controls[name].value = old


@pytest.mark.lesson(9)
def test_dropout_slider_adds_dropout_layers(overfitting):
    before_picture = picture(overfitting)
    overfitting.controls["dropout"].value = 0.5
    try:
        rates = [layer.rate for layer in overfitting.model.layers if hasattr(layer, "rate")]
        assert rates == [0.5, 0.5]
        assert picture(overfitting) != before_picture
    finally:
        overfitting.controls["dropout"].value = 0.0


@pytest.mark.lesson(9)
def test_network_size_slider_changes_the_model(overfitting):
    overfitting.controls["size"].value = 4
    try:
        assert overfitting.model.layers[0].n_neurons == 4
    finally:
        overfitting.controls["size"].value = 64


@pytest.mark.lesson(10)
def test_sigmoid_gradients_vanish_relu_with_he_keeps_them():
    explorer = InitialisationExplorer(depth=10, init="glorot", activation="sigmoid")
    sigmoid = explorer.sizes.gradients
    assert sigmoid[0] < 1e-4 * sigmoid[-1]
    assert "Vanishing" in explorer.message.value
    before = picture(explorer)
    with explorer.hold():
        explorer.controls["activation"].value = "relu"
        explorer.controls["init"].value = "he"
    relu = explorer.sizes.gradients
    assert picture(explorer) != before
    assert 0.1 < relu[0] / relu[-1] < 10
    assert "keeps its size" in explorer.message.value


@pytest.mark.lesson(10)
@pytest.mark.parametrize(
    "init,word", [("zeros", "symmetry"), ("large", "Exploding"), ("small", "Vanishing")]
)
def test_bad_starts_are_named(init, word):
    explorer = InitialisationExplorer(activation="relu")
    explorer.controls["init"].value = init
    assert word in explorer.message.value


@pytest.mark.lesson(10)
def test_depth_slider_changes_the_number_of_layers_drawn():
    explorer = InitialisationExplorer(depth=3)
    assert len(explorer.sizes.activations) == 3
    explorer.controls["depth"].value = 12
    assert len(explorer.sizes.activations) == 12
    assert len(explorer.grad_line.get_xdata()) == 13


@pytest.mark.lesson(10)
def test_momentum_beats_sgd_in_the_ravine_and_sliders_move_the_paths():
    explorer = OptimizerExplorer()
    paths = explorer.paths
    assert paths["momentum"].losses[-1] < 0.01 * paths["SGD"].losses[-1]
    before, adam_before = picture(explorer), paths["Adam"].points.copy()
    explorer.controls["beta1"].value = 0.5
    assert picture(explorer) != before
    assert not np.allclose(explorer.paths["Adam"].points, adam_before)
    explorer.controls["momentum"].value = 0.0  # momentum 0 is plain SGD
    np.testing.assert_array_equal(explorer.paths["momentum"].points, explorer.paths["SGD"].points)


@pytest.mark.lesson(10)
def test_too_large_a_learning_rate_diverges_and_says_so():
    explorer = OptimizerExplorer(surface="banana", learning_rate=0.1)
    assert explorer.paths["SGD"].diverged
    assert "diverged" in explorer.message.value
    explorer.controls["learning_rate"].value = 0.002
    assert not explorer.paths["SGD"].diverged
    explorer.controls["steps"].value = 0
    assert all(len(p.losses) == 1 for p in explorer.paths.values())


@pytest.mark.lesson(10)
def test_each_surface_keeps_its_own_learning_rate():
    explorer = OptimizerExplorer()  # the ravine at 0.9: converges there, diverges on the banana
    redraws = explorer.redraws
    explorer.controls["surface"].value = "banana"
    assert explorer.redraws == redraws + 1  # the surface and its learning rate: one redraw
    assert explorer.value("learning_rate") == 0.02
    assert not any(path.diverged for path in explorer.paths.values())
    assert "diverged" not in explorer.message.value
    explorer.controls["learning_rate"].value = 0.01  # the student's choice on the banana
    explorer.controls["surface"].value = "ravine"
    assert explorer.value("learning_rate") == 0.9
    explorer.controls["surface"].value = "banana"
    assert explorer.value("learning_rate") == 0.01
