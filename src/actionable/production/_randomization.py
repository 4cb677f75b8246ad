"""Was the treatment assigned at random? The check behind every evaluation, and what to do if not.

Every profit, Qini and realized uplift actionable reports compares treated and control
customers who differ only by chance: that is what a randomized experiment gives. A
campaign whose contacts were chosen (by an old churn score, by agents) gives treated
customers who differ systematically, and the comparison is biased. The check asks the
question directly: **can the features predict who was treated?** A classifier (the
default LightGBM outcome model, predicting the treatment) is fitted on one half of the
rows and its AUC measured on the other half with DeLong's interval. Under random
assignment the held-out labels are independent of a model that never saw them, so this
AUC has exactly the null distribution DeLong's variance assumes; the AUC of predictions
cross-fitted over several folds would not (each fold's model learned from the other
folds' labels, which correlates the folds: on 2,000 rows of make_churn, 5-fold
cross-fitting gave 3% false alarms at a nominal 0.5%). The other half is predicted by a
second model, trained on the first half's complement, for the propensities
``assume_recorded_selection`` needs. In a
randomized experiment the AUC is 0.5 whatever the features; the assignment is declared
not random when the interval's lower bound is above 0.5 (at ``CHECK_CONFIDENCE``) *and*
the AUC is at least ``MIN_PREDICTIVE_AUC``, so that a trivial imbalance in a huge table
does not stop anyone. The standardized mean difference of each feature between the arms
(Austin 2009; ``SMD_FLAG`` is the usual 0.1) says where the arms differ.

With **logged propensities** (each row's known probability of being treated: a
targeting rule with a random share, unequal A/B arms, a policy that logs it), the data
can be analysed as a randomized experiment after weighting each row by the inverse of
the probability of the arm it got (``balancing_weights``), and the check is run on the
weighted rows: the features should then predict nothing, and the weighted differences
should vanish. Propensities that do not average the treated share are refused as
something else (a score, not a probability).
"""

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from actionable._interval import Interval
from actionable._validation import check_binary_treatment
from actionable.exceptions import NotRandomizedError
from actionable.paired import auc_interval
from actionable.production._average_effect import average_uplift
from actionable.production._propensity import (
    balancing_weights,
    check_propensity,
    standardized_differences,
)

N_CHECK_FOLDS = 2
"""Halves: each predicted by a model fitted on the other; the AUC is the second half's."""
CHECK_CONFIDENCE = 0.999
"""Confidence level of the AUC interval the verdict rests on."""
MIN_PREDICTIVE_AUC = 0.53
"""Below this held-out AUC the features are not taken to predict the treatment
(a single feature with a standardized difference of 0.1 between arms gives about 0.53)."""
SMD_FLAG = 0.1
"""Absolute standardized mean difference from which a feature is called imbalanced."""
MAX_CHECK_ROWS = 200_000
"""The check learns from at most this many rows (a uniform sample beyond)."""
MIN_ARM_ROWS = 50
"""Below this many rows in an arm the check is not run (and says so)."""


@dataclass(frozen=True)
class RandomizationCheck:
    """Whether the features predict the treatment: the verdict and its figures.

    Attributes
    ----------
    n_rows : int
        Rows checked.
    treated_share : float
        Share of treated rows.
    auc : Interval
        Held-out AUC of the treatment from the features (weighted when
        ``conditional``), with DeLong's interval at ``CHECK_CONFIDENCE``.
    balance : pandas.DataFrame
        Standardized mean differences (:func:`standardized_differences`).
    importance : dict
        Feature -> share of the classifier's total gain.
    conditional : bool
        Whether the check was run given logged propensities.
    is_random : bool
        The verdict: True when the assignment looks random (given the propensities).
    suspects : tuple of str
        The features that predict the treatment best, when it is not random.
    verdict : str
        The verdict in one sentence.
    propensity : ndarray or None
        Each row's cross-fitted P(treated | features) (unconditional checks only): what
        ``assume_recorded_selection`` weights by.
    """

    n_rows: int
    treated_share: float
    auc: Interval
    balance: pd.DataFrame
    importance: dict
    conditional: bool
    is_random: bool
    suspects: tuple
    verdict: str
    propensity: np.ndarray | None = field(default=None, repr=False)

    def to_dict(self):
        """The check as a JSON-serializable dict (without the per-row propensities).

        Returns
        -------
        dict
        """
        return {
            "n_rows": self.n_rows,
            "treated_share": self.treated_share,
            "conditional_on_propensity": self.conditional,
            "auc": {
                "estimate": self.auc.estimate,
                "low": self.auc.low,
                "high": self.auc.high,
                "confidence_level": self.auc.confidence_level,
            },
            "is_random": self.is_random,
            "suspects": list(self.suspects),
            "verdict": self.verdict,
            "largest_differences": [
                {"feature": r.feature, "level": _level(r.level), "smd": _finite(r.smd)}
                for r in self.balance.head(10).itertuples()
            ],
        }

    def refusal(self, name="DATA"):
        """The one-line error for data that is not a randomized experiment."""
        return (
            f"{name}: {self.verdict} Pass each row's logged probability of being treated "
            "(`propensity`), or `assume_recorded_selection` if the choice depended only on "
            "recorded features, or run a randomized pilot (`actionable design`)."
        )


