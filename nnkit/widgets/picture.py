"""The widget that shows an explorer's picture, and the pictures drawn ahead of a press.

A press on a slider travels to the kernel, which draws and sends back the new
picture: on a 2-core machine that round trip alone takes about 45 ms, before
any drawing. So while the student looks, the explorer draws the pictures one
press away and *offers* them to the browser (``offer``); when a press lands on
one of those settings, the browser shows its picture at once (``picture.js``).
The kernel still answers the press with the same picture.

An offered picture must be exactly what the kernel would draw for those
settings: an explorer that draws ahead has a picture that depends on its
controls alone (``forget`` drops every offer when something else changed).
"""

from __future__ import annotations

from collections import OrderedDict
from pathlib import Path
from typing import Any

import anywidget
import ipywidgets as widgets
import traitlets

KEPT = 48  # offers the browser keeps (as KEPT in picture.js): the oldest are forgotten first


def state_of(control: widgets.Widget, value: Any = None) -> Any:
    """A control's state as the browser sees it: a choice by its index, the rest by value
    (``value`` given: the state the control would have with that value)."""
    if isinstance(control, widgets.widget_selection._Selection):
        return control.index if value is None else list(control._options_values).index(value)
    return control.value if value is None else value


def state_key(state: list) -> tuple:
    """A hashable ``state`` with floats to 9 significant digits (0.1 + 0.2 is 0.3)."""
    return tuple(float(f"{v:.9g}") if isinstance(v, float) else v for v in state)


class Picture(anywidget.AnyWidget):
    """A PNG (``value``, a ``data:`` URL) with the pictures offered for other settings
    of ``controls`` (in the browser, keyed by their states in this order)."""

    _esm = Path(__file__).with_name("picture.js")
    value = traitlets.Unicode("").tag(sync=True)
    alt = traitlets.Unicode("").tag(sync=True)
    controls = traitlets.List(traitlets.Instance(widgets.Widget)).tag(
        sync=True, **widgets.widget_serialization
    )
    # the HTML widgets whose text goes with the picture (e.g. the message under it)
    texts = traitlets.List(traitlets.Instance(widgets.Widget)).tag(
        sync=True, **widgets.widget_serialization
    )

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.offered: OrderedDict[tuple, None] = OrderedDict()  # the states the browser has
        self.offers_made = False

    def show(self, src: str, texts: list[str]) -> None:
        """Show the kernel's picture ``src`` for the controls now, with ``texts`` (the values
        of the ``texts`` widgets, in order)."""
        self.value = src
        state = self.state()
        # the kernel's picture for these settings wins over any drawn ahead for them (e.g.
        # after training, the picture of the same settings is another one): drop that
        self.offered.pop(state_key(state), None)
        if self.offers_made:
            # The browser may show a picture drawn ahead for settings the kernel skipped (a
            # quick run of presses arrives as one change), or one drawn ahead for these
            # settings while the kernel's changes with time (training): say for which
            # settings this picture is, even when the browser had it before.
            self.send({"drawn": {"state": state, "texts": texts}})

    def state(self) -> list:
        """The controls' states now."""
        return [state_of(control) for control in self.controls]

    def offer(self, state: list, src: str, texts: list[str]) -> None:
        """Send the browser the picture ``src`` (and ``texts``) for the controls in ``state``."""
        self.offered[state_key(state)] = None
        self.offers_made = True
        if len(self.offered) > KEPT:
            self.offered.popitem(last=False)
        self.send({"offer": {"state": state, "src": src, "texts": texts}})

    def forget(self) -> None:
        """Drop every offer (the pictures no longer follow from the controls alone)."""
        if self.offered:
            self.offered.clear()
            self.send({"forget": True})
