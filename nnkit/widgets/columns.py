"""Columns of controls that line up: one label width and one slider width per column.

A label shown in full (``"description_width": "initial"``) is as wide as its own
text, so in a column of sliders each track starts at another x and the column
looks ragged. ``line_up`` gives every control of a column the width of its
longest label (ipywidgets right-aligns a label in its box: the labels end, and
the tracks and boxes start, at one x) and every slider the width of the widest
one (the tracks also end at one x), without making the column any wider.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from functools import lru_cache

import ipywidgets as widgets

LABEL_FONT_PX = 13  # JupyterLab's widget font size (--jp-widgets-font-size)
SLIDER_OVERHEAD_PX = 96  # a slider's width besides its label and track: margins and readout
SHORTEST_TRACK_PX = 160  # a track a mouse can aim along (the browser test wants 150)
DROPDOWN_PX = 300  # ipywidgets' width for a dropdown, its label included
TEXT_BOX_PX = 90  # room for a number box after its label (a four-digit seed)


@lru_cache(maxsize=256)
def label_px(text: str) -> int:
    """The width a label needs, in pixels: measured in DejaVu Sans (wider than the fonts
    browsers use for JupyterLab's interface), plus a few pixels so it is never cut."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import TextToPath

    font = FontProperties(family="DejaVu Sans", size=LABEL_FONT_PX)
    width, _, _ = TextToPath().get_text_width_height_descent(text, font, ismath=False)
    return math.ceil(width) + 6


def _px(width: str | None) -> int | None:
    return int(width[:-2]) if width and width.endswith("px") else None


def line_up(controls: Iterable[widgets.Widget]) -> int:
    """Give a column of controls one label width, and its sliders one width.

    Controls without a label (buttons, toggle buttons, checkboxes) are left as
    they are. A slider keeps a track of at least ``SHORTEST_TRACK_PX``, number
    boxes and dropdowns keep room for their value. Returns the label width.
    """
    labelled = [c for c in controls if getattr(c, "description", "") and hasattr(c, "style")]
    if not labelled:
        return 0
    label = max(label_px(c.description) for c in labelled)
    sliders = [c for c in labelled if type(c).__name__.endswith("Slider")]
    widths = [_px(c.layout.width) or 0 for c in sliders]
    slider = max([*widths, label + SLIDER_OVERHEAD_PX + SHORTEST_TRACK_PX])
    for control in labelled:
        control.style.description_width = f"{label}px"
        width = _px(control.layout.width)
        if control in sliders:
            control.layout.width = f"{slider}px"
        elif isinstance(control, widgets.Dropdown):
            control.layout.width = f"{max(width or DROPDOWN_PX, label + 8 + 160)}px"
        elif isinstance(control, widgets.widget_int._Int | widgets.widget_float._Float):
            control.layout.width = f"{max(width or 0, label + 8 + TEXT_BOX_PX)}px"  # a number box
    return label
