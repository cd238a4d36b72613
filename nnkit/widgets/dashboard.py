"""TrainingDashboard: retrain a penguin classifier whenever a setting moves.

Left: training settings (learning rate, hidden neurons and layers, epochs,
activation, optimizer, batch size, seed) and a "new penguin" whose four
measurements you choose. Right: training and validation loss, accuracy, the
validation confusion matrix, and the softmax probabilities for the new
penguin.

The penguins are split three ways (``penguin_three_way_split``): the network
trains on the training part, every setting is judged on the validation part,
and the test part stays untouched until ``test_accuracy()`` is called once,
at the very end. A test score that helped choose the settings would no
longer measure how the network does on penguins it has never seen.
"""

from __future__ import annotations

from collections.abc import Iterator

import ipywidgets as widgets
import numpy as np

from ..datasets import load_penguins
from ..network import mlp
from ..optimizers import get_optimizer
from ..plots.confusion import ConfusionPlot, confusion
from ..plots.style import CLASS_COLOURS, ERROR, HIGHLIGHT
from ..training import History
from .base import Explorer, controls_column, labelled, picture_beside, picture_layout
from .columns import line_up
from .runs import Runs


def penguin_three_way_split(
    validation_size: float = 0.2, test_size: float = 0.2, seed: int = 0
) -> tuple:
    """Penguins split (stratified) into training, validation and test parts, then scaled.

    The test part is split off first (``test_size`` of all penguins), then the
    validation part (``validation_size`` of all penguins) from the rest. The
    StandardScaler is fitted on the training part only. Returns X_train,
    X_val, X_test, y_train, y_val, y_test (scaled features) and the scaler.
    Lesson 7 makes exactly this split step by step with the same seed.
    """
    from sklearn.model_selection import train_test_split
    from sklearn.preprocessing import StandardScaler

    data = load_penguins()
    X_rest, X_test, y_rest, y_test = train_test_split(
        data.X, data.y, test_size=test_size, stratify=data.y, random_state=seed
    )
    X_train, X_val, y_train, y_val = train_test_split(
        X_rest,
        y_rest,
        test_size=validation_size / (1 - test_size),
        stratify=y_rest,
        random_state=seed,
    )
    scaler = StandardScaler().fit(X_train)
    scaled = [scaler.transform(part) for part in (X_train, X_val, X_test)]
    return (*scaled, y_train, y_val, y_test, scaler)


def diverges(learning_rate: float, **settings) -> bool:
    """Whether the dashboard, with its defaults and ``settings`` changed, diverges at
    ``learning_rate`` (used by lesson 7's check)."""
    dashboard = TrainingDashboard.__new__(TrainingDashboard)
    options = {**DEFAULTS, **settings, "learning_rate": learning_rate}
    split = penguin_three_way_split()
    dashboard.X_train, dashboard.X_val, _, dashboard.y_train, dashboard.y_val = split[:5]
    run = Runs(dashboard._start_run)[tuple(options[name] for name in TrainingDashboard.TRAINING)]
    return run.diverged is not None


RUNS_KEPT = 64  # trained networks the dashboard remembers, by their settings

DEFAULTS = dict(
    learning_rate=0.1,
    hidden_neurons=8,
    hidden_layers=1,
    epochs=100,
    activation="relu",
    optimizer="sgd",
    batch_size=None,
    seed=0,
)


