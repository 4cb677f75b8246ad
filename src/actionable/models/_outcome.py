"""The naive model: predicts the outcome, not the effect of an intervention."""

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin
from sklearn.utils import check_random_state
from sklearn.utils.validation import check_is_fitted

from actionable._validation import (
    MSG_NO_CONTROL,
    MSG_NO_TREATED,
    check_binary_treatment,
    check_consistent_length,
)
from actionable.models._at_risk import (
    AT_RISK,
    HIGHEST,
    LOWEST,
    at_risk_applies,
    fit_at_risk,
    outcome_at_risk,
)
from actionable.models._base import INT32_MAX, fit_model, scores_of
from actionable.models._inputs import check_features, check_outcome

_TRAIN_ON = ("all", "control", "treated")
_FRAMINGS = ("churn", "response")


class NaiveOutcomeModel(BaseEstimator):
    """Shared parameters, checks and fit of the naive outcome models."""

    __metadata_request__fit = {"treatment": True}

    def __init__(
        self,
        estimator=None,
        *,
        train_on="all",
        framing="churn",
        control_label=None,
        random_state=None,
        n_jobs=None,
    ):
        self.estimator = estimator
        self.train_on = train_on
        self.framing = framing
        self.control_label = control_label
        self.random_state = random_state
        self.n_jobs = n_jobs

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        return tags

    def _fit_outcome(self, X, y, treatment, fit_params, *, binary):
        """Check the inputs and fit ``estimator_`` on the rows ``train_on`` names.

        Returns the checked ``(X, y)``, those rows (``None``: all) and the seed drawn.
        """
        if self.train_on not in _TRAIN_ON:
            raise ValueError(f"train_on must be one of {_TRAIN_ON}; got {self.train_on!r}.")
        if self.framing not in _FRAMINGS:
            raise ValueError(f"framing must be one of {_FRAMINGS}; got {self.framing!r}.")
        X = check_features(self, X, reset=True)
        y = check_outcome(y, X.shape[0], binary=binary, purpose=self._binary_purpose)
        rows = None
        if self.train_on != "all":
            rows = np.flatnonzero(self._arm_rows(treatment, X.shape[0]))
        seed = check_random_state(self.random_state).randint(INT32_MAX)
        seed = None if self.random_state is None else int(seed)
        self.estimator_ = fit_model(
            self.estimator,
            X,
            y.astype(int) if binary else y,
            kind="classifier" if binary else "outcome",
            rows=rows,
            seed=seed,
            n_jobs=self.n_jobs,
            fit_params=fit_params,
        )
        return X, y, rows, seed

    def _arm_rows(self, treatment, n_samples):
        """Boolean mask of the rows of the arm ``train_on`` names."""
        if treatment is None:
            raise ValueError(f"treatment is required when train_on={self.train_on!r}.")
        if self.control_label is None:
            flags = np.asarray(treatment)
            check_consistent_length(X=range(n_samples), treatment=flags)
            is_control = check_binary_treatment(flags, both_arms=False) == 0.0
        else:
            values = treatment.to_numpy() if isinstance(treatment, pd.Series) else treatment
            values = np.asarray(values)
            check_consistent_length(X=range(n_samples), treatment=values)
            is_control = values == self.control_label
        rows = is_control if self.train_on == "control" else ~is_control
        if not rows.any():
            raise ValueError(MSG_NO_CONTROL if self.train_on == "control" else MSG_NO_TREATED)
        return rows


