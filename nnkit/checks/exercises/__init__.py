"""Checks for the graded exercises: a tick, or the mistake and a hint that teaches.

One module per exercise (``ex01_neuron`` ... ``ex07_dropout``);
each ``check_*`` function tests one thing (the right shape, the right
values, stable on extreme inputs, an edge case), so each nbgrader test cell
scores one idea and a mostly right answer earns most of the points.

Every check:

- calls the student's code on small fixed examples (the hidden tests pass
  their own inputs) and compares with the check's own reference code, never
  with another of the student's answers;
- switches nnkit's own implementation of that very thing off while it runs
  (:func:`switched_off`), so an answer that delegates to nnkit fails with
  "write this yourself; nnkit's version is switched off in this exercise";
- prints ✔, or ✘ with the mistake and a hint naming the idea and the lesson
  section that explains it, and then (``strict``, the default) fails the
  cell with :class:`ExerciseCheckFailed`, which IPython and nbgrader show as
  one line instead of a traceback.
"""

from ._common import SWITCHED_OFF, ExerciseCheckFailed, SwitchedOff, switched_off
from .ex01_neuron import (
    check_sigmoid_stable,
    check_sigmoid_values,
    check_step_values,
    check_weighted_sum_is_one_number,
    check_weighted_sum_value,
)
from .ex02_forward_softmax import (
    check_layer_forward_shape,
    check_layer_forward_values,
    check_softmax_rows,
    check_softmax_stable,
    check_softmax_values,
)
from .ex03_losses import (
    check_absolute_error_slope,
    check_absolute_error_value,
    check_cross_entropy_slope,
    check_cross_entropy_slope_stable,
    check_cross_entropy_stable,
    check_cross_entropy_value,
    check_squared_error_slope,
    check_squared_error_value,
)
from .ex04_backprop import (
    check_dense_gradients_overwritten,
    check_dense_inputs_gradient,
    check_dense_parameter_gradients,
    check_relu_backward_numerically,
    check_relu_backward_values,
    check_sigmoid_backward_numerically,
    check_sigmoid_backward_values,
)
from .ex05_train_penguins import (
    check_honest_scaler,
    check_loss_went_down,
    check_penguin_accuracy,
    check_split_rows,
    check_train_matches_reference,
    check_train_records_losses,
)
from .ex06_gradient_descent import (
    check_gd_loop_matches_sgd,
    check_gd_loop_steps,
    check_momentum_first_step,
    check_momentum_per_parameter,
    check_momentum_velocity,
    check_sgd_step_in_place,
    check_sgd_step_values,
)
from .ex07_dropout import (
    check_dropout_backward_numerically,
    check_dropout_backward_values,
    check_dropout_forward_values,
    check_dropout_not_training,
    check_dropout_uses_rng,
)

__all__ = [
    "SWITCHED_OFF",
    "ExerciseCheckFailed",
    "SwitchedOff",
    "check_absolute_error_slope",
    "check_absolute_error_value",
    "check_cross_entropy_slope",
    "check_cross_entropy_slope_stable",
    "check_cross_entropy_stable",
    "check_cross_entropy_value",
    "check_dense_gradients_overwritten",
    "check_dense_inputs_gradient",
    "check_dense_parameter_gradients",
    "check_dropout_backward_numerically",
    "check_dropout_backward_values",
    "check_dropout_forward_values",
    "check_dropout_not_training",
    "check_dropout_uses_rng",
    "check_gd_loop_matches_sgd",
    "check_gd_loop_steps",
    "check_honest_scaler",
    "check_layer_forward_shape",
    "check_layer_forward_values",
    "check_loss_went_down",
    "check_momentum_first_step",
    "check_momentum_per_parameter",
    "check_momentum_velocity",
    "check_penguin_accuracy",
    "check_relu_backward_numerically",
    "check_relu_backward_values",
    "check_sgd_step_in_place",
    "check_sgd_step_values",
    "check_sigmoid_backward_numerically",
    "check_sigmoid_backward_values",
    "check_sigmoid_stable",
    "check_sigmoid_values",
    "check_softmax_rows",
    "check_softmax_stable",
    "check_softmax_values",
    "check_split_rows",
    "check_squared_error_slope",
    "check_squared_error_value",
    "check_step_values",
    "check_train_matches_reference",
    "check_train_records_losses",
    "check_weighted_sum_is_one_number",
    "check_weighted_sum_value",
    "switched_off",
]
