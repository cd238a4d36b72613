"""nnkit networks as scikit-learn estimators: MLPClassifier and MLPRegressor.

The two classes take the same keyword arguments as scikit-learn's
``sklearn.neural_network.MLPClassifier`` / ``MLPRegressor`` (where the two
overlap, with the same names and defaults), so they fit into a ``Pipeline``,
``GridSearchCV`` or ``cross_val_score`` like any scikit-learn model. Inside,
the network is an ordinary ``nk.Sequential`` of ``nk.Dense`` layers and
activations, trained by ``nk.Adam`` or ``nk.SGD``; after ``fit`` it is
``estimator.model_``, ready to be opened up, drawn or saved.

This module imports scikit-learn; ``import nnkit`` alone does not.

Example (a pipeline, tuned by cross-validation, next to logistic regression)::

    from sklearn.datasets import load_wine
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GridSearchCV, cross_val_score
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    from nnkit.sklearn import MLPClassifier

    X, y = load_wine(return_X_y=True)
    baseline = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))
    print("logistic regression", cross_val_score(baseline, X, y, cv=5).mean())

    network = make_pipeline(
        StandardScaler(),
        MLPClassifier(hidden_layer_sizes=(32,), batch_size=32, max_iter=150, random_state=0),
    )
    search = GridSearchCV(network, {"mlpclassifier__alpha": [1e-4, 1e-2, 1.0]}, cv=5)
    search.fit(X, y)
    print("best alpha", search.best_params_, "accuracy", search.best_score_)

    clf = search.best_estimator_[-1]   # the fitted nnkit.sklearn.MLPClassifier
    print(clf.classes_, clf.n_iter_, clf.loss_curve_[-1])
    print(clf.model_.summary())        # the trained nk.Sequential

What is the same as scikit-learn's MLP, and why it differs from ``fit``
----------------------------------------------------------------------

nnkit's own teaching defaults (``nk.mlp`` + ``model.fit``) keep each idea
visible: He-normal weights for ReLU layers with biases at zero, no weight
penalty unless asked for, and a fixed number of epochs. The estimators here
follow scikit-learn's recipe instead, step for step (same initial draws,
same batches, same L2 term, same stopping rule: with the same
``random_state`` their loss curves agree with scikit-learn's to about 1e-4),
so "the same settings as scikit-learn" gives the same model.

Where the gap came from (``python -m benchmarks.sklearn_accuracy --ablation``:
one hidden layer of 32 ReLU units, Adam 1e-3, batch 32, 150 epochs, mean
over 10 stratified 75/25 splits, switching scikit-learn's choices on one at
a time, starting from ``nk.mlp`` + ``fit``)::

                                      iris acc  train loss   wine acc  train loss
    nk.mlp + fit (He-normal, zero b)   93.4 %     0.155       97.8 %     0.018
    + Glorot-uniform weights           95.3 %     0.120       97.6 %     0.014
    + random biases U(-b, b)           95.8 %     0.109       97.1 %     0.014
    + L2 alpha=1e-4                    95.8 %     0.109       97.1 %     0.014
    + tol / n_iter_no_change stop      95.8 %     0.109       96.9 %     0.013
    scikit-learn's MLPClassifier       95.8 %     0.109       96.9 %     0.013

* The initial scale is most of it: with 4 inputs and 32 ReLU units,
  He-normal starts the first layer with a standard deviation of
  sqrt(2/4) = 0.71 where Glorot-uniform's is b / sqrt(3) = 0.24
  (b = sqrt(6/36)); with Adam's fixed step size, 600 steps do not undo
  that, and training ends at a higher loss. Random biases add a little
  (the ReLU kinks start off the origin). On wine (13 inputs, He 0.39 against
  0.21) nnkit's defaults happen to do as well or better.
* The L2 default (alpha=1e-4) and the stopping rule change almost nothing
  here; partial last batches are weighted the same way by both (each batch
  averages its own samples, the epoch loss weights batches by size).

In detail:

* **Initial weights and biases**: Glorot-uniform, weights *and* biases drawn
  from U(-b, b) with b = sqrt(6 / (fan_in + fan_out)) (sqrt(2 / ...) for
  'logistic'), drawn from ``check_random_state(random_state)`` in the same
  order as scikit-learn.
* **L2 penalty** ``alpha`` (default 1e-4, as scikit-learn): each mini-batch
  loss gets ``alpha / (2 * batch_size) * sum of squared weights`` (weights
  only, no biases), so its gradient ``alpha / batch_size * weights`` is
  added to the weights' gradients of every batch. A smaller last batch
  therefore gets a slightly stronger pull towards zero, as in scikit-learn.
* **Batches**: ``batch_size='auto'`` is ``min(200, n_samples)``; the last
  batch keeps the samples left over (a partial batch), and the epoch loss
  in ``loss_curve_`` is the mean of the batch losses weighted by batch size.
* **Stopping rule**: training stops when the epoch loss (or, with
  ``early_stopping=True``, the validation score on a held-out
  ``validation_fraction`` of the data, drawn as scikit-learn draws it:
  stratified for two classes only) has not improved by at least ``tol``
  for more than ``n_iter_no_change`` epochs in a row; with early stopping the
  weights of the best validation epoch are restored. Reaching ``max_iter``
  first raises a ``ConvergenceWarning``.
* **Losses**: classification uses ``nk.CrossEntropy`` (softmax fused). A
  binary problem gets two softmax outputs (nnkit's way, so ``model_`` is
  read like every other nnkit classifier) where scikit-learn uses one
  logistic output; regression reports *half* the mean squared error in
  ``loss_curve_`` and uses its gradient, as scikit-learn does.
  ``loss='absolute_error'`` is the course's loss, |prediction - truth|.
* **Adam** is ``nk.Adam`` (its epsilon sits next to the bias-corrected
  second moment instead of the raw one: a difference of order 1e-8).
  **SGD** is ``nk.SGD`` (``momentum``, default 0.9), with Nesterov's
  look-ahead step added as scikit-learn does by default
  (``nesterovs_momentum=True``). Not offered: the learning-rate schedules
  (``learning_rate``, ``power_t``), the 'lbfgs' solver, ``max_fun``,
  ``sample_weight`` and multilabel targets.
"""

