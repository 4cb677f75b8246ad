"""Why this uplift? Per-feature contributions of a learner's prediction, from TreeSHAP.

LightGBM computes exact TreeSHAP values of each of its models (``pred_contrib=True``;
Lundberg et al. 2020): one contribution per feature and a base value that add up to the
model's raw score. A learner's uplift combines its models, and the contributions are
combined the same way so that, for every row, **base + sum of contributions = predicted
uplift** (to float precision):

- models that are regressions (the X-learner's two effect models weighted by the
  propensity, the DR-learner's effect model, and, for a continuous outcome, the
  default outcome models of the S- and T-learners) predict on the uplift's scale
  already (a probability, or the outcome's units): their TreeSHAP values are combined
  as the predictions are, and are the exact Shapley values of the uplift (for the
  X-learner, given each row's propensity weight).
- outcome classifiers (the T-learner's two models, the S-learner's one model scored
  with and without the contact, the class transformation's model of the transformed
  outcome) predict log-odds, turned into a probability by the logistic function
  ``s``. Each model's contributions are moved to the probability scale by the
  **proportional (secant) rule**: ``phi_j * (s(f) - s(b)) / (f - b)``, with ``f`` the
  row's log-odds and ``b`` the model's base value, which keeps their sum exactly
  ``s(f) - s(b)``. This is an approximation of the Shapley values of the probability,
  exact when a single feature moves the score and close when the log-odds change is
  small; ``Contributions.nonlinearity`` reports, per row, how far the secant's slope
  is from the logistic's slope at the base value (0 means linear, exact).
- outcome regressors with a log link (the default Tweedie models of a zero-heavy
  continuous outcome) predict ``exp(f)``: the same secant rule, with ``exp`` for ``s``,
  moves their contributions to the outcome's units.
- the S-learner's contact indicator is not a customer feature: the part of the uplift
  TreeSHAP gives to it is added to the row's base.
- predictions the learner bounds into (-1, 1) (``bound_uplift``) have their
  contributions scaled by the same factor as their distance from the base.

Models other than LightGBM's have no TreeSHAP in LightGBM: they raise a ``ValueError``
(explain them with a model-agnostic method, such as the ``shap`` package's
``KernelExplainer``, at a far higher cost).
"""

from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.utils.validation import check_is_fitted

from actionable._validation import check_integer

_FORESTS = ("rf", "random_forest")
_MSG_NOT_TREES = (
    "{learner}'s {role} is a {model}: per-feature contributions need LightGBM models (the "
    "default), whose exact TreeSHAP values LightGBM computes; explain other models with a "
    "model-agnostic method (e.g. shap.KernelExplainer)."
)
_MSG_NOT_A_LEARNER = (
    "contributions are computed for actionable's learners (SLearner, TLearner, XLearner, "
    "DRLearner, ClassTransformation); got {learner}."
)
_MSG_MULTI_ARM = (
    "{learner} was fitted on {n} treatment arms: explain one arm at a time (fit it on that "
    "arm's rows and the control rows)."
)


