"""Playground: TensorFlow Playground's ideas, in a notebook, on nnkit.

Pick a 2-D data set, the input features, the layers and the training
settings; press Play to watch the decision boundary form while the loss
falls. While Play is down, the kernel trains a few epochs and redraws, again
and again, in an asyncio task of its own event loop; between pictures it
hears Pause and the other controls, and the notebook stays usable. No
threads, so it runs under JupyterLite too.
A teacher can show only some controls: ``Playground(visible=[...])`` or
``Playground(hidden=[...])``.
"""

from __future__ import annotations

import asyncio
import time

import ipywidgets as widgets
import numpy as np

from ..datasets import TOY_DATASETS
from ..errors import NNKitError, NNKitValueError, TrainingDiverged
from ..losses import CrossEntropy
from ..network import mlp
from ..optimizers import SGD
from ..plots.confusion import ConfusionPlot, confusion
from ..plots.decision_boundary import BoundaryPlot, data_extent
from ..plots.style import CLASS_COLOURS
from ..training import DivergenceGuard, History
from .base import (
    ANIMATING,
    STEPPED,
    Explorer,
    controls_column,
    labelled,
    picture_beside,
    running_loop,
    wrapping_row,
)
from .columns import line_up

# name shown -> (generator in nnkit.datasets, extra arguments)
DATASETS = {
    "circle": ("circles", {}),
    "xor": ("xor", {}),
    "gauss": ("gauss", {}),
    "spiral": ("spiral", {"n_classes": 2}),
    "spiral (3 classes)": ("spiral", {"n_classes": 3}),
    "moons": ("moons", {}),
}

# control name -> (label, function of the points (n, 2) giving one input column)
FEATURES = {
    "x1": ("x\u2081", lambda P: P[:, 0]),
    "x2": ("x\u2082", lambda P: P[:, 1]),
    "x1_squared": ("x\u2081\u00b2", lambda P: P[:, 0] ** 2),
    "x2_squared": ("x\u2082\u00b2", lambda P: P[:, 1] ** 2),
    "x1_x2": ("x\u2081 x\u2082", lambda P: P[:, 0] * P[:, 1]),
    "sin_x1": ("sin x\u2081", lambda P: np.sin(P[:, 0])),
    "sin_x2": ("sin x\u2082", lambda P: np.sin(P[:, 1])),
}

PLAY_LABEL, PAUSE_LABEL = "\u25b6 Play", "\u275a\u275a Pause"
LEARNING_RATES = [0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0, 30.0]
REGULARISATION_RATES = [0.0, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0]
# the column of controls beside the picture: the data, the network, the training
COLUMN = (
    "dataset",
    "noise",
    "train_ratio",
    "seed",
    "hidden_layers",
    "neurons",
    "activation",
    "learning_rate",
    "regularization",
    "regularization_rate",
    "batch_size",
)
# changing one of these starts over (new data or a new network); the rest apply from now on
STRUCTURE = (
    "dataset",
    "noise",
    "train_ratio",
    *FEATURES,
    "hidden_layers",
    "neurons",
    "activation",
    "seed",
)


def loss_axis_end(epochs: int) -> int:
    """The loss plot's last epoch: the first of 10, 30, 100, 300, 1000, ... that fits."""
    power = 10
    while True:
        for end in (power, 3 * power):
            if end >= epochs:
                return end
        power *= 10


def make_features(points: np.ndarray, names: list[str]) -> np.ndarray:
    """Points (n_samples, 2) -> network inputs (n_samples, len(names))."""
    return np.column_stack([FEATURES[name][1](points) for name in names])


