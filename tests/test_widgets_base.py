"""The Explorer base class: the order of its hooks, the public change hook, blitting."""

import io

import ipywidgets as widgets
import numpy as np
import pytest
from PIL import Image

from nnkit.widgets import Explorer
from nnkit.widgets.base import slider
from nnkit.widgets.rendering import FigureRenderer


def descendants(widget: widgets.Widget) -> list[widgets.Widget]:
    """Every widget inside ``widget`` (itself included), depth first."""
    found = [widget]
    for child in getattr(widget, "children", ()):
        found += descendants(child)
    return found


def pixels(explorer: Explorer) -> np.ndarray:
    """The explorer's picture as an array (height, width, 3)."""
    return np.asarray(Image.open(io.BytesIO(explorer.picture)))


class Recorder(Explorer):
    """A minimal explorer that records which hook ran when."""

    def __init__(self, start: float = 0.5, blit: bool = True) -> None:
        self.calls: list[str] = []
        super().__init__()
        # state set after super().__init__() is there before any hook runs
        self.start, self.blit = start, blit

    def build_controls(self):
        self.calls.append("build_controls")
        return {"a": slider(self.start, 0, 1, 0.1, "a"), "b": slider(0.0, 0, 1, 0.1, "b")}

    def build_figure(self):
        self.calls.append("build_figure")
        self.ax = self.figure.add_subplot()
        (self.line,) = self.ax.plot([0, 1], [0, 0])
        self.ax.set(xlim=(0, 1), ylim=(0, 1))
        if self.blit:
            self.animated = [self.line]

    def update(self):
        self.calls.append("update")
        self.line.set_ydata([self.value("a"), self.value("b")])


def test_hooks_run_in_order_after_the_whole_init():
    explorer = Recorder(start=0.3)
    assert explorer.calls == ["build_controls", "build_figure", "update"]
    assert explorer.value("a") == 0.3  # the attribute set after super().__init__() was seen
    assert explorer.redraws == 1 and explorer.picture.startswith(b"\x89PNG")


def test_each_change_is_one_update_and_hold_makes_one():
    explorer = Recorder()
    explorer.controls["a"].value = 0.9
    assert explorer.calls[-1] == "update" and explorer.redraws == 2
    with explorer.hold():
        explorer.controls["a"].value = 0.1
        explorer.controls["b"].value = 0.7
    assert explorer.redraws == 3
    assert list(explorer.line.get_ydata()) == [0.1, 0.7]


def test_on_control_change_is_the_public_hook():
    seen = []

    class Linked(Recorder):
        def on_control_change(self, name, change):
            seen.append((name, change["old"], change["new"]))
            if name == "a" and not self.holding:
                with self.hold():  # b follows a: one redraw for both
                    self.controls["b"].value = change["new"]
                return
            super().on_control_change(name, change)

    explorer = Linked()
    redraws = explorer.redraws
    explorer.controls["a"].value = 0.8
    assert seen == [("a", 0.5, 0.8), ("b", 0.0, 0.8)]
    assert explorer.redraws == redraws + 1
    assert list(explorer.line.get_ydata()) == [0.8, 0.8]


def test_blitting_draws_the_background_once_and_matches_a_full_draw():
    blitted, full = Recorder(blit=True), Recorder(blit=False)
    for value in (0.2, 0.6, 0.9):
        blitted.controls["a"].value = value
        full.controls["a"].value = value
        # the same picture either way (the line lands on top of the spines when blitted)
        a, b = pixels(blitted), pixels(full)
        assert a.shape == b.shape and np.mean(np.any(a != b, axis=2)) < 0.01
    assert blitted.renderer.full_draws == 1
    assert full.renderer.full_draws == 4
    blitted.refresh_background()
    blitted.controls["b"].value = 0.4
    assert blitted.renderer.full_draws == 2


def test_renderer_redraws_the_background_when_its_key_changes():
    explorer = Recorder()
    renderer: FigureRenderer = explorer.renderer
    png = renderer.render([explorer.line], key="same")
    assert renderer.full_draws == 2  # the first key differs from the construction's
    assert renderer.render([explorer.line], key="same") == png
    assert renderer.full_draws == 2
    explorer.ax.set_ylim(0, 2)
    wider = renderer.render([explorer.line], key="wider")
    assert wider != png
    assert renderer.full_draws == 3
    # both backgrounds are kept: going back and forth draws nothing new
    explorer.ax.set_ylim(0, 1)
    assert renderer.render([explorer.line], key="same") == png
    explorer.ax.set_ylim(0, 2)
    assert renderer.render([explorer.line], key="wider") == wider
    assert renderer.full_draws == 3
    renderer.invalidate()
    assert renderer.render([explorer.line], key="wider") == wider
    assert renderer.full_draws == 4


def test_renderer_keeps_only_the_newest_backgrounds():
    explorer = Recorder()
    renderer: FigureRenderer = explorer.renderer
    for top in range(1, renderer.backgrounds_kept + 2):
        explorer.ax.set_ylim(0, top)
        renderer.render([explorer.line], key=top)
    draws = renderer.full_draws
    explorer.ax.set_ylim(0, renderer.backgrounds_kept + 1)
    renderer.render([explorer.line], key=renderer.backgrounds_kept + 1)  # the newest: kept
    explorer.ax.set_ylim(0, 1)
    renderer.render([explorer.line], key=1)  # the oldest: forgotten, drawn again
    assert renderer.full_draws == draws + 1


def test_widget_holds_the_controls_picture_and_message():
    explorer = Recorder()
    inside = descendants(explorer.widget)
    assert explorer.image in inside and explorer.message in inside
    assert all(control in inside for control in explorer.controls.values())
    assert "nnkit-explorer" in explorer.widget._dom_classes
    assert "nnkit-Recorder" in explorer.widget._dom_classes
    assert explorer.widget is explorer.widget


def test_picture_shrinks_to_the_column_and_is_never_stretched():
    layout = Recorder().image.layout  # figure_size 6 x 4 inches at 80 dpi: 480 px wide
    assert layout.max_width == "min(100%, 480px)" and layout.height == "auto"
    assert layout.min_width == "min(100%, 384px)"  # shrinks to 80%, then wraps
    assert layout.align_self == "flex-start"


@pytest.mark.parametrize("width", [2.0, 6.0])
def test_picture_size_follows_figure_size(width):
    class Sized(Recorder):
        figure_size = (width, 2.0)

    assert pixels(Sized()).shape == (160, int(width * 80), 3)  # RGB: no alpha to encode


def test_encoded_png_holds_exactly_the_canvas_pixels():
    explorer = Recorder()
    canvas = explorer.renderer.canvas
    picture = Image.open(io.BytesIO(explorer.picture))
    assert picture.format == "PNG" and picture.mode == "RGB"
    assert picture.size == canvas.get_width_height(physical=True)
    expected = np.asarray(canvas.buffer_rgba())[:, :, :3]
    np.testing.assert_array_equal(np.asarray(picture), expected)
    assert not np.all(expected == expected[0, 0])  # a real picture, not one flat colour