@dataclass(frozen=True)
class Contributions:
    """Per-feature contributions to each row's predicted uplift.

    Attributes
    ----------
    values : pandas.DataFrame of shape (n_samples, n_features)
        Contribution of each feature to each row's uplift, on the uplift's scale (a
        probability for a 0/1 outcome, the outcome's units for a continuous one);
        columns are the feature names.
    base : ndarray of shape (n_samples,)
        What the uplift would be with no feature known: ``base + values.sum(axis=1)``
        is the predicted uplift.
    exact : bool
        Whether the values are exact Shapley values of the uplift (regression models:
        effect models, or the outcome models of a continuous outcome) or the secant
        approximation of classifiers' log-odds contributions.
    nonlinearity : ndarray of shape (n_samples,)
        Per row, the relative gap between the secant slope used and the logistic's
        slope at the base value, the largest over the learner's classifiers (0 for
        exact contributions).
    method : str
        How the values were obtained, in words.
    """

    values: pd.DataFrame
    base: np.ndarray
    exact: bool
    nonlinearity: np.ndarray
    method: str

    @property
    def uplift(self):
        """``base + values.sum(axis=1)``: the prediction the contributions explain."""
        return self.base + self.values.to_numpy().sum(axis=1)

    def global_drivers(self):
        """Mean absolute contribution of each feature, largest first.

        Returns
        -------
        pandas.Series
        """
        drivers = self.values.abs().mean(axis=0)
        return drivers.sort_values(ascending=False, kind="stable")

    def top(self, X, k=3):
        """The ``k`` largest contributions (in absolute value) of each row, with the values.

        Parameters
        ----------
        X : pandas.DataFrame
            The features the contributions were computed on (for their values).
        k : int, default=3
            Contributions per row.

        Returns
        -------
        pandas.DataFrame
            ``uplift``, ``base``, then ``feature_i``, ``value_i`` and
            ``contribution_i`` for i = 1..k, with the index of ``values``.
        """
        k = int(min(k, self.values.shape[1]))
        contributions = self.values.to_numpy()
        order = np.argsort(-np.abs(contributions), axis=1, kind="stable")[:, :k]
        rows = np.arange(contributions.shape[0])[:, None]
        names = np.asarray(self.values.columns, dtype=object)[order]
        frame = X.reset_index(drop=True)
        columns = {"uplift": self.uplift, "base": self.base}
        for i in range(k):
            feature_values = np.empty(len(frame), dtype=object)
            for name in np.unique(names[:, i]):
                chosen = names[:, i] == name
                feature_values[chosen] = frame.loc[chosen, name].to_numpy(dtype=object)
            columns[f"feature_{i + 1}"] = names[:, i]
            columns[f"value_{i + 1}"] = feature_values
            columns[f"contribution_{i + 1}"] = contributions[rows[:, 0], order[:, i]]
        return pd.DataFrame(columns, index=self.values.index)


def _tree_contributions(model, X, role, learner, threads):
    """Raw-score TreeSHAP values (n, n_features + 1) of a fitted LightGBM-based model."""
    from actionable.models._rows import predict_in_chunks

    booster = getattr(model, "booster_", None)
    if booster is None:
        raise ValueError(
            _MSG_NOT_TREES.format(learner=learner, role=role, model=type(model).__name__)
        )
    raw = predict_in_chunks(
        lambda chunk: booster.predict(chunk, pred_contrib=True, num_threads=threads), X
    )
    if booster.params.get("boosting", booster.params.get("boosting_type")) in _FORESTS:
        raw = raw / booster.num_trees()  # a random forest's score is the trees' mean
    return raw


# Objectives whose raw score is the log of the prediction (a log link).
_LOG_LINK_OBJECTIVES = ("tweedie", "poisson", "gamma")


def _link(model):
    """How a model's raw score becomes its prediction: "logistic", "log" or None (identity)."""
    if hasattr(model, "predict_proba"):
        return "logistic"
    booster = getattr(model, "booster_", None)
    objective = None if booster is None else booster.params.get("objective")
    return "log" if objective in _LOG_LINK_OBJECTIVES else None


def _prediction_scale(raw, link):
    """Contributions and base on the prediction's scale, and the secant's nonlinearity."""
    phi, base = raw[:, :-1], raw[:, -1]
    if link is None:
        return phi, base, np.zeros(base.size)
    score = base + phi.sum(axis=1)
    if link == "logistic":
        low, high = 1.0 / (1.0 + np.exp(-base)), 1.0 / (1.0 + np.exp(-score))
        tangent = low * (1.0 - low)
    else:
        low, high = np.exp(base), np.exp(score)
        tangent = low
    moved = np.abs(score - base) > 1e-12
    slope = np.where(moved, (high - low) / np.where(moved, score - base, 1.0), tangent)
    return phi * slope[:, None], low, np.abs(slope - tangent) / np.maximum(tangent, 1e-300)


