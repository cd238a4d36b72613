"""nnkit: neural networks step by step, in plain numpy, for the classroom.

``import nnkit as nk`` loads numpy only; plotting, widgets and data helpers
import matplotlib, ipywidgets and scikit-learn when they are used.
"""

from . import datasets, examples, gradcheck, trace
from .activations import (
    ACTIVATIONS,
    Activation,
    Identity,
    LeakyReLU,
    ReLU,
    Sigmoid,
    Softmax,
    Step,
    Tanh,
    get_activation,
    softmax,
)
from .callbacks import Callback, EarlyStopping, LiveLoss
from .errors import (
    NNKitError,
    NNKitTypeError,
    NNKitValueError,
    StopTraining,
    TrainingDiverged,
)
from .layers import Dense, Layer
from .losses import AbsoluteError, CrossEntropy, Loss, SquaredError, get_loss, one_hot
from .network import Sequential, load, mlp
from .optimizers import SGD, Adam, Optimizer, get_optimizer
from .training import DivergenceGuard, History, fit

__version__ = "0.1.0"

__all__ = [
    "ACTIVATIONS",
    "AbsoluteError",
    "Activation",
    "Adam",
    "Callback",
    "CrossEntropy",
    "Dense",
    "DivergenceGuard",
    "EarlyStopping",
    "History",
    "Identity",
    "Layer",
    "LeakyReLU",
    "LiveLoss",
    "Loss",
    "NNKitError",
    "NNKitTypeError",
    "NNKitValueError",
    "Optimizer",
    "ReLU",
    "SGD",
    "Sequential",
    "Sigmoid",
    "Softmax",
    "SquaredError",
    "Step",
    "StopTraining",
    "Tanh",
    "TrainingDiverged",
    "datasets",
    "examples",
    "fit",
    "get_activation",
    "get_loss",
    "get_optimizer",
    "gradcheck",
    "load",
    "mlp",
    "one_hot",
    "softmax",
    "trace",
]
