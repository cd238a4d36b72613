"""Exercise 7's checks: the right dropout passes, typical mistakes fail with their hint,
handing the work to nk.Dropout fails."""

import numpy as np
import pytest

import nnkit as nk
from nnkit.checks import CheckFailed
from nnkit.checks import exercises as ex

pytestmark = pytest.mark.lesson(9)


def dropout_forward(inputs, rate, rng, training=True):
    if not training or rate == 0:
        return inputs, None
    mask = (rng.random(inputs.shape) >= rate) / (1 - rate)
    return inputs * mask, mask


def dropout_backward(grad_output, mask):
    return grad_output * mask


def not_scaled(inputs, rate, rng, training=True):
    if not training:
        return inputs, None
    mask = (rng.random(inputs.shape) >= rate).astype(float)
    return inputs * mask, mask


def keeps_rate(inputs, rate, rng, training=True):
    if not training:
        return inputs, None
    mask = (rng.random(inputs.shape) < rate) / (1 - rate)
    return inputs * mask, mask


def always_on(inputs, rate, rng, training=True):
    mask = (rng.random(inputs.shape) >= rate) / (1 - rate)
    return inputs * mask, mask


def global_random(inputs, rate, rng, training=True):
    if not training:
        return inputs, None
    mask = (np.random.random(inputs.shape) >= rate) / (1 - rate)
    return inputs * mask, mask


def delegating(inputs, rate, rng, training=True):
    layer = nk.Dropout(rate)
    layer.training = training
    return layer.forward(inputs), layer.mask


@pytest.mark.parametrize(
    "check",
    [ex.check_dropout_forward_values, ex.check_dropout_not_training, ex.check_dropout_uses_rng],
)
def test_right_forward_passes(check, capsys):
    assert check(dropout_forward)
    assert "✔" in capsys.readouterr().out


def test_right_backward_passes():
    assert ex.check_dropout_backward_values(dropout_backward)
    assert ex.check_dropout_backward_numerically(dropout_forward, dropout_backward)


@pytest.mark.parametrize(
    "check, answer, hint",
    [
        (ex.check_dropout_forward_values, not_scaled, "divides the kept values by (1 - rate)"),
        (ex.check_dropout_forward_values, keeps_rate, "share to DROP"),
        (ex.check_dropout_not_training, always_on, "nothing is dropped"),
        (ex.check_dropout_uses_rng, global_random, "rng passed in"),
        (ex.check_dropout_backward_values, lambda g, m: g * (m > 0), "same mask"),
        (ex.check_dropout_backward_values, lambda g, m: g, "no gradient back"),
    ],
)
def test_mistakes_fail_with_their_hint(check, answer, hint):
    with pytest.raises(CheckFailed) as failure:
        check(answer)
    assert hint in str(failure.value)


def test_backward_numerical_check_catches_an_unscaled_backward():
    with pytest.raises(CheckFailed, match="numerical gradient"):
        ex.check_dropout_backward_numerically(dropout_forward, lambda g, m: g * (m > 0))


def test_handing_the_work_to_nk_dropout_fails_and_dropout_works_after():
    with pytest.raises(CheckFailed, match=ex.SWITCHED_OFF):
        ex.check_dropout_forward_values(delegating)
    layer = nk.Dropout(0.5, seed=0)
    layer.training = True
    assert (layer.forward(np.ones((4, 4))) == 0).any()


def test_unanswered_is_a_clean_failure():
    def todo(*args):
        raise NotImplementedError()

    with pytest.raises(CheckFailed, match="not answered yet"):
        ex.check_dropout_backward_values(todo)
