"""Monitoring a campaign batch: realized uplift against expected, in money, drift, alerts.

An uplift model's value can only be measured against a randomized control group, so a
campaign batch must keep one. From a labelled batch, :func:`monitor_batch` computes:

- the **realized uplift**, treated minus control rate of the favourable outcome, with
  Newcombe's hybrid score interval for a difference of two independent proportions
  (Newcombe 1998, method 10: built from the two Wilson intervals; it keeps close to
  nominal coverage with small counts and rates near 0 or 1, where the Wald interval
  does not); on a **continuous outcome** (spend, revenue), treated minus control mean
  in the outcome's units with Welch's interval
  (:func:`~actionable.production.difference_of_means_interval`); and, with costs, the
  same in money: extra favourable outcomes (extra units of the outcome) among the
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

The intervals and the holdout size are in :mod:`actionable.production._uplift_interval`.
"""

import math
from dataclasses import dataclass

import numpy as np

from actionable._interval import Interval
from actionable._validation import (
    as_1d_float,
    check_binary,
    check_binary_treatment,
    check_consistent_length,
    first_non_binary,
)
from actionable.production._alerts import drift_alerts, holdout_alerts, uplift_alerts
from actionable.production._drift import PSI_ALERT
from actionable.production._uplift_interval import (
    difference_of_means_interval,
    difference_of_proportions_interval,
    rows_needed,
    two_sided_z,
)

