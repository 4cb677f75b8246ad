"""How a synthetic campaign assigns its offer: at random, or targeted with known probabilities."""

import numpy as np

ASSIGNMENTS = ("random", "tenure", "churn_risk")
TARGETED_SLOPE = 1.5
"""Slope of a targeted campaign's contact logit per standard deviation of its score."""
TARGETED_CLIP = (0.05, 0.95)
"""Bounds of a targeted campaign's contact probabilities: everyone could be either."""


def targeted_propensity(score, share):
    """Contact probabilities logistic in the standardized ``score``, averaging ``share``."""
    spread = score.std()
    z = (score - score.mean()) / (spread if spread > 0 else 1.0)

    def probabilities(intercept):
        logit = np.clip(intercept + TARGETED_SLOPE * z, -30.0, 30.0)
        return np.clip(1.0 / (1.0 + np.exp(-logit)), *TARGETED_CLIP)

    low, high = -30.0, 30.0
    for _ in range(80):  # bisection: the mean probability increases with the intercept
        middle = (low + high) / 2
        low, high = (middle, high) if probabilities(middle).mean() < share else (low, middle)
    return probabilities((low + high) / 2)


def assign_treatment(assignment, share, rng, *, tenure, churn_risk):
    """``(treatment, propensity)``: who a campaign of ``assignment`` contacts, and how likely.

    ``"random"`` contacts exactly ``share`` of the rows, drawn at random; ``"tenure"``
    and ``"churn_risk"`` contact each row with a probability logistic in its score
    (short tenure, or high risk of leaving without the offer), averaging ``share``.
    """
    n_samples = tenure.size
    if assignment == "random":
        propensity = np.full(n_samples, float(share))
        n_treated = int(round(float(share) * n_samples))
        treatment = np.zeros(n_samples, dtype=np.int64)
        treatment[rng.permutation(n_samples)[:n_treated]] = 1
        return treatment, propensity
    score = churn_risk if assignment == "churn_risk" else -tenure
    propensity = targeted_propensity(score, float(share))
    treatment = (rng.random(n_samples) < propensity).astype(np.int64)
    return treatment, propensity
