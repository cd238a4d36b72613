"""The explorer contract every lesson widget follows.

One persistent Agg Figure is updated in place and rendered to PNG bytes shown
by a ``Picture`` widget (an ``<img>``): measured as the fastest flicker-free
redraw in JupyterLab (see DESIGN.md section 4). The PNG travels as a ``data:``
URL: the browser shows it about 6 ms sooner than a blob URL (ipywidgets'
Image), which the page must fetch from the browser's own process. Explorers
whose picture follows from their controls also draw the pictures one press
away and send them ahead (``draws_ahead``, ``picture.py``).

Writing an explorer: subclass ``Explorer`` and override these hooks.

``build_controls() -> dict``
    Create the controls (name -> ipywidgets control). Runs first.
``build_figure()``
    Create the axes and artists once, on ``self.figure``. Runs second.
``update()``
    Change the artists (``set_data``, ``set_text``, ...) and ``self.message``
    to match the controls; read a control with ``self.value(name)``. Runs
    once at the end of construction and after every change of a control.
``layout() -> widget``  (optional)
    Arrange controls, ``self.image`` and ``self.message``; the default puts
    the controls beside the picture and wraps them below it when the notebook
    column is narrow (``picture_beside``; ``wrapping_row`` for rows of controls).
``on_control_change(name, change)``  (optional)
    Called when control ``name`` changes value; the default redraws (unless
    inside ``hold()``). Override to react first, e.g. move other controls
    inside ``with self.hold():``, then call ``super().on_control_change``.
``animated_artists() -> list`` and ``background_key()``  (optional, speed)
    Which artists move at each redraw (default ``self.animated``, set in
    ``build_figure``); everything else is drawn once and reused until
    ``background_key()`` returns something new (see ``FigureRenderer``).
    Leave them empty to draw the whole figure every time.
``draws_ahead = True``  (optional, speed)
    Say so when the picture after a slider press follows from the controls
    alone: then, while the student looks, the pictures one press away are drawn
    and sent to the browser, which shows one at once when a press lands on it
    (``picture.py``). ``update()`` then writes the texts that go with the
    picture through ``show_message``/``show_text`` (``text_widgets()`` lists
    them) and changes no other widget while ``drawing_ahead``. Hooks:
    ``presses_ahead()`` (which presses: every slider shown, one step either
    way), ``as_pressed(values)`` (the controls a press moves too, e.g. a
    penguin's measurements), ``draw()`` (where a picture comes from),
    ``restore()`` (back to the settings on screen after a trial, when
    ``update()`` alone cannot: training), ``prepare(values)`` (the slow part
    of a trial, training, in pieces: see ``runs.py``) and ``ahead_context()``
    (what else the next picture depends on: the offers are dropped when it
    changes).
``work_ahead() -> iterator``  (optional, speed)
    Other work that makes the next change quick, e.g. training the settings
    of a drop-down, done piece by piece while the kernel has nothing else to
    do: its pieces (ended by ``yield``) run in slices of about ``PIECE_SECONDS``,
    after each of which the kernel hears the student. Drawing ahead and this
    start again after every change, and run only where an event loop runs (a
    Jupyter kernel), never in a script or a test.

The order, and where the subclass's own state goes: the subclass's
``__init__`` runs completely (set attributes before or after
``super().__init__()``, it does not matter), then the explorer is built:
``build_controls``, ``build_figure``, ``update`` and a first render, and
only then is it returned to the caller. So inside ``__init__`` there are no
``controls`` or ``figure`` yet; anything that needs them belongs in a hook.
"""

from __future__ import annotations

import asyncio
import base64
import math
import os
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import ipywidgets as widgets

from ..plots.style import new_figure
from .picture import Picture, state_key, state_of
from .rendering import FigureRenderer

# the part of a slider a mouse aims at, aimed for; line_up may give a column a little less
# (never under columns.SHORTEST_TRACK_PX, 160 px: the browser test measures every track)
SLIDER_TRACK_PX = 200


def slider_width(description: str, track_px: int = SLIDER_TRACK_PX) -> str:
    """A slider's width that leaves ``track_px`` for the track after its label and readout."""
    return f"{max(320, 7 * len(description) + 70 + track_px)}px"


def controls_column() -> widgets.Layout:
    """Layout for the column of controls: fixed width, never squeezed."""
    return widgets.Layout(flex="0 0 auto", min_width="340px")


