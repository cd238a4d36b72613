"""What a student found trying lessons 07 and 08 in JupyterLab stays fixed.

Each test drives an explorer headless (set a control) and reads what the student
would see: an artist's data, visibility or text, the message, the picture's pixels.
"""

import io

import ipywidgets as widgets
import numpy as np
import pytest
from matplotlib.colors import to_rgb
from PIL import Image

from nnkit.plots.confusion import class_label
from nnkit.plots.decision_boundary import decision_line
from nnkit.plots.style import ERROR
from nnkit.widgets import BackpropStepper, NonlinearityExplorer, Playground, TrainingDashboard
from nnkit.widgets.base import labelled, long_slider, slider_width
from nnkit.widgets.columns import SLIDER_OVERHEAD_PX, label_px, line_up
from nnkit.widgets.dashboard import _leaves_at
from nnkit.widgets.playground import DATASETS

DIVERGING = 30.0  # a learning rate at which the dashboard's default network blows up in epoch 3


def pixels(explorer) -> np.ndarray:
    """The picture the student sees (height, width, 3)."""
    return np.asarray(Image.open(io.BytesIO(explorer.picture)).convert("RGB"))


def inside(explorer, ax, picture: np.ndarray) -> np.ndarray:
    """The part of ``picture`` within the axes ``ax`` (its frame included)."""
    box = ax.get_window_extent()
    height = picture.shape[0]
    rows = slice(height - int(np.ceil(box.y1)) - 2, height - int(box.y0) + 2)
    return picture[rows, int(box.x0) - 2 : int(np.ceil(box.x1)) + 2]


def count_colour(picture: np.ndarray, colour, near: float = 0.0) -> int:
    """How many pixels are ``colour`` (or within ``near`` of it: the smoothed edges of text)."""
    rgb = np.round(np.array(to_rgb(colour)) * 255)
    return int(np.sum(np.linalg.norm(picture - rgb, axis=2) <= near))


def same_as_a_whole_draw(explorer) -> bool:
    """The blitted picture equals the figure drawn whole (almost every pixel)."""
    shown = pixels(explorer)
    for artist in explorer.figure.findobj():
        artist.set_animated(False)
    canvas = explorer.renderer.canvas
    canvas.draw()
    whole = np.asarray(canvas.buffer_rgba())[:, :, :3]
    return shown.shape == whole.shape and np.mean(np.any(shown != whole, axis=2)) < 0.005


@pytest.fixture
def dashboard():
    return TrainingDashboard()


# -- lesson 07: a diverged loss is marked on the plot ---------------------------------


@pytest.mark.lesson(7)
def test_diverged_loss_is_marked_where_it_leaves_the_axes(dashboard):
    assert not dashboard.off_scale_label.get_visible()
    calm = inside(dashboard, dashboard.ax_loss, pixels(dashboard))
    assert count_colour(calm, ERROR, near=50) == 0
    dashboard.controls["learning_rate"].value = DIVERGING
    top = dashboard.ax_loss.get_ylim()[1]
    assert max(dashboard.history.loss) > top  # the curve runs off the top
    (x,), (y,) = dashboard.off_scale.get_data()
    # the triangle sits on the top edge at epoch 1: after the first step the validation
    # loss is already 39 (the training loss, 1.25 -> 41, leaves a little later)
    assert dashboard.history.val_loss[0] > top > dashboard.history.loss[0]
    assert (x, y) == (1.0, top)
    label = dashboard.off_scale_label
    assert label.get_visible() and label.get_text() == "diverged in epoch 3 \u2191"
    assert label.xy == (x, top)
    red = count_colour(inside(dashboard, dashboard.ax_loss, pixels(dashboard)), ERROR, near=50)
    assert red > 150  # the triangle and the words, in the red of the error message
    assert same_as_a_whole_draw(dashboard)
    dashboard.controls["learning_rate"].value = 0.1
    assert not label.get_visible() and len(dashboard.off_scale.get_xdata()) == 0
    calm = inside(dashboard, dashboard.ax_loss, pixels(dashboard))
    assert count_colour(calm, ERROR, near=50) == 0


