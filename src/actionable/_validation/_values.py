"""Input checks shared by every public function, with constant, clear messages.

Each check raises one ``ValueError`` whose message names the argument and the
problem. The messages are module constants so tests can compare against them.
This module imports nothing from the rest of the package.
"""

import math
import numbers
import os

import numpy as np
import pandas as pd

_MSG_EMPTY = "{name} is empty: at least one sample is required."
_MSG_NOT_1D = "{name} must be 1-dimensional; got an array of shape {shape}."
_MSG_NOT_FINITE = "{name} contains {what} at position {index}; remove or impute it first."
_MSG_NOT_NUMERIC = "{name} must be numeric; got dtype {dtype}."
_MSG_LENGTH_MISMATCH = (
    "Inconsistent numbers of samples: {lengths}. All inputs must have the same length."
)
_MSG_TREATMENT_NOT_BINARY = (
    "treatment must contain only 0 (control) and 1 (treated); got value {value!r}."
)
MSG_NO_TREATED = "treatment has no treated rows (value 1): uplift cannot be estimated."
MSG_NO_CONTROL = "treatment has no control rows (value 0): uplift cannot be estimated."
_MSG_NEGATIVE_WEIGHT = "sample_weight must be non-negative; got {value!r} at position {index}."
_MSG_FRACTION = "{name} must be in (0, 1] as a fraction or a positive integer count; got {value!r}."
_MSG_N_BOOTSTRAPS = "n_bootstraps must be a positive integer; got {value!r}."
_MSG_CONFIDENCE_LEVEL = "confidence_level must be a number strictly between 0 and 1; got {value!r}."
_MSG_NOT_BINARY = (
    "{name} must contain only 0 and 1 ({meaning}){purpose}; got value {value!r} at position "
    "{index}."
)
_MSG_INTEGER = "{name}={value!r}: it must be an integer of at least {minimum}."
_MSG_NUMBER = "{name}={value!r}: it must be a finite number in {interval}."
MSG_CAPACITY = "capacity={value!r}: it must be a positive number of contacts (or unset)."
_MSG_NO_CONTROL_LABEL = (
    "{name} has no control rows (value {control!r}): no row equals control_label; the values "
    "seen: {values}."
)
_MSG_ONLY_CONTROL_LABEL = (
    "{name} has only control rows (value {control!r}): no treated arm, so uplift cannot be "
    "estimated."
)
_MSG_RANDOM_STATE = (
    "random_state must be None, an integer, a numpy Generator or RandomState; got {value!r}."
)


def as_1d_float(values, name):
    """Return ``values`` as a finite 1-D float64 array, or raise ``ValueError``.

    Parameters
    ----------
    values : array-like of shape (n_samples,)
        Values to check. pandas Series and lists are accepted; booleans become 0/1.
    name : str
        Argument name used in error messages.

    Returns
    -------
    ndarray of shape (n_samples,)
        The values as a contiguous float64 array (no copy when already so).

    Examples
    --------
    >>> as_1d_float([1, 0, 1], "y_true")
    array([1., 0., 1.])
    """
    array = np.asarray(values)
    if array.ndim == 2 and 1 in array.shape and array.size > 1:
        raise ValueError(_MSG_NOT_1D.format(name=name, shape=array.shape))
    if array.ndim != 1:
        raise ValueError(_MSG_NOT_1D.format(name=name, shape=array.shape))
    if array.size == 0:
        raise ValueError(_MSG_EMPTY.format(name=name))
    if array.dtype.kind not in "biuf":
        try:
            array = array.astype(np.float64)
        except (TypeError, ValueError):
            raise ValueError(_MSG_NOT_NUMERIC.format(name=name, dtype=array.dtype)) from None
    may_be_non_finite = array.dtype.kind == "f"
    array = np.ascontiguousarray(array, dtype=np.float64)
    if may_be_non_finite:
        finite = np.isfinite(array)
        if not finite.all():
            index = int(np.argmin(finite))
            what = "NaN" if np.isnan(array[index]) else "infinity"
            raise ValueError(_MSG_NOT_FINITE.format(name=name, what=what, index=index))
    return array


def check_given(**arrays):
    """Raise ``ValueError`` naming the first of the keyword arrays that is ``None``."""
    for name, values in arrays.items():
        if values is None:
            raise ValueError(f"{name} is required; got None.")


