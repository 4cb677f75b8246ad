"""Meta-learners: S-, T-, X- and DR-learners built from any scikit-learn estimator."""

import numpy as np
import pandas as pd
from sklearn.model_selection import StratifiedKFold

from actionable.models._base import (
    BaseUpliftLearner,
    OutcomesMixin,
    default_classifier,
    default_effect_regressor,
    fit_inner,
    is_probabilistic,
    positive_score,
    propensity_of,
    propensity_predict,
    take_rows,
)

_TREATMENT_COLUMN = "treatment_indicator_"


def _with_treatment(X, value):
    """Append the treatment indicator (a scalar or an array) as the last feature."""
    if isinstance(X, pd.DataFrame):
        column = _TREATMENT_COLUMN
        while column in X.columns:
            column += "_"
        return X.assign(**{column: np.broadcast_to(np.asarray(value, float), X.shape[0])})
    flags = np.broadcast_to(np.asarray(value, dtype=X.dtype), (X.shape[0],))
    return np.column_stack([X, flags])


def _outcome_base(learner):
    if learner.estimator is not None:
        return learner.estimator
    return default_classifier(n_jobs=learner.n_jobs)


def _effect_base(learner):
    if learner.effect_estimator is not None:
        return learner.effect_estimator
    return default_effect_regressor(n_jobs=learner.n_jobs)


class SLearner(OutcomesMixin, BaseUpliftLearner):
    """S-learner: one outcome model with the treatment as a feature.

    A single model learns P(y=1 | x, t); the uplift is its prediction with ``t = 1``
    minus its prediction with ``t = 0`` [1]_.

    Parameters
    ----------
    estimator : estimator object, default=None
        Outcome model (a classifier with ``predict_proba``, or a regressor). ``None``
        uses a ``lightgbm.LGBMClassifier`` (learning rate 0.1, 8 leaves,
        ``min_child_samples=100``, 80% row and column subsampling, ``reg_lambda=5``)
        whose number of trees (at most 1000) is chosen by early stopping: a probe
        trained on 80% of the rows stops when its log-loss on the other 20% has not
        improved for 20 rounds. On up to 100,000 rows the model is refitted on all
        rows with the probe's best number of trees; on more, the probe is kept and
        its trees have 31 leaves (more data supports larger trees, which need fewer
        rounds). Past 2 million rows the cap on trees falls to keep trees x rows
        under 2e9 (250 trees at 8 million rows).
        Passed estimators are fitted as given.
    control_label : object, default=None
        ``None``: ``treatment`` must be 0 (control) / 1 (treated). Otherwise the value
        marking control rows; each other value is a treatment arm.
    random_state : int, RandomState instance or None, default=None
        Seeds the inner models (their ``random_state``), for reproducible fits.
    n_jobs : int, default=None
        Threads of each default LightGBM model. ``None`` means 1 (one thread is
        fastest on small data and on a shared machine); -1 means all cores.

    Attributes
    ----------
    estimator_ : estimator object
        The fitted outcome model (single-arm fits).
    arm_estimators_ : list of SLearner
        One fitted binary learner per arm (multi-arm fits only).
    treatment_labels_ : ndarray of shape (n_arms,)
        The treatment arms, in the order of ``predict``'s columns.
    treatment_rate_ : float or ndarray of shape (n_arms,)
        Share of training rows in each arm.
    effect_bound_ : float or None
        1.0 when predictions are bounded to [-1, 1] (binary outcome, a regressor was passed
        as an outcome model), else ``None``. Raw predictions beyond +-0.9 are then
        compressed smoothly into [-1, 1], keeping their order.
    outside_bound_share_ : float
        When ``effect_bound_`` is set: share of the training rows (at most 100,000,
        drawn at random) whose raw prediction lay outside [-1, 1].
    n_features_in_ : int
        Number of features seen in ``fit``.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Feature names, when ``X`` was a frame with string column names.

    See Also
    --------
    TLearner : One outcome model per arm.

    References
    ----------
    .. [1] Künzel, Sekhon, Bickel and Yu (2019), "Metalearners for estimating
       heterogeneous treatment effects using machine learning", PNAS 116(10).

    Examples
    --------
    >>> from actionable.datasets import make_churn
    >>> from actionable.models import SLearner
    >>> data = make_churn(2000, random_state=0)
    >>> learner = SLearner(random_state=0).fit(data.X, data.y, data.treatment)
    >>> learner.predict(data.X).shape
    (2000,)
    """

    _uplift_is_outcome_difference = True

    def __init__(self, estimator=None, *, control_label=None, random_state=None, n_jobs=None):
        self.estimator = estimator
        self.control_label = control_label
        self.random_state = random_state
        self.n_jobs = n_jobs

    def _fit_binary(self, X, y, treated, random_state, fit_params):
        (seed,) = self._seeds(random_state, 1)
        self.estimator_ = fit_inner(
            _outcome_base(self),
            _with_treatment(X, treated),
            y,
            seed=seed,
            early_stopping=self.estimator is None,
            fit_params=fit_params,
        )

    def _predict_outcomes_binary(self, X):
        return np.column_stack(
            [
                positive_score(self.estimator_, _with_treatment(X, 0.0)),
                positive_score(self.estimator_, _with_treatment(X, 1.0)),
            ]
        )

    def _predict_binary(self, X):
        outcomes = self._predict_outcomes_binary(X)
        return outcomes[:, 1] - outcomes[:, 0]


