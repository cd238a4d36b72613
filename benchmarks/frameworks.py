"""The same training runs in nnkit, plain numpy, scikit-learn and (if installed) PyTorch."""

from __future__ import annotations

import warnings

import numpy as np

import nnkit as nk

from . import reference


def run_nnkit(X, y, sizes, lr, epochs, batch_size=None, seed=0):
    model = nk.mlp(sizes, activation="relu", seed=seed, dtype=X.dtype)
    model.fit(X, y, optimizer=nk.SGD(lr=lr), epochs=epochs, batch_size=batch_size, seed=seed)
    return model


def run_numpy(X, y, sizes, lr, epochs, batch_size=None, seed=0):
    params = reference.init(sizes, seed, dtype=X.dtype)
    return reference.train(X, y, params, lr, epochs, batch_size, seed)


def run_sklearn(X, y, sizes, lr, epochs, batch_size=None, seed=0):
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier

    model = MLPClassifier(
        hidden_layer_sizes=tuple(sizes[1:-1]),
        activation="relu",
        solver="sgd",
        momentum=0.0,
        nesterovs_momentum=False,
        learning_rate_init=lr,
        alpha=0.0,
        batch_size=batch_size or len(X),
        max_iter=epochs,
        tol=0.0,
        n_iter_no_change=epochs + 1,
        shuffle=True,
        random_state=seed,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(X, y)
    return model


def torch_available() -> bool:
    try:
        import torch  # noqa: F401
    except ImportError:
        return False
    return True


def run_torch(X, y, sizes, lr, epochs, batch_size=None, seed=0):
    import torch

    torch.manual_seed(seed)
    dtype = torch.float32 if X.dtype == np.float32 else torch.float64
    layers = []
    for k, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        layers.append(torch.nn.Linear(n_in, n_out, dtype=dtype))
        if k < len(sizes) - 2:
            layers.append(torch.nn.ReLU())
    model = torch.nn.Sequential(*layers)
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    X_t, y_t = torch.from_numpy(X), torch.from_numpy(y.astype(np.int64))
    n = len(X)
    batch_size = batch_size or n
    generator = torch.Generator().manual_seed(seed)
    for _ in range(epochs):
        order = torch.randperm(n, generator=generator) if batch_size < n else None
        for start in range(0, n, batch_size):
            if order is None:
                Xb, yb = X_t, y_t
            else:
                rows = order[start : start + batch_size]
                Xb, yb = X_t[rows], y_t[rows]
            optimizer.zero_grad()
            loss = torch.nn.functional.cross_entropy(model(Xb), yb)
            loss.backward()
            optimizer.step()
    return model


CONTENDERS = {
    "nnkit": run_nnkit,
    "plain numpy loop": run_numpy,
    "scikit-learn MLP": run_sklearn,
    "PyTorch CPU": run_torch,
}