@pytest.mark.lesson(7)
def test_diverged_mark_costs_no_full_draw_when_the_new_penguin_moves(dashboard):
    dashboard.controls["learning_rate"].value = DIVERGING
    draws = dashboard.renderer.full_draws
    dashboard.controls["flipper_length_mm"].value = 225.0
    dashboard.controls["body_mass_g"].value = 5500.0
    assert dashboard.renderer.full_draws == draws
    assert dashboard.off_scale_label.get_visible()
    assert same_as_a_whole_draw(dashboard)


def test_where_a_curve_leaves_the_axes():
    assert _leaves_at([1.0, 2.0, 1.5], 3.0) is None
    assert _leaves_at([1.0, 5.0], 3.0) == pytest.approx(1.5)  # halfway from epoch 1 to 2
    assert _leaves_at([4.0, 1.0], 3.0) == 1.0
    assert _leaves_at([1.0, 2.0, float("nan")], 3.0) == 3.0


# -- lesson 07: a diverged network makes no prediction for the new penguin ------------


@pytest.mark.lesson(7)
def test_diverged_training_gives_no_new_penguin_prediction(dashboard):
    bar_colours = [bar.get_facecolor() for bar in dashboard.bars]
    dashboard.controls["learning_rate"].value = DIVERGING
    assert "no trustworthy prediction" in dashboard.message.value
    assert "lower the learning rate" in dashboard.message.value
    assert not any(f"<b>{name}" in dashboard.message.value for name in dashboard.class_names)
    assert dashboard.new_penguin == ""
    assert not any(bar.get_visible() for bar in dashboard.bars)
    assert dashboard.no_prediction.get_visible()
    assert "training diverged" in dashboard.no_prediction.get_text()
    shown = inside(dashboard, dashboard.ax_prob, pixels(dashboard))
    assert all(count_colour(shown, colour[:3]) == 0 for colour in bar_colours)  # no bars
    assert count_colour(shown, ERROR, near=50) > 50  # the words, in red
    assert same_as_a_whole_draw(dashboard)
    dashboard.controls["learning_rate"].value = 0.1
    assert all(bar.get_visible() for bar in dashboard.bars)
    assert not dashboard.no_prediction.get_visible()
    assert "The new penguin: <b>" in dashboard.message.value and dashboard.new_penguin
    shown = inside(dashboard, dashboard.ax_prob, pixels(dashboard))
    assert count_colour(shown, ERROR, near=50) == 0
    assert count_colour(shown, bar_colours[0][:3]) > 0  # the bars are back


# -- lesson 07: the message is read with the picture -----------------------------------


@pytest.mark.lesson(7)
def test_message_sits_right_under_the_picture_and_no_wider(dashboard):
    # picture_beside: the picture first (shown on the right, or on top when the column wraps)
    picture, controls = dashboard.widget.children
    assert picture.children == (dashboard.image, dashboard.message)
    assert dashboard.message not in controls.children and dashboard.image not in controls.children
    # the box keeps the picture's width rules (640 px at most, shrinks to the column), so the
    # message adds no width; the picture fills the box and is never stretched
    assert picture.layout.max_width == "min(100%, 640px)"
    assert picture.layout.min_width == "min(100%, 512px)"
    assert dashboard.image.layout.max_width == "100%"
    assert dashboard.image.layout.align_self == "flex-start"
    assert "nnkit-figure" in dashboard.image._dom_classes


# -- lesson 07: the best epoch's dotted line stands clear of the frame ----------------


