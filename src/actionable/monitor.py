"""Monitoring a model in production: realized uplift against expected, drift, holdout size.

An uplift model's value can only be measured against a randomized control group, so a
campaign batch must keep one. From a labelled batch, :func:`monitor_batch` computes:

- the **realized uplift**, treated minus control rate of the favourable outcome, with
  Newcombe's hybrid score interval for a difference of two independent proportions
  (Newcombe 1998, method 10: built from the two Wilson intervals; it keeps close to
  nominal coverage with small counts and rates near 0 or 1, where the Wald interval
  does not);
- the **expected uplift**, the mean of the model's predicted uplift over the same rows
  (treated and control alike: under randomization both groups stand for the whole
  batch). If the batch is a targeted list with a random holdout, it is the targeted
  population, and that is what both figures describe;
- **drift**: the population stability index (PSI) of every feature and of the score
  against the training reference kept in the model directory (:class:`DriftReference`);
- **alerts**: realized uplift significantly below the expected (the upper bound of
  realized minus expected under zero, counting the batch's interval and the sampling
  error of the training experiment the expectation comes from) or below zero, PSI
  above 0.25, and too few control rows to tell the expected uplift from zero, with
  the number needed (:func:`holdout_size`).

References
----------
.. [1] Newcombe, R. G. (1998). Interval estimation for the difference between
   independent proportions: comparison of eleven methods. Statistics in Medicine
   17(8), 873-890.
.. [2] Wilson, E. B. (1927). Probable inference, the law of succession, and
   statistical inference. JASA 22(158), 209-212.
.. [3] Siddiqi, N. (2006). Credit Risk Scorecards, ch. 8 (population stability index;
   0.1 and 0.25 as the usual "watch" and "act" thresholds).
"""

import math
from dataclasses import dataclass, field
from statistics import NormalDist

import numpy as np
import pandas as pd

from actionable._validation import (
    as_1d_float,
    check_binary_treatment,
    check_consistent_length,
    first_non_binary,
)

__all__ = [
    "DriftReference",
    "MonitorResult",
    "difference_of_proportions_interval",
    "holdout_size",
    "monitor_batch",
    "population_stability_index",
]

PSI_ALERT = 0.25
_MISSING = "(missing)"
_OTHER = "(other)"


def _z(confidence_level):
    if not 0 < confidence_level < 1:
        raise ValueError(f"confidence_level={confidence_level!r}: it must be in (0, 1).")
    return NormalDist().inv_cdf(0.5 + confidence_level / 2)


def _wilson(successes, n, z):
    p = successes / n
    denominator = 1 + z * z / n
    center = (p + z * z / (2 * n)) / denominator
    half = z / denominator * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return max(0.0, center - half), min(1.0, center + half)


def difference_of_proportions_interval(
    successes_treated, n_treated, successes_control, n_control, *, confidence_level=0.95
):
    """Compute Newcombe's hybrid score interval for ``p_treated - p_control``.

    Parameters
    ----------
    successes_treated, n_treated : float
        Favourable outcomes and rows in the treated group.
    successes_control, n_control : float
        Favourable outcomes and rows in the control group.
    confidence_level : float, default=0.95
        Coverage of the interval.

    Returns
    -------
    difference : float
        Observed difference of rates.
    low, high : float
        Interval bounds.

    References
    ----------
    .. [1] Newcombe (1998), Statistics in Medicine 17, 873-890, method 10.

    Examples
    --------
    Newcombe's worked example (56/70 against 48/80; his Table II gives 0.0524 to
    0.3339):

    >>> d, low, high = difference_of_proportions_interval(56, 70, 48, 80)
    >>> round(d, 4), round(low, 4), round(high, 4)
    (0.2, 0.0524, 0.3339)
    """
    for name, value in (("n_treated", n_treated), ("n_control", n_control)):
        if not value > 0:
            raise ValueError(f"{name}={value!r}: each group needs at least one row.")
    z = _z(confidence_level)
    p_treated = successes_treated / n_treated
    p_control = successes_control / n_control
    low_t, high_t = _wilson(successes_treated, n_treated, z)
    low_c, high_c = _wilson(successes_control, n_control, z)
    difference = p_treated - p_control
    low = difference - math.sqrt((p_treated - low_t) ** 2 + (high_c - p_control) ** 2)
    high = difference + math.sqrt((high_t - p_treated) ** 2 + (p_control - low_c) ** 2)
    return float(difference), float(low), float(high)


