"""model.to_torch() and nk.from_torch(): same weights, outputs, gradients and training.

Skips (saying why) without PyTorch; CI sets NNKIT_REQUIRE_TORCH=1 so that a
missing torch fails instead.
"""

import os
import subprocess
import sys

import numpy as np
import pytest

import nnkit as nk

if os.environ.get("NNKIT_REQUIRE_TORCH"):
    import torch
else:
    torch = pytest.importorskip(
        "torch", reason="PyTorch is not installed; install the extra: pip install -e '.[torch]'"
    )

pytestmark = pytest.mark.lesson(11)


def _data(n=24, n_features=4, n_classes=3, seed=0):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(n, n_features)), rng.integers(0, n_classes, size=n)


@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid", "leaky_relu"])
def test_to_torch_gives_same_outputs_and_gradients_to_1e12(activation):
    X, y = _data()
    model = nk.mlp([4, 8, 6, 3], activation=activation, seed=3)
    for layer in model.layers:
        if isinstance(layer, nk.Dense):
            layer.bias = np.linspace(-0.3, 0.3, layer.n_neurons)
    module = model.to_torch()
    assert isinstance(module, torch.nn.Sequential)
    assert module[0].weight.dtype == torch.float64
    assert tuple(module[0].weight.shape) == (8, 4)  # (out, in)
    np.testing.assert_array_equal(module[0].weight.detach().numpy(), model.layers[0].weights.T)

    loss = nk.CrossEntropy()
    outputs = model.forward(X)
    value = loss.forward(outputs, y)
    model.backward(loss.backward())
    torch_outputs = module(torch.from_numpy(X))
    torch_loss = torch.nn.functional.cross_entropy(torch_outputs, torch.from_numpy(y))
    torch_loss.backward()
    np.testing.assert_allclose(outputs, torch_outputs.detach().numpy(), rtol=0, atol=1e-12)
    assert abs(value - torch_loss.item()) < 1e-12
    linears = [m for m in module if isinstance(m, torch.nn.Linear)]
    denses = [layer for layer in model.layers if isinstance(layer, nk.Dense)]
    for dense, linear in zip(denses, linears):
        np.testing.assert_allclose(
            dense.grads["weights"], linear.weight.grad.numpy().T, rtol=0, atol=1e-12
        )
        np.testing.assert_allclose(
            dense.grads["bias"], linear.bias.grad.numpy(), rtol=0, atol=1e-12
        )


def test_from_torch_round_trip_and_a_torch_built_network():
    torch.manual_seed(0)
    module = torch.nn.Sequential(
        torch.nn.Linear(5, 7),
        torch.nn.LeakyReLU(0.1),
        torch.nn.Dropout(0.2),
        torch.nn.Sequential(torch.nn.Linear(7, 3), torch.nn.Softmax(dim=1)),
    ).double()
    model = nk.from_torch(module)
    assert [type(layer).__name__ for layer in model.layers] == [
        "Dense",
        "LeakyReLU",
        "Dropout",
        "Dense",
        "Softmax",
    ]
    assert model.layers[1].negative_slope == pytest.approx(0.1)
    assert model.layers[2].rate == pytest.approx(0.2)
    X = np.random.default_rng(0).normal(size=(6, 5))
    module.eval()  # no dropout: as nnkit's predict
    np.testing.assert_allclose(
        model.forward(X), module(torch.from_numpy(X)).detach().numpy(), atol=1e-12
    )
    back = model.to_torch()
    for a, b in zip(module.state_dict().values(), back.state_dict().values()):
        np.testing.assert_array_equal(a.numpy(), b.numpy())


def test_float32_stays_float32_both_ways():
    model = nk.mlp([3, 4, 2], seed=0, dtype=np.float32)
    module = model.to_torch()
    assert module[0].weight.dtype == torch.float32
    assert nk.from_torch(module).layers[0].weights.dtype == np.float32


def _train_both(make_ours, make_theirs, epochs=15):
    X, y = _data(n=40, seed=1)
    model = nk.mlp([4, 10, 3], activation="relu", seed=0)
    module = model.to_torch()
    optimizer = make_ours()
    torch_optimizer = make_theirs(module.parameters())
    X_t, y_t = torch.from_numpy(X), torch.from_numpy(y)
    loss = nk.CrossEntropy()
    ours, theirs = [], []
    for _ in range(epochs):
        ours.append(loss.forward(model.forward(X), y))
        model.backward(loss.backward())
        optimizer.step(model)
        torch_optimizer.zero_grad()
        torch_loss = torch.nn.functional.cross_entropy(module(X_t), y_t)
        torch_loss.backward()
        torch_optimizer.step()
        theirs.append(torch_loss.item())
    return np.array(ours), np.array(theirs), model, module