from __future__ import annotations

import warnings
from numbers import Integral, Real

import numpy as np
from numpy.typing import ArrayLike
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import accuracy_score, r2_score
from sklearn.model_selection import train_test_split
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval, Options, StrOptions
from sklearn.utils.multiclass import (
    _check_partial_fit_first_call,
    check_classification_targets,
    unique_labels,
)
from sklearn.utils.validation import check_is_fitted, column_or_1d

import nnkit as nk

try:  # scikit-learn >= 1.6
    from sklearn.utils.validation import validate_data
except ImportError:  # pragma: no cover - older scikit-learn

    def validate_data(estimator, X, y="no_validation", reset=True, **kwargs):
        return estimator._validate_data(X, y, reset=reset, **kwargs)


__all__ = ["MLPClassifier", "MLPRegressor"]

# scikit-learn's activation names -> nnkit's activation layers
ACTIVATIONS = {
    "identity": nk.Identity,
    "logistic": nk.Sigmoid,
    "tanh": nk.Tanh,
    "relu": nk.ReLU,
}


class _AllParameters(nk.Layer):
    """Every weight and bias of a network in one flat vector, for a faster update.

    The Dense layers keep working as before, but their ``params`` become views
    into ``params["all"]`` (all the weights first, then all the biases), so one
    optimizer update of that vector (a dozen numpy operations) moves the whole
    network, instead of one update per weight matrix and bias vector. The
    layers' gradients are gathered into ``grads["all"]`` after each backward.
    """

    def __init__(self, dense_layers: list[nk.Dense]) -> None:
        super().__init__()
        self.dense_layers = list(dense_layers)
        pairs = [(d, "weights") for d in self.dense_layers] + [
            (d, "bias") for d in self.dense_layers
        ]
        total = sum(d.params[name].size for d, name in pairs)
        dtype = self.dense_layers[0].params["weights"].dtype
        values, grads = np.empty(total, dtype=dtype), np.zeros(total, dtype=dtype)
        self.n_weights = sum(d.params["weights"].size for d in self.dense_layers)
        self._grad_views = []
        start = 0
        for dense, name in pairs:
            array = dense.params[name]
            stop = start + array.size
            view = values[start:stop].reshape(array.shape)
            view[...] = array
            dense.params[name] = view  # the layer now reads and updates the flat vector
            self._grad_views.append((dense, name, grads[start:stop].reshape(array.shape)))
            start = stop
        self.params = {"all": values}
        self.grads = {"all": grads}

    def holds(self, dense_layers: list[nk.Dense]) -> bool:
        """True while these layers' parameters are still views of the flat vector."""
        return dense_layers == self.dense_layers and all(
            np.shares_memory(d.params[name], self.params["all"])
            for d in dense_layers
            for name in ("weights", "bias")
        )

    @property
    def weights(self) -> np.ndarray:
        """(n_weights,): every weight of the network (no biases), a view."""
        return self.params["all"][: self.n_weights]

    @property
    def weight_grads(self) -> np.ndarray:
        """(n_weights,): dL/dweights, a view of ``grads["all"]``."""
        return self.grads["all"][: self.n_weights]

    def gather_gradients(self) -> None:
        """Copy each layer's fresh gradients (from backward) into ``grads["all"]``."""
        for dense, name, view in self._grad_views:
            np.copyto(view, dense.grads[name])