class TrainingDashboard(Explorer):
    """Train ``mlp([4, hidden..., 3])`` on the penguins; retrain on every change.

    ``history`` holds the latest History (up to the failing epoch if training
    diverged), ``model`` the trained network, ``train_seconds`` how long the
    last training took. It trains on the training part and shows the
    validation part; ``test_accuracy()`` looks at the test part, once.
    """

    figure_size = (8.0, 5.2)
    draws_ahead = True  # the picture follows from the controls alone

    def __init__(
        self,
        learning_rate: float = 0.1,
        hidden_neurons: int = 8,
        hidden_layers: int = 1,
        epochs: int = 100,
        activation: str = "relu",
        optimizer: str = "sgd",
        batch_size: int | None = None,
        seed: int = 0,
    ) -> None:
        data = load_penguins()
        self.feature_names, self.class_names = data.feature_names, data.class_names
        (
            self.X_train,
            self.X_val,
            self.X_test,
            self.y_train,
            self.y_val,
            self.y_test,
            self.scaler,
        ) = penguin_three_way_split()
        self.test_checks = 0
        self._medians = np.median(data.X, axis=0)
        self._ranges = np.column_stack([data.X.min(axis=0), data.X.max(axis=0)])
        self._initial = dict(
            learning_rate=learning_rate,
            hidden_neurons=hidden_neurons,
            hidden_layers=hidden_layers,
            epochs=epochs,
            activation=activation,
            optimizer=optimizer,
            batch_size=batch_size,
            seed=seed,
        )
        self._trained_with: tuple | None = None
        # settings -> trained Run: moving a slider back costs no training
        self.runs = Runs(self._start_run, kept=RUNS_KEPT)
        self._training_message = ("", "info")
        self.history: History | None = None
        self.model = None
        self.train_seconds = 0.0
        # the network's guess for the new penguin, e.g. "Gentoo (97%)"; "" if training diverged
        self.new_penguin = ""
        super().__init__()

    TRAINING = (
        "learning_rate",
        "hidden_neurons",
        "hidden_layers",
        "epochs",
        "activation",
        "optimizer",
        "batch_size",
        "seed",
    )

    def build_controls(self) -> dict[str, widgets.Widget]:
        v = self._initial
        W = "380px"  # sliders' width: a track of 190 px or more after the longest label
        controls = {
            "learning_rate": labelled(
                widgets.FloatLogSlider,
                "learning rate",
                W,
                value=v["learning_rate"],
                base=10,
                min=-3,
                max=1.5,
                step=0.1,
                readout_format=".3g",
            ),
            "hidden_neurons": labelled(
                widgets.IntSlider, "hidden neurons", W, value=v["hidden_neurons"], min=1, max=32
            ),
            "hidden_layers": labelled(
                widgets.IntSlider, "hidden layers", W, value=v["hidden_layers"], min=0, max=3
            ),
            "epochs": labelled(
                widgets.IntSlider, "epochs", W, value=v["epochs"], min=10, max=500, step=10
            ),
            "activation": labelled(
                widgets.Dropdown,
                "activation",
                value=v["activation"],
                options=["relu", "sigmoid", "tanh", "leaky_relu"],
            ),
            "optimizer": labelled(
                widgets.Dropdown, "optimizer", options=["sgd", "adam"], value=v["optimizer"]
            ),
            # 0 stands for "all": a Dropdown shows no label for the value None
            "batch_size": labelled(
                widgets.Dropdown,
                "batch size",
                value=v["batch_size"] or 0,
                options=[("all (full batch)", 0), ("8", 8), ("16", 16), ("32", 32), ("64", 64)],
            ),
            "seed": labelled(
                widgets.BoundedIntText, "seed", "160px", value=v["seed"], min=0, max=9999
            ),
        }
        # the new penguin: raw measurements, scaled with the training scaler before predicting
        for k, name in enumerate(self.feature_names):
            low, high = self._ranges[k]
            step = 1.0 if high - low > 100 else 0.1
            controls[name] = labelled(
                widgets.FloatSlider,
                name.replace("_", " "),
                W,
                value=round(float(self._medians[k]), 1),
                min=float(np.floor(low)),
                max=float(np.ceil(high)),
                step=step,
                continuous_update=False,
            )
        line_up(controls.values())  # one column: the training settings, then the penguin
        return controls

    def layout(self) -> widgets.Widget:
        c = self.controls
        training = [c[name] for name in self.TRAINING]
        penguin = [widgets.HTML("<b>A new penguin</b>")] + [c[n] for n in self.feature_names]
        column = widgets.VBox(
            [widgets.HTML("<b>Training</b>"), *training, *penguin], layout=controls_column()
        )
        # the message right under the picture, as wide as it: it is read with the picture, and
        # stays there when the tall column of controls wraps below (it used to come after them)
        width_px = round(self.figure_size[0] * self.figure.dpi)
        picture = widgets.VBox([self.image, self.message], layout=picture_layout(width_px))
        self.image.layout = picture_layout()  # fills that box, never more than its own size
        return picture_beside(picture, column)

    def build_figure(self) -> None:
        (self.ax_loss, self.ax_acc), (self.ax_conf, self.ax_prob) = self.figure.subplots(2, 2)
        self.lines = {}
        for ax, key, label in [
            (self.ax_loss, "loss", "loss"),
            (self.ax_acc, "accuracy", "accuracy"),
        ]:
            self.lines[key] = ax.plot([], [], color=CLASS_COLOURS[4], label="training")[0]
            self.lines["val_" + key] = ax.plot([], [], color=CLASS_COLOURS[5], label="validation")[
                0
            ]
            ax.set(xlabel="epoch", title=label)
            ax.legend(loc="center right", fontsize=8)
        self.ax_acc.set_ylim(0, 1.02)
        self.best_markers = [
            ax.axvline(0, color="grey", linestyle=":", linewidth=1, visible=False)
            for ax in (self.ax_loss, self.ax_acc)
        ]
        self.best_epoch = 0
        # a loss curve that leaves the top of its axes (training diverged) is marked there:
        # a red triangle where it first leaves and a label (the triangle sits on the frame)
        self.off_scale = self.ax_loss.plot(
            [], [], linestyle="none", marker="^", markersize=8, color=ERROR, clip_on=False
        )[0]
        self.off_scale_label = self.ax_loss.annotate(
            "",
            xy=(0, 0),
            xytext=(6, -3),
            textcoords="offset points",
            va="top",
            fontsize=9,
            fontweight="bold",
            color=ERROR,
            bbox=dict(facecolor="white", edgecolor="none", pad=1),  # readable over the curve
            annotation_clip=False,
            visible=False,
        )
        for artist in (self.off_scale, self.off_scale_label):
            artist.set_in_layout(False)  # appearing must not move the axes
        self.confusion = ConfusionPlot(
            self.ax_conf, self.class_names, title="validation confusion matrix"
        )
        self.bars = self.ax_prob.bar(self.class_names, np.zeros(3), color=CLASS_COLOURS[:3])
        # a fixed title: the message names the guess (text is slow to draw at every move)
        self.ax_prob.set(ylim=(0, 1.05), ylabel="probability", title="new penguin")
        # a diverged network's guess means nothing: this replaces the bars then
        self.no_prediction = self.ax_prob.text(
            0.5,
            0.5,
            "no trustworthy prediction:\ntraining diverged,\nlower the learning rate",
            transform=self.ax_prob.transAxes,
            ha="center",
            va="center",
            fontsize=10,
            color=ERROR,
            visible=False,
        )
        self.no_prediction.set_in_layout(False)

    # -- training --------------------------------------------------------------
    def settings(self) -> dict:
        return {name: self.value(name) for name in self.TRAINING}

    def train(self) -> History:
        """Train a fresh network with the settings shown (once per setting: a setting seen
        before, or trained ahead, is remembered); returns its History."""
        run = self.runs[tuple(self.settings().values())]
        self.model, self.history, self.diverged = run.model, run.history, run.diverged
        self.train_seconds = run.seconds
        return self.history

    @property
    def retrains(self) -> int:
        """How many networks were trained (each setting once)."""
        return self.runs.trainings

    def _start_run(self, settings: tuple) -> tuple:
        s = dict(zip(self.TRAINING, settings))
        sizes = [4] + [s["hidden_neurons"]] * s["hidden_layers"] + [3]
        model = mlp(sizes, activation=s["activation"], seed=s["seed"])
        steps = model.fitting(
            self.X_train,
            self.y_train,
            optimizer=get_optimizer(s["optimizer"], lr=s["learning_rate"]),
            epochs=s["epochs"],
            batch_size=s["batch_size"] or None,
            seed=s["seed"],
            validation_data=(self.X_val, self.y_val),
        )
        return model, steps

    def prepare(self, values: dict) -> Iterator[None]:
        """Train the run for ``values`` one epoch at a time (see ``Explorer.prepare``)."""
        settings = tuple(values.get(name, self.value(name)) for name in self.TRAINING)
        yield from self.runs.training(settings)

    def update(self) -> None:
        settings = tuple(self.settings().values())
        if settings != self._trained_with:
            self.train()
            self._trained_with = settings
            self._draw_training()
        self._draw_new_penguin()

    def _draw_training(self) -> None:
        h = self.history
        epochs = np.arange(1, h.epochs + 1)
        for key, line in self.lines.items():
            values = getattr(h, key)
            line.set_data(epochs[: len(values)], values)
        # the axes grow in jumps (the next round number of epochs; 1.5, 3, 6 ... in loss),
        # so the cached picture of the axes (see animated_artists) is rarely drawn again
        right = next(n for n in (20, 50, 100, 150, 200, 300, 400, 500, 10**9) if n >= h.epochs)
        # and end a little after the last epoch: a dotted best-epoch line in the last epoch
        # stands clear of the frame instead of hiding on it
        self.ax_loss.set_xlim(0, right * 1.04)
        self.ax_acc.set_xlim(0, right * 1.04)
        finite = [v for v in h.loss + h.val_loss if np.isfinite(v)]
        # a blown-up loss would squash the curves flat: show up to 3x the starting loss
        top = min(max(finite, default=1.0), 3 * finite[0] if finite else 1.0)
        top = 1.5 * 2 ** max(0.0, np.ceil(np.log2(top / 1.5))) if top > 0 else 1.5
        self.ax_loss.set_ylim(0, top)
        self._mark_off_scale(top)
        predicted = self.model.predict(self.X_val)
        self.confusion.set(confusion(self.y_val, predicted, 3))
        # early stopping would keep the weights of the epoch with the lowest validation loss
        finite_val = np.where(np.isfinite(h.val_loss), h.val_loss, np.inf)
        self.best_epoch = int(np.argmin(finite_val)) + 1 if h.val_loss else 0
        for marker in self.best_markers:
            marker.set_xdata([self.best_epoch, self.best_epoch])
            marker.set_visible(bool(h.val_loss))
        if self.diverged is not None:
            self._training_message = (
                f"Training diverged in epoch {self.diverged.epoch}: the loss blew up because "
                f"the learning rate {self.value('learning_rate'):.3g} makes the steps overshoot."
                f" Try a smaller learning rate, e.g. {self.value('learning_rate') / 10:.3g}. "
                "The curves stop at the last good epoch.",
                "error",
            )
        else:
            self._training_message = (
                f"Validation accuracy {h.val_accuracy[-1]:.1%} after {h.epochs} epochs "
                f"(trained in {self.train_seconds:.2f} s); lowest validation loss in epoch "
                f"{self.best_epoch} (dotted line)"
                + (
                    ", the last one: it was still falling when training stopped."
                    if self.best_epoch == h.epochs
                    else "."
                )
                + " The test penguins stay unseen until "
                "<code>test_accuracy()</code>, once, at the end.",
                "info",
            )

    def _mark_off_scale(self, top: float) -> None:
        """Mark where a loss curve leaves the top of the loss axes, and say why.

        A diverged training run is labelled "diverged in epoch N"; a curve that
        only climbs past the top (more than 3x its start) is "off the scale".
        """
        h = self.history
        leaves = [x for x in (_leaves_at(h.loss, top), _leaves_at(h.val_loss, top)) if x]
        if self.diverged is not None:
            # no curve may reach the top when the blow-up came in one epoch: mark that epoch
            leaves = leaves or [float(self.diverged.epoch)]
            label = f"diverged in epoch {self.diverged.epoch} \u2191"
        else:
            label = "off the scale \u2191"
        leaves = leaves and [min(leaves)]  # the first curve to leave
        self.off_scale.set_data(leaves, [top] * len(leaves))
        self.off_scale_label.set_visible(bool(leaves))
        if leaves:
            x = leaves[0]
            # beside the triangle, on the side with room for the words
            right_side = x < 0.6 * self.ax_loss.get_xlim()[1]
            self.off_scale_label.xy = (x, top)
            self.off_scale_label.set_position((6, -3) if right_side else (-6, -3))
            self.off_scale_label.set_horizontalalignment("left" if right_side else "right")
            self.off_scale_label.set_text(label)

    def test_accuracy(self) -> float:
        """Accuracy of the current network on the test part: call it once, after tuning.

        Every look at the test set that changes a setting makes the test score
        a little more optimistic; ``test_checks`` counts the looks.
        """
        self.test_checks += 1
        return float(np.mean(self.model.predict(self.X_test) == self.y_test))

    def animated_artists(self) -> list:
        """The curves and the new penguin's bars change; the rest is cached."""
        return [
            *self.lines.values(),
            *self.best_markers,  # the best-validation epoch moves with every retraining
            self.off_scale,  # where a diverged loss leaves the axes
            self.off_scale_label,
            *self.bars,
            self.no_prediction,
        ]

    def slow_artists(self) -> list[tuple]:
        """The confusion matrix: drawn again only when its counts change."""
        return [self.confusion.slow_artists()]

    def background_key(self) -> tuple:
        """The cached picture changes when the loss and accuracy axes grow."""
        return (self.ax_loss.get_xlim(), self.ax_loss.get_ylim())

    def _draw_new_penguin(self) -> None:
        diverged = self.diverged is not None
        self.no_prediction.set_visible(diverged)
        for bar in self.bars:
            bar.set_visible(not diverged)
        self.show_message(*self._training_message)
        if diverged:
            # the weights of a blown-up run give confident but meaningless probabilities
            self.new_penguin = ""
            self.add_to_message(
                "<div>The new penguin: <b>no trustworthy prediction</b> "
                "(training diverged: lower the learning rate)</div>"
            )
            return
        raw = np.array([[self.value(name) for name in self.feature_names]])
        probabilities = self.model.predict_proba(self.scaler.transform(raw))[0]
        best = int(np.argmax(probabilities))
        for k, (bar, p) in enumerate(zip(self.bars, probabilities)):
            bar.set_height(p)
            bar.set_edgecolor(HIGHLIGHT if k == best else "none")
            bar.set_linewidth(3 if k == best else 0)
        self.new_penguin = f"{self.class_names[best]} ({probabilities[best]:.0%})"
        self.add_to_message(f"<div>The new penguin: <b>{self.new_penguin}</b></div>")


def _leaves_at(values: list[float], top: float) -> float | None:
    """The epoch (a fraction between two epochs) where a curve first rises past ``top``,
    or None if it stays below. ``values[k]`` is the value of epoch k + 1."""
    for k, value in enumerate(values):
        if not value <= top:  # also NaN and infinity
            if k == 0 or not np.isfinite(value):
                return float(k + 1)
            before = values[k - 1]
            return k + (top - before) / (value - before)  # where the straight piece meets top
    return None