@pytest.mark.lesson(7)
def test_best_epoch_in_the_last_epoch_is_drawn_inside_the_axes(dashboard):
    assert dashboard.best_epoch == dashboard.history.epochs == 100  # still falling at the end
    shown = pixels(dashboard)
    height = shown.shape[0]
    for ax, marker in zip((dashboard.ax_loss, dashboard.ax_acc), dashboard.best_markers):
        assert ax.get_xlim()[1] > 100
        box = ax.get_window_extent()
        x = ax.transData.transform((marker.get_xdata()[0], 0))[0]
        assert box.x1 - x >= 6, "the dotted line would lie on the right-hand frame"
        # its grey dots are there, in the picture, between the top and the bottom of the axes
        column = shown[height - int(box.y1) + 2 : height - int(box.y0) - 2, int(x) - 1 : int(x) + 2]
        assert count_colour(column, "grey", near=40) >= 20
    assert "epoch 100 (dotted line), the last one" in dashboard.message.value
    dashboard.controls["optimizer"].value = "adam"  # the validation loss bottoms out earlier
    assert dashboard.best_epoch == 53 < dashboard.history.epochs
    assert "the last one" not in dashboard.message.value


# -- lesson 08: the decision boundary is drawn as a line ------------------------------


def straightness(points: np.ndarray) -> float:
    """How far the points stray from their best straight line, relative to its length."""
    points = points[np.isfinite(points).all(axis=1)]
    spread = np.linalg.svd(points - points.mean(axis=0), compute_uv=False)
    return spread[1] / spread[0]


@pytest.mark.lesson(8)
def test_nonlinearity_draws_a_straight_boundary_when_linear_and_a_curved_one_with_relu():
    explorer = NonlinearityExplorer()
    line = explorer.boundary.line
    straight = np.column_stack(line.get_data())
    assert len(straight) > 20 and line in explorer.animated_artists()
    # no activation: the line is where the collapsed linear map gives both classes the same score
    weights = explorer.collapsed[:, 1] - explorer.collapsed[:, 0]
    outputs = explorer.model.forward(np.zeros((1, 2)))[0]
    bias = outputs[1] - outputs[0]
    unit = weights / np.linalg.norm(weights)
    assert np.allclose(straight @ unit, -bias / np.linalg.norm(weights), atol=1e-3)
    assert straightness(straight) < 1e-3
    dark = count_colour(pixels(explorer), "0.15", near=40)
    assert dark > 150  # the line is in the picture
    explorer.controls["activation"].value = "relu"
    curved = np.column_stack(line.get_data())
    assert straightness(curved) > 0.5  # around the inner circle: as wide as it is tall
    assert np.allclose(curved[0], curved[-1])  # a closed curve
    # every point of the line is where the network is 50/50
    probabilities = explorer.model.predict_proba(curved)[:, 1]
    assert np.all(np.abs(probabilities - 0.5) < 0.2)
    explorer.controls["dataset"].value = "xor"
    assert np.isnan(line.get_xdata()).sum() == 1  # xor's boundary: two pieces
    assert "the black line" in explorer.message.value


def test_decision_line_is_empty_when_the_boundary_lies_outside():
    sure = np.tile([0.9, 0.1], (25, 1))
    assert decision_line((-1, 1, -1, 1), sure, 5).shape == (0, 2)


# -- lesson 08: the confusion matrix's class names never touch ------------------------


@pytest.mark.lesson(8)
@pytest.mark.parametrize("dataset", list(DATASETS))
def test_confusion_class_names_stand_apart_and_whole(dataset):
    playground = Playground(dataset=dataset)
    renderer = playground.renderer.canvas.get_renderer()
    x_labels = playground.ax_conf.get_xticklabels()
    y_labels = playground.ax_conf.get_yticklabels()
    names = playground.class_names
    # in full (the xor names used to be cut to "different "), only broken at spaces
    assert [t.get_text().replace("\n", " ") for t in x_labels] == names
    assert [t.get_text().replace("\n", " ") for t in y_labels] == names
    x_boxes = [t.get_window_extent(renderer) for t in x_labels]
    y_boxes = [t.get_window_extent(renderer) for t in y_labels]
    # at least 8 px of white between neighbours (xor's were 3 px apart: they read as one)
    assert all(right.x0 - left.x1 >= 8 for left, right in zip(x_boxes, x_boxes[1:]))
    assert all(upper.y0 - lower.y1 >= 8 for upper, lower in zip(y_boxes, y_boxes[1:]))
    playground.close()


