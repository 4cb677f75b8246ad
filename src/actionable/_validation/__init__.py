"""Input checks with constant, clear messages: the one place every layer checks its inputs.

``_values`` checks arrays and numbers (outcomes, treatments, scores, weights, counts,
shares, bootstrap parameters); ``_tables`` checks the columns of a table and the labels
of a treatment column. Every layer imports them from here.
"""

from actionable._validation._tables import (
    check_columns,
    describe_values,
    labelled_treatment_flags,
    matches_label,
)
from actionable._validation._values import (
    MSG_CAPACITY,
    MSG_NO_CONTROL,
    MSG_NO_TREATED,
    as_1d_float,
    as_generator,
    check_binary,
    check_binary_treatment,
    check_bootstrap_parameters,
    check_consistent_length,
    check_control_label,
    check_fraction_or_count,
    check_given,
    check_integer,
    check_number,
    check_sample_weight,
    check_uplift_inputs,
    first_non_binary,
    rows_scaled_weights,
    threads_for,
)

__all__ = [
    "MSG_CAPACITY",
    "MSG_NO_CONTROL",
    "MSG_NO_TREATED",
    "as_1d_float",
    "as_generator",
    "check_binary",
    "check_binary_treatment",
    "check_bootstrap_parameters",
    "check_columns",
    "check_consistent_length",
    "check_control_label",
    "check_fraction_or_count",
    "check_given",
    "check_integer",
    "check_number",
    "check_sample_weight",
    "check_uplift_inputs",
    "describe_values",
    "first_non_binary",
    "labelled_treatment_flags",
    "matches_label",
    "rows_scaled_weights",
    "threads_for",
]