class OutcomeClassifier(ClassifierMixin, NaiveOutcomeModel):
    """The naive targeting model: a classifier of the outcome, not of the effect.

    It answers "who will churn?" (or "who will buy?"), the question a churn model
    answers, and ranks customers by that risk. It cannot tell a lost cause (who leaves
    whatever is done) from a persuadable (who stays only if contacted), which is why
    it is paired with an uplift learner.

    Parameters
    ----------
    estimator : classifier object, default=None
        Outcome model with ``predict_proba``. ``None`` uses the default LightGBM
        model described in :class:`SLearner`: a good outcome model.
    train_on : {"all", "control", "treated"}, default="all"
        Rows to learn from: all rows (treatment ignored); the control rows only (the
        outcome without intervention, the usual churn model); or the treated rows
        only (the outcome when contacted, the usual response model built from the
        last campaign's recipients).
    framing : {"churn", "response"}, default="churn"
        What ``predict_risk`` returns: P(y=0), the risk of losing the customer
        (``"churn"``, with y = 1 meaning retained), or P(y=1), the chance of a
        response (``"response"``).
    control_label : object, default=None
        With ``train_on="control"`` or ``"treated"``: ``None`` means ``treatment`` is
        0 (control) / 1 (treated); otherwise the value marking control rows (every
        other value is treated).
    random_state : int, RandomState instance or None, default=None
        Seeds the inner model, for reproducible fits.
    n_jobs : int, default=None
        Threads of each default LightGBM model. ``None`` means 1 (one thread is
        fastest on small data and on a shared machine); -1 means all cores.

    Attributes
    ----------
    estimator_ : classifier object
        The fitted outcome model.
    outcome_type_ : str
        ``"binary"`` (the outcome is 0/1; :class:`OutcomeRegressor` models a
        continuous one).
    classes_ : ndarray of shape (2,)
        ``array([0, 1])``.
    n_features_in_ : int
        Number of features seen in ``fit``.
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Feature names, when ``X`` was a frame with string column names.

    See Also
    --------
    OutcomeRegressor : The naive model of a continuous outcome (revenue, spend).
    TLearner : Models the outcome under each arm, hence the effect.

    Examples
    --------
    >>> from actionable.datasets import make_churn
    >>> from actionable.models import OutcomeClassifier
    >>> data = make_churn(2000, random_state=0)
    >>> model = OutcomeClassifier(random_state=0).fit(data.X, data.y)
    >>> risk = model.predict_risk(data.X)
    >>> risk.shape, bool(((risk >= 0) & (risk <= 1)).all())
    ((2000,), True)
    """

    _binary_purpose = " for a classifier"

    def fit(self, X, y, treatment=None, **fit_params):
        """Fit the outcome model.

        Parameters
        ----------
        X : {array-like, pandas.DataFrame} of shape (n_samples, n_features)
            Features (frames keep categorical columns; strings become categories).
        y : array-like of shape (n_samples,)
            Outcome, 0/1 with 1 = favourable (retained, responded).
        treatment : array-like of shape (n_samples,), default=None
            Needed with ``train_on="control"`` or ``"treated"``; ignored with
            ``train_on="all"``.
        **fit_params : dict
            Passed to the inner model's ``fit``.

        Returns
        -------
        self : object
            The fitted model.
        """
        self._fit_outcome(X, y, treatment, fit_params, binary=True)
        self.outcome_type_ = "binary"
        self.classes_ = np.array([0, 1])
        return self

    def predict_proba(self, X):
        """Predict P(y=0) and P(y=1).

        Parameters
        ----------
        X : {array-like, pandas.DataFrame} of shape (n_samples, n_features)
            Features, as in ``fit``.

        Returns
        -------
        ndarray of shape (n_samples, 2)
            Columns follow ``classes_``: P(y=0), P(y=1).
        """
        check_is_fitted(self, "estimator_")
        X = check_features(self, X, reset=False)
        favourable = scores_of(self.estimator_, X)
        return np.column_stack([1.0 - favourable, favourable])

    def predict_risk(self, X):
        """Predict the naive targeting score.

        Parameters
        ----------
        X : {array-like, pandas.DataFrame} of shape (n_samples, n_features)
            Features, as in ``fit``.

        Returns
        -------
        ndarray of shape (n_samples,)
            P(y=0) (the churn risk) with ``framing="churn"``, P(y=1) with
            ``framing="response"``. Higher means "target first" for the naive policy.
        """
        proba = self.predict_proba(X)
        return proba[:, 0] if self.framing == "churn" else proba[:, 1]

    def predict(self, X):
        """Predict the outcome class (1 when P(y=1) >= 0.5).

        Parameters
        ----------
        X : {array-like, pandas.DataFrame} of shape (n_samples, n_features)
            Features, as in ``fit``.

        Returns
        -------
        ndarray of shape (n_samples,)
            Predicted outcome, 0 or 1 (scikit-learn classifier semantics; targeting
            uses :meth:`predict_risk`).
        """
        return (self.predict_proba(X)[:, 1] >= 0.5).astype(int)