def check_consistent_length(**arrays):
    """Raise ``ValueError`` unless all given arrays have the same length.

    Parameters
    ----------
    **arrays : array-like or None
        Arrays keyed by argument name; ``None`` values are ignored.

    Examples
    --------
    >>> check_consistent_length(y_true=[1, 0], uplift=[0.1, 0.2])
    """
    lengths = {name: len(a) for name, a in arrays.items() if a is not None}
    if len(set(lengths.values())) > 1:
        described = ", ".join(f"{k}={v}" for k, v in lengths.items())
        raise ValueError(_MSG_LENGTH_MISMATCH.format(lengths=described))


def first_non_binary(values):
    """Find the first entry that is neither 0 nor 1, for an error message.

    Parameters
    ----------
    values : ndarray of shape (n_samples,)
        Float values, e.g. from :func:`as_1d_float`.

    Returns
    -------
    tuple of (int, int or float) or None
        ``(index, value)`` of the first such entry, the value as an ``int``
        when it is a whole number; ``None`` when every entry is 0 or 1.

    Examples
    --------
    >>> first_non_binary(np.array([0.0, 1.0, 2.0, 0.5]))
    (2, 2)
    >>> first_non_binary(np.array([0.0, 1.0])) is None
    True
    """
    is_binary = (values == 0.0) | (values == 1.0)
    if is_binary.all():
        return None
    index = int(np.argmin(is_binary))
    value = values[index]
    return index, int(value) if float(value).is_integer() else float(value)


def check_binary_treatment(treatment, name="treatment", *, both_arms=True):
    """Return a binary treatment as a float64 array of 0/1 with both groups present.

    The check is vectorized and never calls ``np.unique``, so it stays cheap on
    tens of millions of rows.

    Parameters
    ----------
    treatment : array-like of shape (n_samples,)
        1 for treated, 0 for control (booleans accepted).
    name : str, default="treatment"
        Argument name used in error messages.
    both_arms : bool, default=True
        Whether treated and control rows must both be present.

    Returns
    -------
    ndarray of shape (n_samples,)
        The treatment flags as float64.

    Examples
    --------
    >>> check_binary_treatment([1, 0, 0, 1])
    array([1., 0., 0., 1.])
    """
    flags = as_1d_float(treatment, name)
    not_binary = first_non_binary(flags)
    if not_binary is not None:
        raise ValueError(_MSG_TREATMENT_NOT_BINARY.format(value=not_binary[1]))
    if not both_arms:
        return flags
    n_treated = int(np.count_nonzero(flags == 1.0))
    if n_treated == 0:
        raise ValueError(MSG_NO_TREATED)
    if n_treated == flags.size:
        raise ValueError(MSG_NO_CONTROL)
    return flags


def check_binary(values, name, *, meaning="1 = favourable, 0 = not", purpose=""):
    """Return ``values`` as float64, checking each is 0 or 1 (an outcome, a flag).

    ``meaning`` says what 1 and 0 stand for, ``purpose`` why binary values are needed
    (e.g. ``" for a classifier"``); both go into the message.

    Examples
    --------
    >>> check_binary([1, 0, True], "y")
    array([1., 0., 1.])
    """
    values = as_1d_float(values, name)
    not_binary = first_non_binary(values)
    if not_binary is not None:
        index, value = not_binary
        raise ValueError(
            _MSG_NOT_BINARY.format(
                name=name, meaning=meaning, purpose=purpose, value=value, index=index
            )
        )
    return values


def check_sample_weight(sample_weight, n_samples):
    """Return validated non-negative float64 weights, or ``None`` if not given.

    Parameters
    ----------
    sample_weight : array-like of shape (n_samples,) or None
        Weights per sample.
    n_samples : int
        Expected length.

    Returns
    -------
    ndarray of shape (n_samples,) or None

    Examples
    --------
    >>> check_sample_weight([1, 2], 2)
    array([1., 2.])
    """
    if sample_weight is None:
        return None
    weights = as_1d_float(sample_weight, "sample_weight")
    check_consistent_length(sample_weight=weights, expected=range(n_samples))
    negative = weights < 0
    if negative.any():
        index = int(np.argmax(negative))
        raise ValueError(_MSG_NEGATIVE_WEIGHT.format(value=float(weights[index]), index=index))
    return weights


