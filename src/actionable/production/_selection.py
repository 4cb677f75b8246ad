"""Choosing among candidate learners by the money their targeting rules earn.

With costs, ``fit --learner auto`` judges each candidate learner as it will be used:
by the profit of the targeting rule it would deploy, measured on rows neither the
learner nor the rule saw. For each fold of the cross-fitting, the candidate's rule (its
expected-profit threshold, :func:`choose_targeting_rule`) is chosen on the other folds'
held-out predictions and applied to this fold's; the contacts so decided on every row
are then priced on the randomized outcomes (``economics.policy_profit``), all candidates
on the same bootstrap resamples, so that their differences carry paired intervals.

The candidate whose profit has the **highest lower bound** (the low end of its 95%
interval) wins: the most money the data vouches for. Cross-fitted profits are noisy on
real campaigns (a few points of effect, a purchase rate of 1%), and the learner that
earns the most on the training rows is often not the one that earns the most on new
customers; the lower bound discounts a candidate whose rule is unstable, whose profit
swings from resample to resample, in favour of a steadier one that earns nearly as much.
Replayed on the benchmarks' decision track (``benchmarks/selection_replay.py``), this
rule was ahead of "the best" and of "a cheaper one within the uncertainty of the best"
(the rule before it) on Starbucks, level with them on Hillstrom; every difference was
within the split-to-split spread (``benchmarks/README.md``, "Decision").
The capacity is not part of the comparison: it applies to each scored file, whose size
the training rows do not tell.
"""

import numpy as np

from actionable._format import money
from actionable.economics import policy_profit
from actionable.models import LEARNERS
from actionable.production._rule import choose_targeting_rule, needs_p_treated

MODELS_FITTED = {"s": 1, "ct": 1, "t": 2, "x": 4, "dr": 7}
"""Models each learner fits with its defaults (the cost of fitting and scoring it)."""

N_BOOTSTRAPS = 500


def _contacts(y, treatment, folds, uplift, p_treated, cost_model, weight):
    """Each row's contact decision by a rule chosen without that row's fold."""
    contacts = np.zeros(y.size, dtype=bool)
    for fold in np.unique(folds):
        inside, outside = folds == fold, folds != fold
        rule, _ = choose_targeting_rule(
            y[outside],
            uplift[outside],
            treatment[outside],
            cost_model=cost_model,
            p_treated=None if p_treated is None else p_treated[outside],
            n_bootstraps=0,
            sample_weight=None if weight is None else weight[outside],
        )
        score = rule.score(uplift[inside], None if p_treated is None else p_treated[inside])
        contacts[inside] = rule.select(score).astype(bool)
    return contacts