class _NesterovSGD(nk.SGD):
    """nk.SGD with Nesterov's momentum (scikit-learn's default for solver='sgd').

    The velocity is updated as in nk.SGD, velocity = momentum * velocity + gradient,
    but the step looks ahead along it: weight -= lr * (momentum * velocity + gradient).
    """

    def update(self, grad: np.ndarray, key: tuple[int, str]) -> np.ndarray:
        state = self.state.setdefault(key, {})
        velocity = state.get("velocity")
        velocity = grad.copy() if velocity is None else self.momentum * velocity + grad
        state["velocity"] = velocity
        return self.lr * (self.momentum * velocity + grad)


class _BaseMLP(BaseEstimator):
    """What MLPClassifier and MLPRegressor share: build, train, predict."""

    _parameter_constraints: dict = {
        "hidden_layer_sizes": ["array-like", Interval(Integral, 1, None, closed="left")],
        "activation": [StrOptions(set(ACTIVATIONS))],
        "solver": [StrOptions({"sgd", "adam"})],
        "alpha": [Interval(Real, 0, None, closed="left")],
        "batch_size": [StrOptions({"auto"}), Interval(Integral, 1, None, closed="left")],
        "learning_rate_init": [Interval(Real, 0, None, closed="neither")],
        "max_iter": [Interval(Integral, 1, None, closed="left")],
        "shuffle": ["boolean"],
        "random_state": ["random_state"],
        "tol": [Interval(Real, 0, None, closed="left")],
        "verbose": ["verbose"],
        "warm_start": ["boolean"],
        "momentum": [Interval(Real, 0, 1, closed="left")],
        "nesterovs_momentum": ["boolean"],
        "early_stopping": ["boolean"],
        "validation_fraction": [Interval(Real, 0, 1, closed="neither")],
        "beta_1": [Interval(Real, 0, 1, closed="left")],
        "beta_2": [Interval(Real, 0, 1, closed="left")],
        "epsilon": [Interval(Real, 0, None, closed="neither")],
        "n_iter_no_change": [Interval(Integral, 1, None, closed="left"), Options(Real, {np.inf})],
    }

    # -- set by the subclasses ----------------------------------------------
    def _prepare_targets(self, y, incremental: bool, first_pass: bool) -> np.ndarray:
        """Checked targets -> what the loss takes (class indices or a 2-D float array)."""
        raise NotImplementedError

    def _n_outputs(self) -> int:
        raise NotImplementedError

    def _make_loss(self) -> nk.Loss:
        raise NotImplementedError

    def _validation_score(self, X: np.ndarray, y: np.ndarray) -> float:
        raise NotImplementedError

    # -- checks ----------------------------------------------------------------
    def _hidden_sizes(self) -> list[int]:
        sizes = self.hidden_layer_sizes
        sizes = [sizes] if isinstance(sizes, Integral) else list(sizes)
        for size in sizes:
            if isinstance(size, bool) or not isinstance(size, Integral) or size < 1:
                raise ValueError(
                    "hidden_layer_sizes must list whole numbers >= 1 (the neurons of each "
                    f"hidden layer), e.g. (32,) or (64, 32); got {self.hidden_layer_sizes!r}"
                )
        return [int(size) for size in sizes]

    def __getstate__(self) -> dict:
        # The optimizer's running averages are keyed by the layers' ids, which
        # change when the estimator is copied or unpickled; a copy starts a
        # fresh optimizer on its next partial_fit, like a new fit would.
        state = super().__getstate__()
        state = dict(state)
        state.pop("_optimizer", None)
        state.pop("_all_parameters", None)
        return state

    # -- building ----------------------------------------------------------------
    def _build(self, n_features: int, rng: np.random.RandomState) -> nk.Sequential:
        """A fresh nk.Sequential with scikit-learn's Glorot-uniform weights and biases."""
        sizes = [n_features, *self._hidden_sizes(), self._n_outputs()]
        factor = 2.0 if self.activation == "logistic" else 6.0
        layers: list[nk.Layer] = []
        for k, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
            dense = nk.Dense(n_in, n_out, seed=0)
            bound = np.sqrt(factor / (n_in + n_out))
            # same draws, in the same order, as scikit-learn's _init_coef
            dense.weights = rng.uniform(-bound, bound, (n_in, n_out))
            dense.bias = rng.uniform(-bound, bound, n_out)
            layers.append(dense)
            if k < len(sizes) - 2:
                layers.append(ACTIVATIONS[self.activation]())
        return nk.Sequential(layers)

    def _make_optimizer(self) -> nk.Optimizer:
        if self.solver == "adam":
            return nk.Adam(
                lr=self.learning_rate_init,
                beta1=self.beta_1,
                beta2=self.beta_2,
                eps=self.epsilon,
            )
        if self.nesterovs_momentum and self.momentum > 0:
            return _NesterovSGD(lr=self.learning_rate_init, momentum=self.momentum)
        return nk.SGD(lr=self.learning_rate_init, momentum=self.momentum)

    def _dense_layers(self) -> list[nk.Dense]:
        return [layer for layer in self.model_.layers if isinstance(layer, nk.Dense)]

    @property
    def coefs_(self) -> list[np.ndarray]:
        """The weights of each Dense layer, (n_inputs, n_neurons) each, as in scikit-learn."""
        check_is_fitted(self)
        return [dense.weights for dense in self._dense_layers()]

    @property
    def intercepts_(self) -> list[np.ndarray]:
        """The biases of each Dense layer, (n_neurons,) each, as in scikit-learn."""
        check_is_fitted(self)
        return [dense.bias for dense in self._dense_layers()]

    # -- the forward pass for predictions ------------------------------------
    def _outputs(self, X: np.ndarray) -> np.ndarray:
        """(n_samples, n_features) -> output values (n_samples, n_outputs).

        The same maths as ``model_.forward``, without caching anything for a
        backward pass (predicting leaves the estimator exactly as it was).
        """
        values = X
        for layer in self.model_.layers:
            if isinstance(layer, nk.Dense):
                values = values @ layer.weights + layer.bias
            else:
                values = layer.function(values)
        return values

    def _check_X(self, X) -> np.ndarray:
        check_is_fitted(self)
        return validate_data(self, X, dtype=np.float64, reset=False)

    # -- training ----------------------------------------------------------------
    def _fit(self, X, y, incremental: bool) -> _BaseMLP:
        self._validate_params()
        self._hidden_sizes()  # a clear error for bad sizes before any work
        if incremental and self.early_stopping:
            raise ValueError(
                "partial_fit does not support early_stopping=True: there is no fixed "
                "validation set across calls; set early_stopping=False"
            )
        first_pass = not hasattr(self, "model_") or (not self.warm_start and not incremental)
        X, y = validate_data(
            self,
            X,
            y,
            dtype=np.float64,
            multi_output=True,
            y_numeric=not isinstance(self, ClassifierMixin),
            reset=first_pass,
        )
        if y.ndim == 2 and y.shape[1] == 1:
            y = column_or_1d(y, warn=True)
        targets = self._prepare_targets(y, incremental=incremental, first_pass=first_pass)

        rng = check_random_state(self.random_state)
        if first_pass:
            self.model_ = self._build(X.shape[1], rng)
            self.n_layers_ = len(self._hidden_sizes()) + 2
            self.n_outputs_ = self._n_outputs()
            self.n_iter_ = 0
            self.t_ = 0
            self.loss_curve_ = []
            self._no_improvement_count = 0
            if self.early_stopping:
                self.validation_scores_ = []
                self.best_validation_score_ = -np.inf
                self.best_loss_ = None
            else:
                self.validation_scores_ = None
                self.best_validation_score_ = None
                self.best_loss_ = np.inf
        dense_layers = self._dense_layers()
        flat = getattr(self, "_all_parameters", None)
        if not incremental or flat is None or not flat.holds(dense_layers):
            self._optimizer = self._make_optimizer()
            self._all_parameters = _AllParameters(dense_layers)
        self._train(X, targets, rng, incremental)
        for dense in self._dense_layers():
            if not (np.all(np.isfinite(dense.weights)) and np.all(np.isfinite(dense.bias))):
                raise ValueError(
                    "training produced non-finite weights (the loss diverged); scale the "
                    "inputs (e.g. StandardScaler) or lower learning_rate_init"
                )
        return self

    def _train(self, X, targets, rng: np.random.RandomState, incremental: bool) -> None:
        """scikit-learn's stochastic training loop, on an nk.Sequential."""
        early_stopping = self.early_stopping
        X_val = targets_val = None
        if early_stopping:
            # scikit-learn stratifies the split for two classes only (it skips
            # it whenever its targets have several columns); the same here,
            # so that both draw the very same validation set
            two_classes = isinstance(self, ClassifierMixin) and len(self.classes_) == 2
            stratify = targets if two_classes else None
            X, X_val, targets, targets_val = train_test_split(
                X, targets, random_state=rng, test_size=self.validation_fraction, stratify=stratify
            )
            if X_val.shape[0] < 2:
                raise ValueError(
                    f"the validation set is too small ({X_val.shape[0]} sample); increase "
                    f"validation_fraction (now {self.validation_fraction}) or use more data"
                )
        n_samples = X.shape[0]
        if self.batch_size == "auto":
            batch_size = min(200, n_samples)
        else:
            if self.batch_size > n_samples:
                warnings.warn(
                    f"batch_size={self.batch_size} is larger than the {n_samples} training "
                    "samples; it is clipped to the number of samples",
                    UserWarning,
                    stacklevel=3,
                )
            batch_size = min(int(self.batch_size), n_samples)

        model, optimizer, loss = self.model_, self._optimizer, self._make_loss()
        parameters = self._all_parameters
        order = np.arange(n_samples)
        X_epoch, targets_epoch = X, targets
        for _ in range(self.max_iter):
            if self.shuffle:
                order = order[rng.permutation(n_samples)]  # as sklearn.utils.shuffle
                # one copy in the new order per epoch; the batches are then slices (views)
                X_epoch, targets_epoch = X[order], targets[order]
            accumulated_loss = 0.0
            for start in range(0, n_samples, batch_size):
                X_batch = X_epoch[start : start + batch_size]
                accumulated_loss += X_batch.shape[0] * self._step(
                    model,
                    optimizer,
                    loss,
                    parameters,
                    X_batch,
                    targets_epoch[start : start + batch_size],
                )
            self.n_iter_ += 1
            self.t_ += n_samples
            self.loss_ = accumulated_loss / n_samples
            self.loss_curve_.append(self.loss_)
            if self.verbose:
                print(f"Iteration {self.n_iter_}, loss = {self.loss_:.8f}")
            self._update_no_improvement_count(early_stopping, X_val, targets_val)
            if self._no_improvement_count > self.n_iter_no_change:
                if self.verbose:
                    what = "Validation score" if early_stopping else "Training loss"
                    print(
                        f"{what} did not improve more than tol={self.tol:f} for "
                        f"{self.n_iter_no_change} consecutive epochs. Stopping."
                    )
                break
            if incremental:
                break
            if self.n_iter_ == self.max_iter:
                warnings.warn(
                    f"Stochastic Optimizer: Maximum iterations ({self.max_iter}) reached and "
                    "the optimization hasn't converged yet.",
                    ConvergenceWarning,
                    stacklevel=3,
                )
        if early_stopping:
            model.set_weights(self._best_weights)  # the best validation epoch's weights
            del self._best_weights

    def _step(self, model, optimizer, loss, parameters, X_batch, y_batch) -> float:
        """One mini-batch: forward, loss, backward, update. Returns the batch loss."""
        outputs = model.forward(X_batch, check=False)  # X was checked once, in fit
        batch_loss, grad = self._loss_and_gradient(loss, outputs, y_batch)
        model.backward(grad)
        parameters.gather_gradients()
        if self.alpha:
            n_batch = X_batch.shape[0]
            weights = parameters.weights
            # scikit-learn's L2 term, alpha / (2 n_batch) * sum of squared weights,
            # and its gradient alpha / n_batch * weights (the biases are not penalised)
            batch_loss += 0.5 * self.alpha * float(np.dot(weights, weights)) / n_batch
            weight_grads = parameters.weight_grads  # a view: += updates grads["all"]
            weight_grads += (self.alpha / n_batch) * weights
        optimizer.step([parameters])
        return batch_loss

    def _loss_and_gradient(self, loss, outputs, targets) -> tuple[float, np.ndarray]:
        value = loss.compute(outputs, targets)
        return value, loss.backward()

    def _update_no_improvement_count(self, early_stopping: bool, X_val, y_val) -> None:
        """scikit-learn's rule: count epochs that improve by less than ``tol``."""
        if early_stopping:
            score = self._validation_score(X_val, y_val)
            self.validation_scores_.append(score)
            if self.verbose:
                print(f"Validation score: {score:f}")
            if score < self.best_validation_score_ + self.tol:
                self._no_improvement_count += 1
            else:
                self._no_improvement_count = 0
            if score > self.best_validation_score_:
                self.best_validation_score_ = score
                self._best_weights = self.model_.get_weights()
        else:
            if self.loss_curve_[-1] > self.best_loss_ - self.tol:
                self._no_improvement_count += 1
            else:
                self._no_improvement_count = 0
            if self.loss_curve_[-1] < self.best_loss_:
                self.best_loss_ = self.loss_curve_[-1]