def picture_layout(width_px: int | None = None, shrink_to: float = 0.8) -> widgets.Layout:
    """Layout for the picture (``width_px`` wide at full size) that follows the column width.

    It is never stretched (``align_self``: stretching blurs it) nor grown past its
    own width, shrinks to ``shrink_to`` of it to stay beside the controls, and
    below that fills the column's width on a line of its own (``max_width``).
    """
    # no margin left and right: 100% of the column is then really all of it
    if width_px is None:
        return widgets.Layout(
            align_self="flex-start", max_width="100%", height="auto", margin="2px 0px"
        )
    return widgets.Layout(
        align_self="flex-start",
        margin="2px 0px",
        flex="1 1 0%",
        min_width=f"min(100%, {round(width_px * shrink_to)}px)",
        max_width=f"min(100%, {width_px}px)",
        height="auto",
    )


def wrapping_row(children: list[widgets.Widget]) -> widgets.HBox:
    """A row that wraps its children onto the next line when the column is too narrow."""
    return widgets.HBox(children, layout=widgets.Layout(flex_flow="row wrap", max_width="100%"))


def picture_beside(picture: widgets.Widget, controls: widgets.Widget) -> widgets.HBox:
    """Controls on the left, the picture on the right; in a narrow column the controls
    wrap below the picture (so the picture stays at the top)."""
    # row-reverse: the picture comes first in the wrapping order but shows on the right;
    # justify_content flex-end packs both to the left
    return widgets.HBox(
        [picture, controls],
        layout=widgets.Layout(
            flex_flow="row-reverse wrap", justify_content="flex-end", max_width="100%"
        ),
    )


def labelled(
    control: type[widgets.Widget], description: str, width: str | None = None, **options: Any
) -> widgets.Widget:
    """An ipywidgets control whose label is shown in full, e.g.
    ``labelled(widgets.IntSlider, "epochs", "300px", value=100, min=10, max=500)``."""
    layout = widgets.Layout(width=width) if width else widgets.Layout()
    return control(
        description=description, style={"description_width": "initial"}, layout=layout, **options
    )


def long_slider(control: type[widgets.Widget], description: str, **options: Any) -> widgets.Widget:
    """A slider of kind ``control`` whose label is shown in full and whose track stays
    long enough for a mouse (``slider_width``), e.g.
    ``long_slider(widgets.IntSlider, "epochs", value=100, min=10, max=500)``."""
    return labelled(control, description, slider_width(description), **options)


def slider(
    value: float,
    low: float,
    high: float,
    step: float,
    description: str,
    readout_format: str = ".2f",
) -> widgets.FloatSlider:
    """A FloatSlider with the label shown in full and updates while dragging."""
    return long_slider(
        widgets.FloatSlider,
        description,
        value=value,
        min=low,
        max=high,
        step=step,
        readout_format=readout_format,
        continuous_update=True,
    )


def data_url(picture: bytes) -> str:
    """PNG bytes as a ``data:`` URL (see the module docstring)."""
    return "data:image/png;base64," + base64.b64encode(picture).decode("ascii")


class _BuiltAfterInit(type):
    """Builds an explorer once its class's whole ``__init__`` has run (see Explorer)."""

    def __call__(cls, *args: Any, **kwargs: Any) -> Any:
        explorer = super().__call__(*args, **kwargs)
        explorer._construct()
        return explorer


def running_loop() -> asyncio.AbstractEventLoop | None:
    """The event loop running here (a Jupyter kernel's), or None (a script, a test)."""
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        if sys.platform == "emscripten":
            return asyncio.get_event_loop()  # Pyodide's runs all the time, in the browser's
        return None


# explorers animating now (a playground playing): work ahead waits until they stop
ANIMATING: set[object] = set()

# work ahead runs in slices this long, then lets the kernel hear the controls: a press
# waits at most about this long (plus what its own picture costs)
PIECE_SECONDS = 0.01

# sliders that move in steps, one press at a time (see Explorer.one_press_away)
STEPPED = (widgets.IntSlider, widgets.FloatSlider, widgets.FloatLogSlider, widgets.SelectionSlider)


