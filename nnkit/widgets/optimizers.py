"""OptimizerExplorer: SGD, momentum and Adam walking down the same loss surface.

Controls: the surface, the learning rate of SGD and momentum, the momentum,
Adam's learning rate and its beta1 and beta2, and the number of steps.
Left: the three paths on the contour plot. Right: the loss after each step.
The steps are made by nnkit's own optimizers.
"""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np

from ..optimizers import SGD, Adam
from ..plots.style import CLASS_COLOURS, NEGATIVE
from ..surfaces import SURFACES, OptimizerPath, optimizer_path
from .base import Explorer, long_slider, slider
from .columns import line_up

NAMES = ("SGD", "momentum", "Adam")
STEP_LIMITS = (10, 20, 50, 100, 200)  # the loss plot's x axis ends at the first >= steps
# its log y axis: the highest bottom below the lowest loss (lower losses are off the plot:
# reached the minimum) and the lowest top above the highest (a diverged path stops at 1e6)
LOSS_BOTTOMS, LOSS_TOPS = (1e-2, 1e-6, 1e-10), (1e2, 1e7)
# an SGD/momentum learning rate that reaches the minimum on each surface: the banana's walls
# are steep, and the ravine's 0.9 diverges there at once
SURFACE_LEARNING_RATES = {"ravine": 0.9, "banana": 0.02}


def _log_slider(description: str, value: float, low: int, high: float) -> widgets.Widget:
    return long_slider(
        widgets.FloatLogSlider,
        description,
        value=value,
        base=10,
        min=low,
        max=high,
        step=0.05,
        readout_format=".3g",
    )


