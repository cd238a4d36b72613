"""Interactive explorers for the lessons (ipywidgets + matplotlib).

Each explorer builds with no arguments, exposes ``controls`` (name ->
ipywidgets control) and ``figure`` (its matplotlib Figure), redraws itself
when a control changes, and displays itself in a notebook cell.
"""

from .base import Explorer
from .forward_pass import ForwardPassExplorer
from .loss import LossExplorer
from .neuron import NeuronExplorer
from .softmax import SoftmaxExplorer

__all__ = ["Explorer", "ForwardPassExplorer", "LossExplorer", "NeuronExplorer", "SoftmaxExplorer"]