class Playground(Explorer):
    """Train a small network on 2-D data and watch its decision boundary.

    Methods: ``play()`` (press Play: train ``play_chunk`` epochs and redraw,
    again and again, until ``pause()``), ``step(epochs=1)``, ``reset()``.
    State: ``epoch``, ``history`` (training loss/accuracy and test
    loss/accuracy as val_*), ``model``, ``is_playing``. Everything (data,
    split, weights, shuffling) follows the ``seed`` control.

    ``controls["play"]`` is a toggle button (down while playing). Playing
    needs a running asyncio event loop, as in a Jupyter kernel; a test runs
    one with ``asyncio.run``. In a plain script, call ``step(epochs)``.
    """

    figure_size = (7.8, 3.9)
    # epochs per picture while playing. Measured in JupyterLab/Chromium on 2 cores, where the
    # kernel's training and drawing set the pace: 4 gives as many epochs a second as 5 did
    # (about 100), in more pictures (24-27 a second against 20-24)
    play_chunk = 4
    # ms from one picture to the next at least: at most 35 pictures a second (a pause after
    # each picture lets the browser show it; 40 ms gave 22-23 pictures a second)
    play_interval = 28

    def __init__(
        self,
        dataset: str = "circle",
        noise: float = 0.1,
        train_ratio: float = 0.5,
        features: tuple[str, ...] = ("x1", "x2"),
        hidden_layers: int = 2,
        neurons: int = 4,
        activation: str = "tanh",
        learning_rate: float = 0.1,
        regularization: str = "none",
        regularization_rate: float = 0.0,
        batch_size: int = 10,
        seed: int = 0,
        n_points: int = 500,
        resolution: int = 50,
        visible: list[str] | None = None,
        hidden: list[str] | None = None,
    ) -> None:
        self._initial = dict(
            dataset=dataset,
            noise=noise,
            train_ratio=train_ratio,
            features=features,
            hidden_layers=hidden_layers,
            neurons=neurons,
            activation=activation,
            learning_rate=learning_rate,
            regularization=regularization,
            regularization_rate=regularization_rate,
            batch_size=batch_size,
            seed=seed,
        )
        self.n_points, self.resolution = n_points, resolution
        self._visible = (visible, hidden)
        self._built_with: tuple | None = None
        self.epoch = 0
        self.history = History()
        self.epoch_label = widgets.HTML()
        self._playing: asyncio.Task | None = None  # the task that plays (see _play)
        super().__init__()

    # -- controls ------------------------------------------------------------
    def build_controls(self) -> dict[str, widgets.Widget]:
        v = self._initial
        if v["dataset"] not in DATASETS:
            raise NNKitValueError(f"dataset must be one of {list(DATASETS)}, got {v['dataset']!r}")
        W = "400px"  # sliders' width: a track of 190 px or more after the longest label
        c: dict[str, widgets.Widget] = {
            "dataset": labelled(
                widgets.Dropdown, "data", options=list(DATASETS), value=v["dataset"]
            ),
            "noise": labelled(
                widgets.FloatSlider, "noise", W, value=v["noise"], min=0.0, max=0.5, step=0.05
            ),
            "train_ratio": labelled(
                widgets.FloatSlider,
                "train share",
                W,
                value=v["train_ratio"],
                min=0.1,
                max=0.9,
                step=0.1,
            ),
        }
        for name, (label, _) in FEATURES.items():
            c[name] = widgets.Checkbox(
                value=name in v["features"],
                description=label,
                indent=False,
                layout={"width": "80px"},
            )
        c["hidden_layers"] = labelled(
            widgets.IntSlider, "hidden layers", W, value=v["hidden_layers"], min=0, max=6
        )
        c["neurons"] = labelled(
            widgets.IntSlider, "neurons per layer", W, value=v["neurons"], min=1, max=8
        )
        c["activation"] = labelled(
            widgets.Dropdown,
            "activation",
            value=v["activation"],
            options=["tanh", "relu", "sigmoid", "identity"],
        )
        c["learning_rate"] = labelled(
            widgets.SelectionSlider,
            "learning rate",
            W,
            options=LEARNING_RATES,
            value=v["learning_rate"],
        )
        c["regularization"] = labelled(
            widgets.Dropdown,
            "regularisation",
            options=["none", "L1", "L2"],
            value=v["regularization"],
        )
        c["regularization_rate"] = labelled(
            widgets.SelectionSlider,
            "regularisation rate",
            W,
            options=REGULARISATION_RATES,
            value=v["regularization_rate"],
        )
        c["batch_size"] = labelled(
            widgets.IntSlider, "batch size", W, value=v["batch_size"], min=1, max=50
        )
        c["seed"] = labelled(
            widgets.BoundedIntText, "seed", "150px", value=v["seed"], min=0, max=9999
        )
        # one button for Play and Pause (its label says what pressing it does)
        c["play"] = widgets.ToggleButton(
            value=False, description=PLAY_LABEL, layout={"width": "95px"}
        )
        buttons = {
            "step": ("Step", lambda: self.step()),
            "reset": ("\u21ba Reset", self.reset),
        }
        for name, (label, action) in buttons.items():
            button = widgets.Button(description=label, layout={"width": "95px"})
            button.on_click(lambda _, action=action: action())
            c[name] = button
        line_up(c[name] for name in COLUMN)  # the column beside the picture (see layout)
        _show_only(c, *self._visible)
        return c

    def set_visible(
        self, visible: list[str] | None = None, hidden: list[str] | None = None
    ) -> None:
        """Classroom mode: show only ``visible`` controls, or all but ``hidden``."""
        _show_only(self.controls, visible, hidden)

    def layout(self) -> widgets.Widget:
        c = self.controls
        buttons = wrapping_row([c["play"], c["step"], c["reset"], self.epoch_label])
        features = wrapping_row([c[name] for name in FEATURES])
        column = widgets.VBox([c[n] for n in COLUMN], layout=controls_column())
        return widgets.VBox([buttons, features, picture_beside(self.image, column), self.message])

    # -- the figure ----------------------------------------------------------
    def build_figure(self) -> None:
        grid = self.figure.add_gridspec(2, 2, width_ratios=[1.25, 1])
        self.ax_map = self.figure.add_subplot(grid[:, 0])
        self.ax_loss = self.figure.add_subplot(grid[0, 1])
        self.ax_conf = self.figure.add_subplot(grid[1, 1])
        self.boundary = BoundaryPlot(self.ax_map, (-1, 1, -1, 1), self.resolution)
        self.ax_map.set_aspect("equal")
        self.ax_map.set_title("decision boundary", fontsize=9)
        # the points as one marker line per class: matplotlib stamps a marker ~20x faster
        # than it draws a scatter's points one by one (the scatters stay empty and hidden)
        self.boundary.train.set_visible(False)
        self.boundary.test.set_visible(False)
        self.train_points, self.test_points = [], []
        for colour in CLASS_COLOURS[:3]:
            (train,) = self.ax_map.plot(
                [], [], "o", ms=14**0.5, mfc=colour, mec="white", mew=0.5, ls="none"
            )
            (test,) = self.ax_map.plot([], [], "o", ms=4, mfc="none", mec=colour, mew=1, ls="none")
            self.train_points.append(train)
            self.test_points.append(test)
        (self.train_line,) = self.ax_loss.plot([], [], color=CLASS_COLOURS[4], label="training")
        (self.test_line,) = self.ax_loss.plot([], [], color=CLASS_COLOURS[5], label="test")
        self.ax_loss.set(xlabel="epoch", ylabel="loss")
        self.ax_loss.legend(loc="upper right", fontsize=8)
        self.confusion: ConfusionPlot | None = None
        self._confusion_names: list[str] | None = None
        self.builds = 0
        # the loss axis grows while playing (every doubling of the epochs): its new tick
        # labels are no wider than the first ones, so the first layout stays, and each new
        # picture of the axes costs ~90 ms instead of ~220 ms with the layout worked out again
        self.renderer.relayout = False

    # -- building the data and the network ------------------------------------
    def _structure(self) -> tuple:
        return tuple(self.value(name) for name in STRUCTURE)

    def feature_names(self) -> list[str]:
        return [name for name in FEATURES if self.value(name)]

    def _build(self) -> None:
        """New data, split and network from the controls and the seed (epoch 0)."""
        from sklearn.model_selection import train_test_split

        seed = self.value("seed")
        generator, extra = DATASETS[self.value("dataset")]
        data = TOY_DATASETS[generator](
            n=self.n_points, noise=self.value("noise"), seed=seed, **extra
        )
        self.class_names = data.class_names
        self.n_classes = len(data.class_names)
        self.X_train, self.X_test, self.y_train, self.y_test = train_test_split(
            data.X, data.y, train_size=self.value("train_ratio"), stratify=data.y, random_state=seed
        )
        names = self.feature_names() or ["x1", "x2"]
        self.inputs_train = make_features(self.X_train, names)
        self.inputs_test = make_features(self.X_test, names)
        sizes = [len(names)] + [self.value("neurons")] * self.value("hidden_layers")
        self.model = mlp(sizes + [self.n_classes], activation=self.value("activation"), seed=seed)
        self.optimizer = SGD(lr=self.value("learning_rate"))
        self.epoch, self.history, self.diverged = 0, History(), None
        # stricter than fit's default: a loss 10x the untrained one (about log(n_classes))
        # means confidently wrong everywhere. One guard for the whole run keeps that yardstick.
        untrained = CrossEntropy().forward(self.model.forward(self.inputs_train), self.y_train)
        self.guard = DivergenceGuard(factor=10.0, reference=untrained)
        extent = data_extent(data.X)
        half = self.boundary.extent[1]
        if half - 0.5 <= extent[1] <= half:
            # the points fit the map as it is (at most 0.5 to spare): keep it, and the cached
            # picture of its axes, so that moving the noise slider does not redraw everything
            extent = self.boundary.extent
        self.boundary.set_extent(extent)
        self.grid_inputs = make_features(self.boundary.points, names)
        self._show_points()
        # new class names (circle's outer/inner, xor's ...) need new labels, not only a new size
        if self.confusion is None or self._confusion_names != list(self.class_names):
            self.ax_conf.clear()
            self.confusion = ConfusionPlot(
                self.ax_conf, self.class_names, title="test confusion matrix"
            )
            self._confusion_names = list(self.class_names)
            self.renderer.invalidate(layout=True)  # its labels may be wider or narrower
        self._built_with = self._structure()
        self.builds += 1
        if not self.feature_names():
            self.show_message("No input feature is ticked: using x\u2081 and x\u2082.", "warning")

    def _show_points(self) -> None:
        """The training and test points on the map, by class."""
        for k in range(3):
            self.train_points[k].set_data(*self.X_train[self.y_train == k].T)
            self.test_points[k].set_data(*self.X_test[self.y_test == k].T)

    def _apply_training_settings(self) -> None:
        """Learning rate, regularisation and batch size take effect at the next step."""
        rate = self.value("regularization_rate")
        kind = self.value("regularization")
        self.optimizer.lr = self.value("learning_rate")
        self.optimizer.weight_decay = rate if kind == "L2" else 0.0
        self.optimizer.l1 = rate if kind == "L1" else 0.0

    def on_control_change(self, name: str, change: dict) -> None:
        if name == "play":
            self.controls["play"].description = PAUSE_LABEL if change["new"] else PLAY_LABEL
            if change["new"]:
                self._start_playing()  # (work ahead waits while it plays: see ANIMATING)
            return
        if name in STRUCTURE:
            self.pause()  # starting over: stop playing first
        super().on_control_change(name, change)

    def update(self) -> None:
        if self._structure() != self._built_with:
            self.show_message("")
            self._build()
        self._apply_training_settings()
        self._draw()

    def _draw(self) -> None:
        probabilities = self.model.predict_proba(self.grid_inputs)
        self.boundary.set_probabilities(probabilities)
        h = self.history
        epochs = np.arange(1, h.epochs + 1)
        self.train_line.set_data(epochs, h.loss)
        self.test_line.set_data(epochs, h.val_loss)
        # axis limits grow in jumps (10, 30, 100, 300, ... epochs), so the (cached) axes behind
        # the curves rarely change: each new limit is a full redraw, 90-130 ms while playing
        self.ax_loss.set_xlim(0, loss_axis_end(h.epochs))
        finite = [v for v in h.loss + h.val_loss if np.isfinite(v)]
        top = min(max(finite, default=1.0), 10.0)
        top = 2 ** (np.ceil(np.log2(top) * 2) / 2) if top > 0 else 1.0  # steps of sqrt(2)
        self.ax_loss.set_ylim(0, top * 1.05)
        test_pred = self.model.predict(self.inputs_test)
        self.confusion.set(confusion(self.y_test, test_pred, self.n_classes))
        train_acc = float(np.mean(self.model.predict(self.inputs_train) == self.y_train))
        test_acc = float(np.mean(test_pred == self.y_test))
        # numbers that change every tick go in the HTML label: text is slow to draw
        loss_text = f", test loss {h.val_loss[-1]:.3f}" if h.val_loss else ""
        self.show_text(
            self.epoch_label,
            f"<b>epoch {self.epoch}</b>{loss_text}; accuracy: training {train_acc:.0%}, "
            f"test {test_acc:.0%}",
        )

    def animated_artists(self) -> list:
        """What changes from step to step, drawn over a cached picture of the rest.

        A full matplotlib draw of this figure costs about 60 ms; the axes,
        ticks and labels stay the same between steps, so they are drawn once.
        """
        return [
            self.boundary.image,
            *self.train_points,
            *self.test_points,
            self.train_line,
            self.test_line,
        ]

    def slow_artists(self) -> list[tuple]:
        """The confusion matrix: drawn again only when its counts change."""
        return [self.confusion.slow_artists()]

    def background_key(self) -> tuple:
        """The static picture changes with the data's extent or number of classes, and when
        the loss axis grows (new data with the same extent keeps it)."""
        return (
            self.boundary.extent,
            self.ax_loss.get_xlim(),
            self.ax_loss.get_ylim(),
            len(self.confusion.texts),
        )

    # -- training --------------------------------------------------------------
    def step(self, epochs: int = 1) -> None:
        """Train ``epochs`` more epochs, then redraw."""
        if self.diverged is not None:
            return
        self._apply_training_settings()
        history = History()
        for _ in range(epochs):
            # one fit call per epoch, shuffled by (seed, epoch): the same seed gives the
            # same run whether it is played, stepped one by one or ten at a time
            seed = self.value("seed") * 100_003 + self.epoch + history.epochs
            try:
                one = self.model.fit(
                    self.inputs_train,
                    self.y_train,
                    optimizer=self.optimizer,
                    epochs=1,
                    batch_size=self.value("batch_size"),
                    seed=seed,
                    validation_data=(self.inputs_test, self.y_test),
                    divergence=self.guard,
                )
            except TrainingDiverged as error:  # fit has put the last good weights back
                self.diverged = error
                break
            for key, values in one.as_dict().items():
                getattr(history, key).extend(values)
        for key, values in history.as_dict().items():
            getattr(self.history, key).extend(values)
        self.epoch += history.epochs
        if self.diverged is not None:
            self.pause()
            lr = self.value("learning_rate")
            self.show_message(
                f"Training diverged after epoch {self.epoch}: the loss blew up because "
                f"learning rate {lr:g} makes the steps overshoot. The network keeps its "
                f"last good weights. Choose a smaller learning rate (e.g. {lr / 10:g}) "
                "and press Reset.",
                "error",
            )
        self._draw()
        self.render()

    def reset(self) -> None:
        """Back to epoch 0: same data and the same starting weights (from the seed)."""
        self.pause()
        self.show_message("")
        self._build()
        self._apply_training_settings()
        self._draw()
        self.render()

    @property
    def is_playing(self) -> bool:
        return self.controls["play"].value

    def play(self) -> None:
        """Press Play: from now on train and redraw, again and again, until pause()."""
        self.controls["play"].value = True

    def pause(self) -> None:
        """Release Play: the picture being drawn is the last one."""
        self.controls["play"].value = False

    def _start_playing(self) -> None:
        if self.diverged is not None:
            self.pause()  # nothing more to train until Reset
            return
        if self._playing is not None:
            return  # still running: Pause and Play again in quick succession
        loop = running_loop()
        if loop is None:
            self.pause()
            raise NNKitError(
                "Play needs a running event loop, as in a Jupyter notebook; "
                "in a script, call step(epochs) instead"
            )
        self._playing = loop.create_task(self._play())

    async def _play(self) -> None:
        """Train ``play_chunk`` epochs and redraw while Play is down.

        A task in the kernel's event loop: between pictures it gives the loop
        back, so the kernel hears Pause and the other controls. (A clock ticking
        in the browser costs a round trip and the kernel's busy/idle messages per
        picture: measured, 16 pictures a second at most against 85.)
        """
        ANIMATING.add(self)
        try:
            while self.is_playing and self.diverged is None:
                started = time.perf_counter()
                self.step(self.play_chunk)
                # never more than 1000 / play_interval pictures a second, and always a moment
                # for the browser
                spare = self.play_interval / 1000 - (time.perf_counter() - started)
                await asyncio.sleep(max(spare, 0.005))
        except Exception as error:  # in a task, an error would go unseen: say it, and stop
            self.show_message(f"Playing stopped: {type(error).__name__}: {error}", "error")
            self.pause()
            raise
        finally:
            self._playing = None
            ANIMATING.discard(self)

    def close(self) -> None:
        self.pause()
        self.epoch_label.close()
        super().close()

    # -- drawing ahead (see Explorer.draws_ahead) -----------------------------
    # A slider press that starts over (new data or a new network) shows epoch 0 of the new
    # settings: that picture follows from the controls alone, whatever was trained before.
    draws_ahead = True
    not_settings = ("play",)  # Play and Pause change the picture through training only

    def presses_ahead(self) -> list[dict]:
        """One press either way on the sliders that start over (the others change nothing
        on screen until the next step)."""
        names = [
            name
            for name in STRUCTURE
            if isinstance(self.controls[name], STEPPED) and self._pressable(name)
        ]
        return self.one_press_away(names)

    def text_widgets(self) -> list[widgets.HTML]:
        return [self.message, self.epoch_label]  # the epoch and accuracy go with the picture

    def ahead_context(self) -> object:
        # new data keeps the map's extent when the points fit it (see _build)
        return self.boundary.extent

    def draw_as_if(self, values: dict) -> tuple[bytes, list[str]]:
        # the trial builds new data and a new network: keep the ones being trained
        self._before_trial = (dict(self.__dict__), self.boundary.extent)
        return super().draw_as_if(values)

    def restore(self) -> None:
        """Back to the data and the network being trained, as they were before the trial."""
        attributes, extent = self._before_trial
        self.__dict__.update(attributes)
        self.boundary.set_extent(extent)
        self._show_points()
        self._draw()


def _show_only(
    controls: dict[str, widgets.Widget], visible: list[str] | None, hidden: list[str] | None
) -> None:
    """Hide every control not in ``visible`` (when given) and every one in ``hidden``."""
    for names in (visible, hidden):
        unknown = sorted(set(names or []) - set(controls))
        if unknown:
            raise NNKitValueError(f"unknown control names {unknown}; choose from {list(controls)}")
    for name, control in controls.items():
        shown = (visible is None or name in visible) and name not in (hidden or [])
        control.layout.display = None if shown else "none"
