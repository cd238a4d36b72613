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
from .layers import Dense, Dropout, Layer
from .losses import AbsoluteError, CrossEntropy, Loss, SquaredError, get_loss, one_hot
from .network import Sequential, load, mlp
from .optimizers import SGD, Adam, Optimizer, get_optimizer
from .schedules import CosineDecay, Schedule, StepDecay
from .torch_bridge import from_torch
from .training import DivergenceGuard, History, fit

__version__ = "0.1.0"

__all__ = [
    "ACTIVATIONS",
    "AbsoluteError",
    "Activation",
    "Adam",
    "Callback",
    "CosineDecay",
    "CrossEntropy",
    "Dense",
    "DivergenceGuard",
    "Dropout",
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
    "Schedule",
    "Sequential",
    "Sigmoid",
    "Softmax",
    "SquaredError",
    "Step",
    "StepDecay",
    "StopTraining",
    "Tanh",
    "TrainingDiverged",
    "datasets",
    "examples",
    "fit",
    "from_torch",
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