def _exact(*models):
    """Whether every model predicts its raw score (identity link: exact contributions)."""
    return all(_link(model) is None for model in models)


def _model_terms(model, X, role, learner, threads=1):
    raw = _tree_contributions(model, X, role, learner, threads)
    return _prediction_scale(raw, _link(model))


def _terms(learner, X, threads):
    """``(phi, base, nonlinearity, exact)`` of a binary learner on checked features ``X``."""
    from actionable.models._base import propensity_predict
    from actionable.models._doubly_robust import DRLearner
    from actionable.models._meta import SLearner, TLearner, XLearner
    from actionable.models._rows import with_treatment
    from actionable.models._transformed import ClassTransformation

    name = type(learner).__name__
    if isinstance(learner, TLearner):
        treated = _model_terms(learner.estimator_treatment_, X, "treated model", name, threads)
        control = _model_terms(learner.estimator_control_, X, "control model", name, threads)
        exact = _exact(learner.estimator_treatment_, learner.estimator_control_)
        return (treated[0] - control[0], treated[1] - control[1],
                np.maximum(treated[2], control[2]), exact)  # fmt: skip
    if isinstance(learner, SLearner):
        treated = _model_terms(learner.estimator_, with_treatment(X, 1.0), "model", name, threads)
        control = _model_terms(learner.estimator_, with_treatment(X, 0.0), "model", name, threads)
        phi = treated[0] - control[0]
        base = treated[1] - control[1] + phi[:, -1]  # the contact indicator goes to the base
        exact = _exact(learner.estimator_)
        return phi[:, :-1], base, np.maximum(treated[2], control[2]), exact
    if isinstance(learner, XLearner):
        weight = propensity_predict(learner.propensity_, X, X.shape[0])
        tau_c = _model_terms(
            learner.effect_estimator_control_, X, "control effect model", name, threads
        )
        tau_t = _model_terms(
            learner.effect_estimator_treatment_, X, "treated effect model", name, threads
        )
        phi = weight[:, None] * tau_c[0] + (1.0 - weight)[:, None] * tau_t[0]
        base = weight * tau_c[1] + (1.0 - weight) * tau_t[1]
        exact = _exact(learner.effect_estimator_control_, learner.effect_estimator_treatment_)
        return phi, base, np.maximum(tau_c[2], tau_t[2]), exact
    if isinstance(learner, DRLearner):
        phi, base, gap = _model_terms(learner.effect_estimator_, X, "effect model", name, threads)
        return phi, base, gap, _exact(learner.effect_estimator_)
    if isinstance(learner, ClassTransformation):
        phi, base, gap = _model_terms(learner.estimator_, X, "model", name, threads)
        return 2.0 * phi, 2.0 * base - 1.0, gap, False
    raise ValueError(_MSG_NOT_A_LEARNER.format(learner=name))


