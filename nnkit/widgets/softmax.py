"""SoftmaxExplorer (lesson 03): output values in, class probabilities out."""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np

from ..plots.softmax import SoftmaxBars
from .base import Explorer, slider
from .columns import line_up

PENGUIN_CLASSES = ("Adelie", "Chinstrap", "Gentoo")


class SoftmaxExplorer(Explorer):
    """One slider per output value, plus the softmax temperature.

    probabilities = softmax(values / temperature): each e^value divided by the
    sum of them all. After each change: ``values`` (n_classes,),
    ``probabilities`` (n_classes,), ``predicted`` (index of the most probable
    class) and ``predicted_name``.
    """

    figure_size = (8.0, 3.4)
    draws_ahead = True  # the picture follows from the controls alone

    def __init__(
        self, values=(2.0, 1.0, 0.1), class_names=PENGUIN_CLASSES, temperature: float = 1.0
    ) -> None:
        self.class_names = list(class_names)
        self._start = [float(v) for v in values]
        if len(self._start) != len(self.class_names):
            raise ValueError(
                f"values has {len(self._start)} entries but there are "
                f"{len(self.class_names)} class names"
            )
        self._temperature = float(temperature)
        self.values = np.array(self._start)
        self.probabilities = np.zeros(len(self._start))
        self.predicted = 0
        self.predicted_name = self.class_names[0]
        super().__init__()

    def build_controls(self) -> dict[str, widgets.Widget]:
        controls = {
            f"output_{k}": slider(value, -5, 5, 0.1, f"output value: {name}")
            for k, (name, value) in enumerate(zip(self.class_names, self._start))
        }
        controls["temperature"] = slider(self._temperature, 0.1, 5, 0.1, "temperature")
        line_up(controls.values())
        return controls

    def build_figure(self) -> None:
        # a fixed title: the message names the prediction (text is slow to draw at every move)
        self.bars = SoftmaxBars(
            self.figure, len(self.class_names), self.class_names, title_names_prediction=False
        )
        self.animated = [*self.bars.value_bars, *self.bars.prob_bars, *self.bars.prob_texts]

    def update(self) -> None:
        self.values = np.array([self.value(f"output_{k}") for k in range(len(self.class_names))])
        self.probabilities = self.bars.set_values(self.values, self.value("temperature"))
        self.predicted = int(np.argmax(self.probabilities))
        self.predicted_name = self.class_names[self.predicted]
        temperature = self.value("temperature")
        scaled = self.values / temperature
        exps = " + ".join(f"e<sup>{v:.2f}</sup>" for v in scaled)
        # say that every output value was divided by T before e^ (T = 1 leaves them as they are)
        self.show_message(
            f"predicted: <b>{self.predicted_name}</b>. "
            f"Each output value z divided by T = {temperature:g}, then "
            f"p({self.predicted_name}) = e<sup>z/T</sup> / sum = "
            f"e<sup>{scaled[self.predicted]:.2f}</sup> / ({exps}) = "
            f"<b>{self.probabilities[self.predicted]:.3f}</b>"
        )
