"""How much more one targeting earns than another on the same people, with a paired interval.

Two rankings of the same customers are compared at their chosen sizes (contact the
top ``n_targeted`` by one score, the top ``other_n_targeted`` by the other). The
difference of their profits gets a percentile bootstrap interval whose replicates
resample the same rows for both, so what the two targetings share (most of their
customers, usually) cancels out: the interval is much narrower than the two
separate intervals suggest.
"""

import numpy as np

from actionable._resampling import (
    DEFAULT_N_BOOTSTRAPS,
    draw_counts,
    percentile_interval,
    replicates_in_blocks,
    shared_seed,
)
from actionable._validation import check_bootstrap_parameters, check_consistent_length
from actionable.economics._profit import (
    bootstrap_profits,
    check_cost_model,
    check_profit_inputs,
    check_truth_inputs,
    randomized_statistics,
    truth_statistics,
)
from actionable.economics._targeting import point_at

_METHOD = "paired bootstrap"
_MSG_SIZE = "{name} must be a number of people between 0 and {n}; got {value!r}."


def _check_size(value, n_total, name):
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise ValueError(_MSG_SIZE.format(name=name, n=n_total, value=value))
    value = float(value)
    if not (np.isfinite(value) and 0 <= value <= n_total):
        raise ValueError(_MSG_SIZE.format(name=name, n=n_total, value=value))
    return value


def profit_difference(
    y_true,
    score,
    other_score,
    treatment,
    *,
    n_targeted,
    other_n_targeted,
    cost_model,
    sample_weight=None,
    confidence_level=0.95,
    n_bootstraps=DEFAULT_N_BOOTSTRAPS,
    random_state=None,
):
    """Profit of one targeting minus another's, estimated from randomized data, with its interval.

    Each profit is estimated as in ``profit_curve`` (the treated and control rows
    among the people a score ranks first estimate what contacting them all gives)
    at its own size: the top ``n_targeted`` by ``score``, the top
    ``other_n_targeted`` by ``other_score``. The interval is a percentile bootstrap
    that resamples rows within each arm, the same resamples for both targetings.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        Observed outcomes: 1 = favourable, or amounts (spend, revenue) valued per unit.
    score, other_score : array-like of shape (n_samples,)
        The two targeting scores; higher means contact first.
    treatment : array-like of shape (n_samples,)
        1 for treated, 0 for control (randomized).
    n_targeted, other_n_targeted : float
        How many people each targeting contacts (for example the ``n_targeted`` of
        each score's ``best_targeting``). A size that ends inside a group of tied
        scores contacts part of the group at random, as in ``best_targeting``.
    cost_model : CostModel
        Value of the outcome (per success or per unit) and costs (capacity and
        budget are not applied: the sizes are given).
    sample_weight : array-like of shape (n_samples,), default=None
        Non-negative weights.
    confidence_level : float, default=0.95
        Coverage of the interval.
    n_bootstraps : int, default=1000
        Bootstrap replicates.
    random_state : None, int, numpy.random.Generator or numpy.random.RandomState
        Seed or generator of the resampling.

    Returns
    -------
    actionable.metrics.Interval
        ``estimate`` is the profit of the first targeting minus that of the second
        (the difference of what ``best_targeting`` reports at those sizes);
        ``low`` and ``high`` bound it.

    See Also
    --------
    profit_difference_from_truth : The same comparison from potential outcomes.
    best_targeting : Chooses each score's size.

    Examples
    --------
    >>> import numpy as np
    >>> from actionable.economics import CostModel, profit_difference
    >>> rng = np.random.default_rng(0)
    >>> x = rng.normal(size=20_000)
    >>> t = rng.integers(0, 2, 20_000)
    >>> y = (rng.random(20_000) < 0.3 + 0.2 * t * (x > 0)).astype(int)
    >>> noisy = x + rng.normal(scale=2.0, size=20_000)
    >>> diff = profit_difference(y, x, noisy, t, n_targeted=10_000, other_n_targeted=10_000,
    ...                          cost_model=CostModel(10.0, 1.0), n_bootstraps=200,
    ...                          random_state=0)
    >>> bool(diff.low > 0)
    True
    """
    cost_model = check_cost_model(cost_model)
    n_bootstraps, confidence_level, rng = check_bootstrap_parameters(
        n_bootstraps, confidence_level, random_state
    )
    y_true, score, treatment, sample_weight = check_profit_inputs(
        y_true, score, treatment, sample_weight, cost_model
    )
    _, other_score, _, _ = check_profit_inputs(y_true, other_score, treatment, sample_weight)
    sizes, profits, replicates = [], [], []
    seed = shared_seed(rng)  # the same resamples for both
    for values, n, name in (
        (score, n_targeted, "n_targeted"),
        (other_score, other_n_targeted, "other_n_targeted"),
    ):
        statistics = randomized_statistics(y_true, values, treatment, sample_weight)
        n = _check_size(n, statistics.n_total, name)
        sizes.append(n)
        profits.append(point_at(statistics, cost_model, n).profit)
        _, replicate = bootstrap_profits(
            y_true, values, treatment, sample_weight, cost_model, n_bootstraps, seed, at=[n]
        )
        replicates.append(replicate[:, 0])
    return percentile_interval(
        profits[0] - profits[1], replicates[0] - replicates[1], confidence_level, method=_METHOD
    )