class OutcomeRegressor(RegressorMixin, NaiveOutcomeModel):
    """The naive targeting model of a continuous outcome: a regression of the outcome.

    The counterpart of :class:`OutcomeClassifier` for an outcome in units (revenue
    kept, spend): it predicts how much each customer brings, not how much a contact
    changes it, so it ranks by value (or value at risk), not by effect.

    In the churn framing it ranks as a retention team measured in money does: by the
    **expected outcome at risk**, P(y = 0 | x) x E[y | y > 0, x], the chance of losing
    the outcome (the customer leaves, nothing is kept) times what it is worth when
    kept. Both parts are fitted on the rows ``train_on`` names, with the default
    LightGBM models: a classifier of y > 0 and a regressor of y on the rows where it
    is positive. This needs an outcome that is never negative, with zeros and positive
    values on at least 1% and at least 20 of those rows each
    (``AT_RISK_MIN_SHARE``, ``AT_RISK_MIN_ROWS``) and no ``estimator`` of the user's
    (which models E[y | x] only). Otherwise (a negative outcome, too few zeros, a
    user's estimator) it ranks the lowest predicted outcome first. ``risk_score_``
    says which.

    Parameters
    ----------
    estimator : regressor object, default=None
        Outcome model. ``None`` uses the default LightGBM regressor of a continuous
        outcome described in :class:`SLearner` (its objective is chosen by the
        rule stated there).
    train_on : {"all", "control", "treated"}, default="all"
        Rows to learn from: all rows (treatment ignored); the control rows only (the
        outcome without intervention); or the treated rows only (the outcome when
        contacted).
    framing : {"churn", "response"}, default="churn"
        What ``predict_risk`` returns (higher = contact first): ``"response"``, the
        predicted outcome (the customers expected to bring the most come first);
        ``"churn"``, the expected outcome at risk (the most outcome likely to be lost
        comes first), or minus the predicted outcome when the outcome at risk does not
        apply (see above).
    control_label : object, default=None
        With ``train_on="control"`` or ``"treated"``: ``None`` means ``treatment`` is
        0 (control) / 1 (treated); otherwise the value marking control rows (every
        other value is treated).
    random_state : int, RandomState instance or None, default=None
        Seeds the inner model, for reproducible fits.
    n_jobs : int, default=None
        Threads of each default LightGBM model. ``None`` means 1; -1 means all cores.

    Attributes
    ----------
    estimator_ : regressor object
        The fitted outcome model (by default a LightGBM regressor).
    outcome_type_ : str
        ``"continuous"``.
    risk_score_ : str
        What ``predict_risk`` ranks by: ``"outcome at risk"``, ``"lowest predicted
        outcome"`` (churn framing) or ``"highest predicted outcome"`` (response).
    kept_model_, amount_model_ : estimator or None
        With ``risk_score_ == "outcome at risk"``: the fitted classifier of y > 0 and
        regressor of y on the positive rows; else ``None``.
    n_features_in_ : int
        Number of features seen in ``fit``.
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Feature names, when ``X`` was a frame with string column names.

    See Also
    --------
    OutcomeClassifier : The naive model of a 0/1 outcome.
    TLearner : Models the outcome under each arm, hence the effect.

    Examples
    --------
    >>> import numpy as np
    >>> from actionable.models import OutcomeRegressor
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(2000, 3))
    >>> spend = np.maximum(0.0, 20.0 + 10.0 * X[:, 0] + rng.normal(size=2000))
    >>> model = OutcomeRegressor(framing="response", random_state=0).fit(X, spend)
    >>> model.outcome_type_
    'continuous'
    >>> bool(np.corrcoef(model.predict_risk(X), X[:, 0])[0, 1] > 0.9)
    True

    Revenue kept, 0 when the customer leaves: the churn framing ranks by revenue at
    risk, so of two customers equally likely to leave the bigger spender comes first.

    >>> leaves = rng.random(2000) < 1.0 / (1.0 + np.exp(-2.0 * X[:, 1]))
    >>> revenue = np.where(leaves, 0.0, np.exp(3.0 + X[:, 0]))
    >>> model = OutcomeRegressor(framing="churn", random_state=0).fit(X, revenue)
    >>> model.risk_score_
    'outcome at risk'
    >>> big, small = [[1.5, 1.5, 0.0]], [[-1.5, 1.5, 0.0]]
    >>> bool(model.predict_risk(big)[0] > model.predict_risk(small)[0])
    True
    """

    _binary_purpose = ""

    def fit(self, X, y, treatment=None, **fit_params):
        """Fit the outcome model.

        Parameters
        ----------
        X : {array-like, pandas.DataFrame} of shape (n_samples, n_features)
            Features (frames keep categorical columns; strings become categories).
        y : array-like of shape (n_samples,)
            Outcome, in its units (any finite numbers).
        treatment : array-like of shape (n_samples,), default=None
            Needed with ``train_on="control"`` or ``"treated"``; ignored with
            ``train_on="all"``.
        **fit_params : dict
            Passed to the inner model's ``fit``.

        Returns
        -------
        self : object
            The fitted model.
        """
        X, y, rows, seed = self._fit_outcome(X, y, treatment, fit_params, binary=False)
        self.outcome_type_ = "continuous"
        self.kept_model_ = self.amount_model_ = None
        if self.framing == "response":
            self.risk_score_ = HIGHEST
        elif self.estimator is None and at_risk_applies(y if rows is None else y[rows]):
            seeds = (None, None)
            if seed is not None:  # one seed for each of the two models, drawn from the fit's
                rng = np.random.default_rng(seed)
                seeds = tuple(int(rng.integers(INT32_MAX)) for _ in range(2))
            self.kept_model_, self.amount_model_ = fit_at_risk(
                X, y, rows, seeds=seeds, n_jobs=self.n_jobs, fit_params=fit_params
            )
            self.risk_score_ = AT_RISK
        else:
            self.risk_score_ = LOWEST
        return self

    def predict(self, X):
        """Predict the outcome.

        Parameters
        ----------
        X : {array-like, pandas.DataFrame} of shape (n_samples, n_features)
            Features, as in ``fit``.

        Returns
        -------
        ndarray of shape (n_samples,)
            The predicted outcome, in its units.
        """
        check_is_fitted(self, "estimator_")
        return scores_of(self.estimator_, check_features(self, X, reset=False))

    def predict_risk(self, X):
        """Predict the naive targeting score (higher = contact first).

        Parameters
        ----------
        X : {array-like, pandas.DataFrame} of shape (n_samples, n_features)
            Features, as in ``fit``.

        Returns
        -------
        ndarray of shape (n_samples,)
            With ``framing="churn"``: the expected outcome at risk, P(y = 0 | x) x
            E[y | y > 0, x], or minus the predicted outcome when it does not apply
            (``risk_score_`` says which). With ``framing="response"``: the predicted
            outcome.
        """
        if getattr(self, "risk_score_", None) == AT_RISK:
            check_is_fitted(self, "kept_model_")
            X = check_features(self, X, reset=False)
            return outcome_at_risk(self.kept_model_, self.amount_model_, X)
        outcome = self.predict(X)
        return -outcome if self.framing == "churn" else outcome