@pytest.mark.parametrize(
    "make_ours,make_theirs",
    [
        (lambda: nk.SGD(lr=0.3), lambda p: torch.optim.SGD(p, lr=0.3)),
        (lambda: nk.SGD(lr=0.1, momentum=0.9), lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9)),
        (lambda: nk.Adam(lr=0.01), lambda p: torch.optim.Adam(p, lr=0.01)),
    ],
    ids=["sgd", "momentum", "adam"],
)
def test_identical_loss_curves_when_training_side_by_side(make_ours, make_theirs):
    ours, theirs, model, module = _train_both(make_ours, make_theirs)
    assert ours[-1] < ours[0] - 0.05  # it did learn
    np.testing.assert_allclose(ours, theirs, rtol=0, atol=1e-12)
    back = nk.from_torch(module)
    np.testing.assert_allclose(back.layers[0].weights, model.layers[0].weights, atol=1e-12)


def test_schedules_match_torch_schedulers():
    for ours, make in [
        (nk.StepDecay(every=4, drop=0.3), lambda o: torch.optim.lr_scheduler.StepLR(o, 4, 0.3)),
        (
            nk.CosineDecay(epochs=10, min_lr=0.01),
            lambda o: torch.optim.lr_scheduler.CosineAnnealingLR(o, T_max=10, eta_min=0.01),
        ),
    ]:
        optimizer = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.5)
        scheduler = make(optimizer)
        theirs = []
        for _ in range(11):
            theirs.append(optimizer.param_groups[0]["lr"])
            optimizer.step()
            scheduler.step()
        np.testing.assert_allclose(ours.rates(11, 0.5), theirs, rtol=1e-12)


def test_unknown_layers_are_named():
    with pytest.raises(ValueError, match="Conv1d"):
        nk.from_torch(torch.nn.Sequential(torch.nn.Conv1d(1, 1, 3)))
    with pytest.raises(ValueError, match="Step"):
        nk.Sequential([nk.Dense(2, 2), nk.Step()]).to_torch()
    with pytest.raises(TypeError, match="torch.nn.Module"):
        nk.from_torch([1, 2])


def test_import_nnkit_does_not_load_torch():
    code = "import sys, nnkit; nnkit.Sequential; print('torch' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


def test_train_side_by_side_gives_identical_curves():
    from nnkit.torch_bridge import train_side_by_side

    X, y = _data(n=30, seed=2)
    for name in ["sgd", "momentum", "adam"]:
        ours, theirs = train_side_by_side(nk.mlp([4, 6, 3], seed=0), X, y, name, lr=0.05)
        assert ours[-1] < ours[0]
        np.testing.assert_allclose(ours, theirs, rtol=0, atol=1e-12)
    with pytest.raises(ValueError, match="optimizer"):
        train_side_by_side(nk.mlp([4, 3]), X, y, "rmsprop")


def test_torch_parity_explorer_follows_its_controls():
    from nnkit.widgets import TorchParityExplorer

    explorer = TorchParityExplorer(epochs=10)
    ours, theirs = explorer.curves
    np.testing.assert_allclose(ours, theirs, rtol=0, atol=1e-12)
    before = explorer.picture
    explorer.controls["optimizer"].value = "adam"
    assert explorer.picture != before
    assert not np.allclose(explorer.curves[0], ours)
    explorer.controls["epochs"].value = 25
    assert len(explorer.curves[0]) == 25
    assert "largest difference" in explorer.message.value


def test_check_same_numbers():
    from nnkit.checks import advanced as check

    model = nk.mlp([4, 5, 3], seed=0)
    module = model.to_torch()
    X = np.random.default_rng(0).normal(size=(7, 4))
    assert check.check_same_numbers(model, module, X)
    with torch.no_grad():
        module[0].weight += 0.1
    assert not check.check_same_numbers(model, module, X)
    assert not check.check_same_numbers(..., module, X)


def test_torch_cell_magic_runs_the_cell_in_the_notebook_namespace():
    from IPython.testing.globalipapp import get_ipython

    ipython = get_ipython()
    ipython.run_line_magic("load_ext", "nnkit.torch_bridge")
    ipython.run_cell_magic("torch", "", "import torch\nside = torch.ones(2).sum().item()")
    assert ipython.user_ns["side"] == 2.0
