"""Meta-learners: S-, T- and X-learners built from any scikit-learn estimator.

The DR-learner is in ``_doubly_robust.py``.
"""

import numpy as np

from actionable.models._base import (
    BaseUpliftLearner,
    OutcomesMixin,
    fit_model,
    is_probabilistic,
    outcome_kind,
    propensity_of,
    propensity_predict,
    scores_of,
)
from actionable.models._inputs import models_binary_outcome
from actionable.models._rows import predict_in_chunks, with_treatment


class SLearner(OutcomesMixin, BaseUpliftLearner):
    """S-learner: one outcome model with the treatment as a feature.

    A single model learns P(y=1 | x, t); the uplift is its prediction with ``t = 1``
    minus its prediction with ``t = 0`` [1]_.

    Parameters
    ----------
    estimator : estimator object, default=None
        Outcome model (a classifier with ``predict_proba``, or a regressor). ``None``
        grows LightGBM trees whose number is chosen on held-out rows, so that its
        cost follows the data. A fifth of the rows (stratified, at most 100,000)
        judge each new tree by log-loss; the model learns from the others, at most
        1,000,000 of them drawn at random. Its first 30 trees have 8 leaves at a
        learning rate of 0.1 (``min_child_samples=100``, ``reg_lambda=5``, 80% row
        subsampling, and 80% of the features per tree when there are at least 5);
        from 10,000 training rows on, the next ones have 31 leaves at 0.3 (63 from
        250,000 training rows, 127 from 800,000). Boosting
        stops when 20 trees bring no improvement, or 10 trees together less than
        0.1% of the gain over a constant prediction (at most 1,000 trees). Where the
        rarer outcome has at most 10,000 rows (on at most 100,000 rows), the model
        is then refitted on all its rows with that number of trees. In practice: a
        few dozen small trees on a noisy campaign (Hillstrom, Starbucks); on
        ``make_churn``, 60 to 90 trees per model from 10^5 to 10^7 rows, each model
        fitted on at most a million rows (see :mod:`actionable.models`).
        On a continuous outcome (any ``y`` not all 0/1: revenue, spend) the same
        trees are a LightGBM regressor, judged by the held-out squared error, whose
        objective follows a rule on ``y``: Tweedie (variance power 1.5, log link)
        when ``y`` is never negative and 0 on at least half of the rows (a spend:
        many zeros, a long right tail), squared error otherwise (negative values
        present, or few zeros). Passed estimators are fitted as given.
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
    outcome_type_ : str
        ``"binary"`` (``y`` all 0/1: the default outcome models are classifiers and
        the uplift a difference of probabilities) or ``"continuous"`` (the default
        outcome models are regressors and the uplift is in the outcome's units).
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
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
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
        self.estimator_ = fit_model(
            self.estimator,
            X,
            y,
            kind=outcome_kind(y),
            treatment_column=treated,
            seed=seed,
            n_jobs=self.n_jobs,
            fit_params=fit_params,
        )

    def _predict_outcomes_binary(self, X):
        def outcomes(chunk):
            return np.column_stack(
                [
                    scores_of(self.estimator_, with_treatment(chunk, 0.0)),
                    scores_of(self.estimator_, with_treatment(chunk, 1.0)),
                ]
            )

        return predict_in_chunks(outcomes, X)

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
        ``estimator_control`` is given). ``None`` uses the default LightGBM
        model described in :class:`SLearner`, on each arm's rows.
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
    outcome_type_ : str
        ``"binary"`` (``y`` all 0/1: the default outcome models are classifiers and
        the uplift a difference of probabilities) or ``"continuous"`` (the default
        outcome models are regressors and the uplift is in the outcome's units).
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
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
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
        control = self.estimator_control if self.estimator_control is not None else self.estimator
        self.estimator_treatment_ = fit_model(
            self.estimator,
            X,
            y,
            kind=outcome_kind(y),
            rows=np.flatnonzero(treated),
            seed=seed_treatment,
            n_jobs=self.n_jobs,
            fit_params=fit_params,
        )
        self.estimator_control_ = fit_model(
            control,
            X,
            y,
            kind=outcome_kind(y),
            rows=np.flatnonzero(~treated),
            seed=seed_control,
            n_jobs=self.n_jobs,
            fit_params=fit_params,
        )

    def _predict_outcomes_binary(self, X):
        return np.column_stack(
            [
                scores_of(self.estimator_control_, X),
                scores_of(self.estimator_treatment_, X),
            ]
        )

    def _predict_binary(self, X):
        outcomes = self._predict_outcomes_binary(X)
        return outcomes[:, 1] - outcomes[:, 0]

    def _effect_can_leave_bounds(self):
        return not (is_probabilistic(self.estimator) and is_probabilistic(self.estimator_control))

    def _needs_binary_outcome(self):
        return models_binary_outcome(self.estimator) or models_binary_outcome(
            self.estimator_control
        )


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
        Outcome model of stage 1. ``None`` uses the default LightGBM model
        described in :class:`SLearner`.
    effect_estimator : regressor object, default=None
        Effect model of stage 2. ``None`` uses LightGBM regression trees chosen on
        held-out rows like the outcome model's (see :class:`SLearner`), judged by
        the squared error of the imputed effects, and small throughout (7 leaves,
        learning rate 0.15, ``min_child_samples=200``, ``reg_lambda=10``): imputed
        effects are mostly noise.
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
    outcome_type_ : str
        ``"binary"`` (``y`` all 0/1: the default outcome models are classifiers and
        the uplift a difference of probabilities) or ``"continuous"`` (the default
        outcome models are regressors and the uplift is in the outcome's units).
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
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
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
        rows_treated, rows_control = np.flatnonzero(treated), np.flatnonzero(~treated)
        outcome = {"kind": outcome_kind(y), "n_jobs": self.n_jobs, "fit_params": fit_params}
        self.estimator_treatment_ = fit_model(
            self.estimator, X, y, rows=rows_treated, seed=seeds[0], **outcome
        )
        self.estimator_control_ = fit_model(
            self.estimator, X, y, rows=rows_control, seed=seeds[1], **outcome
        )
        imputed = np.empty(y.shape[0])
        imputed[rows_treated] = y[rows_treated] - scores_of(
            self.estimator_control_, X, rows_treated
        )
        imputed[rows_control] = (
            scores_of(self.estimator_treatment_, X, rows_control) - y[rows_control]
        )
        effect = {
            "kind": "regressor",
            "n_jobs": self.n_jobs,
            "fit_params": fit_params,
            "outcome": y,
        }
        self.effect_estimator_treatment_ = fit_model(
            self.effect_estimator, X, imputed, rows=rows_treated, seed=seeds[2], **effect
        )
        self.effect_estimator_control_ = fit_model(
            self.effect_estimator, X, imputed, rows=rows_control, seed=seeds[3], **effect
        )
        _, self.propensity_ = propensity_of(self.propensity, X, treated, seeds[4], fit_params)

    def _predict_outcomes_binary(self, X):
        return np.column_stack(
            [
                scores_of(self.estimator_control_, X),
                scores_of(self.estimator_treatment_, X),
            ]
        )

    def _effect_can_leave_bounds(self):
        return True  # the effect models are regressions of imputed effects

    def _predict_binary(self, X):
        weight = propensity_predict(self.propensity_, X, X.shape[0])
        tau_control = scores_of(self.effect_estimator_control_, X)
        tau_treatment = scores_of(self.effect_estimator_treatment_, X)
        return weight * tau_control + (1.0 - weight) * tau_treatment
