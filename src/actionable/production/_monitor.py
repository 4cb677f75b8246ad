"""Monitoring a campaign batch: realized uplift against expected, in money, drift, alerts.

An uplift model's value can only be measured against a randomized control group, so a
campaign batch must keep one. From a labelled batch, :func:`monitor_batch` computes:

- the **realized uplift**, treated minus control rate of the favourable outcome, with
  Newcombe's hybrid score interval for a difference of two independent proportions
  (Newcombe 1998, method 10: built from the two Wilson intervals; it keeps close to
  nominal coverage with small counts and rates near 0 or 1, where the Wald interval
  does not), and, with costs, the same in money: extra favourable outcomes among the
  contacted and the campaign's incremental profit, with intervals;
- the **expected uplift**, the mean of the model's predicted uplift over the same rows
  (treated and control alike: under randomization both groups stand for the batch);
- **drift**: the population stability index of every feature and of the predicted
  uplift, against the right reference: the training customers the model's rule would
  have targeted when the batch is a target list with a random holdout (the usual set-up),
  the whole training population otherwise (see :mod:`actionable.production._drift`);
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
"""

import math
from dataclasses import dataclass
from statistics import NormalDist

import numpy as np

from actionable._interval import Interval
from actionable._validation import (
    as_1d_float,
    check_binary,
    check_binary_treatment,
    check_consistent_length,
    check_number,
)
from actionable.production._alerts import drift_alerts, holdout_alerts, uplift_alerts
from actionable.production._drift import PSI_ALERT

TARGETED_SHARE = 0.95
"""A batch is taken for a target list when at least this share of it is above the rule's
threshold (while the training population is not)."""


def two_sided_z(confidence_level):
    """The normal quantile of a two-sided interval at ``confidence_level``."""
    check_number(confidence_level, "confidence_level", low=0, high=1, low_open=True, high_open=True)
    return NormalDist().inv_cdf(0.5 + confidence_level / 2)


def wilson_interval(successes, n, z):
    """Wilson's score interval of a success probability, ``z`` the normal quantile."""
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
    Interval
        ``estimate`` is the observed difference of rates, ``low`` and ``high`` its
        bounds; method ``"Newcombe"``.

    References
    ----------
    .. [1] Newcombe (1998), Statistics in Medicine 17, 873-890, method 10.

    Examples
    --------
    Newcombe's worked example (56/70 against 48/80; his Table II gives 0.0524 to
    0.3339):

    >>> ci = difference_of_proportions_interval(56, 70, 48, 80)
    >>> round(ci.estimate, 4), round(ci.low, 4), round(ci.high, 4), ci.method
    (0.2, 0.0524, 0.3339, 'Newcombe')
    """
    for name, value in (("n_treated", n_treated), ("n_control", n_control)):
        if not value > 0:
            raise ValueError(f"{name}={value!r}: each group needs at least one row.")
    z = two_sided_z(confidence_level)
    p_treated = successes_treated / n_treated
    p_control = successes_control / n_control
    low_t, high_t = wilson_interval(successes_treated, n_treated, z)
    low_c, high_c = wilson_interval(successes_control, n_control, z)
    difference = p_treated - p_control
    low = difference - math.sqrt((p_treated - low_t) ** 2 + (high_c - p_control) ** 2)
    high = difference + math.sqrt((high_t - p_treated) ** 2 + (p_control - low_c) ** 2)
    return Interval(float(difference), float(low), float(high), confidence_level, "Newcombe")


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
    check_number(power, "power", low=0, high=1, low_open=True, high_open=True)
    z = two_sided_z(confidence_level) + NormalDist().inv_cdf(power)
    variance_control = p_control * (1 - p_control)
    variance_treated = p_treated * (1 - p_treated)
    budget = (detectable_uplift / z) ** 2
    if n_treated is None:
        return math.ceil((variance_control + variance_treated) / budget)
    room = budget - variance_treated / n_treated
    if room <= 0:
        return None
    return math.ceil(variance_control / room)


def _money(cost_model, uplift, n_treated, successes_treated):
    """Incremental profit of contacting the treated rows, if the uplift is ``uplift``."""
    return float(cost_model.profit(n_treated, uplift * n_treated, successes_treated))


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
    reference : str or None
        Which training rows the batch was compared with, in words; None when no
        drift reference was given (no drift measured).
    targeted : bool
        Whether the batch was taken for a target list.
    money : dict or None
        With costs: realized and expected extra favourable outcomes and profit of the
        contacted rows, with intervals.
    holdout : dict
        Control rows needed to detect ``detectable_uplift`` with the batch's
        treated rows (``control_rows_needed``) and per group with equal allocation.
    alerts : list of str
        One sentence per alert; empty when all is well.
    randomization : dict or None
        The randomization check of the batch's treated rows against its holdout
        (``SavedModel.monitor``); an alert when the holdout is not random.
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
    reference: str
    targeted: bool
    money: dict | None
    holdout: dict
    alerts: list
    randomization: dict | None = None

    @property
    def realized_uplift_interval(self):
        """``realized_uplift`` with its Newcombe interval, as an ``Interval``."""
        return Interval(
            self.realized_uplift, self.ci_low, self.ci_high, self.confidence_level, "Newcombe"
        )

    def to_dict(self):
        """The ``monitor.json`` document: the contract's keys first, then additive ones.

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
            "drift_reference": self.reference,
            "targeted_batch": self.targeted,
            "money": None if self.money is None else dict(self.money),
            "holdout": dict(self.holdout),
            "randomization": self.randomization,
        }


