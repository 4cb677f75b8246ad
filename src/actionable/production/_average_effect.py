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

from actionable._interval import Interval
from actionable._validation import first_non_binary
from actionable.production._uplift_interval import (
    difference_of_means_interval,
    difference_of_proportions_interval,
    two_sided_z,
)

N_OUTCOME_FOLDS = 2


def _cross_fitted_outcomes(X, y, treatment, seed, n_jobs):
    """Held-out E[y | x, control] and E[y | x, treated] of every row.

    For a binary outcome, ``OutcomeClassifier``'s P(y=1); for a continuous one
    (:func:`first_non_binary`), ``OutcomeRegressor``'s predicted outcome, the folds
    stratified on the treatment alone.
    """
    from sklearn.model_selection import StratifiedKFold

    from actionable.models import OutcomeClassifier, OutcomeRegressor

    continuous = first_non_binary(y) is not None
    outcome_model = OutcomeRegressor if continuous else OutcomeClassifier
    mu = np.zeros((y.size, 2))
    strata = (treatment if continuous else 2 * treatment + y).astype(int)
    folds = StratifiedKFold(n_splits=N_OUTCOME_FOLDS, shuffle=True, random_state=seed)
    for fold, (train, test) in enumerate(folds.split(np.zeros(y.size), strata)):
        for arm, train_on in ((0, "control"), (1, "treated")):
            model = outcome_model(
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
        Outcomes: 1 = favourable, or a continuous outcome's values (the average
        uplift is then a difference of means, in the outcome's units).
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
        probability points, or in outcome units), with ``method``.
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
    continuous = {} if first_non_binary(y) is None else {"outcome_type": "continuous"}
    return {
        **continuous,
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
    """``average uplift in points: naive +12.1 (se 1.0), weighted +8.0 (se 0.9), ...``.

    A continuous outcome's (``outcome_type`` ``"continuous"``) is in outcome units.
    """
    continuous = estimates.get("outcome_type") == "continuous"
    scale, unit, digits = (1, "outcome units", ".4g") if continuous else (100, "points", ".1f")
    parts = []
    for key, words in (("naive", "naive"), ("weighted", "weighted"),
                       ("doubly_robust", "doubly robust")):  # fmt: skip
        value = estimates[key]
        parts.append(
            f"{words} {scale * value['estimate']:+{digits}} (se {scale * value['se']:{digits}})"
        )
    return f"average uplift in {unit}: " + ", ".join(parts)


def average_effect(y, treatment, outcome_type="binary", average=None, *, confidence_level=0.95):
    """The average effect of the treatment on labelled rows, with its interval.

    The difference of the arms' means with Welch's interval for a continuous outcome
    (:func:`difference_of_means_interval`), of their rates with Newcombe's for a binary
    one; on a targeted campaign (``average`` given, from :func:`average_uplift`), the
    weighted (Hajek) difference with a normal interval. Every interval contains its
    estimate.

    Parameters
    ----------
    y : ndarray of shape (n_samples,)
        Outcomes.
    treatment : ndarray of shape (n_samples,)
        1 treated, 0 control.
    outcome_type : {"binary", "continuous"}, default="binary"
        How ``y`` is read.
    average : dict, default=None
        :func:`average_uplift`'s estimates, on a targeted campaign.
    confidence_level : float, default=0.95
        Coverage of the interval.

    Returns
    -------
    Interval

    Examples
    --------
    >>> import numpy as np
    >>> y = np.array([0.0, 12.0, 30.0, 0.0, 5.0, 0.0, 0.0, 9.0])
    >>> ci = average_effect(y, np.array([1, 1, 1, 1, 0, 0, 0, 0]), "continuous")
    >>> ci.estimate, ci.method, bool(ci.low < ci.estimate < ci.high)
    (7.0, 'Welch', True)
    """
    y = np.asarray(y, dtype=np.float64)
    treated = np.asarray(treatment) == 1
    if average is not None:
        weighted = average["weighted"]
        half = two_sided_z(confidence_level) * weighted["se"]
        estimate = weighted["estimate"]
        return Interval(estimate, estimate - half, estimate + half, confidence_level, "normal")
    if outcome_type == "continuous":
        return difference_of_means_interval(
            y[treated], y[~treated], confidence_level=confidence_level
        )
    return difference_of_proportions_interval(
        float(y[treated].sum()), int(treated.sum()), float(y[~treated].sum()),
        int((~treated).sum()), confidence_level=confidence_level,
    )  # fmt: skip
