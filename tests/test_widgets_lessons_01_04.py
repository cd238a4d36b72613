"""Headless tests of the lesson 01-04 explorers: move a control, the picture and results follow."""

from unittest import mock

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from matplotlib.figure import Figure

import nnkit as nk
from nnkit.widgets import ForwardPassExplorer, LossExplorer, NeuronExplorer, SoftmaxExplorer

EXPLORERS = [NeuronExplorer, ForwardPassExplorer, SoftmaxExplorer, LossExplorer]


def descendants(widget) -> list:
    """Every widget inside ``widget`` (itself included)."""
    return [widget] + [w for child in getattr(widget, "children", ()) for w in descendants(child)]


def picture(explorer) -> bytes:
    return explorer.picture


@pytest.mark.parametrize("cls", EXPLORERS)
def test_contract(cls):
    explorer = cls()
    assert isinstance(explorer.figure, Figure)
    assert explorer.controls and all(hasattr(c, "value") for c in explorer.controls.values())
    assert picture(explorer).startswith(b"\x89PNG")
    assert explorer.image in descendants(explorer.widget)
    with mock.patch("IPython.display.display") as display:
        explorer._ipython_display_()  # what a notebook cell calls to show it
    display.assert_called_once_with(explorer.widget)
    assert explorer.widget is explorer.widget  # built once


@pytest.mark.parametrize("cls", EXPLORERS)
def test_every_control_redraws(cls):
    explorer = cls()
    for name, control in explorer.controls.items():
        before, redraws, start = picture(explorer), explorer.redraws, control.value
        control.value = control.max if control.value != control.max else control.min
        assert explorer.redraws == redraws + 1, name
        assert picture(explorer) != before, name
        control.value = start  # back to the defaults before trying the next control
        assert picture(explorer) == before, name


@pytest.mark.lesson(1)
def test_neuron_bias_raises_weighted_sum_by_exactly_that_amount():
    explorer = NeuronExplorer()
    before = explorer.weighted_sum
    explorer.controls["bias"].value += 0.75
    assert explorer.weighted_sum == pytest.approx(before + 0.75)


@pytest.mark.lesson(1)
def test_neuron_outputs_are_the_activations_of_the_weighted_sum():
    explorer = NeuronExplorer()
    with explorer.hold():
        for name, value in {"x1": 1.0, "x2": -2.0, "w1": 0.5, "w2": 1.5, "bias": 0.25}.items():
            explorer.controls[name].value = value
    z = 1.0 * 0.5 + (-2.0) * 1.5 + 0.25
    assert explorer.weighted_sum == pytest.approx(z)
    assert explorer.outputs["step"] == 0.0 and not explorer.fires
    assert explorer.outputs["sigmoid"] == pytest.approx(1 / (1 + np.exp(-z)))
    assert explorer.outputs["tanh"] == pytest.approx(np.tanh(z))
    assert explorer.outputs["relu"] == 0.0
    explorer.controls["bias"].value = 3.0
    assert explorer.fires and explorer.outputs["relu"] == pytest.approx(z - 0.25 + 3.0)


@pytest.mark.lesson(1)
def test_neuron_decision_line_is_where_the_weighted_sum_is_zero():
    explorer = NeuronExplorer()
    xs, ys = explorer.line.get_data()
    w1, w2, b = (explorer.controls[n].value for n in ("w1", "w2", "bias"))
    assert np.allclose(w1 * np.asarray(xs) + w2 * np.asarray(ys) + b, 0)
    explorer.controls["w2"].value = 0.0  # vertical line
    xs, ys = explorer.line.get_data()
    assert np.allclose(xs, -b / w1)


@pytest.mark.lesson(2)
def test_forward_pass_matches_the_model():
    explorer = ForwardPassExplorer()
    explorer.controls["penguin"].value = 200
    data = nk.datasets.load_penguins()
    x = (data.X[200] - data.X.mean(axis=0)) / data.X.std(axis=0)
    assert np.allclose(explorer.inputs, x)
    model = nk.mlp([4, 5, 3], activation="sigmoid", seed=0)
    outputs = model.forward(x.reshape(1, -1))[0]
    assert np.allclose(explorer.outputs, outputs)
    assert explorer.predicted == int(np.argmax(outputs))
    assert [v.shape for v in explorer.values] == [(4,), (5,), (3,)]


@pytest.mark.lesson(2)
def test_choosing_a_penguin_moves_the_measurements_with_one_redraw():
    explorer = ForwardPassExplorer()
    data = nk.datasets.load_penguins()
    redraws = explorer.redraws
    explorer.controls["penguin"].value = 300
    assert explorer.redraws == redraws + 1
    measured = [explorer.controls[name].value for name in data.feature_names]
    assert np.allclose(measured, data.X[300])