def _reference(reference, score, threshold, batch):
    """``(cut, targeted, words)``: which training rows the batch is compared with."""
    if batch not in ("auto", "targeted", "population"):
        raise ValueError(f"batch must be 'auto', 'targeted' or 'population'; got {batch!r}.")
    everyone = "the whole training population"
    if reference is None:
        return None, False, None  # no drift is measured
    if score is None or batch == "population":
        return None, False, everyone
    score = np.asarray(score, dtype=np.float64)
    if batch == "auto":
        selected = float(np.mean(score > threshold))
        if not (selected >= TARGETED_SHARE and reference.share_above(threshold) < 0.8):
            return None, False, everyone
    cut = float(np.min(score))
    words = (
        "the training customers the model would have targeted (targeting score at least "
        f"{cut:.4g}, as in this batch)"
    )
    return cut, True, words


def _drift(reference, features, uplift, *, score, threshold, batch):
    """``(drift, score_psi, words, targeted)``: PSI of each feature and of the predicted uplift.

    Measured against the training rows :func:`_reference` chooses; nothing without a
    reference.
    """
    cut, targeted, words = _reference(reference, score, threshold, batch)
    drift, score_psi = {}, None
    if reference is not None:
        if features is not None:
            drift = reference.psi(features, cut=cut)
        score_psi = reference.uplift_psi(uplift, cut=cut)
    return drift, score_psi, words, targeted


def _holdout(successes, counts, delta, confidence_level, power):
    # Agresti-Caffo adjusted rates keep the variance away from 0 with few events.
    (successes_treated, successes_control), (n_treated, n_control) = successes, counts
    p_control = (successes_control + 1) / (n_control + 2)
    p_treated = (successes_treated + 1) / (n_treated + 2)
    common = {"detectable_uplift": delta, "confidence_level": confidence_level, "power": power}
    return {
        "detectable_uplift": delta,
        "power": power,
        "confidence_level": confidence_level,
        "n_treated": n_treated,
        "control_rows_needed": holdout_size(p_control, p_treated, n_treated=n_treated, **common),
        "per_group_if_equal": holdout_size(p_control, p_treated, **common),
    }


def _money_document(
    cost_model, realized, low, high, expected, n_treated, successes_treated, control_rate
):
    if cost_model is None:
        return None
    # Had the promise held, the treated would have succeeded at the control rate plus the
    # expected uplift: an incentive paid on success is counted on those successes, not on
    # the ones this batch happened to realize.
    expected_successes = float(np.clip(control_rate + expected, 0.0, 1.0)) * n_treated
    return {
        "extra_favourable_outcomes": realized * n_treated,
        "extra_favourable_outcomes_ci": [low * n_treated, high * n_treated],
        "expected_extra_favourable_outcomes": expected * n_treated,
        "profit": _money(cost_model, realized, n_treated, successes_treated),
        "profit_ci": [
            _money(cost_model, low, n_treated, successes_treated),
            _money(cost_model, high, n_treated, successes_treated),
        ],
        "expected_profit": _money(cost_model, expected, n_treated, expected_successes),
        "meaning": (
            "what contacting the batch's treated rows earned against leaving them alone, "
            "relative to contacting nobody (the control rate stands for the outcome without "
            "contact); expected figures use the model's mean predicted uplift"
        ),
    }