def rows_scaled_weights(sample_weight, n_samples):
    """Validated weights rescaled to sum to ``n_samples`` (``None`` stays ``None``).

    Inverse propensity weights stand for customers: rescaled, their sums count rows, so
    sizes, capacities and minimum group sizes keep meaning rows whatever their scale.

    Examples
    --------
    >>> rows_scaled_weights([1, 3], 2)
    array([0.5, 1.5])
    """
    weights = check_sample_weight(sample_weight, n_samples)
    if weights is None:
        return None
    total = weights.sum()
    if not total > 0:
        raise ValueError("sample_weight is 0 on every row.")
    return weights * (n_samples / total)


def check_uplift_inputs(y_true, uplift, treatment, sample_weight=None):
    """Validate the ``(y_true, uplift, treatment[, sample_weight])`` quadruple.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        Observed outcomes (binary or continuous).
    uplift : array-like of shape (n_samples,)
        Scores; higher means target first.
    treatment : array-like of shape (n_samples,)
        1 for treated, 0 for control.
    sample_weight : array-like of shape (n_samples,), default=None
        Non-negative weights.

    Returns
    -------
    y_true, uplift, treatment, sample_weight : ndarray
        float64 arrays; ``sample_weight`` is ``None`` when not given.

    Examples
    --------
    >>> y, u, t, w = check_uplift_inputs([1, 0], [0.3, 0.1], [1, 0])
    >>> t
    array([1., 0.])
    """
    check_given(y_true=y_true, uplift=uplift, treatment=treatment)
    shapes = {
        name: np.shape(values)
        for name, values in (("y_true", y_true), ("uplift", uplift), ("treatment", treatment))
    }
    for name, shape in shapes.items():
        if len(shape) != 1:
            raise ValueError(_MSG_NOT_1D.format(name=name, shape=shape))
    check_consistent_length(
        y_true=y_true, uplift=uplift, treatment=treatment, sample_weight=sample_weight
    )
    y_true = as_1d_float(y_true, "y_true")
    uplift = as_1d_float(uplift, "uplift")
    treatment = check_binary_treatment(treatment)
    sample_weight = check_sample_weight(sample_weight, y_true.size)
    return y_true, uplift, treatment, sample_weight


def check_fraction_or_count(k, n_samples, name="k"):
    """Turn ``k`` (a fraction in (0, 1] or a positive count) into a count of samples.

    Parameters
    ----------
    k : float or int
        Fraction of samples (float in (0, 1]) or number of samples (int >= 1).
    n_samples : int
        Number of samples available.
    name : str, default="k"
        Argument name used in error messages.

    Returns
    -------
    int
        Number of samples, between 1 and ``n_samples``.

    Examples
    --------
    >>> check_fraction_or_count(0.3, 10)
    3
    >>> check_fraction_or_count(4, 10)
    4
    """
    if isinstance(k, bool) or not isinstance(k, numbers.Real):
        raise ValueError(_MSG_FRACTION.format(name=name, value=k))
    if isinstance(k, numbers.Integral):
        if not 1 <= k <= n_samples:
            raise ValueError(f"{name}={k!r} is out of range: it must be between 1 and {n_samples}.")
        return int(k)
    if not 0 < k <= 1:
        raise ValueError(_MSG_FRACTION.format(name=name, value=k))
    return max(1, int(k * n_samples))


def check_bootstrap_parameters(n_bootstraps, confidence_level, random_state):
    """Check the parameters every bootstrap interval shares; return them normalized.

    Parameters
    ----------
    n_bootstraps : int
        Number of bootstrap replicates, at least 1.
    confidence_level : float
        Strictly between 0 and 1.
    random_state : None, int, numpy.random.Generator, SeedSequence or RandomState
        Seed or generator of the replicates.

    Returns
    -------
    n_bootstraps : int
    confidence_level : float
    rng : numpy.random.Generator

    Examples
    --------
    >>> n, level, rng = check_bootstrap_parameters(200, 0.95, 0)
    >>> n, level, type(rng).__name__
    (200, 0.95, 'Generator')
    """
    if (
        isinstance(n_bootstraps, bool)
        or not isinstance(n_bootstraps, numbers.Integral)
        or n_bootstraps < 1
    ):
        raise ValueError(_MSG_N_BOOTSTRAPS.format(value=n_bootstraps))
    if (
        isinstance(confidence_level, bool)
        or not isinstance(confidence_level, numbers.Real)
        or not 0.0 < confidence_level < 1.0
    ):
        raise ValueError(_MSG_CONFIDENCE_LEVEL.format(value=confidence_level))
    return int(n_bootstraps), float(confidence_level), as_generator(random_state)