class MLPClassifier(ClassifierMixin, _BaseMLP):
    """A multi-layer perceptron classifier, trained by nnkit, used like scikit-learn's.

    Any labels work (integers, strings, ...): ``classes_`` lists them sorted
    and the network has one softmax output per class.

    Parameters (names and defaults as ``sklearn.neural_network.MLPClassifier``)
    ----------
    hidden_layer_sizes : tuple of int, default=(100,)
        Neurons in each hidden layer.
    activation : {'identity', 'logistic', 'tanh', 'relu'}, default='relu'
        Hidden-layer activation ('logistic' is the sigmoid).
    solver : {'adam', 'sgd'}, default='adam'
    alpha : float, default=1e-4
        L2 penalty: alpha / (2 * batch) * sum of squared weights added to each batch loss.
    batch_size : int or 'auto', default='auto'
        Samples per mini-batch; 'auto' is min(200, n_samples).
    learning_rate_init : float, default=1e-3
    max_iter : int, default=200
        Maximum number of epochs.
    shuffle : bool, default=True
        Shuffle the samples before every epoch.
    random_state : int, RandomState or None, default=None
        Seeds the initial weights, the shuffling and the validation split.
    tol : float, default=1e-4
    verbose : bool, default=False
        Print the loss of every epoch.
    warm_start : bool, default=False
        Continue from the current network on the next ``fit``.
    momentum : float, default=0.9
        Momentum of ``solver='sgd'``.
    nesterovs_momentum : bool, default=True
        Use Nesterov's momentum (look ahead along the velocity) with 'sgd'.
    early_stopping : bool, default=False
        Hold out ``validation_fraction`` of the data, stop when its accuracy
        stops improving and keep the best epoch's weights.
    validation_fraction : float, default=0.1
    beta_1, beta_2, epsilon : float, defaults 0.9, 0.999, 1e-8
        Adam's settings.
    n_iter_no_change : int, default=10
        Epochs without an improvement of ``tol`` before stopping.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
    model_ : nk.Sequential
        The trained network (Dense, activation, ..., Dense); its outputs are logits.
    loss_ , loss_curve_ : float, list of float
        The last epoch's loss and the loss of every epoch (cross-entropy + L2).
    best_loss_ : float or None
        The lowest epoch loss (None with early stopping).
    validation_scores_ : list of float or None
        The validation accuracy of every epoch (None without early stopping).
    best_validation_score_ : float or None
    n_iter_ : int
        Epochs run.
    t_ : int
        Training samples seen.
    n_features_in_ : int
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Only when X has column names (a pandas DataFrame).
    n_layers_, n_outputs_ : int
    coefs_, intercepts_ : lists of arrays
        Each Dense layer's weights (n_inputs, n_neurons) and biases (n_neurons,).
    """

    def __init__(
        self,
        hidden_layer_sizes=(100,),
        activation: str = "relu",
        *,
        solver: str = "adam",
        alpha: float = 0.0001,
        batch_size="auto",
        learning_rate_init: float = 0.001,
        max_iter: int = 200,
        shuffle: bool = True,
        random_state=None,
        tol: float = 1e-4,
        verbose: bool = False,
        warm_start: bool = False,
        momentum: float = 0.9,
        nesterovs_momentum: bool = True,
        early_stopping: bool = False,
        validation_fraction: float = 0.1,
        beta_1: float = 0.9,
        beta_2: float = 0.999,
        epsilon: float = 1e-8,
        n_iter_no_change: int = 10,
    ) -> None:
        self.hidden_layer_sizes = hidden_layer_sizes
        self.activation = activation
        self.solver = solver
        self.alpha = alpha
        self.batch_size = batch_size
        self.learning_rate_init = learning_rate_init
        self.max_iter = max_iter
        self.shuffle = shuffle
        self.random_state = random_state
        self.tol = tol
        self.verbose = verbose
        self.warm_start = warm_start
        self.momentum = momentum
        self.nesterovs_momentum = nesterovs_momentum
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon
        self.n_iter_no_change = n_iter_no_change

    def fit(self, X: ArrayLike, y: ArrayLike) -> MLPClassifier:
        """Train on X (n_samples, n_features) and labels y (n_samples,)."""
        return self._fit(X, y, incremental=False)

    def partial_fit(
        self, X: ArrayLike, y: ArrayLike, classes: ArrayLike | None = None
    ) -> MLPClassifier:
        """One epoch over X (n_samples, n_features), y (n_samples,).

        ``classes`` (every label that will ever appear) is required on the
        first call, as in scikit-learn.
        """
        self._validate_params()
        _check_partial_fit_first_call(self, classes)  # sets classes_ on the first call
        return self._fit(X, y, incremental=True)

    def _prepare_targets(self, y, incremental: bool, first_pass: bool) -> np.ndarray:
        check_classification_targets(y)
        if y.ndim != 1:
            raise ValueError(
                f"y must be one label per sample, shape (n_samples,); got shape {y.shape} "
                "(multilabel targets are not supported)"
            )
        labels = unique_labels(y)
        if incremental:
            unknown = np.setdiff1d(labels, self.classes_)
            if len(unknown):
                raise ValueError(
                    f"y has labels {list(unknown)} that are not in classes_ "
                    f"{list(self.classes_)}; pass every label in classes= on the first "
                    "partial_fit call"
                )
        elif first_pass:
            self.classes_ = labels
        elif set(labels) != set(self.classes_):
            raise ValueError(
                "warm_start needs the same classes as the previous fit: had "
                f"{list(self.classes_)}, y has {list(labels)}"
            )
        return np.searchsorted(self.classes_, y)

    def _n_outputs(self) -> int:
        return len(self.classes_)

    def _make_loss(self) -> nk.Loss:
        return nk.CrossEntropy()

    def _validation_score(self, X: np.ndarray, y: np.ndarray) -> float:
        return float(accuracy_score(y, np.argmax(self._outputs(X), axis=1)))

    @property
    def out_activation_(self) -> str:
        """'softmax': the outputs are logits, turned into probabilities by softmax."""
        return "softmax"

    def predict(self, X: ArrayLike) -> np.ndarray:
        """(n_samples, n_features) -> the most probable label of each sample, (n_samples,)."""
        X = self._check_X(X)
        return self.classes_[np.argmax(self._outputs(X), axis=1)]

    def predict_proba(self, X: ArrayLike) -> np.ndarray:
        """(n_samples, n_features) -> class probabilities (n_samples, n_classes).

        Columns follow ``classes_``; every row sums to 1.
        """
        X = self._check_X(X)
        return nk.softmax(self._outputs(X))

    def predict_log_proba(self, X: ArrayLike) -> np.ndarray:
        """(n_samples, n_features) -> log of ``predict_proba``, (n_samples, n_classes)."""
        outputs = self._outputs(self._check_X(X))
        shifted = outputs - outputs.max(axis=1, keepdims=True)
        return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