def uplift_contributions(learner, X, *, n_jobs=None):
    """Per-feature contributions to a fitted learner's predicted uplift (TreeSHAP).

    See the module notes for how each learner's models are combined, which results
    are exact and which approximate.

    Parameters
    ----------
    learner : SLearner, TLearner, XLearner, DRLearner or ClassTransformation
        Fitted on one treatment arm, with LightGBM models (the default).
    X : {array-like, pandas.DataFrame} of shape (n_samples, n_features)
        Rows to explain, as given to ``predict``.
    n_jobs : int, default=None
        Threads of LightGBM's TreeSHAP; ``None`` means 1, -1 all cores.

    Returns
    -------
    Contributions
        ``base + values.sum(axis=1)`` equals ``learner.predict(X)``.

    Raises
    ------
    ValueError
        For a learner fitted on several arms, or whose models are not LightGBM's.

    Examples
    --------
    >>> import numpy as np
    >>> from actionable.datasets import make_churn
    >>> from actionable.models import TLearner, uplift_contributions
    >>> data = make_churn(3000, random_state=0)
    >>> learner = TLearner(random_state=0).fit(data.X, data.y, data.treatment)
    >>> contributions = uplift_contributions(learner, data.X.head(5))
    >>> bool(np.allclose(contributions.uplift, learner.predict(data.X.head(5))))
    True
    >>> list(contributions.values.columns[:3])
    ['tenure_months', 'contract', 'plan']
    """
    from actionable._validation import threads_for
    from actionable.models._base import BaseUpliftLearner, bound_uplift
    from actionable.models._inputs import check_features

    name = type(learner).__name__
    if not isinstance(learner, BaseUpliftLearner):
        raise ValueError(_MSG_NOT_A_LEARNER.format(learner=name))
    check_is_fitted(learner, "treatment_labels_")
    if hasattr(learner, "arm_estimators_"):
        raise ValueError(_MSG_MULTI_ARM.format(learner=name, n=len(learner.arm_estimators_)))
    checked = check_features(learner, X, reset=False)
    phi, base, nonlinearity, exact = _terms(learner, checked, threads_for(n_jobs))
    if getattr(learner, "effect_bound_", None) is not None:
        raw = base + phi.sum(axis=1)
        bounded = bound_uplift(raw)
        moved = np.abs(raw - base) > 1e-12
        scale = np.where(moved, (bounded - base) / np.where(moved, raw - base, 1.0), 1.0)
        phi = phi * scale[:, None]
        nonlinearity = np.maximum(nonlinearity, np.abs(1.0 - scale))
    names = getattr(learner, "feature_names_in_", None)
    if names is None:
        names = [f"x{i}" for i in range(phi.shape[1])]
    index = X.index if isinstance(X, pd.DataFrame) else None
    method = (
        "exact TreeSHAP values of the regression models, combined as the predictions are"
        if exact
        else "TreeSHAP values of the log-odds (or log-scale) models, moved to the "
        "probability (or outcome) scale by the secant rule; they add up to the predicted uplift"
    )
    return Contributions(
        values=pd.DataFrame(phi, columns=list(map(str, names)), index=index),
        base=np.asarray(base, dtype=np.float64),
        exact=bool(exact),
        nonlinearity=nonlinearity,
        method=method,
    )


class ExplainMixin:
    """``explain``: each row's largest contributions to the predicted uplift."""

    def explain(self, X, top=3, *, n_jobs=None):
        """The ``top`` features that move each row's predicted uplift most, and by how much.

        Parameters
        ----------
        X : {array-like, pandas.DataFrame} of shape (n_samples, n_features)
            Rows to explain, as given to ``predict``.
        top : int, default=3
            Features per row, largest absolute contribution first.
        n_jobs : int, default=None
            Threads of LightGBM's TreeSHAP; ``None`` means 1.

        Returns
        -------
        pandas.DataFrame
            ``uplift``, ``base``, then ``feature_i``, ``value_i`` and
            ``contribution_i`` for i = 1..top (see :func:`uplift_contributions`).

        Examples
        --------
        >>> from actionable.datasets import make_churn
        >>> from actionable.models import TLearner
        >>> data = make_churn(3000, random_state=0)
        >>> learner = TLearner(random_state=0).fit(data.X, data.y, data.treatment)
        >>> reasons = learner.explain(data.X.head(2), top=2)
        >>> reasons.columns.tolist()[:5]
        ['uplift', 'base', 'feature_1', 'value_1', 'contribution_1']
        """
        check_integer(
            top, "top", minimum=1, message="{name} must be a positive integer; got {value!r}."
        )
        if len(X) == 0:
            raise ValueError("X has no rows to explain.")
        contributions = uplift_contributions(self, X, n_jobs=n_jobs)
        names = contributions.values.columns
        if isinstance(X, pd.DataFrame):  # named as the contributions are, by position
            frame = X.set_axis(names, axis=1)
        else:
            frame = pd.DataFrame(np.asarray(X), columns=names)
        return contributions.top(frame, top)
