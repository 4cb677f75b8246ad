"""When does predicting churn suffice? A map of simulated businesses.

Targeting by churn risk ranks customers by P(persuadable) + P(lost cause), the risk
of leaving if nothing is done; targeting by uplift ranks them by P(persuadable) -
P(sleeping dog). How close the two come depends on how those line up in a
business: ``risk_uplift_sweep`` measures it across ``make_churn`` worlds, with the
ideal version of each model (the world's true probabilities), so that the map shows
the structure of each business and not the noise of a fitted model.
"""

import numpy as np
import pandas as pd

DEFAULT_SWEEP_MIXES = {
    "calibrated": {
        "persuadable": 0.22,
        "sure thing": 0.45,
        "lost cause": 0.23,
        "sleeping dog": 0.10,
    },
    "few sleeping dogs": {
        "persuadable": 0.22,
        "sure thing": 0.50,
        "lost cause": 0.25,
        "sleeping dog": 0.03,
    },
    "many lost causes": {
        "persuadable": 0.15,
        "sure thing": 0.35,
        "lost cause": 0.40,
        "sleeping dog": 0.10,
    },
    "many sleeping dogs": {
        "persuadable": 0.22,
        "sure thing": 0.40,
        "lost cause": 0.18,
        "sleeping dog": 0.20,
    },
}
"""The type mixes of the default sweep; ``"calibrated"`` is ``make_churn``'s default."""

DEFAULT_RISK_ALIGNMENTS = (-1.0, -0.5, 0.0, 0.5, 1.0)
"""The values of ``make_churn``'s ``risk_alignment`` in the default sweep."""

COLUMNS = (
    "world",
    "risk_alignment",
    "persuadable",
    "sure thing",
    "lost cause",
    "sleeping dog",
    "rank_correlation",
    "churn_profit",
    "churn_fraction",
    "uplift_profit",
    "uplift_fraction",
    "share",
    "optimal_profit",
)


def _best(expected_y0, expected_y1, score, cost_model, n):
    from actionable.economics import best_targeting_from_truth

    best = best_targeting_from_truth(expected_y0, expected_y1, score, cost_model=cost_model)
    return 1000.0 * best.profit / n, best.fraction


def compare_in_world(data, cost_model):
    """Ideal churn-risk targeting against ideal uplift targeting on one ``make_churn`` sample.

    Parameters
    ----------
    data : UpliftDataset
        A ``make_churn`` sample (its ``extra["type_probabilities"]`` are used).
    cost_model : CostModel
        The economics.

    Returns
    -------
    dict
        ``rank_correlation`` (Spearman, churn risk vs true effect), ``churn_profit``
        and ``uplift_profit`` (expected best profit per 1,000 customers, each at its
        best size), ``churn_fraction``, ``uplift_fraction`` (those sizes) and
        ``share`` (churn over uplift; NaN when uplift targeting earns nothing), and
        ``optimal_profit``: the best ranking's, by each customer's expected profit if
        contacted (the ceiling for both).
    """
    from scipy.stats import spearmanr

    probabilities = data.extra["type_probabilities"]
    persuadable, sure, lost, dog = probabilities.T
    risk = persuadable + lost  # P(leaves | not contacted)
    effect = persuadable - dog
    # expected outcomes without and with contact: the exact expectation of the profit
    expected_y0, expected_y1 = sure + dog, persuadable + sure
    n = risk.size
    churn_profit, churn_fraction = _best(expected_y0, expected_y1, risk, cost_model, n)
    uplift_profit, uplift_fraction = _best(expected_y0, expected_y1, effect, cost_model, n)
    # the most profitable ranking: by each customer's expected profit if contacted
    per_contact = cost_model.profit(np.ones(n), expected_y1 - expected_y0, expected_y1)
    optimal_profit, _ = _best(expected_y0, expected_y1, per_contact, cost_model, n)
    return {
        "rank_correlation": float(spearmanr(risk, effect).statistic),
        "churn_profit": churn_profit,
        "churn_fraction": churn_fraction,
        "uplift_profit": uplift_profit,
        "uplift_fraction": uplift_fraction,
        "share": churn_profit / uplift_profit if uplift_profit > 0 else float("nan"),
        "optimal_profit": optimal_profit,
    }


