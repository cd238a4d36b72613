"""Plot functions return a Figure with the artists the lessons rely on."""

import numpy as np
import pytest
from matplotlib.collections import LineCollection
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure

import nnkit as nk
from nnkit.plots import (
    NEGATIVE,
    POSITIVE,
    network_values,
    plot_activations,
    plot_losses,
    plot_network,
    plot_softmax,
)
from nnkit.plots.losses import classification_losses, regression_losses
from nnkit.plots.network import layer_column


def _connections(fig: Figure) -> dict[str, LineCollection]:
    ax = fig.axes[0]
    return {c.get_gid(): c for c in ax.collections if isinstance(c, LineCollection)}


@pytest.mark.lesson(1)
def test_plot_activations_one_panel_per_activation_with_marked_point():
    fig = plot_activations(mark=0.5, derivatives=True)
    assert isinstance(fig, Figure)
    assert [ax.get_label() for ax in fig.axes] == ["step", "sigmoid", "tanh", "relu"]
    sigmoid = fig.axes[1]
    assert len(sigmoid.lines) == 5  # two axis lines, curve, slope, marked point
    marker = sigmoid.lines[-1]
    assert marker.get_ydata()[0] == pytest.approx(1 / (1 + np.exp(-0.5)))
    assert "0.62" in sigmoid.get_title()


@pytest.mark.lesson(1)
def test_plotted_slopes_are_the_numerical_slopes_of_the_plotted_curves():
    fig = plot_activations(("sigmoid", "tanh", "relu"), derivatives=True)
    for ax in fig.axes:
        curve, slope = ax.get_lines()[2:4]  # after the two axis lines
        z, output = curve.get_xdata(), curve.get_ydata()
        numeric = np.gradient(output, z)  # centred differences along the drawn curve
        smooth = np.abs(z) > 0.1  # away from ReLU's kink
        np.testing.assert_allclose(slope.get_ydata()[smooth], numeric[smooth], atol=2e-3)


@pytest.mark.lesson(2)
def test_plot_network_draws_every_connection_coloured_by_sign():
    model = nk.mlp([4, 5, 3], activation="sigmoid", seed=0)
    fig = plot_network(model)
    assert isinstance(fig, Figure)
    lines = _connections(fig)
    assert set(lines) == {"dense-0", "dense-2"}
    for index, (n_in, n_out) in {0: (4, 5), 2: (5, 3)}.items():
        collection = lines[f"dense-{index}"]
        assert len(collection.get_segments()) == n_in * n_out
        weights = model.layers[index].weights.ravel()  # row i = input i, same order as drawn
        colours = collection.get_colors()
        for weight, colour in zip(weights, colours):
            expected = POSITIVE if weight >= 0 else NEGATIVE
            assert np.allclose(colour[:3], to_rgba(expected)[:3])
        # thicker lines for bigger weights
        widths = np.asarray(collection.get_linewidths())
        order = np.argsort(np.abs(weights))
        assert np.all(np.diff(widths[order]) >= -1e-12)


@pytest.mark.lesson(2)
def test_plot_network_writes_values_of_the_forward_pass():
    model = nk.mlp([4, 5, 3], activation="sigmoid", seed=0)
    sample = np.array([0.5, -1.0, 0.2, 1.0])
    fig = plot_network(model, values=sample)
    texts = {t.get_text() for t in fig.axes[0].texts}
    outputs = model.forward(sample.reshape(1, -1))[0]
    for value in outputs:
        assert f"{value:.2f}" in texts
    for value in sample:
        assert f"{value:.2f}" in texts


def test_network_values_match_model_forward():
    model = nk.mlp([4, 6, 3], activation="relu", seed=1)
    sample = np.array([1.0, 2.0, -1.0, 0.5])
    values = network_values(model, sample)
    assert [v.shape for v in values] == [(4,), (6,), (3,)]
    # the hidden column shows values after ReLU
    assert np.all(values[1] >= 0)
    assert np.allclose(values[-1], model.forward(sample.reshape(1, -1))[0])


@pytest.mark.lesson(6)
def test_plot_network_highlight_layer():
    model = nk.mlp([4, 5, 3], seed=0)
    assert layer_column(model, 0) == 1 and layer_column(model, 1) == 1
    assert layer_column(model, 2) == 2
    fig = plot_network(model, highlight=2)
    lines = _connections(fig)
    assert lines["dense-2"].get_alpha() > lines["dense-0"].get_alpha()
    columns = [c for c in fig.axes[0].collections if str(c.get_gid()).startswith("column-")]
    widths = [np.asarray(c.get_linewidths()).max() for c in columns]
    assert widths[2] > widths[1] and widths[2] > widths[0]


def test_plot_network_rejects_wrong_number_of_columns():
    model = nk.mlp([4, 5, 3], seed=0)
    with pytest.raises(ValueError, match="3 columns"):
        plot_network(model, values=[np.zeros(4), np.zeros(5)])


@pytest.mark.lesson(3)
def test_plot_softmax_bar_heights_are_probabilities_and_prediction_outlined():
    fig = plot_softmax([2.0, 1.0, 0.1], class_names=["a", "b", "c"])
    ax_values, ax_probs = fig.axes
    heights = [bar.get_height() for bar in ax_probs.patches]
    assert np.allclose(heights, nk.softmax(np.array([2.0, 1.0, 0.1])))
    assert [bar.get_height() for bar in ax_values.patches] == [2.0, 1.0, 0.1]
    outlined = [bar.get_edgecolor()[3] > 0 for bar in ax_probs.patches]
    assert outlined == [True, False, False]
    assert "predicted a" in ax_probs.get_title()


@pytest.mark.lesson(4)
def test_plot_losses_four_panels_with_marked_points():
    fig = plot_losses(prediction=5.0, probability=0.25, target=4.0)
    assert len(fig.axes) == 4
    # the marked cross-entropy point sits at -log(0.25)
    ax = fig.axes[1]  # classification losses (top right)
    marked = [line for line in ax.lines if len(line.get_xdata()) == 1]
    assert any(line.get_ydata()[0] == pytest.approx(-np.log(0.25)) for line in marked)


@pytest.mark.lesson(4)
def test_loss_helpers_agree_with_the_engine():
    regression = regression_losses(5.5, 4.0)
    assert regression["absolute"] == (pytest.approx(1.5), pytest.approx(1.0))
    assert regression["squared"] == (pytest.approx(2.25), pytest.approx(3.0))
    classification = classification_losses(0.2)
    assert classification["cross_entropy"][0] == pytest.approx(-np.log(0.2))
    assert classification["cross_entropy"][1] == pytest.approx(-1 / 0.2)
    assert classification["absolute"][0] == pytest.approx(0.8)