def holdout_size(
    p_control, p_treated, *, detectable_uplift, n_treated=None, confidence_level=0.95, power=0.8
):
    """Control rows needed to tell an uplift from zero (two-sided test, normal approximation).

    With variances ``v_t = p_t (1 - p_t)`` and ``v_c = p_c (1 - p_c)``, the difference
    of rates is detected with the given power when ``v_t / n_t + v_c / n_c <=
    (delta / (z_alpha + z_beta))**2``. With ``n_treated`` fixed (a campaign contacts
    that many people) this gives the control rows needed; without it, the rows per
    group under equal allocation (the textbook formula, e.g. Fleiss, Levin & Paik
    2003, ch. 4, without continuity correction).

    Parameters
    ----------
    p_control, p_treated : float
        Expected favourable-outcome rates in each group.
    detectable_uplift : float
        Smallest uplift (absolute difference of rates) to detect; > 0.
    n_treated : int, default=None
        Treated rows in the campaign; ``None`` for equal allocation.
    confidence_level : float, default=0.95
        ``1 - alpha`` of the two-sided test.
    power : float, default=0.8
        Probability of detecting an uplift of ``detectable_uplift``.

    Returns
    -------
    int or None
        Control rows needed (rows per group with equal allocation); ``None`` when
        ``n_treated`` is so small that no number of control rows is enough.

    Examples
    --------
    >>> holdout_size(0.10, 0.15, detectable_uplift=0.05)
    683
    >>> holdout_size(0.10, 0.15, detectable_uplift=0.05, n_treated=10_000)
    295
    """
    if not detectable_uplift > 0:
        raise ValueError(f"detectable_uplift={detectable_uplift!r}: it must be > 0.")
    if not 0 < power < 1:
        raise ValueError(f"power={power!r}: it must be in (0, 1).")
    z = _z(confidence_level) + NormalDist().inv_cdf(power)
    variance_control = p_control * (1 - p_control)
    variance_treated = p_treated * (1 - p_treated)
    budget = (detectable_uplift / z) ** 2
    if n_treated is None:
        return math.ceil((variance_control + variance_treated) / budget)
    room = budget - variance_treated / n_treated
    if room <= 0:
        return None
    return math.ceil(variance_control / room)


def population_stability_index(expected, actual, *, epsilon=1e-4):
    """PSI between two distributions over the same bins.

    ``PSI = sum((a - e) * ln(a / e))`` over bins, with proportions floored at
    ``epsilon`` so that an empty bin does not make it infinite.

    Parameters
    ----------
    expected : array-like of shape (n_bins,)
        Reference proportions (or counts), e.g. in the training data.
    actual : array-like of shape (n_bins,)
        Proportions (or counts) in the new data.
    epsilon : float, default=1e-4
        Floor of every proportion.

    Returns
    -------
    float
        0 for identical distributions; above 0.25 is usually read as a major shift.

    Examples
    --------
    >>> population_stability_index([0.5, 0.5], [0.5, 0.5])
    0.0
    >>> round(population_stability_index([0.5, 0.5], [0.9, 0.1]), 4)
    0.8789
    """
    expected = np.asarray(expected, dtype=np.float64)
    actual = np.asarray(actual, dtype=np.float64)
    if expected.shape != actual.shape or expected.ndim != 1:
        raise ValueError(
            f"expected and actual must be 1-D with the same bins; got shapes "
            f"{expected.shape} and {actual.shape}."
        )
    expected = np.maximum(expected / expected.sum(), epsilon)
    actual = np.maximum(actual / actual.sum(), epsilon)
    return float(np.sum((actual - expected) * np.log(actual / expected)))


def _numeric_bins(values, edges):
    """Bin index per value: ``(-inf, e0], (e0, e1], ..., (e_last, inf)``, then missing."""
    index = np.searchsorted(edges, values, side="left")
    index[np.isnan(values)] = len(edges) + 1
    return index


