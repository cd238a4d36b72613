"""Small fixed networks that the lessons open up and look inside.

Round weights chosen by hand, so every number in a lesson can be checked on
paper; each function returns the model and the data it is shown with.
"""

from __future__ import annotations

import numpy as np

from .activations import Sigmoid
from .layers import Dense
from .network import Sequential


def tiny_example() -> tuple[Sequential, np.ndarray, np.ndarray]:
    """Lesson 06's network 2 -> 2 (sigmoid) -> 2 and its one sample [1, 2] of class 1.

    Returns (model, X of shape (1, 2), y of shape (1,)).
    """
    hidden, output = Dense(2, 2), Dense(2, 2)
    hidden.weights = [[0.5, -0.3], [0.2, 0.8]]
    hidden.bias = [0.1, -0.1]
    output.weights = [[0.7, -0.4], [-0.6, 0.9]]
    output.bias = [0.0, 0.2]
    return Sequential([hidden, Sigmoid(), output]), np.array([[1.0, 2.0]]), np.array([1])