def select_by_profit(
    y, treatment, folds, cross_fitted, cost_model, *, random_state=0, sample_weight=None
):
    """Choose a learner by the cross-fitted profit of its targeting rule.

    Parameters
    ----------
    y : ndarray of shape (n_samples,)
        Outcomes, 1 = favourable; or a continuous outcome's values (priced with the
        cost model's ``value_per_unit``).
    treatment : ndarray of shape (n_samples,)
        1 treated, 0 control (randomized).
    folds : ndarray of shape (n_samples,)
        The cross-fitting fold of each row.
    cross_fitted : dict of str -> tuple
        For each candidate code: its out-of-fold uplift and its out-of-fold
        ``P(y=1 | treated)`` (ignored unless the costs need it), then anything else.
    cost_model : CostModel
        The decision card's money (per success, or per unit of a continuous outcome).
    random_state : int, default=0
        Seed of the bootstrap.
    sample_weight : ndarray of shape (n_samples,), default=None
        Row weights of a targeted campaign (inverse propensity): rules and profits are
        measured on the weighted rows.

    Returns
    -------
    chosen : str
        The code of the chosen learner.
    document : dict
        ``method``, ``reason`` and, for each candidate, ``profit`` with its interval
        (``profit_low``, ``profit_high``, totals over the training rows),
        ``fraction_contacted`` and the paired ``difference_to_best``.

    Examples
    --------
    >>> import numpy as np
    >>> from actionable.economics import CostModel
    >>> rng = np.random.default_rng(0)
    >>> n = 4000
    >>> effect = rng.uniform(-0.1, 0.3, n)
    >>> treatment = rng.integers(0, 2, n)
    >>> y = (rng.random(n) < 0.3 + effect * treatment).astype(int)
    >>> folds = rng.integers(0, 5, n)
    >>> noise = rng.normal(0, 0.3, n)
    >>> candidates = {"t": (effect, None, []), "x": (effect + noise, None, [])}
    >>> chosen, document = select_by_profit(y, treatment, folds, candidates,
    ...                                     CostModel(10.0, 0.5))
    >>> chosen, sorted(document["by_learner"])
    ('t', ['t', 'x'])
    """
    with_outcomes = needs_p_treated(cost_model)
    contacts = {
        code: _contacts(
            y,
            treatment,
            folds,
            uplift,
            p_treated if with_outcomes else None,
            cost_model,
            sample_weight,
        )
        for code, (uplift, p_treated, *_) in cross_fitted.items()
    }
    profits = policy_profit(
        y,
        np.asarray(treatment, dtype=np.float64),
        {code: chosen.astype(np.float64) for code, chosen in contacts.items()},
        cost_model=cost_model,
        control_label=0.0,
        n_bootstraps=N_BOOTSTRAPS,
        random_state=random_state,
        sample_weight=sample_weight,
    )
    n = y.size
    by_fold = _profit_by_fold(y, treatment, folds, contacts, cost_model, sample_weight)
    codes = list(contacts)
    best = codes[int(np.argmax(profits.profit))]
    by_learner = {}
    for index, code in enumerate(codes):
        difference = profits.difference(code, best)
        by_learner[code] = {
            "profit": float(profits.profit[index] * n),
            "profit_low": float(profits.low[index] * n),
            "profit_high": float(profits.high[index] * n),
            "fraction_contacted": float(contacts[code].mean()),
            "difference_to_best": difference.estimate * n,
            "difference_to_best_low": difference.low * n,
            "difference_to_best_high": difference.high * n,
            "models_fitted": MODELS_FITTED[code],
            "profit_by_fold": by_fold[code],
        }
    chosen = max(codes, key=lambda code: (by_learner[code]["profit_low"], -MODELS_FITTED[code]))
    document = {
        "method": (
            "profit of each candidate's targeting rule, the rule chosen on the other folds' "
            "held-out predictions and applied to each fold's; all candidates priced on the "
            f"same {N_BOOTSTRAPS} bootstrap resamples (economics.policy_profit); the "
            "candidate whose profit has the highest lower bound is chosen"
        ),
        "best": best,
        "chosen": chosen,
        "reason": _reason(chosen, best, by_learner),
        "by_learner": by_learner,
    }
    return chosen, document


def _profit_by_fold(y, treatment, folds, contacts, cost_model, weight):
    """Each candidate's profit on each fold's rows (totals), in fold order."""
    by_fold = {code: [] for code in contacts}
    for fold in np.unique(folds):
        rows = folds == fold
        profits = policy_profit(
            y[rows],
            np.asarray(treatment[rows], dtype=np.float64),
            {code: chosen[rows].astype(np.float64) for code, chosen in contacts.items()},
            cost_model=cost_model,
            control_label=0.0,
            n_bootstraps=1,
            random_state=0,
            sample_weight=None if weight is None else weight[rows],
        )
        for index, code in enumerate(contacts):
            by_fold[code].append(float(profits.profit[index] * rows.sum()))
    return by_fold


def _reason(chosen, best, by_learner):
    name = LEARNERS[chosen][1]
    entry = by_learner[chosen]
    surest = (
        f"the {name}'s profit has the highest lower bound ({money(entry['profit_low'])} to "
        f"{money(entry['profit_high'])} over the training rows)"
    )
    close = [
        LEARNERS[code][1]
        for code in by_learner
        if code != best and by_learner[code]["difference_to_best_high"] >= 0
    ]
    if chosen == best:
        if not close:
            return f"{surest} and it earned the most, beyond the uncertainty of every other learner"
        return f"{surest} and it earned the most; {', '.join(close)} came within its uncertainty"
    return (
        f"{surest}; the {LEARNERS[best][1]} earned more on average "
        f"({money(by_learner[best]['profit'])} against {money(entry['profit'])}) but its profit "
        "is less certain: the steadier learner is kept"
    )
