"""GradientDescentExplorer: walk downhill on a loss curve or a loss valley.

Sliders choose the learning rate (log scale, from a crawl to divergence),
the starting point and the number of steps; the path is drawn on the loss
curve (one weight) or on the contour plot (two weights), and a second panel
shows the loss after every step.
"""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np

from ..descent import DescentPath, LossSurface, descend
from ..plots.style import HIGHLIGHT, NEGATIVE, POSITIVE
from .base import Explorer, labelled, slider
from .columns import line_up

W_RANGE = (-2.5, 5.5)
B_RANGE = (-3.5, 4.5)


class GradientDescentExplorer(Explorer):
    """Gradient descent on the loss of one neuron (w * x + b, squared error).

    ``mode`` "one weight" moves only w (bias held at its best value);
    "two weights" moves w and b together on the contour plot.
    After each redraw ``path`` holds the DescentPath that was drawn.
    """

    figure_size = (9.0, 3.6)
    draws_ahead = True  # the picture follows from the controls alone

    def __init__(
        self,
        learning_rate: float = 0.1,
        start: float = -1.5,
        start_bias: float = -2.5,
        steps: int = 15,
        mode: str = "one weight",
    ) -> None:
        self.surface = LossSurface()
        self._initial = dict(
            learning_rate=learning_rate, start=start, start_bias=start_bias, steps=steps, mode=mode
        )
        self._drawn_mode: str | None = None
        self.path: DescentPath | None = None
        super().__init__()

    def build_controls(self) -> dict[str, widgets.Widget]:
        v = self._initial
        controls = {
            "mode": widgets.ToggleButtons(
                options=["one weight", "two weights"],
                value=v["mode"],
                style={"button_width": "100px"},
            ),
            # 10^-3 crawls, about 1 (one weight) or 0.7 (two) starts to diverge
            "learning_rate": labelled(
                widgets.FloatLogSlider,
                "learning rate",
                "360px",  # room for the label, a long track and the readout
                value=v["learning_rate"],
                base=10,
                min=-3,
                max=0.5,
                step=0.05,
                readout_format=".3g",
            ),
            "start": slider(v["start"], W_RANGE[0] + 0.5, W_RANGE[1] - 0.5, 0.1, "start w"),
            "start_bias": slider(
                v["start_bias"], B_RANGE[0] + 0.5, B_RANGE[1] - 0.5, 0.1, "start b"
            ),
            "steps": labelled(widgets.IntSlider, "steps", "360px", value=v["steps"], min=0, max=50),
        }
        line_up(controls.values())
        return controls

    def build_figure(self) -> None:
        self.ax_path, self.ax_loss = self.figure.subplots(1, 2, width_ratios=[1.3, 1])
        self.ax_loss.set(xlabel="step", ylabel="loss", yscale="log", title="loss after each step")
        (self.loss_line,) = self.ax_loss.plot([], [], "o-", color=HIGHLIGHT, markersize=3)
        self.ax_loss.axhline(
            self.surface.loss(self.surface.best_w, self.surface.best_b),
            color="grey",
            linestyle=":",
            linewidth=1,
        )

    def _draw_background(self, mode: str) -> None:
        """Loss curve or contour plot: redrawn only when the mode changes."""
        ax = self.ax_path
        ax.clear()
        surface = self.surface
        if mode == "one weight":
            ws = np.linspace(*W_RANGE, 161)
            ax.plot(ws, [surface.loss(w, surface.best_b) for w in ws], color=POSITIVE)
            ax.set(
                xlim=W_RANGE,
                ylim=(-0.5, 12),
                xlabel="weight w",
                ylabel="loss",
                title=f"loss(w), bias fixed at b = {surface.best_b:.2f}",
            )
            (self.tangent,) = ax.plot(
                [], [], "--", color=NEGATIVE, linewidth=1.2, label="slope = gradient"
            )
            ax.legend(loc="upper right")
        else:
            ws, bs = np.linspace(*W_RANGE, 61), np.linspace(*B_RANGE, 61)
            ax.contour(
                ws,
                bs,
                _grid(surface, ws, bs),
                levels=np.geomspace(0.1, 80, 14),
                cmap="Blues_r",
                linewidths=0.8,
            )
            ax.plot(surface.best_w, surface.best_b, "*", color=NEGATIVE, markersize=12)
            ax.set(
                xlim=W_RANGE,
                ylim=B_RANGE,
                xlabel="weight w",
                ylabel="bias b",
                title="loss over (w, b): each step goes straight downhill",
            )
            self.tangent = None
        (self.path_line,) = ax.plot([], [], "o-", color=HIGHLIGHT, markersize=4)
        (self.start_dot,) = ax.plot([], [], "o", color="black", markersize=6)
        self._drawn_mode = mode

    def update(self) -> None:
        mode, lr, steps = self.value("mode"), self.value("learning_rate"), self.value("steps")
        self.controls["start_bias"].disabled = mode == "one weight"
        if mode != self._drawn_mode:
            self._draw_background(mode)
        surface = self.surface
        w0 = self.value("start")
        b0 = surface.best_b if mode == "one weight" else self.value("start_bias")
        path = descend(surface, w0, b0, lr, steps, move_bias=(mode == "two weights"))
        self.path = path
        if mode == "one weight":
            xs, ys = path.points[:, 0], path.losses
            slope = surface.gradient(w0, b0)[0]
            span = np.array([w0 - 1.0, w0 + 1.0])
            self.tangent.set_data(span, path.losses[0] + slope * (span - w0))
        else:
            xs, ys = path.points[:, 0], path.points[:, 1]
        self.path_line.set_data(xs, ys)
        self.start_dot.set_data([xs[0]], [ys[0]])
        self.loss_line.set_data(np.arange(len(path.losses)), path.losses)
        # the axis grows in jumps (10, 20, ... steps; powers of 10 of loss), so the cached
        # picture of the axes (see animated_artists) is rarely drawn again
        self.ax_loss.set_xlim(-0.5, 10 * max(1, int(np.ceil(steps / 10))) + 0.5)
        top = max(float(path.losses.max()), 1.0)
        self.ax_loss.set_ylim(0.05, 10 ** np.ceil(np.log10(top * 3)))
        self._explain(path, lr, steps)

    def animated_artists(self) -> list:
        """The path, its start, the tangent and the loss per step move; the rest is cached."""
        moving = [self.path_line, self.start_dot, self.loss_line]
        return moving + ([self.tangent] if self.tangent is not None else [])

    def background_key(self) -> tuple:
        """The cached picture changes with the mode and when the loss axis grows."""
        return (self._drawn_mode, self.ax_loss.get_xlim(), self.ax_loss.get_ylim())

    def _explain(self, path: DescentPath, lr: float, steps: int) -> None:
        best = self.surface.loss(self.surface.best_w, self.surface.best_b)
        if path.diverged:
            where = (
                "the weights left the picture"
                if path.steps_taken < steps
                else "the loss grew instead of shrinking"
            )
            self.show_message(
                f"Diverged: with learning rate {lr:.3g} every step overshoots the bottom "
                f"and lands higher up the other side; {where} (the path stops at step "
                f"{path.steps_taken}, the last finite point). Use a smaller learning rate, "
                f"e.g. {lr / 10:.3g}.",
                "error",
            )
        elif steps == 0:
            dw, db = self.surface.gradient(*path.points[0])
            self.show_message(
                f"Gradient at the start: \u2202L/\u2202w = {dw:.3f}, \u2202L/\u2202b = {db:.3f}. "
                "Add steps to walk downhill."
            )
        elif path.losses[-1] > best + 0.5 * (path.losses[0] - best):
            self.show_message(
                f"Crawling: after {steps} steps the loss only fell from {path.losses[0]:.3f} "
                f"to {path.losses[-1]:.3f}. A larger learning rate takes bigger steps.",
                "warning",
            )
        else:
            self.show_message(
                f"Loss {path.losses[0]:.3f} -> {path.losses[-1]:.3f} in {steps} steps "
                f"(the lowest possible is {best:.3f})."
            )


_GRIDS: dict[int, np.ndarray] = {}


def _grid(surface: LossSurface, ws: np.ndarray, bs: np.ndarray) -> np.ndarray:
    """The contour grid, computed once per surface (3,721 forward passes)."""
    key = id(surface)
    if key not in _GRIDS:
        _GRIDS.clear()
        _GRIDS[key] = surface.grid(ws, bs)
    return _GRIDS[key]
