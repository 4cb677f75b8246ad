"""The average uplift of a targeted campaign three ways: naive, weighted, doubly robust.

When the treatment was not assigned at random, the difference of the arms' rates (naive)
is biased. Weighting by the inverse propensity (Hajek) removes the bias if the
propensities are right; the augmented estimator (AIPW; Robins, Rotnitzky & Zhao 1994)
also models the outcome in each arm and stays consistent if either the propensities or
the outcome models are right ("doubly robust"). Its outcome models are cross-fitted
(Chernozhukov et al. 2018), so a row's prediction comes from models that never saw it.
Set side by side, the three say how much the selection moved the naive figure, and a
gap between the weighted and the doubly robust estimate says that the propensities or
the outcome models are off.
"""

import numpy as np

N_OUTCOME_FOLDS = 2


def _cross_fitted_outcomes(X, y, treatment, seed, n_jobs):
    """Held-out P(y=1 | x, control) and P(y=1 | x, treated) of every row."""
    from sklearn.model_selection import StratifiedKFold

    from actionable.models import OutcomeClassifier

    mu = np.zeros((y.size, 2))
    strata = (2 * treatment + y).astype(int)
    folds = StratifiedKFold(n_splits=N_OUTCOME_FOLDS, shuffle=True, random_state=seed)
    for fold, (train, test) in enumerate(folds.split(np.zeros(y.size), strata)):
        for arm, train_on in ((0, "control"), (1, "treated")):
            model = OutcomeClassifier(
                train_on=train_on, framing="response", random_state=seed + fold, n_jobs=n_jobs
            )
            model.fit(X.iloc[train], y[train], treatment[train])
            mu[test, arm] = model.predict_risk(X.iloc[test])
    return mu


def average_uplift(X, y, treatment, weights, *, random_state=0, n_jobs=None):
    """Average uplift by the naive difference, inverse propensity weighting and AIPW.

    Parameters
    ----------
    X : pandas.DataFrame
        Features.
    y : ndarray of shape (n_samples,)
        Outcomes, 1 = favourable.
    treatment : ndarray of shape (n_samples,)
        1 treated, 0 control.
    weights : PropensityWeights
        The clipped propensities and their weights (:func:`balancing_weights`).
    random_state : int, default=0
        Seeds the folds and the outcome models.
    n_jobs : int, default=None
        Threads of the outcome models.

    Returns
    -------
    dict
        ``naive``, ``weighted`` and ``doubly_robust``, each ``{"estimate", "se"}`` (in
        probability points), with ``method``.
    """
    y = np.asarray(y, dtype=np.float64)
    treatment = np.asarray(treatment, dtype=np.float64)
    treated = treatment == 1
    e, w = weights.propensity, weights.weights

    def difference(weight):
        rates, variance = [], 0.0
        for rows in (treated, ~treated):
            share = weight[rows] / weight[rows].sum()
            rate = float(np.sum(share * y[rows]))
            rates.append(rate)
            variance += float(np.sum(share**2 * (y[rows] - rate) ** 2))
        return {"estimate": rates[0] - rates[1], "se": float(np.sqrt(variance))}

    mu = _cross_fitted_outcomes(X, y, treatment, int(random_state), n_jobs)
    psi = (
        mu[:, 1]
        - mu[:, 0]
        + treatment * (y - mu[:, 1]) / e
        - (1 - treatment) * (y - mu[:, 0]) / (1 - e)
    )
    return {
        "naive": difference(np.ones(y.size)),
        "weighted": difference(w),
        "doubly_robust": {
            "estimate": float(psi.mean()),
            "se": float(psi.std(ddof=1) / np.sqrt(psi.size)),
        },
        "method": (
            "difference of the arms' rates; the same with inverse propensity weights (Hajek); "
            f"AIPW with outcome models cross-fitted over {N_OUTCOME_FOLDS} folds"
        ),
    }


def describe_average_uplift(estimates):
    """``average uplift: naive +12.1 points, weighted +8.0 (se 0.9), doubly robust ...``."""
    parts = []
    for key, words in (("naive", "naive"), ("weighted", "weighted"),
                       ("doubly_robust", "doubly robust")):  # fmt: skip
        value = estimates[key]
        parts.append(f"{words} {100 * value['estimate']:+.1f} (se {100 * value['se']:.1f})")
    return "average uplift in points: " + ", ".join(parts)
