"""A plain-numpy textbook training loop: the reference nnkit should not be slower than.

One hidden ReLU layer, softmax cross-entropy, plain SGD, written out in full.
"""

from __future__ import annotations

import numpy as np


def init(sizes: list[int], seed: int = 0, dtype=np.float64) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    params = []
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        params.append(rng.normal(0, np.sqrt(2 / n_in), (n_in, n_out)).astype(dtype))
        params.append(np.zeros(n_out, dtype=dtype))
    return params


def train(X, y, params, lr: float, epochs: int, batch_size: int | None = None, seed: int = 0):
    """Minibatch SGD on a one-hidden-layer ReLU network.

    Records what nnkit's History records (the epoch's mean loss and its
    training accuracy), so both do the same work; returns (losses, accuracies).
    """
    W1, b1, W2, b2 = params
    n = X.shape[0]
    batch_size = batch_size or n
    rng = np.random.default_rng(seed)
    losses, accuracies = [], []
    for _ in range(epochs):
        total_loss, correct = 0.0, 0
        order = rng.permutation(n) if batch_size < n else np.arange(n)
        for start in range(0, n, batch_size):
            rows = order[start : start + batch_size]
            Xb, yb = (X, y) if batch_size == n else (X[rows], y[rows])
            m = Xb.shape[0]
            h = np.maximum(Xb @ W1 + b1, 0)
            z = h @ W2 + b2
            z = z - z.max(axis=1, keepdims=True)
            p = np.exp(z)
            p /= p.sum(axis=1, keepdims=True)
            total_loss += -np.log(p[np.arange(m), yb]).sum()
            correct += np.count_nonzero(z.argmax(axis=1) == yb)
            p[np.arange(m), yb] -= 1
            dz = p / m
            dW2, db2 = h.T @ dz, dz.sum(axis=0)
            dh = dz @ W2.T
            dh[h <= 0] = 0
            dW1, db1 = Xb.T @ dh, dh.sum(axis=0)
            W1 -= lr * dW1
            b1 -= lr * db1
            W2 -= lr * dW2
            b2 -= lr * db2
        losses.append(total_loss / n)
        accuracies.append(correct / n)
    return losses, accuracies
