"""trace.record: the recorded numbers are the engine's, and they pass gradcheck."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nnkit as nk
from nnkit.trace import record

pytestmark = pytest.mark.lesson(6)


def engine_pass(model, loss, X, y):
    """Gradients straight from model.backward, as training computes them."""
    outputs = model.forward(X)
    value = loss.forward(outputs, y)
    grad_X = model.backward(loss.backward(), compute_input_grad=True)
    grads = {
        (i, name): g.copy()
        for i, layer in enumerate(model.layers)
        for name, g in layer.grads.items()
    }
    return value, outputs, grads, grad_X


def test_steps_in_order():
    model = nk.mlp([2, 3, 2], activation="sigmoid", seed=0)
    trace = record(model, nk.CrossEntropy(), np.array([[0.5, -1.0]]), np.array([1]))
    phases = [(s.phase, s.index) for s in trace.steps]
    assert phases == [
        ("forward", 0),
        ("forward", 1),
        ("forward", 2),
        ("loss", -1),
        ("backward", 2),
        ("backward", 1),
        ("backward", 0),
    ]
    assert [s.name for s in trace.forward_steps] == ["Dense", "Sigmoid", "Dense"]
    # each layer's input is the previous layer's output
    for before, after in zip(trace.forward_steps, trace.forward_steps[1:]):
        np.testing.assert_array_equal(before.output, after.inputs)
    # each backward step hands its input gradient to the layer below
    for above, below in zip(trace.backward_steps, trace.backward_steps[1:]):
        np.testing.assert_array_equal(above.grad_input, below.grad_output)


@settings(max_examples=15, deadline=None)
@given(
    n_samples=st.integers(1, 4),
    hidden=st.integers(1, 4),
    activation=st.sampled_from(["sigmoid", "tanh", "relu"]),
    seed=st.integers(0, 100),
)
def test_trace_equals_engine(n_samples, hidden, activation, seed):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n_samples, 3))
    y = rng.integers(0, 2, size=n_samples)
    model = nk.mlp([3, hidden, 2], activation=activation, seed=seed)
    trace = record(model, nk.CrossEntropy(), X, y)
    value, outputs, grads, grad_X = engine_pass(model, nk.CrossEntropy(), X, y)
    assert trace.loss_value == pytest.approx(value, abs=1e-15)
    np.testing.assert_allclose(trace.forward_steps[-1].output, outputs, rtol=0, atol=1e-15)
    traced = trace.gradients()
    assert traced.keys() == grads.keys()
    for key, grad in grads.items():
        np.testing.assert_allclose(traced[key], grad, rtol=0, atol=1e-15)
    np.testing.assert_allclose(trace.backward_steps[-1].grad_input, grad_X, rtol=0, atol=1e-15)


@settings(max_examples=10, deadline=None)
@given(seed=st.integers(0, 1000), activation=st.sampled_from(["sigmoid", "tanh"]))
def test_trace_passes_numerical_check(seed, activation):
    rng = np.random.default_rng(seed)
    X, y = rng.normal(size=(3, 2)), rng.integers(0, 3, size=3)
    model = nk.mlp([2, 3, 3], activation=activation, seed=seed)
    trace = record(model, nk.CrossEntropy(), X, y)
    errors = trace.compare()
    assert set(errors) >= {(0, "weights"), (0, "bias"), (2, "weights"), (1, "inputs")}
    assert max(errors.values()) < 1e-7


def test_numerical_check_leaves_weights_alone():
    model = nk.mlp([2, 2, 2], activation="tanh", seed=1)
    before = model.get_weights()
    record(model, nk.CrossEntropy(), np.ones((1, 2)), np.array([0])).compare()
    for old, new in zip(before, model.get_weights()):
        for name in old:
            np.testing.assert_array_equal(old[name], new[name])


def test_trace_with_squared_error():
    model = nk.Sequential([nk.Dense(2, 1, seed=0)])
    X, y = np.array([[1.0, 2.0], [0.5, -1.0]]), np.array([[1.0], [0.0]])
    trace = record(model, nk.SquaredError(), X, y)
    value, _, grads, _ = engine_pass(model, nk.SquaredError(), X, y)
    assert trace.loss_value == pytest.approx(value)
    np.testing.assert_allclose(trace.gradients()[(0, "weights")], grads[(0, "weights")])
    assert max(trace.compare().values()) < 1e-7


def test_available_as_nk_trace():
    assert nk.trace.record is record