def monitor_batch(
    y_true,
    treatment,
    uplift,
    *,
    features=None,
    reference=None,
    score=None,
    threshold=0.0,
    batch="auto",
    cost_model=None,
    expected_uplift_se=0.0,
    confidence_level=0.95,
    power=0.8,
    detectable_uplift=None,
    psi_threshold=PSI_ALERT,
):
    """Compare a campaign batch's realized uplift with the model's, in money, and check drift.

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
    score : array-like of shape (n_samples,), default=None
        The targeting score of each row (what the rule ranks by); with ``threshold``,
        it tells a target list from a random batch.
    threshold : float, default=0.0
        The rule's threshold on ``score``.
    batch : {"auto", "targeted", "population"}, default="auto"
        What the batch is: the model's target list with a random holdout
        (``"targeted"``: drift is measured against the training customers the rule
        would have targeted), a random batch of the population (``"population"``:
        against all training customers), or ``"auto"``: targeted when at least
        ``TARGETED_SHARE`` of the batch scores above the threshold while most of the
        training population does not.
    cost_model : CostModel, default=None
        With costs, the realized and expected uplift are also given in money.
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
        PSI above which a feature (or the predicted uplift) raises an alert.

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
    >>> bool(result.ci_low < 0.05 < result.ci_high), result.alerts
    (True, [])
    >>> harmful = monitor_batch(rng.random(20_000) < 0.30 - 0.05 * treatment, treatment,
    ...                         np.full(20_000, 0.05))
    >>> bool(harmful.ci_high < 0), len(harmful.alerts)
    (True, 2)
    """
    y_true = as_1d_float(y_true, "y_true")
    uplift = as_1d_float(uplift, "uplift")
    treatment = check_binary_treatment(treatment)
    check_consistent_length(y_true=y_true, treatment=treatment, uplift=uplift)
    check_binary(y_true, "y_true")
    if expected_uplift_se < 0 or not math.isfinite(expected_uplift_se):
        raise ValueError(f"expected_uplift_se={expected_uplift_se!r}: it must be >= 0.")
    is_treated = treatment == 1.0
    counts = (int(is_treated.sum()), int(y_true.size - is_treated.sum()))
    successes = (float(y_true[is_treated].sum()), float(y_true[~is_treated].sum()))
    control_rate = successes[1] / counts[1]
    interval = difference_of_proportions_interval(
        successes[0], counts[0], successes[1], counts[1], confidence_level=confidence_level
    )
    realized, low, high = interval.estimate, interval.low, interval.high
    expected = float(uplift.mean())
    level = f"{confidence_level:.0%}"
    margin = math.hypot(high - realized, two_sided_z(confidence_level) * expected_uplift_se)
    alerts = uplift_alerts(realized, low, high, expected, margin=margin, level=level)
    delta = detectable_uplift if detectable_uplift is not None else max(abs(expected), 0.01)
    holdout = _holdout(successes, counts, delta, confidence_level, power)
    alerts += holdout_alerts(holdout, counts, level)
    drift, score_psi, words, targeted = _drift(
        reference, features, uplift, score=score, threshold=threshold, batch=batch
    )
    alerts += drift_alerts(drift, score_psi, psi_threshold)
    return MonitorResult(
        n=int(y_true.size),
        n_treated=counts[0],
        n_control=counts[1],
        treated_rate=successes[0] / counts[0],
        control_rate=control_rate,
        realized_uplift=realized,
        ci_low=low,
        ci_high=high,
        confidence_level=confidence_level,
        expected_uplift=expected,
        expected_uplift_se=float(expected_uplift_se),
        drift=drift,
        score_psi=score_psi,
        reference=words,
        targeted=targeted,
        money=_money_document(
            cost_model, realized, low, high, expected, counts[0], successes[0], control_rate
        ),
        holdout=holdout,
        alerts=alerts,
    )