def test_class_labels_break_at_spaces_only():
    assert class_label("different sign") == "different\nsign"
    assert class_label("blob 0") == "blob 0"
    assert class_label("arm 0", n_classes=3) == "arm\n0"
    assert class_label("Chinstrap", n_classes=3) == "Chinstrap"


# -- every lesson: a column of sliders lines up -----------------------------------------


def labelled_children(box) -> list:
    """The controls with a label on their left directly inside ``box``, if it is a column:
    a VBox, or a row of sliders only (it wraps into a column in a narrow notebook)."""
    children = getattr(box, "children", ())
    if not isinstance(box, widgets.VBox) and not all(
        type(c).__name__.endswith("Slider") for c in children
    ):
        return []
    return [
        c
        for c in children
        if getattr(c, "description", "")
        and hasattr(c.style, "description_width")
        and not isinstance(c, widgets.Checkbox)  # its label is on its right
    ]


def boxes(widget) -> list:
    """``widget`` and every box inside it."""
    found = [widget] if hasattr(widget, "children") else []
    for child in getattr(widget, "children", ()):
        found += boxes(child)
    return found


def px(width: str) -> int:
    assert width.endswith("px"), width
    return int(width[:-2])


# the sliders' widths before they were lined up: the widest of each column, which they all
# take now (so no explorer got wider)
WIDEST = {
    "NeuronExplorer": [466, 333],
    "ForwardPassExplorer": [460, 389],
    "SoftmaxExplorer": [431],
    "LossExplorer": [473],
    "GradientDescentExplorer": [360],
    "TrainingDashboard": [380],
    "Playground": [400],
    "NonlinearityExplorer": [389],
    "OverfittingExplorer": [389],
    "InitialisationExplorer": [361],
    "OptimizerExplorer": [384],
    "TorchParityExplorer": [361],
}


@pytest.mark.parametrize("name", list(WIDEST))
def test_each_column_of_sliders_lines_up(name):
    import nnkit.widgets

    if name == "TorchParityExplorer":
        pytest.importorskip("torch")
    explorer = getattr(nnkit.widgets, name)()
    columns = [labelled_children(box) for box in boxes(explorer.widget)]
    columns = [column for column in columns if len(column) >= 2]
    widest = []
    for column in columns:
        labels = {c.style.description_width for c in column}
        assert len(labels) == 1, f"labels of different widths: {labels}"
        label = px(labels.pop())
        # wide enough for every label (ipywidgets cuts a longer one with "...")
        assert all(label >= label_px(c.description) for c in column)
        sliders = [c for c in column if type(c).__name__.endswith("Slider")]
        widths = {px(c.layout.width) for c in sliders}
        assert len(widths) <= 1, f"sliders of different widths: {widths}"
        if widths:
            width = widths.pop()
            assert width - label - SLIDER_OVERHEAD_PX >= 150  # a track a mouse can aim along
            widest.append(width)
        for box in column:  # number boxes and dropdowns keep room for their value
            if not type(box).__name__.endswith("Slider"):
                assert px(box.layout.width) - label >= 90, box.description
    assert widest == WIDEST[name]
    explorer.close()


def test_no_slider_label_sits_right_aligned_in_the_default_box():
    # ipywidgets' default label box (80 px, text right-aligned) put lesson 06's "step" ~50 px
    # in from the left of its slider, unlike every other label
    stepper = BackpropStepper()
    assert stepper.controls["step"].style.description_width == "initial"
    assert stepper.controls["learning_rate"].style.description_width == "initial"


def test_line_up_gives_one_label_and_one_slider_width():
    short = long_slider(widgets.IntSlider, "epochs")
    long = long_slider(widgets.IntSlider, "neurons per layer")
    menu = labelled(widgets.Dropdown, "activation", options=["relu", "tanh"])
    seed = labelled(widgets.BoundedIntText, "seed", "150px")
    label = line_up([short, long, menu, seed])
    assert label == label_px("neurons per layer")
    assert {c.style.description_width for c in (short, long, menu, seed)} == {f"{label}px"}
    assert short.layout.width == long.layout.width == slider_width("neurons per layer")
    assert px(seed.layout.width) == label + 8 + 90
