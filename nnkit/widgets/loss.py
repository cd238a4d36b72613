"""LossExplorer (lesson 04): absolute error, squared error and cross-entropy side by side."""

from __future__ import annotations

import ipywidgets as widgets

from ..plots.losses import LossCurves
from .base import Explorer, slider, wrapping_row
from .columns import line_up


class LossExplorer(Explorer):
    """A slider for a regression prediction and one for the probability of the true class.

    Curves of each loss and its gradient, with the current point marked.
    After each change: ``losses`` = {"absolute": ..., "squared": ...} at the
    regression prediction and {"cross_entropy": ...} at the probability;
    ``gradients`` the same for the slopes; ``results`` holds every loss for
    both tasks as (loss, gradient) pairs.
    """

    figure_size = (9.0, 5.5)
    draws_ahead = True  # the picture follows from the controls alone

    def __init__(
        self, target: float = 4.0, prediction: float = 5.5, probability: float = 0.3
    ) -> None:
        self.target = float(target)
        self._start = (float(prediction), float(probability))
        self.losses: dict[str, float] = {}
        self.gradients: dict[str, float] = {}
        self.results: dict[str, dict] = {}
        super().__init__()

    def build_controls(self) -> dict[str, widgets.Widget]:
        prediction, probability = self._start
        controls = {
            "prediction": slider(
                prediction,
                self.target - 3,
                self.target + 3,
                0.05,
                f"prediction (true value {self.target:g})",
            ),
            "probability": slider(probability, 0.01, 0.99, 0.01, "probability of the true class"),
        }
        line_up(controls.values())  # side by side, or one above the other in a narrow column
        return controls

    def layout(self) -> widgets.Widget:
        # the two sliders side by side above the four panels
        return widgets.VBox([wrapping_row(list(self.controls.values())), self.message, self.image])

    def build_figure(self) -> None:
        self.curves = LossCurves(self.figure, target=self.target)
        self.animated = list(self.curves.markers.values())

    def update(self) -> None:
        self.results = self.curves.set_point(self.value("prediction"), self.value("probability"))
        regression, classification = self.results["regression"], self.results["classification"]
        self.losses = {
            "absolute": regression["absolute"][0],
            "squared": regression["squared"][0],
            "cross_entropy": classification["cross_entropy"][0],
        }
        self.gradients = {
            "absolute": regression["absolute"][1],
            "squared": regression["squared"][1],
            "cross_entropy": classification["cross_entropy"][1],
        }
        self.show_message(
            f"regression: absolute error {self.losses['absolute']:.3f}, squared error "
            f"{self.losses['squared']:.3f} &nbsp;|&nbsp; classification: cross-entropy "
            f"-log({self.value('probability'):.2f}) = {self.losses['cross_entropy']:.3f}"
        )