_METHOD_WORDS = {
    "Newcombe": "Newcombe hybrid score (Wilson) for a difference of proportions",
    "Welch": "Welch t interval for a difference of means",
}
TARGETED_SHARE = 0.95
"""A batch is taken for a target list when at least this share of it is above the rule's
threshold (while the training population is not)."""


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
        Favourable-outcome rate in each group (the mean outcome, for a continuous one).
    realized_uplift, ci_low, ci_high : float
        ``treated_rate - control_rate`` and its interval (Newcombe's; Welch's for a
        continuous outcome).
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
    outcome_type : {"binary", "continuous"}, default="binary"
        Whether the figures are rates and favourable outcomes, or means and units of a
        continuous outcome (spend, revenue).
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
    outcome_type: str = "binary"

    @property
    def interval_method(self):
        """``"Newcombe"`` for a binary outcome, ``"Welch"`` for a continuous one."""
        return "Welch" if self.outcome_type == "continuous" else "Newcombe"

    @property
    def realized_uplift_interval(self):
        """``realized_uplift`` with its interval, as an ``Interval`` (:attr:`interval_method`)."""
        return Interval(
            self.realized_uplift,
            self.ci_low,
            self.ci_high,
            self.confidence_level,
            self.interval_method,
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
            "interval_method": _METHOD_WORDS[self.interval_method],
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
            "outcome_type": self.outcome_type,
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


def _holdout(variances, counts, delta, confidence_level, power):
    """The holdout document: control rows needed, from the groups' outcome variances."""
    variance_treated, variance_control = variances
    n_treated = counts[0]
    common = {"detectable_uplift": delta, "confidence_level": confidence_level, "power": power}
    return {
        "detectable_uplift": delta,
        "power": power,
        "confidence_level": confidence_level,
        "n_treated": n_treated,
        "control_rows_needed": rows_needed(
            variance_control, variance_treated, n_treated=n_treated, **common
        ),
        "per_group_if_equal": rows_needed(variance_control, variance_treated, **common),
    }


def _arms(y_true, is_treated, continuous, confidence_level):
    """``(counts, means, interval, variances)`` of the treated and control groups.

    The variances size the holdout: for a binary outcome those of the Agresti-Caffo
    adjusted rates, which keep them away from 0 with few events.
    """
    counts = (int(is_treated.sum()), int(y_true.size - is_treated.sum()))
    groups = (y_true[is_treated], y_true[~is_treated])
    if continuous:
        interval = difference_of_means_interval(*groups, confidence_level=confidence_level)
        variances = tuple(float(np.var(group, ddof=1)) for group in groups)
        return counts, tuple(float(group.mean()) for group in groups), interval, variances
    successes = tuple(float(group.sum()) for group in groups)
    interval = difference_of_proportions_interval(
        successes[0], counts[0], successes[1], counts[1], confidence_level=confidence_level
    )
    adjusted = ((k + 1) / (n + 2) for k, n in zip(successes, counts, strict=True))
    variances = tuple(p * (1 - p) for p in adjusted)
    return counts, (successes[0] / counts[0], successes[1] / counts[1]), interval, variances


def _money_document(cost_model, interval, expected, counts, means, successes_treated):
    """Realized and expected extra outcomes and profit of the treated rows (None: no costs).

    ``successes_treated`` is None for a continuous outcome (it has no successes).
    """
    if cost_model is None:
        return None
    realized, low, high = interval.estimate, interval.low, interval.high
    n_treated = counts[0]
    continuous = successes_treated is None
    # Had the promise held, the treated would have succeeded at the control rate plus the
    # expected uplift: an incentive paid on success is counted on those successes, not on
    # the ones this batch happened to realize.
    expected_successes = (
        None if continuous else float(np.clip(means[1] + expected, 0.0, 1.0)) * n_treated
    )
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
            f"relative to contacting nobody (the control {'mean' if continuous else 'rate'} "
            "stands for the outcome without contact); expected figures use the model's mean "
            "predicted uplift"
            + (
                "; the extra favourable outcomes are extra units of the continuous outcome"
                if continuous
                else ""
            )
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
    outcome_type=None,
):
    """Compare a campaign batch's realized uplift with the model's, in money, and check drift.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        1 = favourable outcome; or a continuous outcome's values (spend, revenue),
        whose realized uplift is then a difference of means in its units.
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
        at least 0.01 (one percentage point; for a continuous outcome, a hundredth of
        the batch's standard deviation of the outcome).
    psi_threshold : float, default=0.25
        PSI above which a feature (or the predicted uplift) raises an alert.
    outcome_type : {"binary", "continuous"}, default=None
        ``None`` decides from ``y_true``: continuous when a value is neither 0 nor 1.
        A continuous outcome's realized uplift has Welch's interval, its money is
        ``value_per_unit`` times the extra units (``cost_model`` built with
        ``value_per_unit``), and its holdout is sized from the groups' variances.

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

    On spend, zero for most customers (the uplift in dollars):

    >>> spend = rng.exponential(40.0, 20_000) * (rng.random(20_000) < 0.2 + 0.05 * treatment)
    >>> result = monitor_batch(spend, treatment, np.full(20_000, 2.0))
    >>> result.outcome_type, result.realized_uplift_interval.method
    ('continuous', 'Welch')
    >>> bool(result.ci_low < 2.0 < result.ci_high)
    True
    """
    y_true = as_1d_float(y_true, "y_true")
    uplift = as_1d_float(uplift, "uplift")
    treatment = check_binary_treatment(treatment)
    check_consistent_length(y_true=y_true, treatment=treatment, uplift=uplift)
    continuous = _is_continuous(y_true, outcome_type)
    if not continuous:
        check_binary(y_true, "y_true")
    if expected_uplift_se < 0 or not math.isfinite(expected_uplift_se):
        raise ValueError(f"expected_uplift_se={expected_uplift_se!r}: it must be >= 0.")
    is_treated = treatment == 1.0
    counts, means, interval, variances = _arms(y_true, is_treated, continuous, confidence_level)
    realized, low, high = interval.estimate, interval.low, interval.high
    expected = float(uplift.mean())
    level = f"{confidence_level:.0%}"
    margin = math.hypot(high - realized, two_sided_z(confidence_level) * expected_uplift_se)
    alerts = uplift_alerts(realized, low, high, expected, margin=margin, level=level)
    smallest = 0.01 * (float(np.std(y_true)) or 1.0) if continuous else 0.01
    delta = detectable_uplift if detectable_uplift is not None else max(abs(expected), smallest)
    holdout = _holdout(variances, counts, delta, confidence_level, power)
    alerts += holdout_alerts(holdout, counts, level)
    drift, score_psi, words, targeted = _drift(
        reference, features, uplift, score=score, threshold=threshold, batch=batch
    )
    alerts += drift_alerts(drift, score_psi, psi_threshold)
    return MonitorResult(
        n=int(y_true.size),
        n_treated=counts[0],
        n_control=counts[1],
        treated_rate=means[0],
        control_rate=means[1],
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
            cost_model,
            interval,
            expected,
            counts,
            means,
            None if continuous else float(y_true[is_treated].sum()),
        ),  # fmt: skip
        holdout=holdout,
        alerts=alerts,
        outcome_type="continuous" if continuous else "binary",
    )


def _is_continuous(y_true, outcome_type):
    if outcome_type not in (None, "binary", "continuous"):
        raise ValueError(
            f"outcome_type must be 'binary', 'continuous' or None; got {outcome_type!r}."
        )
    if outcome_type is None:
        return first_non_binary(y_true[~np.isnan(y_true)]) is not None
    return outcome_type == "continuous"