def _level(value):
    return value if isinstance(value, str) else None


def _finite(value):
    return float(value) if np.isfinite(value) else None


def _cross_fitted_propensity(X, treatment, weights, *, seed, n_jobs):
    """Held-out P(treated | x) of every row, each sampled row's fold, and the gain shares."""
    from sklearn.model_selection import StratifiedKFold

    from actionable.models import OutcomeClassifier

    rng = np.random.default_rng(seed)
    n = treatment.size
    sampled = np.arange(n)
    if n > MAX_CHECK_ROWS:
        sampled = np.sort(rng.choice(n, MAX_CHECK_ROWS, replace=False))
    rest = np.setdiff1d(np.arange(n), sampled)
    predicted = np.zeros(n)
    fold_of = np.full(n, -1)
    gain = np.zeros(X.shape[1])
    folds = StratifiedKFold(n_splits=N_CHECK_FOLDS, shuffle=True, random_state=seed)
    for fold, (train, test) in enumerate(folds.split(sampled, treatment[sampled])):
        train, test = sampled[train], sampled[test]
        model = OutcomeClassifier(framing="response", random_state=seed + fold, n_jobs=n_jobs)
        model.fit(X.iloc[train], treatment[train], sample_weight=weights[train])
        predicted[test] = model.predict_risk(X.iloc[test])
        fold_of[test] = fold
        if rest.size:
            predicted[rest] += model.predict_risk(X.iloc[rest]) / N_CHECK_FOLDS
        booster = getattr(model.estimator_, "booster_", None)
        if booster is not None:
            gain += booster.feature_importance("gain")[: X.shape[1]]
    share = gain / gain.sum() if gain.sum() > 0 else gain
    return predicted, fold_of, dict(zip(map(str, X.columns), share.tolist(), strict=True))


def _unchecked(X, treatment, conditional, confidence_level, why):
    """A check that could not be run: said so, and not taken as evidence either way."""
    nan = float("nan")
    return RandomizationCheck(
        n_rows=int(treatment.size),
        treated_share=float(treatment.mean()),
        auc=Interval(nan, nan, nan, confidence_level, "DeLong"),
        balance=standardized_differences(X, treatment),
        importance={},
        conditional=conditional,
        is_random=True,
        suspects=(),
        verdict=f"randomization not checked: {why}.",
    )


def _held_out_auc(treatment, predicted, fold_of, weights, confidence_level):
    """AUC of the last fold's rows, scored by the model that never saw their labels."""
    rows = fold_of == N_CHECK_FOLDS - 1
    return auc_interval(
        treatment[rows], predicted[rows], confidence_level=confidence_level,
        sample_weight=weights[rows],
    )  # fmt: skip


def _calibration_problem(treatment, propensity, z_limit=4.0):
    """A sentence when logged propensities do not average the treated share, else None."""
    share, mean = float(treatment.mean()), float(propensity.mean())
    se = float(np.sqrt(np.sum(propensity * (1 - propensity)))) / treatment.size
    if se > 0 and abs(share - mean) / se > z_limit:
        return (
            f"the logged propensities average {mean:.3f} but {share:.1%} of the rows were "
            "treated: they are not the probabilities the treatment was drawn with."
        )
    return None


def _suspects(importance, balance):
    ranked = sorted(importance, key=importance.get, reverse=True)
    found = [name for name in ranked[:3] if importance[name] >= 0.1]
    if not found:  # no usable importances: the largest standardized differences
        found = list(balance["feature"].head(2))
    return tuple(found)


def _names(features):
    return features[0] if len(features) == 1 else ", ".join(features[:-1]) + " and " + features[-1]