@dataclass
class DriftReference:
    """Training-time distributions of each feature and of the score, for PSI.

    Numeric features (and the score) are cut at the training deciles (duplicates
    merged, so a binary column gets two bins), plus a bin for missing values.
    Categorical features use their training categories, a bin for values never
    seen in training and one for missing values.

    Parameters
    ----------
    features : dict
        Feature name -> ``{"kind": "numeric", "edges": [...], "proportions": [...]}``
        or ``{"kind": "categorical", "categories": [...], "proportions": [...]}``.
    score : dict, default=None
        Same layout as a numeric feature, for the predicted uplift.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> rng = np.random.default_rng(0)
    >>> train = pd.DataFrame({"x": rng.normal(size=5000), "c": rng.choice(["a", "b"], 5000)})
    >>> reference = DriftReference.from_frame(train)
    >>> new = pd.DataFrame({"x": rng.normal(3, 1, 2000), "c": rng.choice(["a", "b"], 2000)})
    >>> drift = reference.psi(new)
    >>> drift["x"] > 0.25, drift["c"] < 0.1
    (True, True)
    """

    features: dict = field(default_factory=dict)
    score: dict | None = None

    @staticmethod
    def _numeric(values, n_bins):
        values = np.asarray(values, dtype=np.float64)
        finite = values[~np.isnan(values)]
        if finite.size:
            quantiles = np.quantile(finite, np.linspace(0, 1, n_bins + 1)[1:-1])
            edges = np.unique(quantiles)
        else:
            edges = np.array([], dtype=np.float64)
        counts = np.bincount(_numeric_bins(values, edges), minlength=len(edges) + 2)
        return {
            "kind": "numeric",
            "edges": edges.tolist(),
            "proportions": (counts / values.size).tolist(),
        }

    @staticmethod
    def _categorical(series):
        text = series.astype("string").where(series.notna())
        categories = sorted(text.dropna().unique().tolist())
        counts = [int((text == c).sum()) for c in categories]
        counts += [0, int(text.isna().sum())]
        return {
            "kind": "categorical",
            "categories": categories,
            "proportions": (np.asarray(counts) / len(series)).tolist(),
        }

    @classmethod
    def from_frame(cls, features, score=None, *, n_bins=10):
        """Record the reference distributions of training data.

        Parameters
        ----------
        features : pandas.DataFrame
            Training features.
        score : array-like of shape (n_samples,), default=None
            Predicted uplift on the training population.
        n_bins : int, default=10
            Quantile bins per numeric feature.

        Returns
        -------
        DriftReference
        """
        reference = {}
        for name in features.columns:
            series = features[name]
            if pd.api.types.is_bool_dtype(series) or pd.api.types.is_numeric_dtype(series):
                reference[str(name)] = cls._numeric(
                    series.to_numpy(dtype=np.float64, na_value=np.nan), n_bins
                )
            else:
                reference[str(name)] = cls._categorical(series)
        score_reference = None if score is None else cls._numeric(score, n_bins)
        return cls(features=reference, score=score_reference)

    @staticmethod
    def _proportions(reference, values):
        if reference["kind"] == "numeric":
            values = np.asarray(values, dtype=np.float64)
            edges = np.asarray(reference["edges"], dtype=np.float64)
            counts = np.bincount(_numeric_bins(values, edges), minlength=len(edges) + 2)
        else:
            series = pd.Series(values)
            text = series.astype("string").where(series.notna())
            known = text.isin(reference["categories"])
            counts = [int((text == c).sum()) for c in reference["categories"]]
            counts += [int((~known & text.notna()).sum()), int(text.isna().sum())]
        return np.asarray(counts, dtype=np.float64)

    def psi(self, features):
        """PSI of each reference feature present in ``features``.

        Parameters
        ----------
        features : pandas.DataFrame
            New data; features absent from it are skipped.

        Returns
        -------
        dict of str to float
            PSI per feature.
        """
        drift = {}
        for name, reference in self.features.items():
            if name not in features.columns:
                continue
            series = features[name]
            if reference["kind"] == "numeric":
                series = series.to_numpy(dtype=np.float64, na_value=np.nan)
            drift[name] = population_stability_index(
                reference["proportions"], self._proportions(reference, series)
            )
        return drift

    def score_psi(self, score):
        """PSI of the predicted uplift, or ``None`` without a score reference.

        Parameters
        ----------
        score : array-like of shape (n_samples,)

        Returns
        -------
        float or None
        """
        if self.score is None:
            return None
        return population_stability_index(
            self.score["proportions"], self._proportions(self.score, score)
        )

    def to_dict(self):
        """Return the reference as a JSON-serializable dict.

        Returns
        -------
        dict
        """
        return {"features": self.features, "score": self.score}

    @classmethod
    def from_dict(cls, data):
        """Build a reference from :meth:`to_dict` output.

        Parameters
        ----------
        data : dict

        Returns
        -------
        DriftReference
        """
        return cls(features=dict(data.get("features", {})), score=data.get("score"))