class TLearner(OutcomesMixin, BaseUpliftLearner):
    """T-learner: one outcome model on the treated rows, one on the control rows.

    The uplift is P(y=1 | x) from the treated model minus that from the control
    model [1]_.

    Parameters
    ----------
    estimator : estimator object, default=None
        Outcome model of the treated rows (and of the control rows unless
        ``estimator_control`` is given). ``None`` uses an early-stopped
        ``lightgbm.LGBMClassifier`` (see :class:`SLearner`).
    estimator_control : estimator object, default=None
        Outcome model of the control rows; ``None`` uses ``estimator``.
    control_label : object, default=None
        ``None``: ``treatment`` must be 0 (control) / 1 (treated). Otherwise the value
        marking control rows; each other value is a treatment arm.
    random_state : int, RandomState instance or None, default=None
        Seeds the inner models, for reproducible fits.
    n_jobs : int, default=None
        Threads of each default LightGBM model. ``None`` means 1 (one thread is
        fastest on small data and on a shared machine); -1 means all cores.

    Attributes
    ----------
    estimator_treatment_ : estimator object
        Fitted outcome model of the treated rows.
    estimator_control_ : estimator object
        Fitted outcome model of the control rows.
    arm_estimators_ : list of TLearner
        One fitted binary learner per arm (multi-arm fits only).
    treatment_labels_ : ndarray of shape (n_arms,)
        The treatment arms, in the order of ``predict``'s columns.
    treatment_rate_ : float or ndarray of shape (n_arms,)
        Share of training rows in each arm.
    effect_bound_ : float or None
        1.0 when predictions are bounded to [-1, 1] (binary outcome, a regressor was passed
        as an outcome model), else ``None``. Raw predictions beyond +-0.9 are then
        compressed smoothly into [-1, 1], keeping their order.
    outside_bound_share_ : float
        When ``effect_bound_`` is set: share of the training rows (at most 100,000,
        drawn at random) whose raw prediction lay outside [-1, 1].
    n_features_in_ : int
        Number of features seen in ``fit``.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Feature names, when ``X`` was a frame with string column names.

    See Also
    --------
    XLearner : Adds a second stage that models the effect directly.

    References
    ----------
    .. [1] Künzel, Sekhon, Bickel and Yu (2019), "Metalearners for estimating
       heterogeneous treatment effects using machine learning", PNAS 116(10).

    Examples
    --------
    >>> from actionable.datasets import make_churn
    >>> from actionable.models import TLearner
    >>> data = make_churn(2000, random_state=0)
    >>> learner = TLearner(random_state=0).fit(data.X, data.y, data.treatment)
    >>> learner.predict_outcomes(data.X).shape
    (2000, 2)
    """

    _uplift_is_outcome_difference = True

    def __init__(
        self,
        estimator=None,
        *,
        estimator_control=None,
        control_label=None,
        random_state=None,
        n_jobs=None,
    ):
        self.estimator = estimator
        self.estimator_control = estimator_control
        self.control_label = control_label
        self.random_state = random_state
        self.n_jobs = n_jobs

    def _fit_binary(self, X, y, treated, random_state, fit_params):
        seed_treatment, seed_control = self._seeds(random_state, 2)
        base = _outcome_base(self)
        base_control = self.estimator_control if self.estimator_control is not None else base
        self.estimator_treatment_ = fit_inner(
            base,
            take_rows(X, treated),
            y[treated],
            seed=seed_treatment,
            early_stopping=self.estimator is None,
            fit_params=fit_params,
        )
        self.estimator_control_ = fit_inner(
            base_control,
            take_rows(X, ~treated),
            y[~treated],
            seed=seed_control,
            early_stopping=self.estimator is None and self.estimator_control is None,
            fit_params=fit_params,
        )

    def _predict_outcomes_binary(self, X):
        return np.column_stack(
            [
                positive_score(self.estimator_control_, X),
                positive_score(self.estimator_treatment_, X),
            ]
        )

    def _predict_binary(self, X):
        outcomes = self._predict_outcomes_binary(X)
        return outcomes[:, 1] - outcomes[:, 0]

    def _effect_can_leave_bounds(self):
        return not (is_probabilistic(self.estimator) and is_probabilistic(self.estimator_control))


