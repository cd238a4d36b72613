"""The lesson widgets' bugs seen in JupyterLab stay fixed, and the widgets added for issue 10.

Each test drives a widget headless (set a control, read what it shows).
"""

import numpy as np
import pytest

import nnkit as nk
from nnkit.plots.confusion import class_label
from nnkit.widgets import (
    BackpropStepper,
    ForwardPassExplorer,
    NonlinearityExplorer,
    Playground,
    SoftmaxExplorer,
    TrainingDashboard,
)
from nnkit.widgets.dashboard import penguin_three_way_split


def _tick_labels(ax):
    return [t.get_text() for t in ax.get_xticklabels()], [
        t.get_text() for t in ax.get_yticklabels()
    ]


@pytest.mark.lesson(6)
def test_stepper_loss_step_shows_the_recorded_pass_after_the_update_step():
    stepper = BackpropStepper()
    stepper.go(3)
    fresh = stepper.explanation.value
    assert "log(0.6338) = <b>0.4560" in fresh and "0.8105" not in fresh
    stepper.go(stepper.n_steps - 1)  # the update step computes the updated network's loss
    stepper.go(3)
    assert stepper.explanation.value == fresh


@pytest.mark.lesson(8)
@pytest.mark.parametrize("dataset", ["xor", "gauss", "moons"])
def test_playground_confusion_labels_follow_the_data_set(dataset):
    playground = Playground(dataset="circle")
    before = _tick_labels(playground.ax_conf)
    playground.controls["dataset"].value = dataset
    after = _tick_labels(playground.ax_conf)
    names = [class_label(name, len(playground.class_names)) for name in playground.class_names]
    assert after == (names, names)
    assert after != before
    playground.close()


@pytest.mark.lesson(2)
def test_forward_pass_explorer_shows_output_values_not_softmax():
    explorer = ForwardPassExplorer()
    ax_values = explorer.figure.axes[1]
    text = (ax_values.get_title() + ax_values.get_ylabel() + explorer.message.value).lower()
    assert "softmax" not in text and "probabilit" not in text
    heights = [bar.get_height() for bar in explorer.bars]
    assert np.allclose(heights, explorer.outputs)
    assert explorer.predicted == int(np.argmax(explorer.outputs))


@pytest.mark.lesson(3)
def test_softmax_formula_says_it_divided_by_the_temperature():
    explorer = SoftmaxExplorer()
    explorer.controls["temperature"].value = 2.0
    message = explorer.message.value
    assert "divided by T = 2" in message
    assert "e<sup>1.00</sup>" in message  # 2.0 / 2
    assert np.allclose(explorer.probabilities, nk.softmax(explorer.values / 2.0))


@pytest.mark.lesson(7)
def test_three_way_split_is_disjoint_stratified_and_scaled_on_training_only():
    X_train, X_val, X_test, y_train, y_val, y_test, scaler = penguin_three_way_split()
    assert (len(y_train), len(y_val), len(y_test)) == (204, 69, 69)
    raw = nk.datasets.load_penguins().X
    rows = [scaler.inverse_transform(part) for part in (X_train, X_val, X_test)]
    keys = [{tuple(np.round(r, 6)) for r in part} for part in rows]
    assert not (keys[0] & keys[1]) and not (keys[0] & keys[2]) and not (keys[1] & keys[2])
    assert sum(len(k) for k in keys) == len({tuple(np.round(r, 6)) for r in raw})
    assert np.allclose(X_train.mean(axis=0), 0) and not np.allclose(X_test.mean(axis=0), 0)
    shares = [np.bincount(y, minlength=3) / len(y) for y in (y_train, y_val, y_test)]
    assert np.allclose(shares[0], shares[2], atol=0.02)


@pytest.mark.lesson(7)
def test_dashboard_tunes_on_validation_and_touches_test_only_when_asked():
    dashboard = TrainingDashboard()
    model = dashboard.model
    val_outputs = model.forward(dashboard.X_val)
    assert dashboard.history.val_loss[-1] == pytest.approx(
        nk.CrossEntropy().forward(val_outputs, dashboard.y_val)
    )
    assert "validation" in dashboard.confusion.ax.get_title()
    assert dashboard.test_checks == 0
    accuracy = dashboard.test_accuracy()
    assert accuracy == pytest.approx(np.mean(model.predict(dashboard.X_test) == dashboard.y_test))
    assert dashboard.test_checks == 1
    best = int(np.argmin(dashboard.history.val_loss)) + 1
    assert dashboard.best_epoch == best
    assert dashboard.best_markers[0].get_xdata()[0] == best


@pytest.mark.lesson(7)
def test_dashboard_divergence_starts_between_10_and_16():
    from nnkit.widgets.dashboard import diverges

    assert not diverges(10.0)  # the old lesson text said 10 diverges: it does not
    assert diverges(10**1.2)


@pytest.mark.lesson(8)
def test_nonlinearity_explorer_linear_layers_collapse_and_relu_bends():
    explorer = NonlinearityExplorer()
    assert explorer.controls["activation"].value == "identity"
    # no activation: the network is X @ (W1 W2) + bias, one linear map
    X = explorer.X
    collapsed = explorer.weight_product()
    bias = explorer.model.forward(np.zeros((1, 2)))[0]
    assert np.allclose(explorer.model.forward(X), X @ collapsed + bias)
    assert explorer.collapsed is not None and explorer.accuracy < 0.7  # a line cannot do a circle
    linear_picture = explorer.picture
    explorer.controls["activation"].value = "relu"
    assert explorer.collapsed is None and explorer.accuracy > 0.95
    assert explorer.picture != linear_picture
    explorer.controls["hidden_layers"].value = 2
    explorer.controls["activation"].value = "identity"
    assert explorer.accuracy < 0.7  # two (or three) linear layers still draw one line