@dataclass
class MonitorResult:
    """What a labelled campaign batch says about the model.

    Parameters
    ----------
    n, n_treated, n_control : int
        Rows in the batch and in each group.
    treated_rate, control_rate : float
        Favourable-outcome rate in each group.
    realized_uplift, ci_low, ci_high : float
        ``treated_rate - control_rate`` and its Newcombe interval.
    confidence_level : float
        Coverage of the interval.
    expected_uplift : float
        Mean predicted uplift over the batch.
    expected_uplift_se : float
        Standard error attributed to ``expected_uplift`` (from training).
    drift : dict of str to float
        PSI per feature.
    score_psi : float or None
        PSI of the predicted uplift.
    holdout : dict
        Control rows needed to detect ``detectable_uplift`` with the batch's
        treated rows (``control_rows_needed``) and per group with equal allocation.
    alerts : list of str
        One sentence per alert; empty when all is well.
    """

    n: int
    n_treated: int
    n_control: int
    treated_rate: float
    control_rate: float
    realized_uplift: float
    ci_low: float
    ci_high: float
    confidence_level: float
    expected_uplift: float
    expected_uplift_se: float
    drift: dict
    score_psi: float | None
    holdout: dict
    alerts: list

    def to_dict(self):
        """The ``monitor.json`` document: DESIGN.md's keys first, then additive ones.

        Returns
        -------
        dict
        """
        return {
            "n": self.n,
            "realized_uplift": self.realized_uplift,
            "ci_low": self.ci_low,
            "ci_high": self.ci_high,
            "expected_uplift": self.expected_uplift,
            "drift": dict(self.drift),
            "alerts": list(self.alerts),
            "confidence_level": self.confidence_level,
            "interval_method": "Newcombe hybrid score (Wilson) for a difference of proportions",
            "n_treated": self.n_treated,
            "n_control": self.n_control,
            "treated_rate": self.treated_rate,
            "control_rate": self.control_rate,
            "expected_uplift_se": self.expected_uplift_se,
            "score_psi": self.score_psi,
            "psi_alert_threshold": PSI_ALERT,
            "holdout": dict(self.holdout),
        }


