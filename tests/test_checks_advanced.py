"""The lesson 09-11 checks: unanswered, right, and typical wrong answers with their hints."""

import numpy as np
import pytest

from nnkit.checks import CheckFailed
from nnkit.checks import advanced as check


@pytest.mark.lesson(9)
def test_majority_baseline(capsys):
    assert not check.check_majority_baseline(...)
    assert "not answered yet" in capsys.readouterr().out
    assert check.check_majority_baseline(151 / 342)
    result = check.check_majority_baseline(151)
    assert not result and "divide" in result.hint
    with pytest.raises(CheckFailed):
        check.check_majority_baseline(1 / 3, strict=True)


@pytest.mark.lesson(9)
def test_recall_tells_precision_apart():
    y_true, y_pred = [0, 0, 1, 1, 1], [0, 1, 1, 1, 0]
    assert check.check_recall(2 / 3, y_true, y_pred, species=1)
    result = check.check_recall(2 / 3, y_true, y_pred, species=0)
    assert not result
    assert "precision" in check.check_recall(0.5, [0, 0, 1], [0, 1, 1], species=1).hint


@pytest.mark.lesson(9)
def test_not_overfitting_reads_the_explorer():
    from nnkit.widgets import OverfittingExplorer

    explorer = OverfittingExplorer()
    assert not check.check_not_overfitting(explorer)
    explorer.controls["l2"].value = 0.03
    assert check.check_not_overfitting(explorer)
    assert not check.check_not_overfitting(...)
    assert not check.check_not_overfitting("explorer")


@pytest.mark.lesson(10)
def test_sigmoid_shrink_and_adam_step():
    assert check.check_sigmoid_shrink(0.25**10)
    assert not check.check_sigmoid_shrink(0.0)  # relative tolerance: 0 is not 1e-6
    assert "power" in check.check_sigmoid_shrink(2.5).hint
    assert check.check_adam_first_step(0.01)
    assert "SGD" in check.check_adam_first_step(0.04).hint
    assert "bias correction" in check.check_adam_first_step(0.01 * 0.4 / np.sqrt(0.016)).hint


@pytest.mark.lesson(10)
def test_signal_kept_reads_the_explorer():
    from nnkit.widgets import InitialisationExplorer

    explorer = InitialisationExplorer(depth=12, activation="sigmoid", init="glorot")
    assert not check.check_signal_kept(explorer)
    with explorer.hold():
        explorer.controls["activation"].value = "relu"
        explorer.controls["init"].value = "he"
    assert check.check_signal_kept(explorer)
    explorer.controls["depth"].value = 3
    assert "at least 10" in check.check_signal_kept(explorer).hint


@pytest.mark.lesson(11)
def test_torch_weight_shape():
    assert check.check_torch_weight_shape((10, 4))
    assert "transpose" in check.check_torch_weight_shape((4, 10)).hint
    assert not check.check_torch_weight_shape(...)
    assert not check.check_torch_weight_shape("ten by four")