def _top_share(score, n_targeted):
    """Each row's share of being contacted among the top ``n_targeted`` by ``score``.

    1 above the last threshold reached, the contacted fraction of a partially
    contacted group of tied scores inside it (contacted at random), 0 below.
    """
    unique, inverse, counts = np.unique(-score, return_inverse=True, return_counts=True)
    before = np.concatenate(([0], np.cumsum(counts)[:-1]))
    share = np.clip((n_targeted - before) / counts, 0.0, 1.0)
    return share[inverse.ravel()]


def profit_difference_from_truth(
    y0,
    y1,
    score,
    other_score,
    *,
    n_targeted,
    other_n_targeted,
    cost_model,
    confidence_level=0.95,
    n_bootstraps=DEFAULT_N_BOOTSTRAPS,
    random_state=None,
):
    """Exact profit of one targeting minus another's on these people, and its sampling interval.

    With both potential outcomes known, each targeting's profit on these people is
    exact (as in ``profit_curve_from_truth``), and so is their difference. The
    interval says how much the difference would vary on another sample of as many
    people from the same population, the two targetings kept as they are: a
    percentile bootstrap of the rows, the same resamples for both.

    Parameters
    ----------
    y0, y1 : array-like of shape (n_samples,)
        Outcome of each person without and with contact (1 = favourable, or an amount).
    score, other_score : array-like of shape (n_samples,)
        The two targeting scores; higher means contact first.
    n_targeted, other_n_targeted : float
        How many people each targeting contacts; a size that ends inside a group of
        tied scores contacts part of the group at random.
    cost_model : CostModel
        Value of the outcome (per success or per unit) and costs.
    confidence_level : float, default=0.95
        Coverage of the interval.
    n_bootstraps : int, default=1000
        Bootstrap replicates.
    random_state : None, int, numpy.random.Generator or numpy.random.RandomState
        Seed or generator of the resampling.

    Returns
    -------
    actionable.metrics.Interval
        The exact difference and its bootstrap interval.

    See Also
    --------
    profit_difference : The estimate from randomized data.

    Examples
    --------
    A persuadable, a sure thing, a lost cause and a sleeping dog; one score contacts
    the persuadable, the other the sleeping dog:

    >>> from actionable.economics import CostModel, profit_difference_from_truth
    >>> diff = profit_difference_from_truth(
    ...     [0, 1, 0, 1], [1, 1, 0, 0], [4, 3, 2, 1], [1, 2, 3, 4],
    ...     n_targeted=1, other_n_targeted=1, cost_model=CostModel(100.0, 10.0),
    ...     n_bootstraps=200, random_state=0)
    >>> diff.estimate
    200.0
    """
    cost_model = check_cost_model(cost_model)
    n_bootstraps, confidence_level, rng = check_bootstrap_parameters(
        n_bootstraps, confidence_level, random_state
    )
    y0, y1, score, _ = check_truth_inputs(y0, y1, score, cost_model=cost_model)
    _, _, other_score, _ = check_truth_inputs(y0, y1, other_score)
    check_consistent_length(score=score, other_score=other_score)
    n_total = float(score.size)
    first = _check_size(n_targeted, n_total, "n_targeted")
    second = _check_size(other_n_targeted, n_total, "other_n_targeted")
    estimate = (
        point_at(truth_statistics(y0, y1, score), cost_model, first).profit
        - point_at(truth_statistics(y0, y1, other_score), cost_model, second).profit
    )
    # each row's exact profit if contacted, weighted by how much each targeting contacts it
    per_row = cost_model.profit(np.ones_like(y0), y1 - y0, y1)
    difference = per_row * (_top_share(score, first) - _top_share(other_score, second))
    n = difference.size
    every_row = [np.arange(n)]  # one stratum: potential outcomes know no arms

    def replicates(size):
        # centred on the exact estimate: the replicates vary by (count - 1) per row
        return estimate + (draw_counts(rng, every_row, n, size) - 1.0) @ difference

    values = replicates_in_blocks(replicates, n_bootstraps, n)
    return percentile_interval(estimate, values, confidence_level, method=_METHOD)