class XLearner(OutcomesMixin, BaseUpliftLearner):
    """X-learner: T-learner outcome models, then effect models on imputed effects.

    Stage 1 fits outcome models ``mu0`` (control rows) and ``mu1`` (treated rows).
    Stage 2 imputes each row's effect, ``y - mu0(x)`` for treated rows and
    ``mu1(x) - y`` for control rows, and regresses it on ``x`` in each group, giving
    ``tau1`` and ``tau0``. The uplift is ``e(x) * tau0(x) + (1 - e(x)) * tau1(x)``
    with ``e`` the propensity [1]_.

    Parameters
    ----------
    estimator : estimator object, default=None
        Outcome model of stage 1. ``None`` uses an early-stopped
        ``lightgbm.LGBMClassifier`` (see :class:`SLearner`).
    effect_estimator : regressor object, default=None
        Effect model of stage 2. ``None`` uses a ``lightgbm.LGBMRegressor`` of
        small trees (7 leaves, learning rate 0.15, ``min_child_samples=200``,
        80% row and column subsampling, ``reg_lambda=10``), early-stopped like the
        outcome model (see :class:`SLearner`) on the squared error of the imputed
        effects.
    propensity : None, float or classifier, default=None
        P(treated | x). ``None``: the treated share of the training rows (a
        randomized experiment); a float: a known assignment probability; a
        classifier: fitted on ``(X, treatment)``.
    control_label : object, default=None
        ``None``: ``treatment`` must be 0 (control) / 1 (treated). Otherwise the value
        marking control rows; each other value is a treatment arm.
    random_state : int, RandomState instance or None, default=None
        Seeds the inner models, for reproducible fits.
    n_jobs : int, default=None
        Threads of each default LightGBM model. ``None`` means 1 (one thread is
        fastest on small data and on a shared machine); -1 means all cores.

    Attributes
    ----------
    estimator_treatment_, estimator_control_ : estimator object
        Fitted stage-1 outcome models (``predict_outcomes`` uses them).
    effect_estimator_treatment_, effect_estimator_control_ : regressor object
        Fitted stage-2 effect models ``tau1`` and ``tau0``.
    propensity_ : float or classifier
        The constant propensity, or the fitted propensity model.
    arm_estimators_ : list of XLearner
        One fitted binary learner per arm (multi-arm fits only).
    treatment_labels_ : ndarray of shape (n_arms,)
        The treatment arms, in the order of ``predict``'s columns.
    treatment_rate_ : float or ndarray of shape (n_arms,)
        Share of training rows in each arm.
    effect_bound_ : float or None
        1.0 when predictions are bounded to [-1, 1] (binary outcome; the effect models are
        regressions and can step outside), else ``None``. Raw predictions beyond +-0.9 are
        then compressed smoothly into [-1, 1], keeping their order.
    outside_bound_share_ : float
        When ``effect_bound_`` is set: share of the training rows (at most 100,000,
        drawn at random) whose raw prediction lay outside [-1, 1].
    n_features_in_ : int
        Number of features seen in ``fit``.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Feature names, when ``X`` was a frame with string column names.

    See Also
    --------
    DRLearner : Doubly robust pseudo-outcomes instead of imputed effects.

    References
    ----------
    .. [1] Künzel, Sekhon, Bickel and Yu (2019), "Metalearners for estimating
       heterogeneous treatment effects using machine learning", PNAS 116(10).

    Examples
    --------
    >>> from actionable.datasets import make_churn
    >>> from actionable.models import XLearner
    >>> data = make_churn(2000, random_state=0)
    >>> learner = XLearner(random_state=0).fit(data.X, data.y, data.treatment)
    >>> learner.predict(data.X).shape
    (2000,)
    """

    def __init__(
        self,
        estimator=None,
        *,
        effect_estimator=None,
        propensity=None,
        control_label=None,
        random_state=None,
        n_jobs=None,
    ):
        self.estimator = estimator
        self.effect_estimator = effect_estimator
        self.propensity = propensity
        self.control_label = control_label
        self.random_state = random_state
        self.n_jobs = n_jobs

    def _fit_binary(self, X, y, treated, random_state, fit_params):
        seeds = self._seeds(random_state, 5)
        base = _outcome_base(self)
        X_treated, X_control = take_rows(X, treated), take_rows(X, ~treated)
        default, default_effect = self.estimator is None, self.effect_estimator is None
        self.estimator_treatment_ = fit_inner(
            base,
            X_treated,
            y[treated],
            seed=seeds[0],
            early_stopping=default,
            fit_params=fit_params,
        )
        self.estimator_control_ = fit_inner(
            base,
            X_control,
            y[~treated],
            seed=seeds[1],
            early_stopping=default,
            fit_params=fit_params,
        )
        imputed_treatment = y[treated] - positive_score(self.estimator_control_, X_treated)
        imputed_control = positive_score(self.estimator_treatment_, X_control) - y[~treated]
        effect = _effect_base(self)
        self.effect_estimator_treatment_ = fit_inner(
            effect,
            X_treated,
            imputed_treatment,
            seed=seeds[2],
            early_stopping=default_effect,
            fit_params=fit_params,
        )
        self.effect_estimator_control_ = fit_inner(
            effect,
            X_control,
            imputed_control,
            seed=seeds[3],
            early_stopping=default_effect,
            fit_params=fit_params,
        )
        _, self.propensity_ = propensity_of(self.propensity, X, treated, seeds[4], fit_params)

    def _predict_outcomes_binary(self, X):
        return np.column_stack(
            [
                positive_score(self.estimator_control_, X),
                positive_score(self.estimator_treatment_, X),
            ]
        )

    def _effect_can_leave_bounds(self):
        return True  # the effect models are regressions of imputed effects

    def _predict_binary(self, X):
        weight = propensity_predict(self.propensity_, X, X.shape[0])
        tau_control = np.asarray(self.effect_estimator_control_.predict(X), dtype=np.float64)
        tau_treatment = np.asarray(self.effect_estimator_treatment_.predict(X), dtype=np.float64)
        return weight * tau_control + (1.0 - weight) * tau_treatment


