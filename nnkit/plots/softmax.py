"""Softmax as a picture: output values on the left, the probabilities they become on the right."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from ..activations import softmax
from .style import CLASS_COLOURS, HIGHLIGHT, new_figure


class SoftmaxBars:
    """Two bar charts (output values, probabilities) whose bars are updated in place."""

    def __init__(
        self,
        fig: Figure,
        n_classes: int,
        class_names=None,
        value_range: tuple[float, float] = (-5.0, 5.0),
        title_names_prediction: bool = True,
    ) -> None:
        self.title_names_prediction = title_names_prediction
        self.class_names = list(class_names or [f"class {k}" for k in range(n_classes)])
        ax_values, ax_probs = fig.subplots(1, 2)
        positions = np.arange(n_classes)
        colours = [CLASS_COLOURS[k % len(CLASS_COLOURS)] for k in range(n_classes)]
        self.value_bars = ax_values.bar(positions, np.zeros(n_classes), color=colours)
        ax_values.axhline(0, color="0.5", lw=0.8)
        ax_values.set(
            title="output values", ylim=value_range, xticks=positions, xticklabels=self.class_names
        )
        self.prob_bars = ax_probs.bar(
            positions, np.zeros(n_classes), color=colours, edgecolor="none", linewidth=3
        )
        ax_probs.set(
            title="probabilities (softmax)",
            ylim=(0, 1.05),
            xticks=positions,
            xticklabels=self.class_names,
        )
        self.prob_texts = [
            ax_probs.text(k, 0, "", ha="center", va="bottom", fontsize=9) for k in positions
        ]
        self.ax_values, self.ax_probs = ax_values, ax_probs

    def set_values(self, values, temperature: float = 1.0) -> np.ndarray:
        """Show ``values`` (n_classes,) and their softmax; returns the probabilities."""
        values = np.asarray(values, dtype=float)
        probabilities = softmax(values, temperature=temperature)
        predicted = int(np.argmax(probabilities))
        for k, (bar, value, p) in enumerate(zip(self.value_bars, values, probabilities)):
            bar.set_height(value)
            self.prob_bars[k].set_height(p)
            # the predicted class gets a thick outline and a bold label
            self.prob_bars[k].set_edgecolor(HIGHLIGHT if k == predicted else "none")
            self.prob_texts[k].set_position((k, p + 0.01))
            self.prob_texts[k].set_text(f"{p:.2f}")
            self.prob_texts[k].set_fontweight("bold" if k == predicted else "normal")
        if self.title_names_prediction:
            self.ax_probs.set_title(f"probabilities: predicted {self.class_names[predicted]}")
        return probabilities


def plot_softmax(values, temperature: float = 1.0, class_names=None) -> Figure:
    """Bar charts of output values (n_classes,) and softmax probabilities; returns the Figure.

    The predicted class (highest probability) is outlined in the highlight colour.
    """
    values = np.asarray(values, dtype=float).ravel()
    fig = new_figure(7.5, 3.2)
    low = min(-1.0, float(values.min()) - 0.5)
    high = max(1.0, float(values.max()) + 0.5)
    SoftmaxBars(fig, values.size, class_names, value_range=(low, high)).set_values(
        values, temperature
    )
    return fig
