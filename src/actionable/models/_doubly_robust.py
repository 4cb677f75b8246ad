"""The DR-learner: doubly robust pseudo-outcomes regressed on the features."""

import numpy as np
from sklearn.model_selection import StratifiedKFold

from actionable.models._base import (
    BaseUpliftLearner,
    OutcomesMixin,
    fit_model,
    outcome_kind,
    propensity_of,
    propensity_predict,
    rows_of_fit_params,
    scores_of,
)
from actionable.models._rows import take_rows


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
        Outcome model. ``None`` uses the default LightGBM model described in
        :class:`SLearner`.
    effect_estimator : regressor object, default=None
        Model of the pseudo-outcomes. ``None`` uses the small LightGBM regression
        trees described in :class:`XLearner`, judged by the squared error of the
        pseudo-outcomes.
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
        strata = _fold_strata(y, treated, self.cv)
        folds = StratifiedKFold(self.cv, shuffle=True, random_state=random_state.randint(2**31))
        mu0 = np.empty(y.shape[0])
        mu1 = np.empty(y.shape[0])
        propensity = np.empty(y.shape[0])
        outcome = {"kind": outcome_kind(y), "n_jobs": self.n_jobs, "fit_params": fit_params}
        self.estimators_treatment_, self.estimators_control_ = [], []
        for train, held_out in folds.split(np.zeros(y.shape[0]), strata):
            seeds = self._seeds(random_state, 3)
            model_treatment = fit_model(
                self.estimator, X, y, rows=train[treated[train]], seed=seeds[0], **outcome
            )
            model_control = fit_model(
                self.estimator, X, y, rows=train[~treated[train]], seed=seeds[1], **outcome
            )
            mu1[held_out] = scores_of(model_treatment, X, held_out)
            mu0[held_out] = scores_of(model_control, X, held_out)
            if self.propensity is not None:
                _, fitted = propensity_of(
                    self.propensity,
                    take_rows(X, train),
                    treated[train],
                    seeds[2],
                    rows_of_fit_params(fit_params, train),
                )
                propensity[held_out] = propensity_predict(
                    fitted, take_rows(X, held_out), held_out.shape[0]
                )
            self.estimators_treatment_.append(model_treatment)
            self.estimators_control_.append(model_control)
        if self.propensity is None:  # a randomized experiment: the overall share
            propensity[:] = np.mean(treated)
        t = treated.astype(np.float64)
        pseudo_outcome = (
            mu1 - mu0 + t * (y - mu1) / propensity - (1.0 - t) * (y - mu0) / (1.0 - propensity)
        )
        (seed,) = self._seeds(random_state, 1)
        self.effect_estimator_ = fit_model(
            self.effect_estimator,
            X,
            pseudo_outcome,
            kind="regressor",
            seed=seed,
            n_jobs=self.n_jobs,
            fit_params=fit_params,
            outcome=y,
        )

    def _predict_outcomes_binary(self, X):
        control = np.mean([scores_of(m, X) for m in self.estimators_control_], axis=0)
        treatment = np.mean([scores_of(m, X) for m in self.estimators_treatment_], axis=0)
        return np.column_stack([control, treatment])

    def _effect_can_leave_bounds(self):
        return True  # the effect model is a regression of pseudo-outcomes

    def _predict_binary(self, X):
        return scores_of(self.effect_estimator_, X)


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