def monitor_batch(
    y_true,
    treatment,
    uplift,
    *,
    features=None,
    reference=None,
    expected_uplift_se=0.0,
    confidence_level=0.95,
    power=0.8,
    detectable_uplift=None,
    psi_threshold=PSI_ALERT,
):
    """Compare a campaign batch's realized uplift with the model's, and check drift.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        1 = favourable outcome.
    treatment : array-like of shape (n_samples,)
        1 = treated, 0 = randomized control; both groups are required.
    uplift : array-like of shape (n_samples,)
        The model's predicted uplift for each row.
    features : pandas.DataFrame, default=None
        The batch's features, for drift.
    reference : DriftReference, default=None
        Training distributions; without it no drift is computed.
    expected_uplift_se : float, default=0.0
        Standard error of the expected uplift itself: a model's mean predicted uplift
        reproduces the uplift measured in its training experiment, with that
        experiment's sampling error. The "significantly below the expected" alert
        combines it with the batch's interval (half-widths added in quadrature).
    confidence_level : float, default=0.95
        Coverage of the realized-uplift interval and of the alert's test.
    power : float, default=0.8
        Power used for the holdout size.
    detectable_uplift : float, default=None
        Uplift the holdout must be able to detect; default ``|expected uplift|``,
        at least 0.01 (one percentage point).
    psi_threshold : float, default=0.25
        PSI above which a feature (or the score) raises an alert.

    Returns
    -------
    MonitorResult
        Figures, drift and alerts; ``to_dict()`` is the ``monitor.json`` document.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> treatment = rng.integers(0, 2, 20_000)
    >>> y = rng.random(20_000) < 0.30 + 0.05 * treatment
    >>> result = monitor_batch(y, treatment, np.full(20_000, 0.05))
    >>> result.ci_low < 0.05 < result.ci_high, result.alerts
    (True, [])
    >>> harmful = monitor_batch(rng.random(20_000) < 0.30 - 0.05 * treatment, treatment,
    ...                         np.full(20_000, 0.05))
    >>> harmful.ci_high < 0, len(harmful.alerts)
    (True, 2)
    """
    y_true = as_1d_float(y_true, "y_true")
    uplift = as_1d_float(uplift, "uplift")
    treatment = check_binary_treatment(treatment)
    check_consistent_length(y_true=y_true, treatment=treatment, uplift=uplift)
    non_binary = first_non_binary(y_true)
    if non_binary is not None:
        index, value = non_binary
        raise ValueError(
            f"y_true must be binary (1 = favourable, 0 = not); got {value!r} at position {index}."
        )
    is_treated = treatment == 1.0
    n_treated = int(is_treated.sum())
    n_control = int(y_true.size - n_treated)
    successes_treated = float(y_true[is_treated].sum())
    successes_control = float(y_true[~is_treated].sum())
    realized, low, high = difference_of_proportions_interval(
        successes_treated,
        n_treated,
        successes_control,
        n_control,
        confidence_level=confidence_level,
    )
    expected = float(uplift.mean())
    level = f"{confidence_level:.0%}"
    alerts = []
    if high < 0:
        alerts.append(
            f"treatment harms: realized uplift {realized:+.4f} ({level} interval "
            f"{low:+.4f} to {high:+.4f}) is below zero."
        )
    if expected_uplift_se < 0 or not math.isfinite(expected_uplift_se):
        raise ValueError(f"expected_uplift_se={expected_uplift_se!r}: it must be >= 0.")
    margin = math.hypot(high - realized, _z(confidence_level) * expected_uplift_se)
    if realized + margin < expected:
        alerts.append(
            f"realized uplift {realized:+.4f} ({level} interval {low:+.4f} to {high:+.4f}) "
            f"is significantly below the expected {expected:+.4f}."
        )

    delta = detectable_uplift if detectable_uplift is not None else max(abs(expected), 0.01)
    # Agresti-Caffo adjusted rates keep the variance away from 0 with few events.
    p_control = (successes_control + 1) / (n_control + 2)
    p_treated = (successes_treated + 1) / (n_treated + 2)
    needed = holdout_size(
        p_control,
        p_treated,
        detectable_uplift=delta,
        n_treated=n_treated,
        confidence_level=confidence_level,
        power=power,
    )
    per_group = holdout_size(
        p_control,
        p_treated,
        detectable_uplift=delta,
        confidence_level=confidence_level,
        power=power,
    )
    holdout = {
        "detectable_uplift": delta,
        "power": power,
        "confidence_level": confidence_level,
        "n_treated": n_treated,
        "control_rows_needed": needed,
        "per_group_if_equal": per_group,
    }
    if needed is None or n_control < needed:
        need = (
            f"about {needed:,} are needed with these {n_treated:,} treated rows"
            if needed is not None
            else f"about {per_group:,} treated and {per_group:,} control rows are needed"
        )
        alerts.append(
            f"too few control rows ({n_control:,}) to measure an uplift of {delta:.4f} "
            f"({power:.0%} power, {level} confidence): {need}."
        )

    drift, score_psi = {}, None
    if reference is not None:
        if features is not None:
            drift = reference.psi(features)
        score_psi = reference.score_psi(uplift)
    for name, value in drift.items():
        if value > psi_threshold:
            alerts.append(f"drift: feature {name!r} has PSI {value:.3f} > {psi_threshold:g}.")
    if score_psi is not None and score_psi > psi_threshold:
        alerts.append(f"drift: the predicted uplift has PSI {score_psi:.3f} > {psi_threshold:g}.")

    return MonitorResult(
        n=int(y_true.size),
        n_treated=n_treated,
        n_control=n_control,
        treated_rate=successes_treated / n_treated,
        control_rate=successes_control / n_control,
        realized_uplift=realized,
        ci_low=low,
        ci_high=high,
        confidence_level=confidence_level,
        expected_uplift=expected,
        expected_uplift_se=float(expected_uplift_se),
        drift=drift,
        score_psi=score_psi,
        holdout=holdout,
        alerts=alerts,
    )