def risk_uplift_sweep(
    type_mixes=None,
    risk_alignments=None,
    *,
    sharpness=1.0,
    cost_model=None,
    n_samples=20_000,
    random_state=0,
):
    """Map when targeting by churn risk earns as much as targeting by uplift.

    For each simulated business (a ``make_churn`` world: a type mix and a
    ``risk_alignment``), ``n_samples`` customers are drawn, and two ideal rankings
    are compared: by the true churn risk, P(leaves | not contacted) = P(persuadable)
    + P(lost cause), what a perfect churn model would give; and by the true effect,
    P(persuadable) - P(sleeping dog), what a perfect uplift model would give. Each is
    judged at its best campaign size by its expected profit under ``cost_model``,
    exact from the world's probabilities. The ideal models isolate the structure of
    the business from the noise of fitting.

    Parameters
    ----------
    type_mixes : dict of str to dict, default=None
        Named type mixes (``make_churn``'s ``type_mix``). ``None`` uses
        ``DEFAULT_SWEEP_MIXES``: the calibrated mix, few sleeping dogs, many lost
        causes, many sleeping dogs.
    risk_alignments : sequence of float, default=None
        Values of ``make_churn``'s ``risk_alignment``, in [-1, 1]. ``None`` uses
        ``DEFAULT_RISK_ALIGNMENTS`` (-1, -0.5, 0, 0.5, 1).
    sharpness : float, default=1.0
        ``make_churn``'s ``sharpness`` for every world.
    cost_model : CostModel, default=None
        The economics; ``None`` uses ``make_churn``'s default costs ($200 per
        retained customer, $10 per contact, a $50 offer paid by those who stay).
    n_samples : int, default=20_000
        Customers drawn per world.
    random_state : int, default=0
        Seeds the customers of every world (the same seed for each).

    Returns
    -------
    pandas.DataFrame
        One row per world: ``world`` (the mix's name), ``risk_alignment``, the four
        type shares, ``rank_correlation`` (Spearman correlation between churn risk
        and true effect), ``churn_profit`` and ``uplift_profit`` (best expected
        profit per 1,000 customers), ``churn_fraction`` and ``uplift_fraction`` (the
        best sizes), ``share`` = churn_profit / uplift_profit, and
        ``optimal_profit``, the ceiling: ranking by each customer's expected profit
        if contacted. A share can exceed 1 where the incentive is paid only by
        customers who stay: ranking by effect alone then ignores that sure things
        cost more to contact than lost causes.

    See Also
    --------
    actionable.datasets.make_churn : The worlds.

    Examples
    --------
    >>> from actionable.paired import risk_uplift_sweep
    >>> sweep = risk_uplift_sweep(risk_alignments=[-1.0, 1.0], n_samples=4000)
    >>> sweep[["world", "risk_alignment", "rank_correlation", "share"]].round(2).head(2)
            world  risk_alignment  rank_correlation  share
    0  calibrated            -1.0              0.05   0.61
    1  calibrated             1.0              0.78   1.05
    """
    from actionable.datasets import make_churn
    from actionable.economics import CostModel

    mixes = DEFAULT_SWEEP_MIXES if type_mixes is None else type_mixes
    if not isinstance(mixes, dict) or not mixes:
        raise ValueError(f"type_mixes must be a non-empty dict of name -> type mix; got {mixes!r}.")
    alignments = DEFAULT_RISK_ALIGNMENTS if risk_alignments is None else tuple(risk_alignments)
    if not alignments:
        raise ValueError("risk_alignments must hold at least one value in [-1, 1].")
    rows = []
    for name, mix in mixes.items():
        for alignment in alignments:
            data = make_churn(
                n_samples,
                type_mix=mix,
                sharpness=sharpness,
                risk_alignment=alignment,
                random_state=random_state,
            )
            shares = data.extra["world_parameters"]["type_mix"]
            if cost_model is None:  # make_churn's own economics
                cost_model = CostModel.from_dict(data.costs)
            rows.append(
                {
                    "world": str(name),
                    "risk_alignment": float(alignment),
                    **shares,
                    **compare_in_world(data, cost_model),
                }
            )
    return pd.DataFrame(rows, columns=list(COLUMNS))


def locate_world(sweep, world):
    """The row of ``sweep`` for a world's parameters (``PairedResult.world``), or ``None``.

    Parameters
    ----------
    sweep : pandas.DataFrame
        From ``risk_uplift_sweep``.
    world : dict or None
        ``type_mix`` and ``risk_alignment`` of a world.

    Returns
    -------
    int or None
        The row's position.
    """
    if world is None or sweep is None or len(sweep) == 0:
        return None
    mix = world.get("type_mix") or {}
    match = np.isclose(sweep["risk_alignment"], world.get("risk_alignment", 0.0))
    for kind, share in mix.items():
        if kind in sweep:
            match &= np.isclose(sweep[kind], share, atol=1e-9)
    positions = np.flatnonzero(match)
    return int(positions[0]) if positions.size else None