@pytest.mark.lesson(2)
def test_moving_a_measurement_changes_the_values():
    explorer = ForwardPassExplorer()
    before = explorer.outputs.copy()
    explorer.controls["flipper_length_mm"].value = 225.0
    assert not np.allclose(explorer.outputs, before)
    assert "penguin 0 (really an Adelie)" in ForwardPassExplorer().message.value
    assert "your own penguin" in explorer.message.value


@pytest.mark.lesson(3)
def test_softmax_probabilities_sum_to_one_and_follow_the_outputs():
    explorer = SoftmaxExplorer()
    assert explorer.probabilities.sum() == pytest.approx(1.0)
    assert np.allclose(explorer.probabilities, nk.softmax(explorer.values))
    before = explorer.probabilities.copy()
    explorer.controls["output_1"].value = 3.0
    assert explorer.probabilities[1] > before[1]
    assert explorer.probabilities.sum() == pytest.approx(1.0)
    assert explorer.predicted == 1 and explorer.predicted_name == "Chinstrap"


@pytest.mark.lesson(3)
def test_softmax_higher_temperature_flattens():
    explorer = SoftmaxExplorer()
    cold = explorer.probabilities.copy()
    explorer.controls["temperature"].value = 4.0
    hot = explorer.probabilities
    assert hot.max() < cold.max() and hot.min() > cold.min()
    assert np.allclose(hot, nk.softmax(explorer.values, temperature=4.0))


@pytest.mark.lesson(4)
def test_loss_values_are_the_engine_losses_at_the_current_point():
    explorer = LossExplorer(target=4.0)
    for prediction, probability in [(5.5, 0.3), (2.0, 0.9), (4.0, 0.05)]:
        with explorer.hold():
            explorer.controls["prediction"].value = prediction
            explorer.controls["probability"].value = probability
        assert explorer.losses["absolute"] == pytest.approx(
            nk.AbsoluteError()([[prediction]], [[4.0]])
        )
        assert explorer.losses["squared"] == pytest.approx(
            nk.SquaredError()([[prediction]], [[4.0]])
        )
        # two classes with softmax probabilities (p, 1 - p); class 0 is the true one
        logits = np.log([[probability, 1 - probability]])
        assert explorer.losses["cross_entropy"] == pytest.approx(nk.CrossEntropy()(logits, [0]))
        assert explorer.losses["cross_entropy"] == pytest.approx(-np.log(probability))


@pytest.mark.lesson(4)
def test_loss_gradients_and_markers_follow_the_sliders():
    explorer = LossExplorer(target=4.0)
    explorer.controls["prediction"].value = 6.0
    assert explorer.gradients["absolute"] == pytest.approx(1.0)
    assert explorer.gradients["squared"] == pytest.approx(4.0)
    explorer.controls["probability"].value = 0.5
    assert explorer.gradients["cross_entropy"] == pytest.approx(-2.0)
    marker = explorer.curves.markers[("classification", "cross_entropy", 0)]
    assert marker.get_xdata()[0] == 0.5
    assert marker.get_ydata()[0] == pytest.approx(np.log(2))


# -- any slider position: the results keep their meaning (hypothesis draws the positions) --

slider_value = st.floats(-3, 3, allow_nan=False).map(lambda v: round(v, 2))
fast = settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@pytest.fixture(scope="module")
def neuron():
    return NeuronExplorer()


@pytest.fixture(scope="module")
def softmax_explorer():
    return SoftmaxExplorer()


@pytest.mark.lesson(1)
@fast
@given(values=st.tuples(*[slider_value] * 5))
def test_neuron_any_sliders(neuron, values):
    x1, x2, w1, w2, b = values
    with neuron.hold():
        for name, value in zip(("x1", "x2", "w1", "w2", "bias"), values):
            neuron.controls[name].value = value
    z = w1 * x1 + w2 * x2 + b
    assert neuron.weighted_sum == pytest.approx(z, abs=1e-12)
    assert neuron.fires == (z >= 0)
    assert neuron.outputs["relu"] == pytest.approx(max(z, 0.0), abs=1e-12)


@pytest.mark.lesson(3)
@fast
@given(
    values=st.lists(st.floats(-5, 5, allow_nan=False), min_size=3, max_size=3),
    temperature=st.floats(0.1, 5),
)
def test_softmax_any_sliders(softmax_explorer, values, temperature):
    with softmax_explorer.hold():
        for k, value in enumerate(values):
            softmax_explorer.controls[f"output_{k}"].value = value
        softmax_explorer.controls["temperature"].value = temperature
    probabilities = softmax_explorer.probabilities
    assert probabilities.sum() == pytest.approx(1.0)
    assert np.all(probabilities > 0)
    assert probabilities[softmax_explorer.predicted] == probabilities.max()
    assert np.allclose(probabilities, nk.softmax(np.array(values), temperature=temperature))
