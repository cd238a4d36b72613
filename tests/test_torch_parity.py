"""With the torch extra: nnkit's loss and every gradient equal PyTorch autograd's.

Without PyTorch installed these tests skip and say why (install it with
`pip install -e ".[torch]"`, which pins the CPU build torch==2.13.0). CI sets
NNKIT_REQUIRE_TORCH=1 so that a missing torch fails instead of skipping.
"""

import os

import numpy as np
import pytest

import nnkit as nk

if os.environ.get("NNKIT_REQUIRE_TORCH"):
    import torch
else:
    torch = pytest.importorskip(
        "torch", reason="PyTorch is not installed; install the extra: pip install -e '.[torch]'"
    )

TORCH_ACTIVATIONS = {
    "relu": lambda: torch.nn.ReLU(),
    "sigmoid": lambda: torch.nn.Sigmoid(),
    "tanh": lambda: torch.nn.Tanh(),
    "leaky_relu": lambda: torch.nn.LeakyReLU(0.01),
}


def _to_torch(model, activation):
    """The same network in PyTorch, with nnkit's weights copied in."""
    layers = []
    for layer in model.layers:
        if isinstance(layer, nk.Dense):
            linear = torch.nn.Linear(layer.n_inputs, layer.n_neurons, dtype=torch.float64)
            with torch.no_grad():
                linear.weight.copy_(torch.from_numpy(layer.weights.T.copy()))
                linear.bias.copy_(torch.from_numpy(layer.bias.copy()))
            layers.append(linear)
        else:
            layers.append(TORCH_ACTIVATIONS[activation]())
    return torch.nn.Sequential(*layers)


@pytest.mark.parametrize(
    "sizes,activation",
    [
        ([4, 10, 3], "relu"),
        ([5, 8, 6, 4], "tanh"),
        ([3, 7, 2], "sigmoid"),
        ([6, 5, 5, 5, 3], "leaky_relu"),
    ],
)
def test_cross_entropy_and_gradients_equal_pytorch(sizes, activation):
    rng = np.random.default_rng(sum(sizes))
    X = rng.normal(size=(16, sizes[0]))
    y = rng.integers(0, sizes[-1], size=16)
    model = nk.mlp(sizes, activation=activation, seed=1)
    for layer in model.layers:
        if isinstance(layer, nk.Dense):
            layer.bias = rng.normal(size=layer.n_neurons) * 0.1
    reference = _to_torch(model, activation)

    loss = nk.CrossEntropy()
    value = loss.forward(model.forward(X), y)
    model.backward(loss.backward())

    torch_loss = torch.nn.functional.cross_entropy(
        reference(torch.from_numpy(X)), torch.from_numpy(y)
    )
    torch_loss.backward()
    assert value == pytest.approx(torch_loss.item(), rel=1e-12)
    linears = [m for m in reference if isinstance(m, torch.nn.Linear)]
    denses = [layer for layer in model.layers if isinstance(layer, nk.Dense)]
    for dense, linear in zip(denses, linears):
        np.testing.assert_allclose(
            dense.grads["weights"], linear.weight.grad.numpy().T, rtol=1e-10, atol=1e-14
        )
        np.testing.assert_allclose(
            dense.grads["bias"], linear.bias.grad.numpy(), rtol=1e-10, atol=1e-14
        )


@pytest.mark.parametrize(
    "name,torch_loss",
    [
        ("squared", lambda p, t: ((p - t) ** 2).sum(dim=1).mean()),
        ("absolute", lambda p, t: (p - t).abs().sum(dim=1).mean()),
    ],
)
def test_regression_losses_equal_pytorch(name, torch_loss):
    rng = np.random.default_rng(0)
    pred, target = rng.normal(size=(8, 3)), rng.normal(size=(8, 3))
    loss = nk.get_loss(name)
    value = loss.forward(pred, target)
    grad = loss.backward()
    p = torch.tensor(pred, requires_grad=True)
    reference = torch_loss(p, torch.from_numpy(target))
    reference.backward()
    assert value == pytest.approx(reference.item(), rel=1e-12)
    np.testing.assert_allclose(grad, p.grad.numpy(), rtol=1e-12)


def test_sgd_momentum_and_adam_steps_equal_pytorch():
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(10, 4)), rng.integers(0, 3, size=10)
    for make_ours, make_theirs in [
        (
            lambda: nk.SGD(lr=0.1, momentum=0.9, weight_decay=0.01),
            lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9, weight_decay=0.01),
        ),
        (lambda: nk.Adam(lr=0.01), lambda p: torch.optim.Adam(p, lr=0.01, weight_decay=0.0)),
    ]:
        model = nk.mlp([4, 6, 3], activation="tanh", seed=0)
        reference = _to_torch(model, "tanh")
        # nnkit decays weights only, never biases: give torch the same two groups
        weights = [m.weight for m in reference if isinstance(m, torch.nn.Linear)]
        biases = [m.bias for m in reference if isinstance(m, torch.nn.Linear)]
        ours = make_ours()
        theirs = make_theirs([{"params": weights}, {"params": biases, "weight_decay": 0.0}])
        loss = nk.CrossEntropy()
        for _ in range(3):
            loss.forward(model.forward(X), y)
            model.backward(loss.backward())
            ours.step(model)
            theirs.zero_grad()
            torch.nn.functional.cross_entropy(
                reference(torch.from_numpy(X)), torch.from_numpy(y)
            ).backward()
            theirs.step()
        np.testing.assert_allclose(
            model.layers[0].weights, reference[0].weight.detach().numpy().T, rtol=1e-9, atol=1e-12
        )