class DRLearner(OutcomesMixin, BaseUpliftLearner):
    """DR-learner: regress doubly robust pseudo-outcomes on the features.

    Outcome models ``mu0``, ``mu1`` and the propensity ``e`` are cross-fitted over
    ``cv`` folds; each row's pseudo-outcome

    ``mu1(x) - mu0(x) + t (y - mu1(x)) / e(x) - (1 - t) (y - mu0(x)) / (1 - e(x))``

    uses models that did not see that row, and an effect model regresses it on ``x``
    [1]_. Its expectation is the true effect whenever either the outcome models or
    the propensity are right; in a randomized experiment the propensity is known.

    Parameters
    ----------
    estimator : estimator object, default=None
        Outcome model. ``None`` uses an early-stopped ``lightgbm.LGBMClassifier``
        (see :class:`SLearner`).
    effect_estimator : regressor object, default=None
        Model of the pseudo-outcomes. ``None`` uses the early-stopped
        ``lightgbm.LGBMRegressor`` of small trees described in
        :class:`XLearner`, stopped on the squared error of the pseudo-outcomes.
    propensity : None, float or classifier, default=None
        P(treated | x). ``None``: the treated share of the training rows (a
        randomized experiment); a float: a known assignment probability; a
        classifier: cross-fitted on ``(X, treatment)``.
    cv : int, default=3
        Number of cross-fitting folds (>= 2), stratified on treatment x outcome.
    control_label : object, default=None
        ``None``: ``treatment`` must be 0 (control) / 1 (treated). Otherwise the value
        marking control rows; each other value is a treatment arm.
    random_state : int, RandomState instance or None, default=None
        Seeds the folds and the inner models, for reproducible fits.
    n_jobs : int, default=None
        Threads of each default LightGBM model. ``None`` means 1 (one thread is
        fastest on small data and on a shared machine); -1 means all cores.

    Attributes
    ----------
    estimators_treatment_, estimators_control_ : list of estimator object
        The outcome models fitted on each fold's training part; ``predict_outcomes``
        averages them.
    effect_estimator_ : regressor object
        Fitted model of the pseudo-outcomes.
    arm_estimators_ : list of DRLearner
        One fitted binary learner per arm (multi-arm fits only).
    treatment_labels_ : ndarray of shape (n_arms,)
        The treatment arms, in the order of ``predict``'s columns.
    treatment_rate_ : float or ndarray of shape (n_arms,)
        Share of training rows in each arm.
    effect_bound_ : float or None
        1.0 when predictions are bounded to [-1, 1] (binary outcome; the effect models are
        regressions and can step outside), else ``None``. Raw predictions beyond +-0.9 are
        then compressed smoothly into [-1, 1], keeping their order.
    outside_bound_share_ : float
        When ``effect_bound_`` is set: share of the training rows (at most 100,000,
        drawn at random) whose raw prediction lay outside [-1, 1].
    n_features_in_ : int
        Number of features seen in ``fit``.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Feature names, when ``X`` was a frame with string column names.

    See Also
    --------
    XLearner : Imputed effects instead of pseudo-outcomes.

    References
    ----------
    .. [1] Kennedy (2023), "Towards optimal doubly robust estimation of heterogeneous
       causal effects", Electronic Journal of Statistics 17(2).

    Examples
    --------
    >>> from actionable.datasets import make_churn
    >>> from actionable.models import DRLearner
    >>> data = make_churn(2000, random_state=0)
    >>> learner = DRLearner(random_state=0).fit(data.X, data.y, data.treatment)
    >>> learner.predict(data.X).shape
    (2000,)
    """

    def __init__(
        self,
        estimator=None,
        *,
        effect_estimator=None,
        propensity=None,
        cv=3,
        control_label=None,
        random_state=None,
        n_jobs=None,
    ):
        self.estimator = estimator
        self.effect_estimator = effect_estimator
        self.propensity = propensity
        self.cv = cv
        self.control_label = control_label
        self.random_state = random_state
        self.n_jobs = n_jobs

    def _fit_binary(self, X, y, treated, random_state, fit_params):
        if isinstance(self.cv, bool) or not isinstance(self.cv, int) or self.cv < 2:
            raise ValueError(f"cv must be an integer >= 2; got {self.cv!r}.")
        base = _outcome_base(self)
        strata = _fold_strata(y, treated, self.cv)
        folds = StratifiedKFold(self.cv, shuffle=True, random_state=random_state.randint(2**31))
        mu0 = np.empty(y.shape[0])
        mu1 = np.empty(y.shape[0])
        propensity = np.empty(y.shape[0])
        self.estimators_treatment_, self.estimators_control_ = [], []
        for train, held_out in folds.split(np.zeros(y.shape[0]), strata):
            seeds = self._seeds(random_state, 3)
            X_train, t_train, y_train = take_rows(X, train), treated[train], y[train]
            X_held_out = take_rows(X, held_out)
            model_treatment = fit_inner(
                base,
                take_rows(X_train, t_train),
                y_train[t_train],
                seed=seeds[0],
                early_stopping=self.estimator is None,
                fit_params=fit_params,
            )
            model_control = fit_inner(
                base,
                take_rows(X_train, ~t_train),
                y_train[~t_train],
                seed=seeds[1],
                early_stopping=self.estimator is None,
                fit_params=fit_params,
            )
            mu1[held_out] = positive_score(model_treatment, X_held_out)
            mu0[held_out] = positive_score(model_control, X_held_out)
            _, fitted = propensity_of(self.propensity, X_train, t_train, seeds[2], fit_params)
            propensity[held_out] = propensity_predict(fitted, X_held_out, held_out.shape[0])
            self.estimators_treatment_.append(model_treatment)
            self.estimators_control_.append(model_control)
        if self.propensity is None:  # a randomized experiment: the overall share
            propensity[:] = np.mean(treated)
        t = treated.astype(np.float64)
        pseudo_outcome = (
            mu1 - mu0 + t * (y - mu1) / propensity - (1.0 - t) * (y - mu0) / (1.0 - propensity)
        )
        (seed,) = self._seeds(random_state, 1)
        self.effect_estimator_ = fit_inner(
            _effect_base(self),
            X,
            pseudo_outcome,
            seed=seed,
            early_stopping=self.effect_estimator is None,
            fit_params=fit_params,
        )

    def _predict_outcomes_binary(self, X):
        control = np.mean([positive_score(m, X) for m in self.estimators_control_], axis=0)
        treatment = np.mean([positive_score(m, X) for m in self.estimators_treatment_], axis=0)
        return np.column_stack([control, treatment])

    def _effect_can_leave_bounds(self):
        return True  # the effect model is a regression of pseudo-outcomes

    def _predict_binary(self, X):
        return np.asarray(self.effect_estimator_.predict(X), dtype=np.float64)


def _fold_strata(y, treated, n_folds):
    """Strata for cross-fitting: treatment x outcome (above/below the median if not 0/1).

    Falls back to treatment alone when a stratum has fewer rows than folds.
    """
    is_binary = np.isin(y, (0.0, 1.0)).all()
    high = y if is_binary else (y > np.median(y))
    strata = treated.astype(int) * 2 + high.astype(int)
    counts = np.bincount(strata)
    if counts[counts > 0].min() < n_folds:
        strata = treated.astype(int)
    if np.bincount(strata).min() < n_folds:
        raise ValueError(
            f"cv={n_folds} folds need at least {n_folds} treated and {n_folds} control rows; "
            f"got {int(treated.sum())} treated and {int((~treated).sum())} control."
        )
    return strata