def randomization_check(
    X, treatment, *, propensity=None, confidence_level=CHECK_CONFIDENCE, random_state=0,
    n_jobs=None,
):  # fmt: skip
    """Check that the treatment looks randomly assigned, given the features (and propensities).

    Parameters
    ----------
    X : pandas.DataFrame
        Features (as the models see them).
    treatment : array-like of shape (n_samples,)
        1 treated, 0 control.
    propensity : array-like of shape (n_samples,), default=None
        Logged probabilities of being treated: the check is then run on the rows
        weighted by :func:`balancing_weights`, and the propensities must average the
        treated share.
    confidence_level : float, default=0.999
        Confidence of the AUC interval the verdict rests on.
    random_state : int, default=0
        Seeds the folds and the classifier.
    n_jobs : int, default=None
        Threads of the classifier (``None``: one).

    Returns
    -------
    RandomizationCheck

    Examples
    --------
    >>> from actionable.datasets import make_churn
    >>> data = make_churn(3000, random_state=0)
    >>> randomization_check(data.X, data.treatment).is_random
    True
    >>> targeted = make_churn(3000, assignment="tenure", random_state=0)
    >>> check = randomization_check(targeted.X, targeted.treatment)
    >>> check.is_random, check.suspects[0]
    (False, 'tenure_months')
    >>> randomization_check(targeted.X, targeted.treatment,
    ...                     propensity=targeted.extra["propensity"]).is_random
    True
    """
    treatment = check_binary_treatment(treatment)
    if len(X) != treatment.size:
        raise ValueError(f"X has {len(X):,} rows and treatment {treatment.size:,}.")
    conditional = propensity is not None
    if conditional:
        propensity = check_propensity(propensity, treatment.size)
    smaller_arm = int(min(np.count_nonzero(treatment == 1), np.count_nonzero(treatment == 0)))
    if smaller_arm < MIN_ARM_ROWS:
        why = f"an arm has {smaller_arm} rows (at least {MIN_ARM_ROWS} are needed)"
        return _unchecked(X, treatment, conditional, confidence_level, why)
    weights = np.ones(treatment.size)
    problem = None
    if conditional:
        weights = balancing_weights(treatment, propensity).weights
        problem = _calibration_problem(treatment, propensity)
    predicted, fold_of, importance = _cross_fitted_propensity(
        X, treatment, weights, seed=int(random_state), n_jobs=n_jobs
    )
    auc = _held_out_auc(treatment, predicted, fold_of, weights, confidence_level)
    if not np.isfinite(auc.estimate):  # e.g. an arm absent from the held-out half
        why = "the held-out AUC could not be computed"
        return _unchecked(X, treatment, conditional, confidence_level, why)
    balance = standardized_differences(X, treatment, sample_weight=weights)
    predictive = auc.low > 0.5 and auc.estimate >= MIN_PREDICTIVE_AUC
    given = "given the logged propensities, " if conditional else ""
    figures = (
        f"held-out AUC of the treatment from the features {auc.estimate:.3f}, "
        f"{confidence_level * 100:g}% CI {auc.low:.3f} to {auc.high:.3f}"
    )
    suspects = ()
    if predictive:
        suspects = _suspects(importance, balance)
        verdict = (
            f"{given}assignment depends on {_names(list(suspects))} ({figures}): this is "
            "not a randomized experiment."
        )
    elif problem:
        verdict = problem
    else:
        verdict = f"{given}assignment looks random ({figures})."
    return RandomizationCheck(
        n_rows=int(treatment.size),
        treated_share=float(treatment.mean()),
        auc=auc,
        balance=balance,
        importance=importance,
        conditional=conditional,
        is_random=not predictive and problem is None,
        suspects=suspects,
        verdict=verdict,
        propensity=None if conditional else predicted,
    )


def weights_for(check, treatment, *, logged=None, assume_recorded_selection=False, name="DATA"):
    """The weights an analysis of this data needs, or the refusal when there are none.

    Parameters
    ----------
    check : RandomizationCheck
        The check of the data (conditional on ``logged`` when given).
    treatment : array-like of shape (n_samples,)
        1 treated, 0 control.
    logged : array-like of shape (n_samples,), default=None
        Logged propensities.
    assume_recorded_selection : bool, default=False
        When the assignment is not random and no propensity was logged, weight by the
        propensities the check estimated from the features, which is right only if
        the choice depended on recorded features alone.
    name : str, default="DATA"
        The data's name in the error.

    Returns
    -------
    PropensityWeights or None
        ``None`` for a randomized experiment (no weights needed).

    Raises
    ------
    NotRandomizedError
        When the assignment is not random and nothing corrects it.
    """
    if logged is not None:
        if not check.is_random:
            raise NotRandomizedError(
                f"{name}: {check.verdict} The logged propensities do not explain who was "
                "treated: check that they are the probabilities the treatment was drawn "
                "with, for these rows."
            )
        return balancing_weights(treatment, logged, source="logged")
    if check.is_random:
        return None
    if assume_recorded_selection:
        return balancing_weights(treatment, check.propensity, source="estimated")
    raise NotRandomizedError(check.refusal(name))


def assess_assignment(
    X, y, treatment, *, logged=None, assume_recorded_selection=False, name="DATA",
    random_state=0,
):  # fmt: skip
    """Check the assignment of labelled rows; return ``(check, weights, average)``.

    ``logged`` holds the logged probabilities (:func:`read_propensity`), if any. On a
    targeted campaign, ``weights`` are from :func:`weights_for` and ``average`` the
    average uplift estimated naively, by weighting and doubly robustly
    (:func:`average_uplift`); both are ``None`` for a randomized experiment.
    """
    check = randomization_check(X, treatment, propensity=logged, random_state=random_state)
    weights = weights_for(
        check, treatment, logged=logged, assume_recorded_selection=assume_recorded_selection,
        name=name,
    )  # fmt: skip
    average = None
    if weights is not None:
        average = average_uplift(X, y, treatment, weights, random_state=random_state)
    return check, weights, average