class MLPRegressor(RegressorMixin, _BaseMLP):
    """A multi-layer perceptron regressor, trained by nnkit, used like scikit-learn's.

    The output layer has no activation (one output per target column).
    Takes the same parameters as ``MLPClassifier`` plus ``loss``:

    loss : {'squared_error', 'absolute_error'}, default='squared_error'
        'squared_error' is scikit-learn's half mean squared error;
        'absolute_error' is the course's mean |prediction - truth|.

    Attributes as ``MLPClassifier`` except ``classes_``; ``validation_scores_``
    holds R^2 scores. ``predict`` returns (n_samples,) for one target and
    (n_samples, n_targets) for several.
    """

    _parameter_constraints: dict = {
        **_BaseMLP._parameter_constraints,
        "loss": [StrOptions({"squared_error", "absolute_error"})],
    }

    def __init__(
        self,
        loss: str = "squared_error",
        hidden_layer_sizes=(100,),
        activation: str = "relu",
        *,
        solver: str = "adam",
        alpha: float = 0.0001,
        batch_size="auto",
        learning_rate_init: float = 0.001,
        max_iter: int = 200,
        shuffle: bool = True,
        random_state=None,
        tol: float = 1e-4,
        verbose: bool = False,
        warm_start: bool = False,
        momentum: float = 0.9,
        nesterovs_momentum: bool = True,
        early_stopping: bool = False,
        validation_fraction: float = 0.1,
        beta_1: float = 0.9,
        beta_2: float = 0.999,
        epsilon: float = 1e-8,
        n_iter_no_change: int = 10,
    ) -> None:
        self.loss = loss
        self.hidden_layer_sizes = hidden_layer_sizes
        self.activation = activation
        self.solver = solver
        self.alpha = alpha
        self.batch_size = batch_size
        self.learning_rate_init = learning_rate_init
        self.max_iter = max_iter
        self.shuffle = shuffle
        self.random_state = random_state
        self.tol = tol
        self.verbose = verbose
        self.warm_start = warm_start
        self.momentum = momentum
        self.nesterovs_momentum = nesterovs_momentum
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon
        self.n_iter_no_change = n_iter_no_change

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True  # one output per target column
        return tags

    def fit(self, X: ArrayLike, y: ArrayLike) -> MLPRegressor:
        """Train on X (n_samples, n_features), y (n_samples,) or (n_samples, n_targets)."""
        return self._fit(X, y, incremental=False)

    def partial_fit(self, X: ArrayLike, y: ArrayLike) -> MLPRegressor:
        """One epoch over X (n_samples, n_features) and y (n_samples,) or (n_samples, n_targets)."""
        return self._fit(X, y, incremental=True)

    def _prepare_targets(self, y, incremental: bool, first_pass: bool) -> np.ndarray:
        targets = np.asarray(y, dtype=np.float64)
        targets = targets.reshape(-1, 1) if targets.ndim == 1 else targets
        if first_pass:
            self._n_targets = targets.shape[1]
        elif targets.shape[1] != self._n_targets:
            raise ValueError(
                f"y has {targets.shape[1]} target column(s) but the network was trained "
                f"with {self._n_targets}"
            )
        return targets

    def _n_outputs(self) -> int:
        return self._n_targets

    def _make_loss(self) -> nk.Loss:
        return nk.SquaredError() if self.loss == "squared_error" else nk.AbsoluteError()

    def _loss_and_gradient(self, loss, outputs, targets) -> tuple[float, np.ndarray]:
        # nnkit's losses sum over the outputs; scikit-learn averages over them
        # and uses half the squared error (so its gradient is error / n).
        value = loss.compute(outputs, targets) / outputs.shape[1]
        grad = loss.backward()
        if self.loss == "squared_error":
            return value / 2.0, grad / 2.0
        return value, grad

    def _validation_score(self, X: np.ndarray, y: np.ndarray) -> float:
        return float(r2_score(y, self._outputs(X)))

    @property
    def out_activation_(self) -> str:
        """'identity': the outputs are the predictions."""
        return "identity"

    def predict(self, X: ArrayLike) -> np.ndarray:
        """(n_samples, n_features) -> predictions (n_samples,) or (n_samples, n_targets)."""
        outputs = self._outputs(self._check_X(X))
        return outputs.ravel() if outputs.shape[1] == 1 else outputs
