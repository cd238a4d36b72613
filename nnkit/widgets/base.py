"""The explorer contract every lesson widget follows.

One persistent Agg Figure is updated in place and rendered to PNG bytes shown
in an ``ipywidgets.Image``: measured as the fastest flicker-free redraw in
JupyterLab (see DESIGN.md section 4). Subclasses implement ``build_controls``
(return a dict of controls), ``build_figure`` (create the artists once) and
``update`` (change the artists from the control values).
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import ipywidgets as widgets

from ..plots.style import new_figure


# The controls keep their width next to a wide picture (otherwise the row squeezes them
# and cuts off the slider readouts and drop-downs).
def controls_column() -> widgets.Layout:
    """Layout for the column of controls: fixed width, never squeezed."""
    return widgets.Layout(flex="0 0 auto", min_width="340px")


def labelled(
    control: type[widgets.Widget], description: str, width: str | None = None, **options: Any
) -> widgets.Widget:
    """An ipywidgets control whose label is shown in full, e.g.
    ``labelled(widgets.IntSlider, "epochs", "300px", value=100, min=10, max=500)``."""
    layout = widgets.Layout(width=width) if width else widgets.Layout()
    return control(
        description=description, style={"description_width": "initial"}, layout=layout, **options
    )


def slider(
    value: float,
    low: float,
    high: float,
    step: float,
    description: str,
    readout_format: str = ".2f",
) -> widgets.FloatSlider:
    """A FloatSlider with the label shown in full and updates while dragging."""
    return labelled(
        widgets.FloatSlider,
        description,
        "320px",
        value=value,
        min=low,
        max=high,
        step=step,
        readout_format=readout_format,
        continuous_update=True,
    )


def _png(canvas) -> bytes:
    """The canvas's pixels as PNG bytes (light compression: fast, still small)."""
    from PIL import Image

    width, height = canvas.get_width_height()
    picture = Image.frombuffer("RGBA", (width, height), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
    buffer = io.BytesIO()
    picture.convert("RGB").save(buffer, format="png", compress_level=1)
    return buffer.getvalue()


class Explorer:
    """Base class: controls on the left, a picture and a message on the right."""

    figure_size = (6.0, 4.0)

    def __init__(self) -> None:
        self.figure = new_figure(*self.figure_size)
        self.image = widgets.Image(format="png", layout=widgets.Layout(align_self="flex-start"))
        self.image.add_class("nnkit-figure")
        self.message = widgets.HTML("")
        self.controls: dict[str, widgets.Widget] = self.build_controls()
        self._holding = False
        self.redraws = 0
        self.animated: list = []  # see render: set in build_figure to redraw only these
        self._background = None
        self._background_key = None
        self.build_figure()
        for control in self.controls.values():
            if hasattr(control, "value"):
                control.observe(self._on_change, names="value")
        self.redraw()
        self._widget: widgets.Widget | None = None

    # -- to implement in subclasses -------------------------------------
    def build_controls(self) -> dict[str, widgets.Widget]:
        return {}

    def build_figure(self) -> None:
        """Create the axes and artists once."""

    def update(self) -> None:
        """Change the artists (and self.message) to match the controls."""

    # -- the machinery -----------------------------------------------------
    def value(self, name: str) -> Any:
        return self.controls[name].value

    def _on_change(self, change) -> None:
        if not self._holding:
            self.redraw()

    @contextmanager
    def hold(self) -> Iterator[Explorer]:
        """Change several controls with one redraw at the end."""
        self._holding = True
        try:
            yield self
        finally:
            self._holding = False
            self.redraw()

    def redraw(self) -> None:
        self.update()
        self.render()

    def render(self) -> None:
        """Draw the figure and show it as PNG bytes in the Image widget.

        The layout (where each axes sits) is worked out on the first draw only
        and then kept: recomputing it costs more than the drawing itself.
        """
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        artists = self.animated_artists()
        if artists:
            canvas = self._draw_animated(artists)
        else:
            canvas = self.figure.canvas
            if not isinstance(canvas, FigureCanvasAgg):
                canvas = FigureCanvasAgg(self.figure)
            canvas.draw()
            self.figure.set_layout_engine("none")
        self.image.value = _png(canvas)
        self.redraws += 1

    def relayout(self) -> None:
        """Work the layout out again on the next draw (after new titles or tick labels)."""
        self.figure.set_layout_engine("constrained")
        self._background = None

    def animated_artists(self) -> list:
        """The artists redrawn at every render over a cached picture of the rest.

        ``self.animated`` by default; empty means: draw the whole figure.
        """
        return self.animated

    def background_key(self) -> object:
        """A value that changes whenever the cached (static) picture must be drawn again."""
        return None

    def _draw_animated(self, artists: list):
        """Blitting: draw the static parts (axes, ticks, fixed curves) once and keep the
        pixels; each redraw pastes them back and draws only ``artists`` on top.
        Several times faster when a figure has many axes (tick labels are slow to draw).
        Call ``refresh_background()`` after changing anything static, or override
        ``background_key``."""
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        key = self.background_key()
        if self._background is None or key != self._background_key:
            canvas = FigureCanvasAgg(self.figure)
            for artist in artists:
                artist.set_animated(True)
            canvas.draw()
            self.figure.set_layout_engine("none")  # keep the layout just computed
            self._background = canvas.copy_from_bbox(self.figure.bbox)
            self._background_key = key
        canvas = self.figure.canvas
        canvas.restore_region(self._background)
        renderer = canvas.get_renderer()
        for artist in artists:
            artist.draw(renderer)
        return canvas

    def refresh_background(self) -> None:
        """Redraw the static parts on the next render (after e.g. new axis limits)."""
        self._background = None

    def show_message(self, text: str, kind: str = "info") -> None:
        colour = {"info": "#333", "warning": "#b35c00", "error": "#b00020"}[kind]
        self.message.value = f'<div style="color:{colour}">{text}</div>' if text else ""

    def layout(self) -> widgets.Widget:
        """Controls in a column next to the picture; override to arrange differently."""
        column = widgets.VBox(list(self.controls.values()), layout=controls_column())
        return widgets.VBox([widgets.HBox([column, self.image]), self.message])

    @property
    def widget(self) -> widgets.Widget:
        if self._widget is None:
            self._widget = self.layout()
            self._widget.add_class("nnkit-explorer")
            self._widget.add_class(f"nnkit-{type(self).__name__}")
        return self._widget

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)

    def close(self) -> None:
        if self._widget is not None:
            self._widget.close()
        for control in self.controls.values():
            control.close()
        self.image.close()
