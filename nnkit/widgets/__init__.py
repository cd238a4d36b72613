"""Interactive explorers for the lessons (ipywidgets + matplotlib).

Each explorer builds with no arguments, exposes ``controls`` (name ->
ipywidgets control) and ``figure`` (its matplotlib Figure), redraws itself
when a control changes, and displays itself in a notebook cell.
"""

from ..callbacks import LiveLoss
from .backprop import BackpropStepper
from .base import Explorer
from .dashboard import TrainingDashboard
from .forward_pass import ForwardPassExplorer
from .gradient_descent import GradientDescentExplorer
from .initialisation import InitialisationExplorer
from .loss import LossExplorer
from .neuron import NeuronExplorer
from .nonlinearity import NonlinearityExplorer
from .optimizers import OptimizerExplorer
from .overfitting import OverfittingExplorer
from .playground import Playground
from .softmax import SoftmaxExplorer
from .torch_parity import TorchParityExplorer

__all__ = [
    "BackpropStepper",
    "Explorer",
    "ForwardPassExplorer",
    "GradientDescentExplorer",
    "InitialisationExplorer",
    "LiveLoss",
    "LossExplorer",
    "NeuronExplorer",
    "NonlinearityExplorer",
    "OptimizerExplorer",
    "OverfittingExplorer",
    "Playground",
    "SoftmaxExplorer",
    "TorchParityExplorer",
    "TrainingDashboard",
]