def as_generator(random_state):
    """Return a ``numpy.random.Generator`` from any of numpy's ways to seed.

    A ``RandomState`` (scikit-learn's convention) seeds a new Generator from one
    draw, so it advances as it would when used directly; a Generator is returned
    as it is.

    Examples
    --------
    >>> import numpy as np
    >>> float(as_generator(0).random()) == float(np.random.default_rng(0).random())
    True
    """
    if isinstance(random_state, np.random.RandomState):
        return np.random.default_rng(random_state.randint(np.iinfo(np.int32).max))
    if isinstance(random_state, bool) or not (
        random_state is None
        or isinstance(random_state, (numbers.Integral, np.random.Generator, np.random.SeedSequence))
    ):
        raise ValueError(_MSG_RANDOM_STATE.format(value=random_state))
    return np.random.default_rng(random_state)


def threads_for(n_jobs):
    """Threads for scikit-learn's ``n_jobs``: ``None`` is 1, -1 all cores, -2 all but one.

    Parameters
    ----------
    n_jobs : int or None
        Requested parallelism.

    Returns
    -------
    int
        At least 1.

    Examples
    --------
    >>> threads_for(None), threads_for(3)
    (1, 3)
    """
    if n_jobs is None:
        return 1
    if n_jobs < 0:
        return max(1, (os.cpu_count() or 1) + 1 + int(n_jobs))
    return max(1, int(n_jobs))


def check_integer(value, name, *, minimum=0, allow_none=False, message=None):
    """Return ``value`` as an ``int`` of at least ``minimum`` (booleans refused).

    ``None`` passes when ``allow_none``; ``message`` (formatted with ``name`` and
    ``value``) replaces the default one.

    Examples
    --------
    >>> check_integer(3, "n_folds", minimum=2)
    3
    """
    if value is None and allow_none:
        return None
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < minimum:
        default = _MSG_INTEGER.format(name=name, value=value, minimum=minimum)
        raise ValueError(default if message is None else message.format(name=name, value=value))
    return int(value)


def check_number(
    value, name, *, low=-math.inf, high=math.inf, low_open=False, high_open=False, message=None
):
    """Return ``value`` as a finite ``float`` within ``[low, high]`` (each end may be open).

    Booleans, text, NaN and infinities are refused; ``message`` (formatted with
    ``name`` and ``value``) replaces the default one.

    Examples
    --------
    >>> check_number(0.3, "share", low=0, high=1, low_open=True)
    0.3
    """
    inside = (
        not isinstance(value, bool)
        and isinstance(value, numbers.Real)
        and math.isfinite(value)
        and (low < value if low_open else low <= value)
        and (value < high if high_open else value <= high)
    )
    if not inside:
        interval = f"{'(' if low_open else '['}{low:g}, {high:g}{')' if high_open else ']'}"
        default = _MSG_NUMBER.format(name=name, value=value, interval=interval)
        raise ValueError(default if message is None else message.format(name=name, value=value))
    return float(value)


def check_control_label(values, control_label, name="treatment"):
    """Return the mask of control rows of arm labels; control and treated rows must exist.

    Examples
    --------
    >>> check_control_label(np.array(["mail", "none", "call"]), "none")
    array([False,  True, False])
    """
    values = np.asarray(values)
    if values.ndim != 1:
        raise ValueError(_MSG_NOT_1D.format(name=name, shape=values.shape))
    missing = pd.isna(values)
    if missing.any():
        raise ValueError(f"{name} contains a missing value at position {int(np.argmax(missing))}.")
    is_control = np.asarray(values == control_label)
    if is_control.shape != values.shape:  # an incomparable label: no row is the control
        is_control = np.zeros(values.shape, dtype=bool)
    if not is_control.any():
        seen = [str(value) for value in pd.unique(values)[:10]]
        raise ValueError(
            _MSG_NO_CONTROL_LABEL.format(name=name, control=control_label, values=seen)
        )
    if is_control.all():
        raise ValueError(_MSG_ONLY_CONTROL_LABEL.format(name=name, control=control_label))
    return is_control
