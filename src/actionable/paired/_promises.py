"""What profit measures promise, and what the campaigns they size actually earn.

A churn team that reads the literature sizes its campaign by the expected maximum
profit (EMPC) of its churn model; an uplift team by the maximum profit uplift
measure (MPU). Both promises are set against the profit the chosen size really makes
on the held-out rows.
"""

import numpy as np

from actionable._resampling import draw_indices, percentile_interval, replicates_in_blocks
from actionable.paired._policies import profit_at, replace


def with_foresight(oracle, ctx):
    """Add what perfect foresight of each person's reaction would earn (for the notes)."""
    from actionable.economics import best_targeting_from_truth

    foresight = best_targeting_from_truth(
        ctx.y0, ctx.y1, ctx.y1 - ctx.y0, cost_model=ctx.cost_model
    )
    return replace(oracle, extra={**oracle.extra, "profit_best_foresight": foresight.profit})


def _empc_promise(risk, ctx):
    """EMPC of the churn score on the control rows, per customer, with a bootstrap interval.

    A churn team measures its model on customers nobody contacted, here the held-out
    control rows: their outcomes are churn without intervention, which is what MP and
    EMPC assume. Returns the ``ExpectedMaxProfit`` and the ``Interval`` of its profit.
    The resamples are drawn in blocks; the EMPC (an upper hull per accept rate) is then
    computed replicate by replicate.
    """
    from actionable.economics import expected_max_profit_churn

    control = ctx.treatment == 0.0
    y_control, risk_control = ctx.y[control], risk[control]
    point = expected_max_profit_churn(y_control, risk_control, cost_model=ctx.cost_model)
    rng = np.random.default_rng(ctx.seed)
    every_row = [np.arange(y_control.size)]

    def replicates(size):
        return [
            expected_max_profit_churn(
                y_control[rows], risk_control[rows], cost_model=ctx.cost_model
            ).profit
            for rows in draw_indices(rng, every_row, size)
        ]

    values = replicates_in_blocks(replicates, ctx.n_bootstraps, y_control.size)
    return point, percentile_interval(point.profit, values, ctx.confidence_level)


def _capped(n_contacted, ctx):
    capacity = ctx.cost_model.capacity_count(ctx.n)
    if capacity is not None:  # the team cannot contact more than its capacity
        n_contacted = min(n_contacted, int(capacity))
    return n_contacted


def cost_aware_policy(naive, label, ctx):
    """A churn model with its campaign size chosen by EMPC (Verbraken et al., 2013).

    ``naive`` is the strongest naive model; the size is capped at the capacity, if any
    (the promise stays the measure's own). Returns ``None`` in the response framing,
    where MP and EMPC do not apply.
    """
    if ctx.framing != "churn" or not np.any(ctx.treatment == 0.0):
        return None
    point, interval = _empc_promise(naive.score, ctx)
    n_contacted = _capped(int(round(point.fraction * ctx.n)), ctx)
    realized = profit_at(naive.score, n_contacted, ctx)
    promised = interval.scaled(float(ctx.n))
    return replace(
        naive,
        key="cost_aware",
        label=label,
        learner=f"{naive.learner}, sized by EMPC",
        best_fraction=n_contacted / ctx.n,
        profit_best=realized,
        promised_profit=promised,
        realized_profit=realized,
        promised_by="EMPC",
        extra={"promised_fraction": n_contacted / ctx.n, "built_on": naive.key},
    )


def with_uplift_promise(uplift, ctx):
    """The uplift model's promise by the maximum profit uplift measure (MPU), and its reality."""
    from actionable.economics import max_profit_uplift, max_profit_uplift_ci

    interval = max_profit_uplift_ci(
        ctx.y,
        uplift.score,
        ctx.treatment,
        cost_model=ctx.cost_model,
        n_bootstraps=ctx.n_bootstraps,
        confidence_level=ctx.confidence_level,
        random_state=ctx.seed,
    )
    point = max_profit_uplift(ctx.y, uplift.score, ctx.treatment, cost_model=ctx.cost_model)
    promised = interval.scaled(float(ctx.n))
    n_contacted = _capped(int(round(point.fraction * ctx.n)), ctx)
    realized = profit_at(uplift.score, n_contacted, ctx)
    return replace(
        uplift,
        promised_profit=promised,
        realized_profit=realized,
        promised_by="MPU",
        extra={**uplift.extra, "promised_fraction": n_contacted / ctx.n},
    )