class OptimizerExplorer(Explorer):
    """Three optimizers from the same start on one surface ("ravine" or "banana").

    After each redraw ``paths`` maps "SGD", "momentum" and "Adam" to their OptimizerPath.
    """

    figure_size = (9.5, 3.8)
    draws_ahead = True  # the picture follows from the controls alone

    def __init__(
        self,
        surface: str = "ravine",
        learning_rate: float = 0.9,
        momentum: float = 0.8,
        adam_learning_rate: float = 0.3,
        beta1: float = 0.9,
        beta2: float = 0.999,
        steps: int = 50,
    ) -> None:
        self._initial = dict(
            surface=surface,
            learning_rate=learning_rate,
            momentum=momentum,
            adam_learning_rate=adam_learning_rate,
            beta1=beta1,
            beta2=beta2,
            steps=steps,
        )
        self._drawn_surface: str | None = None
        # each surface keeps the SGD/momentum learning rate last used on it
        self._learning_rates = dict(SURFACE_LEARNING_RATES, **{surface: learning_rate})
        self.paths: dict[str, OptimizerPath] = {}
        super().__init__()

    def build_controls(self) -> dict[str, widgets.Widget]:
        v = self._initial
        controls = {
            "surface": widgets.ToggleButtons(
                options=list(SURFACES), value=v["surface"], style={"button_width": "90px"}
            ),
            "learning_rate": _log_slider("SGD/momentum lr", v["learning_rate"], -3, 0.3),
            "momentum": slider(v["momentum"], 0.0, 0.99, 0.01, "momentum"),
            "adam_learning_rate": _log_slider("Adam lr", v["adam_learning_rate"], -3, 0.3),
            "beta1": slider(v["beta1"], 0.0, 0.99, 0.01, "Adam beta1"),
            "beta2": long_slider(
                widgets.SelectionSlider,
                "Adam beta2",
                options=[0.9, 0.99, 0.999, 0.9999],
                value=v["beta2"],
            ),
            "steps": long_slider(widgets.IntSlider, "steps", value=v["steps"], min=0, max=200),
        }
        line_up(controls.values())
        return controls

    def build_figure(self) -> None:
        self.ax_path, self.ax_loss = self.figure.subplots(1, 2, width_ratios=[1.4, 1])
        self.ax_loss.set(
            xlabel="step", ylabel="loss (log scale)", yscale="log", title="loss after each step"
        )
        self.loss_lines = {
            name: self.ax_loss.plot([], [], color=colour, label=name)[0]
            for name, colour in zip(NAMES, CLASS_COLOURS)
        }
        # beside the axes, where no curve can pass under it
        self.ax_loss.legend(loc="upper left", bbox_to_anchor=(1, 1), fontsize=8, frameon=False)

    def on_control_change(self, name: str, change: dict) -> None:
        if name == "surface" and not self.holding:
            with self.hold():  # one redraw, with the new surface's learning rate
                rate = self.controls["learning_rate"]
                self._learning_rates[change["old"]] = rate.value
                rate.value = self._learning_rates.get(change["new"], rate.value)
            return
        super().on_control_change(name, change)

    def _draw_surface(self, name: str) -> None:
        """Contours of the surface: drawn again only when the surface changes."""
        surface = SURFACES[name]
        ax = self.ax_path
        ax.clear()
        x0, x1, y0, y1 = surface.extent
        gx, gy = np.meshgrid(np.linspace(x0, x1, 121), np.linspace(y0, y1, 121))
        losses = surface.loss(np.stack([gx, gy], axis=-1))
        ax.contour(
            gx,
            gy,
            losses,
            levels=np.geomspace(0.01, losses.max(), 15),
            cmap="Blues_r",
            linewidths=0.7,
        )
        ax.plot(*surface.minimum, "*", color=NEGATIVE, markersize=12)
        ax.plot(*surface.start, "o", color="black", markersize=5)
        ax.set(xlim=(x0, x1), ylim=(y0, y1), xlabel="w1", ylabel="w2", title=surface.formula)
        self.path_lines = {
            name: ax.plot([], [], "o-", color=colour, markersize=2, linewidth=1.2)[0]
            for name, colour in zip(NAMES, CLASS_COLOURS)
        }
        self._drawn_surface = name

    def animated_artists(self) -> list:
        # the paths and the loss curves move, over contours and axes drawn once (and the
        # frames they may cross); the path lines are new after each change of surface
        return [
            *self.path_lines.values(),
            *self.loss_lines.values(),
            *self.ax_path.spines.values(),
            *self.ax_loss.spines.values(),
        ]

    def background_key(self) -> object:
        return self._drawn_surface, self.ax_loss.get_xlim(), self.ax_loss.get_ylim()

    def optimizers(self) -> dict[str, SGD | Adam]:
        lr = self.value("learning_rate")
        return {
            "SGD": SGD(lr=lr),
            "momentum": SGD(lr=lr, momentum=self.value("momentum")),
            "Adam": Adam(
                lr=self.value("adam_learning_rate"),
                beta1=self.value("beta1"),
                beta2=self.value("beta2"),
            ),
        }

    def update(self) -> None:
        name, steps = self.value("surface"), self.value("steps")
        if name != self._drawn_surface:
            self._draw_surface(name)
        self.paths = {
            label: optimizer_path(name, optimizer, steps)
            for label, optimizer in self.optimizers().items()
        }
        lowest, highest = np.inf, 0.0
        for label, path in self.paths.items():
            self.path_lines[label].set_data(path.points[:, 0], path.points[:, 1])
            self.loss_lines[label].set_data(np.arange(len(path.losses)), path.losses)
            lowest = min(lowest, path.losses.min())
            highest = max(highest, path.losses.max())
        # limits that jump (10, 20, 50, ... steps; four powers of ten at a time), so the
        # picture of the axes is drawn for few settings and the curves rarely change scale
        self.ax_loss.set_xlim(0, next(n for n in STEP_LIMITS if n >= steps))
        bottom = next((b for b in LOSS_BOTTOMS if b <= lowest / 2), LOSS_BOTTOMS[-1])
        top = next((t for t in LOSS_TOPS if t >= highest * 2), LOSS_TOPS[-1])
        self.ax_loss.set_ylim(bottom, top)
        self._explain(steps)

    def _explain(self, steps: int) -> None:
        parts = []
        for label, path in self.paths.items():
            if path.diverged:
                parts.append(f"{label}: diverged at step {len(path.losses)} (lower its lr)")
            else:
                parts.append(f"{label}: loss {path.losses[-1]:.3g}")
        kind = "warning" if any(p.diverged for p in self.paths.values()) else "info"
        self.show_message(f"After {steps} steps: " + "; ".join(parts) + ".", kind)