class Explorer(metaclass=_BuiltAfterInit):
    """Base class: controls beside (or above) a picture, and a message under it.

    Attributes after construction: ``controls`` (name -> control), ``figure``
    (the matplotlib Figure), ``image`` (the ``Picture`` widget showing it),
    ``picture`` (the PNG bytes it shows), ``message`` (an HTML widget),
    ``redraws`` (how many redraws so far) and ``renderer`` (the FigureRenderer).
    See the module docstring for the hooks.
    """

    figure_size = (6.0, 4.0)  # inches at 80 dpi: the picture's natural size in pixels / 80
    draws_ahead = False  # True: the picture follows from the controls alone (see above)
    not_settings: tuple[str, ...] = ()  # controls with a value that set no picture (Play)

    def __init__(self) -> None:
        # nothing to do: _construct runs after the subclass's __init__ (see the module docstring)
        pass

    def _construct(self) -> None:
        self.figure = new_figure(*self.figure_size)
        self.renderer = FigureRenderer(self.figure)
        width_px = round(self.figure_size[0] * self.figure.dpi)
        self.message = widgets.HTML("")
        self.image = Picture(alt=type(self).__name__, layout=picture_layout(width_px))
        self.image.add_class("nnkit-figure")
        self.holding = False
        self.redraws = 0
        self.animated: list = []
        self._widget: widgets.Widget | None = None
        self._ahead: asyncio.Task | None = None  # the work done ahead (see work_ahead)
        self._last_press: tuple[str, int] | None = None  # (control, +1 or -1)
        self._directions: dict[str, int] = {}  # slider -> the way it moved last (+1 or -1)
        self._trying: dict[str, Any] | None = None  # values drawn ahead (see draw_as_if)
        self._trial_texts: dict[int, str] = {}  # id(text widget) -> its text, drawing ahead
        self._ahead_context: object = None  # ahead_context() of the pictures offered
        self.controls: dict[str, widgets.Widget] = self.build_controls()
        if self.draws_ahead:  # the controls whose states key the pictures drawn ahead
            self._keyed = {
                name: control
                for name, control in self.controls.items()
                if hasattr(control, "value") and name not in self.not_settings
            }
            self.image.controls = list(self._keyed.values())
            self.image.texts = self.text_widgets()
        self.build_figure()
        for name, control in self.controls.items():
            if hasattr(control, "value"):
                control.observe(
                    lambda change, name=name: self._changed(name, change), names="value"
                )
        self.redraw()

    # -- hooks to override ---------------------------------------------------
    def build_controls(self) -> dict[str, widgets.Widget]:
        """The controls, name -> ipywidgets control (first hook to run)."""
        return {}

    def build_figure(self) -> None:
        """Create the axes and artists once (runs after build_controls)."""

    def update(self) -> None:
        """Change the artists (and self.message) to match the controls."""

    def on_control_change(self, name: str, change: dict) -> None:
        """A control changed value (``change["old"]``, ``change["new"]``): redraw."""
        if not self.holding:
            self.redraw()

    def work_ahead(self) -> Iterator[None]:
        """Work for the next change, done while the kernel is idle; ``yield`` between pieces."""
        return iter(())

    def prepare(self, values: dict[str, Any]) -> Iterator[None]:
        """The slow part of ``draw_as_if(values)`` (values: ``as_pressed``'s), such as
        training, done first in pieces that ``yield`` (e.g. one epoch each; see ``Runs``),
        so a press is heard between them; ``draw_as_if`` then finds it done."""
        return iter(())

    def presses_ahead(self) -> list[dict[str, Any]]:
        """The presses whose pictures are drawn ahead (if ``draws_ahead``): one step either
        way on every slider shown and not disabled, the likeliest first."""
        names = [
            name
            for name, control in self.controls.items()
            if isinstance(control, STEPPED) and self._pressable(name)
        ]
        return self.one_press_away(names)

    def _pressable(self, name: str) -> bool:
        """Can the student press control ``name`` (shown and not disabled)?"""
        control = self.controls[name]
        return not control.disabled and control.layout.display != "none"

    def text_widgets(self) -> list[widgets.HTML]:
        """The HTML widgets whose text goes with the picture (written with ``show_text``):
        ``self.message``, and any the explorer adds."""
        return [self.message]

    def ahead_context(self) -> object:
        """What else the picture after a press depends on, besides the controls (e.g. the
        axes it starts from): when it changes, the pictures drawn ahead are dropped."""
        return None

    def as_pressed(self, values: dict[str, Any]) -> dict[str, Any]:
        """The controls' values after a press that sets ``values``: override when a press
        moves other controls too (``on_control_change``)."""
        return values

    def animated_artists(self) -> list:
        """The artists redrawn at every render over a cached picture of the rest.

        ``self.animated`` by default; empty means: draw the whole figure.
        """
        return self.animated

    def slow_artists(self) -> list[tuple]:
        """Moving artists that change less often than the rest, as ``(axes, artists, value)``:
        alone in their axes, drawn again only when ``value`` changes (see FigureRenderer)."""
        return []

    def background_key(self) -> object:
        """A value that changes whenever the cached (static) picture must be drawn again."""
        return None

    def layout(self) -> widgets.Widget:
        """Controls in a column beside the picture; they wrap below it when space is short."""
        column = widgets.VBox(list(self.controls.values()), layout=controls_column())
        return widgets.VBox([picture_beside(self.image, column), self.message])

    # -- the machinery -----------------------------------------------------
    def value(self, name: str) -> Any:
        """Control ``name``'s value (while drawing ahead: the value drawn for)."""
        if self._trying is not None and name in self._trying:
            return self._trying[name]
        return self.controls[name].value

    @contextmanager
    def hold(self) -> Iterator[Explorer]:
        """Change several controls with one redraw at the end."""
        self.holding = True
        try:
            yield self
        finally:
            self.holding = False
            self.redraw()

    def redraw(self) -> None:
        """``update()`` then ``render()``, then start working ahead (see ``work_ahead``)."""
        self.update()
        self.render()
        self._start_working_ahead()

    def _changed(self, name: str, change: dict) -> None:
        if isinstance(self.controls[name], STEPPED):  # a slider: which way did it move?
            where = self._position(name, change["new"]) - self._position(name, change["old"])
            self._last_press = (name, 1 if where > 0 else -1)
            self._directions[name] = self._last_press[1]
        self.on_control_change(name, change)

    def _position(self, name: str, value: Any) -> float:
        """Where ``value`` lies along slider ``name``: its place among the options, or itself."""
        control = self.controls[name]
        if isinstance(control, widgets.SelectionSlider):
            return list(control._options_values).index(value)
        return value

    def one_press_away(self, names: Sequence[str]) -> list[dict[str, Any]]:
        """The values the sliders ``names`` take after one more press on one of them (one
        step up or down), e.g. ``[{"neurons": 9}, {"layers": 2}, {"neurons": 7}]``: the
        likeliest first. A student explores onwards: the slider moved last, on in the same
        direction; then each other slider on in the way it last moved (up, if never); then
        the steps back."""
        onwards = [(name, self._directions.get(name, 1)) for name in names]
        if self._last_press in onwards:
            onwards.remove(self._last_press)
            onwards.insert(0, self._last_press)
        presses = onwards + [(name, -step) for name, step in onwards]
        values = []
        for name, step in presses:
            control = self.controls[name]
            if isinstance(control, widgets.SelectionSlider):
                index = control.index + step
                if 0 <= index < len(control.options):
                    values.append({name: control._options_values[index]})
            elif isinstance(control, widgets.FloatLogSlider):  # its steps are in the exponent
                exponent = round(math.log(control.value, control.base) + step * control.step, 10)
                if control.min <= exponent <= control.max:
                    values.append({name: control.base**exponent})
            else:
                value = round(control.value + step * control.step, 10)  # no 0.30000000000000004
                if control.min <= value <= control.max:
                    values.append({name: type(control.value)(value)})
        return values

    def _start_working_ahead(self) -> None:
        if os.environ.get("NNKIT_WORK_AHEAD") == "0":
            return  # switched off (e.g. on a hub where many students share few cores)
        if not self.draws_ahead and type(self).work_ahead is Explorer.work_ahead:
            return  # nothing to do ahead
        if self._ahead is not None:
            self._ahead.cancel()  # it worked for the settings shown before: start again
        loop = running_loop()
        if loop is None:
            return  # no event loop (a script, a test): nothing is done ahead
        self._ahead = loop.create_task(self._work_ahead())

    async def _work_ahead(self) -> None:
        pieces = self._pieces_ahead()
        try:
            while True:
                await asyncio.sleep(0.005)  # the kernel hears the controls between slices
                while ANIMATING:  # its pictures come first (any explorer of the notebook)
                    await asyncio.sleep(0.1)
                started = time.perf_counter()
                # a piece is an epoch or a picture: as many as fill the slice
                for _ in pieces:
                    if time.perf_counter() - started >= PIECE_SECONDS:
                        break
                else:
                    return  # all done
        except Exception:
            return  # e.g. a setting that diverges: the press that asks for it says so

    def _pieces_ahead(self) -> Iterator[None]:
        """Draw the pictures one press away and offer them to the browser, then work ahead."""
        if self.draws_ahead:
            if self.ahead_context() != self._ahead_context:
                self.image.forget()  # the pictures offered before were drawn for another one
                self._ahead_context = self.ahead_context()
            for press in self.presses_ahead():
                state = [state_of(c, press.get(n)) for n, c in self._keyed.items()]
                if state_key(state) in self.image.offered:
                    continue  # the browser has it already
                values = self.as_pressed(press)
                yield from self.prepare(values)
                picture, texts = self.draw_as_if(values)
                self.image.offer(state, data_url(picture), texts)
                yield
        yield from self.work_ahead()

    @property
    def drawing_ahead(self) -> bool:
        """True while ``draw_as_if`` draws: change no widget but through ``show_text``."""
        return self._trying is not None

    def draw_as_if(self, values: dict[str, Any]) -> tuple[bytes, list[str]]:
        """(PNG, texts) the explorer would show with the controls at ``values`` (the rest as
        they are), without changing what it shows; texts: of ``text_widgets()``, in order."""
        self._trying, self._trial_texts = values, {}
        try:
            self.update()
            picture = self.draw()
            texts = [self.text(widget) for widget in self.text_widgets()]
        finally:
            self._trying = None
            self.restore()
        return picture, texts

    def restore(self) -> None:
        """After ``draw_as_if``: back to the settings on screen (the artists and the state
        read later). Override when ``update()`` alone cannot go back (e.g. training)."""
        self.update()

    def render(self) -> None:
        """Draw the figure into the picture widget."""
        self.show(self.draw())

    def draw(self) -> bytes:
        """The figure as PNG bytes (blitting ``animated_artists()``)."""
        return self.renderer.render(
            self.animated_artists(), self.background_key(), self.slow_artists()
        )

    def show(self, picture: bytes) -> None:
        """Show PNG bytes in the picture widget (as a ``data:`` URL, see the module docstring)."""
        self.picture = picture
        self.image.show(data_url(picture), [widget.value for widget in self.text_widgets()])
        self.redraws += 1

    def refresh_background(self) -> None:
        """Redraw the static parts on the next render (after e.g. new axis limits)."""
        self.renderer.invalidate()

    def show_message(self, text: str, kind: str = "info") -> None:
        colour = {"info": "#333", "warning": "#b35c00", "error": "#b00020"}[kind]
        self.show_text(self.message, f'<div style="color:{colour}">{text}</div>' if text else "")

    def add_to_message(self, html: str) -> None:
        """Add ``html`` at the end of the message (see ``show_message``)."""
        self.show_text(self.message, self.text(self.message) + html)

    def show_text(self, widget: widgets.HTML, html: str) -> None:
        """Write ``html`` in ``widget`` (one of ``text_widgets()``); while drawing ahead, keep
        it for the picture drawn instead (the student still sees the text shown)."""
        if self.drawing_ahead:
            self._trial_texts[id(widget)] = html
        else:
            widget.value = html

    def text(self, widget: widgets.HTML) -> str:
        """What ``widget`` says (while drawing ahead: for the picture drawn)."""
        return (
            self._trial_texts.get(id(widget), widget.value) if self.drawing_ahead else widget.value
        )

    @property
    def widget(self) -> widgets.Widget:
        """The whole explorer as one ipywidgets box (built on first use)."""
        if self._widget is None:
            self._widget = self.layout()
            self._widget.add_class("nnkit-explorer")
            self._widget.add_class(f"nnkit-{type(self).__name__}")
        return self._widget

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)

    def close(self) -> None:
        if self._ahead is not None:
            self._ahead.cancel()
        if self._widget is not None:
            self._widget.close()
        for control in self.controls.values():
            control.close()
        self.image.close()
        self.message.close()
