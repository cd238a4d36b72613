"""From nnkit to PyTorch and back, with the very same weights.

``to_torch(model)`` builds a ``torch.nn.Sequential``: each Dense becomes a
``torch.nn.Linear`` and each activation its PyTorch namesake.
``from_torch(module)`` goes the other way. PyTorch stores a Linear layer's
weights as (n_neurons, n_inputs), the transpose of nnkit's
(n_inputs, n_neurons), so the matrices are transposed on the way.

PyTorch is an optional extra (``pip install -e ".[torch]"``, the CPU build);
it is imported only when these functions run.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .activations import Identity, LeakyReLU, ReLU, Sigmoid, Softmax, Tanh
from .errors import NNKitTypeError, NNKitValueError
from .layers import Dense, Dropout, Layer

if TYPE_CHECKING:
    import torch

    from .network import Sequential

INSTALL_HINT = 'PyTorch is not installed; install the extra with: pip install -e ".[torch]"'


def import_torch():
    """Import torch, or explain how to install it."""
    try:
        import torch
    except ImportError:
        raise ImportError(INSTALL_HINT) from None
    return torch


def _torch_layer(torch, layer: Layer, dtype):
    """The PyTorch module doing what one nnkit layer does."""
    nn = torch.nn
    if isinstance(layer, Dense):
        linear = nn.Linear(layer.n_inputs, layer.n_neurons, dtype=dtype)
        with torch.no_grad():
            # PyTorch keeps weights as (n_neurons, n_inputs): the transpose of nnkit's
            linear.weight.copy_(torch.from_numpy(np.ascontiguousarray(layer.weights.T)))
            linear.bias.copy_(torch.from_numpy(layer.bias.copy()))
        return linear
    simple = {ReLU: nn.ReLU, Sigmoid: nn.Sigmoid, Tanh: nn.Tanh, Identity: nn.Identity}
    if type(layer) in simple:
        return simple[type(layer)]()
    if isinstance(layer, LeakyReLU):
        return nn.LeakyReLU(layer.negative_slope)
    if isinstance(layer, Softmax):
        return nn.Softmax(dim=1)
    if isinstance(layer, Dropout):
        return nn.Dropout(layer.rate)
    raise NNKitValueError(
        f"{type(layer).__name__} has no PyTorch counterpart in to_torch; use Dense, "
        "ReLU, LeakyReLU, Sigmoid, Tanh, Identity, Softmax or Dropout"
    )


def to_torch(model: Sequential) -> torch.nn.Sequential:
    """A ``torch.nn.Sequential`` computing the same function with the same weights.

    The parameters get the model's precision (float64 stays float64, so the
    outputs agree to about 1e-15). The module starts in PyTorch's training
    mode, as every new PyTorch module does; call ``.eval()`` to predict.
    """
    torch = import_torch()
    dtype = {np.dtype(np.float32): torch.float32, np.dtype(np.float64): torch.float64}.get(
        np.dtype(model.dtype), torch.float64
    )
    return torch.nn.Sequential(*(_torch_layer(torch, layer, dtype) for layer in model.layers))


def _nnkit_layer(torch, module, seed: int | None) -> Layer:
    """The nnkit layer doing what one PyTorch module does."""
    nn = torch.nn
    if isinstance(module, nn.Linear):
        weights = module.weight.detach().cpu().numpy()
        dtype = weights.dtype
        dense = Dense(module.in_features, module.out_features, seed=seed, dtype=dtype)
        dense.weights = weights.T  # (n_neurons, n_inputs) -> (n_inputs, n_neurons)
        if module.bias is not None:
            dense.bias = module.bias.detach().cpu().numpy()
        return dense
    simple = {nn.ReLU: ReLU, nn.Sigmoid: Sigmoid, nn.Tanh: Tanh, nn.Identity: Identity}
    if type(module) in simple:
        return simple[type(module)]()
    if isinstance(module, nn.LeakyReLU):
        return LeakyReLU(module.negative_slope)
    if isinstance(module, nn.Softmax):
        if module.dim not in (1, -1):
            raise NNKitValueError(f"Softmax must work over dim=1 (the classes), got {module.dim}")
        return Softmax()
    if isinstance(module, nn.Dropout):
        return Dropout(module.p, seed=seed)
    raise NNKitValueError(
        f"{type(module).__name__} has no nnkit counterpart; from_torch knows Linear, ReLU, "
        "LeakyReLU, Sigmoid, Tanh, Identity, Softmax(dim=1) and Dropout"
    )


def from_torch(module, seed: int | None = 0) -> Sequential:
    """An nnkit ``Sequential`` with the layers and weights of a PyTorch module.

    ``module`` is a ``torch.nn.Sequential`` (nested ones are flattened) or a
    single layer. A Linear without bias gets a zero bias. ``seed`` seeds the
    Dropout masks.
    """
    from .network import Sequential

    torch = import_torch()
    if not isinstance(module, torch.nn.Module):
        raise NNKitTypeError(
            f"module must be a torch.nn.Module such as torch.nn.Sequential, got {module!r}"
        )

    def flatten(m):
        if isinstance(m, torch.nn.Sequential):
            for child in m:
                yield from flatten(child)
        else:
            yield m

    return Sequential([_nnkit_layer(torch, m, seed) for m in flatten(module)])


def train_side_by_side(
    model: Sequential,
    X: np.ndarray,
    y: np.ndarray,
    optimizer: str = "sgd",
    lr: float = 0.1,
    momentum: float = 0.9,
    epochs: int = 20,
) -> tuple[np.ndarray, np.ndarray]:
    """Train ``model`` with nnkit and a copy of it with PyTorch, step for step.

    Full-batch cross-entropy; ``optimizer`` is "sgd", "momentum" or "adam".
    Returns the two loss curves (epochs,), nnkit's first. ``model`` is trained.
    """
    from .losses import CrossEntropy
    from .optimizers import SGD, Adam

    torch = import_torch()
    makers = {
        "sgd": (lambda: SGD(lr=lr), lambda p: torch.optim.SGD(p, lr=lr)),
        "momentum": (
            lambda: SGD(lr=lr, momentum=momentum),
            lambda p: torch.optim.SGD(p, lr=lr, momentum=momentum),
        ),
        "adam": (lambda: Adam(lr=lr), lambda p: torch.optim.Adam(p, lr=lr)),
    }
    if optimizer not in makers:
        raise NNKitValueError(f"optimizer must be one of {sorted(makers)}, got {optimizer!r}")
    module = to_torch(model)
    ours, theirs = makers[optimizer][0](), makers[optimizer][1](module.parameters())
    loss = CrossEntropy()
    X_torch, y_torch = torch.from_numpy(np.asarray(X)), torch.from_numpy(np.asarray(y))
    curves = np.zeros((2, epochs))
    for epoch in range(epochs):
        # nnkit: forward, loss, backward, step
        curves[0, epoch] = loss.forward(model.forward(X), y)
        model.backward(loss.backward())
        ours.step(model)
        # PyTorch: zero_grad, forward + loss, backward, step
        theirs.zero_grad()
        torch_loss = torch.nn.functional.cross_entropy(module(X_torch), y_torch)
        torch_loss.backward()
        theirs.step()
        curves[1, epoch] = torch_loss.item()
    return curves[0], curves[1]


def load_ipython_extension(ipython) -> None:
    """``%load_ext nnkit.torch_bridge`` adds the cell magic ``%%torch``: the cell runs
    when PyTorch is installed; otherwise it is skipped with a note on how to install it."""

    def torch_cell(line: str, cell: str) -> None:
        try:
            import torch  # noqa: F401
        except ImportError:
            print(f"(skipped) {INSTALL_HINT}, then restart the kernel.")
            return
        ipython.ex(cell)  # in the notebook's namespace; errors propagate

    ipython.register_magic_function(torch_cell, "cell", "torch")
