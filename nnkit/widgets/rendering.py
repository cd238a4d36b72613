"""Turn an explorer's matplotlib Figure into PNG bytes, drawing as little as possible.

Measured in JupyterLab (DESIGN.md section 4): most of a redraw is matplotlib
drawing axes, ticks and tick labels that did not change. So the renderer
keeps a picture of the static parts (the "background") and, at each redraw,
pastes it back and draws only the artists that move on top: blitting.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Sequence

import numpy as np
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure


def encode_png(canvas: FigureCanvasAgg) -> bytes:
    """The canvas's pixels as PNG bytes (RGB, 8 bits per channel).

    Written out by hand: rows without PNG's per-row filters, compressed by zlib
    at its fastest level. About twice as fast as Pillow's encoder (which tries
    a filter for every row) and 4x faster than ``savefig``; the bytes are even
    smaller, because the flat colours of a plot compress well as they are.
    """
    width, height = canvas.get_width_height(physical=True)
    rgba = np.asarray(canvas.buffer_rgba())
    rows = np.zeros((height, 1 + 3 * width), dtype=np.uint8)  # byte 0 of a row: filter "none"
    # a view of each row's pixels (reshaping within a row needs no copy): one copy, not two
    rows[:, 1:].reshape(height, width, 3)[...] = rgba[:, :, :3]
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB, no interlace
    return b"".join(
        [
            b"\x89PNG\r\n\x1a\n",
            _chunk(b"IHDR", header),
            _chunk(b"IDAT", zlib.compress(rows, 1)),
            _chunk(b"IEND", b""),
        ]
    )


def _chunk(kind: bytes, data: bytes) -> bytes:
    """One PNG chunk: length, type, data, CRC of type and data."""
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


class FigureRenderer:
    """Renders one Figure to PNG bytes; blits when told which artists move.

    ``render(moving, key)`` with an empty ``moving`` draws the whole figure.
    Otherwise the static picture (everything except ``moving``) is drawn once
    per ``key`` (e.g. the axis limits) and cached with the layout it was drawn
    with: the last ``backgrounds_kept`` keys, so moving a slider back and forth
    across a change of limits draws nothing twice. ``invalidate()`` forgets them
    all. The layout is worked out again for each new key, so the picture does not
    jump between redraws and new tick labels (after new limits) are never cut off.

    ``slow`` lists moving artists that change less often than the rest, e.g. a
    confusion matrix's colours and counts: ``(axes, artists, value)``, the
    artists alone in their axes and ``value`` changing whenever they do. Their
    axes' pixels are kept after drawing them and pasted back while ``value``
    stays the same (text is slow to draw: about 2 ms a number).
    """

    backgrounds_kept = 8  # an 800x352 background is about 1 MB
    # lay the figure out again for each new key (False: keep the first layout, when new
    # limits cannot bring wider tick labels: the layout costs more than the drawing)
    relayout = True

    def __init__(self, figure: Figure) -> None:
        self.figure = figure
        self.canvas = FigureCanvasAgg(figure)
        self._layout = figure.get_layout_engine()  # e.g. constrained: used when the key changes
        # key -> (static picture, the axes' positions it was drawn with), oldest first
        self._backgrounds: dict[object, tuple] = {}
        self._key: object = None
        self._layout_due = False  # lay out again at the next full draw (see invalidate)
        self._slow: dict[int, tuple] = {}  # id(axes) -> ((background key, value...), pixels)
        self.full_draws = 0  # how often the whole figure was drawn (tests and benchmarks)

    def invalidate(self, layout: bool = False) -> None:
        """Draw the static parts again at the next render (after changing one of them);
        ``layout=True``: lay the figure out again too (new labels, even if ``relayout`` is off)."""
        self._backgrounds.clear()
        self._slow.clear()
        self._layout_due = layout

    def render(
        self,
        moving: Sequence[Artist] = (),
        key: object = None,
        slow: Sequence[tuple[Axes, Sequence[Artist], object]] = (),
    ) -> bytes:
        new_key = key != self._key
        self._key = key
        if not moving and not slow:
            self._draw_all(new_layout=new_key)
        else:
            if key not in self._backgrounds:
                # animated artists are left out of a full draw: what remains is the background
                for artist in [*moving, *[a for _, artists, _ in slow for a in artists]]:
                    artist.set_animated(True)
                self._draw_all(new_layout=new_key)
                if len(self._backgrounds) >= self.backgrounds_kept:
                    del self._backgrounds[next(iter(self._backgrounds))]
                positions = [(ax, ax.get_position()) for ax in self.figure.axes]
                self._backgrounds[key] = (self.canvas.copy_from_bbox(self.figure.bbox), positions)
            background, positions = self._backgrounds[key]
            if new_key:
                # back to a picture drawn before: the moving artists go where its axes were
                for ax, position in positions:
                    ax._set_position(position)
            self.canvas.restore_region(background)
            renderer = self.canvas.get_renderer()
            # in z-order, as a full draw would (e.g. lines under the circles drawn on them)
            for artist in sorted(moving, key=lambda artist: artist.get_zorder()):
                artist.draw(renderer)
            for ax, artists, value in slow:
                value = (key, value, [id(artist) for artist in artists])
                kept = self._slow.get(id(ax))
                if kept is not None and kept[0] == value:
                    self.canvas.restore_region(kept[1])  # the same as last time: paste it
                    continue
                for artist in sorted(artists, key=lambda artist: artist.get_zorder()):
                    artist.draw(renderer)
                # a frame's line is half outside the axes: keep a little more
                self._slow[id(ax)] = (value, self.canvas.copy_from_bbox(ax.bbox.padded(2)))
        return encode_png(self.canvas)

    def _draw_all(self, new_layout: bool = False) -> None:
        if self.full_draws == 0:
            # where the axes start before any layout: each new layout starts from here too,
            # so the same limits always give the same picture (the tick labels depend on size)
            self._start = [(ax, ax.get_position(original=True)) for ax in self.figure.axes]
        elif self._layout is not None and (self._layout_due or new_layout and self.relayout):
            # new axis limits bring tick labels of another width: lay the figure out again
            for ax, position in self._start:
                ax._set_position(position)
            self.figure.set_layout_engine(self._layout)
        self.canvas.draw()
        self.figure.set_layout_engine("none")  # keep the layout just computed
        self._layout_due = False
        self.full_draws += 1
