"""Shared machinery of the uplift learners: default models, arms, bounds, scoring.

Every learner follows the same path: ``fit`` checks ``X`` (pandas frames pass through
so LightGBM sees categorical columns; string columns become categories), checks the
outcome and the treatment, then either fits one binary learner (one treatment arm
against the control) or, with several arms, one clone per arm on that arm's rows and
the control rows. LightGBM is imported lazily, only when a default model is built.
"""

import numbers

import numpy as np
from sklearn.base import BaseEstimator, clone
from sklearn.utils import check_random_state
from sklearn.utils.validation import check_is_fitted

from actionable._validation import (
    check_binary_treatment,
    check_number,
    first_non_binary,
    threads_for,
)
from actionable.models._boosting import fit_boosted
from actionable.models._contributions import ExplainMixin
from actionable.models._inputs import (
    check_features,
    check_outcome,
    models_binary_outcome,
    split_arms,
)
from actionable.models._rows import predict_in_chunks, take_rows, with_treatment

# The class transformation's default: a random forest of small trees. Each tree learns
# from half the rows, at most FOREST_TREE_ROWS of them, and each of its leaves holds at
# least FOREST_LEAF_SHARE of a tree's rows; averaging many coarse, decorrelated
# partitions gives a low-variance uplift on small, noisy campaigns. The forest grows
# MAX_FOREST_TREES trees of up to FOREST_ROW_VISITS / MAX_FOREST_TREES rows, and fewer
# of larger ones (at least MIN_FOREST_TREES), so that it learns from about
# FOREST_ROW_VISITS rows in all: its cost stops growing with the data. Measured on the
# quality splits (benchmarks/README.md, "Learner defaults"): trees of fewer rows lose
# ranking on Starbucks (25,000 rows instead of 29,600: -0.0065 Qini), fewer trees of
# the same rows little (100 instead of 200: -0.0008 on Starbucks, -0.0006 on Hillstrom
# women's e-mail).
DEFAULT_FOREST_PARAMS = {
    "boosting_type": "rf",
    "num_leaves": 4,
    "subsample_freq": 1,
    "colsample_bytree": 0.6,
    # as the boosted models (_boosting._COMMON): 92 MiB at 10^6 rows, not 104 or 131
    "force_col_wise": True,
    "verbose": -1,
}
FOREST_TREE_ROWS = 50_000
FOREST_LEAF_SHARE = 0.2
FOREST_ROW_VISITS = 6_000_000
MAX_FOREST_TREES = 200
MIN_FOREST_TREES = 100

_MSG_SCORE_WITHOUT_TREATMENT = (
    "{name}.score needs treatment. In model selection (cross_validate, GridSearchCV), "
    "enable scikit-learn's metadata routing, sklearn.set_config(enable_metadata_routing=True), "
    "and pass params={{'treatment': treatment}}: it then reaches both fit and score."
)
_MSG_PROPENSITY = (
    "propensity must be None (the treated share of the training rows), a probability in "
    "(0, 1), or a scikit-learn classifier; got {value!r}."
)
MSG_SAMPLE_WEIGHT_UNSUPPORTED = (
    "{name} does not accept sample_weight in fit, which {learner} needs when the treated "
    "share ({share:.3f}) is not within 0.01 of 0.5."
)

# The uplift of a binary outcome is a difference of two probabilities: it lies in
# [-1, 1]. Learners whose effect comes from a regression (the X- and DR-learners' effect
# models of noisy imputed effects or pseudo-outcomes, or a regressor passed as the
# outcome model) can step outside, as the DR-learner did on 2.3% of the demo's test
# rows (up to 1.41). Their predictions beyond +-UPLIFT_KNEE are compressed smoothly
# into (-1, 1) by bound_uplift: predictions within the knee are untouched and the
# order of all predictions is kept, so every ranking (Qini, uplift curves, who is
# contacted first) is the raw model's.
UPLIFT_KNEE = 0.9
# Rows of the training data on which the share of raw predictions outside [-1, 1] is
# measured at fit (outside_bound_share_): enough for a share to +-0.3 percentage points.
# They are scored BOUND_CHECK_CHUNK rows at a time: a sample of the rows is copied one
# chunk at a time, not whole (100,000 rows of 14 features are 11 MB).
BOUND_CHECK_ROWS = 100_000
BOUND_CHECK_CHUNK = 10_000

INT32_MAX = np.iinfo(np.int32).max


def default_forest_classifier(n_samples, random_state=None, n_jobs=None):
    """Return the default class-transformation model for ``n_samples`` training rows.

    A forest of small, coarse trees (see ``DEFAULT_FOREST_PARAMS``): each tree learns
    from half the rows, at most ``FOREST_TREE_ROWS``; 200 trees up to 60,000 rows,
    fewer (at least 100) beyond.
    """
    from lightgbm import LGBMClassifier

    tree_rows = min(0.5 * n_samples, FOREST_TREE_ROWS)
    n_trees = int(round(FOREST_ROW_VISITS / max(tree_rows, 1.0)))
    return LGBMClassifier(
        **DEFAULT_FOREST_PARAMS,
        n_estimators=int(np.clip(n_trees, MIN_FOREST_TREES, MAX_FOREST_TREES)),
        subsample=tree_rows / n_samples if n_samples else 0.5,
        min_child_samples=max(20, int(np.ceil(FOREST_LEAF_SHARE * tree_rows))),
        random_state=random_state,
        n_jobs=threads_for(n_jobs),
    )


def fit_model(
    estimator,
    X,
    y,
    *,
    kind,
    rows=None,
    treatment_column=None,
    seed,
    n_jobs,
    fit_params,
    outcome=None,
):
    """Fit an inner model on some rows of ``X``: the default one, or a clone of ``estimator``.

    ``estimator=None`` grows the default model of ``kind`` (:func:`fit_boosted`:
    ``"classifier"`` for a 0/1 ``y``, ``"regressor"`` for an effect). ``rows`` (int
    indices, ``None`` for all) select the rows of ``X``, ``y`` and of a
    ``sample_weight`` in ``fit_params``; ``treatment_column`` (one value per row of
    ``X``) is appended as the last feature; ``outcome`` (the 0/1 outcome an effect
    model's target was built from) decides a default effect model's refit.
    """
    if estimator is None:
        return fit_boosted(
            kind,
            X,
            y,
            rows=rows,
            treatment_column=treatment_column,
            fit_params=fit_params,
            seed=seed,
            n_jobs=n_jobs,
            outcome=outcome,
        )
    params = rows_of_fit_params(fit_params, rows)
    if rows is not None:
        X, y = take_rows(X, rows), y[rows]
    if treatment_column is not None:
        flags = np.asarray(treatment_column)
        X = with_treatment(X, flags if rows is None else flags[rows])
    return seeded_clone(estimator, seed).fit(X, y, **params)


def rows_of_fit_params(fit_params, rows):
    """``fit_params`` for some rows: their part of a ``sample_weight`` (others as given)."""
    params = dict(fit_params)
    if rows is not None and params.get("sample_weight") is not None:
        params["sample_weight"] = np.asarray(params["sample_weight"])[rows]
    return params


def scores_of(estimator, X, rows=None):
    """P(y=1 | x) (or a regressor's prediction) for some rows of ``X``, in chunks."""
    return predict_in_chunks(lambda chunk: positive_score(estimator, chunk), X, rows=rows)


def seeded_clone(estimator, seed):
    """Clone ``estimator`` and set its ``random_state`` (if it has one) to ``seed``."""
    estimator = clone(estimator)
    if seed is not None and "random_state" in estimator.get_params(deep=False):
        estimator.set_params(random_state=seed)
    return estimator


def positive_score(estimator, X):
    """P(y=1 | X) from a fitted classifier, or the prediction of a regressor."""
    if hasattr(estimator, "predict_proba"):
        proba = estimator.predict_proba(X)
        classes = list(getattr(estimator, "classes_", [0, 1]))
        if 1 in classes:
            return np.asarray(proba[:, classes.index(1)], dtype=np.float64)
        return np.zeros(proba.shape[0])  # trained on a single class: always 0
    return np.asarray(estimator.predict(X), dtype=np.float64)


def outcome_type(y):
    """``"binary"`` when every outcome is 0 or 1, else ``"continuous"``."""
    return "binary" if first_non_binary(y) is None else "continuous"


def outcome_kind(y):
    """The kind of default outcome model :func:`fit_model` grows for the outcome ``y``."""
    return "classifier" if first_non_binary(y) is None else "outcome"


def bound_uplift(raw):
    """Compress uplift predictions beyond +-``UPLIFT_KNEE`` smoothly into (-1, 1).

    Identity on ``[-UPLIFT_KNEE, UPLIFT_KNEE]``; beyond it
    ``sign(u) * (k + (1 - k) * tanh((|u| - k) / (1 - k)))`` with ``k = UPLIFT_KNEE``,
    which is continuous with a continuous slope, increasing (the order of the
    predictions is kept, up to raw values beyond about +-2, which float precision
    ties) and stays within [-1, 1].

    Parameters
    ----------
    raw : array-like
        Raw uplift predictions.

    Returns
    -------
    ndarray
        The bounded predictions, same shape.

    Examples
    --------
    >>> from actionable.models._base import bound_uplift
    >>> bound_uplift([-1.2, -0.5, 0.95, 1.0, 1.2]).round(4)
    array([-0.9995, -0.5   ,  0.9462,  0.9762,  0.9995])
    """
    raw = np.asarray(raw, dtype=np.float64)
    margin = 1.0 - UPLIFT_KNEE
    excess = np.abs(raw) - UPLIFT_KNEE
    squashed = np.sign(raw) * (UPLIFT_KNEE + margin * np.tanh(np.maximum(excess, 0.0) / margin))
    return np.where(excess > 0.0, squashed, raw)


def is_probabilistic(estimator):
    """Whether an inner model gives probabilities (``None`` means the default classifier)."""
    return estimator is None or hasattr(estimator, "predict_proba")


def propensity_of(propensity, X, treated, seed, fit_params):
    """P(treated | X) for the training rows and a fitted model (or constant) for later.

    Returns ``(scores, fitted)`` where ``fitted`` is a float (constant propensity) or a
    fitted classifier.
    """
    if propensity is None:
        share = float(np.mean(treated))
        return np.full(treated.shape[0], share), share
    if isinstance(propensity, numbers.Real) and not isinstance(propensity, bool):
        share = check_number(
            propensity,
            "propensity",
            low=0,
            high=1,
            low_open=True,
            high_open=True,
            message=_MSG_PROPENSITY,
        )
        return np.full(treated.shape[0], share), share
    if not hasattr(propensity, "fit"):
        raise ValueError(_MSG_PROPENSITY.format(value=propensity))
    model = seeded_clone(propensity, seed).fit(X, treated.astype(int), **fit_params)
    scores = np.clip(positive_score(model, X), 1e-3, 1 - 1e-3)
    return scores, model


def propensity_predict(fitted, X, n_samples):
    """Evaluate a propensity returned by :func:`propensity_of` on new rows."""
    if isinstance(fitted, float):
        return np.full(n_samples, fitted)
    return np.clip(positive_score(fitted, X), 1e-3, 1 - 1e-3)


class BaseUpliftLearner(ExplainMixin, BaseEstimator):
    """Base class: fit/predict for one or several treatment arms, and Qini scoring.

    Subclasses implement ``_fit_binary(X, y, treated, random_state, fit_params)`` and
    ``_predict_binary(X)``, and optionally ``_predict_outcomes_binary(X)``.
    """

    # With scikit-learn's metadata routing enabled, `treatment` is routed to fit and
    # score by default (e.g. by cross_validate(..., params={"treatment": t})).
    __metadata_request__fit = {"treatment": True}
    __metadata_request__score = {"treatment": True}

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        tags.target_tags.required = True
        return tags

    def fit(self, X, y, treatment, **fit_params):
        """Fit the learner on a randomized experiment.

        Parameters
        ----------
        X : {array-like, pandas.DataFrame} of shape (n_samples, n_features)
            Features. Frames keep their dtypes (LightGBM uses categorical columns
            natively); string columns are converted to categories.
        y : array-like of shape (n_samples,)
            Outcome: 0/1 with 1 = favourable, or a continuous outcome (revenue,
            spend; any numbers not all 0/1), which the default models regress (0/1
            is required when a passed outcome model is a classifier).
        treatment : array-like of shape (n_samples,)
            1 = treated, 0 = control; or arm labels when ``control_label`` is set.
        **fit_params : dict
            Passed to every inner model's ``fit``.

        Returns
        -------
        self : object
            The fitted learner.
        """
        X = check_features(self, X, reset=True)
        n_samples = X.shape[0]
        y = check_outcome(
            y, n_samples, binary=self._needs_binary_outcome(), purpose=self._binary_purpose
        )
        self.outcome_type_ = outcome_type(y)
        labels, arm_of_row = split_arms(treatment, self.control_label, n_samples)
        self.treatment_labels_ = labels
        if labels.shape[0] == 1:
            treated = arm_of_row == 0
            self.treatment_rate_ = float(np.mean(treated))
            random_state = check_random_state(self.random_state)
            self._fit_binary(X, y, treated, random_state, fit_params)
            self._set_bound(X, y, random_state)
            return self
        self.treatment_rate_ = np.array([np.mean(arm_of_row == i) for i in range(len(labels))])
        self.arm_estimators_ = []
        for index in range(len(labels)):
            rows = (arm_of_row == index) | (arm_of_row == -1)
            arm_learner = clone(self).set_params(control_label=None)
            arm_learner.fit(
                take_rows(X, rows), y[rows], (arm_of_row[rows] == index).astype(int), **fit_params
            )
            self.arm_estimators_.append(arm_learner)
        return self

    def predict(self, X):
        """Predict the uplift P(y=1 | treated, x) - P(y=1 | control, x).

        On a continuous outcome (``outcome_type_ == "continuous"``): the expected
        outcome with treatment minus without, in the outcome's units (not bounded).

        Parameters
        ----------
        X : {array-like, pandas.DataFrame} of shape (n_samples, n_features)
            Features, as in ``fit``.

        Returns
        -------
        ndarray of shape (n_samples,) or (n_samples, n_arms)
            The uplift; one column per treatment arm (``treatment_labels_``) when
            fitted on several arms.
        """
        check_is_fitted(self, "treatment_labels_")
        X = check_features(self, X, reset=False)
        if hasattr(self, "arm_estimators_"):
            return np.column_stack([arm.predict(X) for arm in self.arm_estimators_])
        uplift = self._predict_binary(X)
        return uplift if getattr(self, "effect_bound_", None) is None else bound_uplift(uplift)

    def _effect_can_leave_bounds(self):
        """Whether the raw uplift can leave [-1, 1] (a regression somewhere in the effect)."""
        return not is_probabilistic(getattr(self, "estimator", None))

    def _set_bound(self, X, y, random_state):
        """Record whether predictions are bounded, and how often the raw ones fell outside."""
        binary = first_non_binary(y) is None
        if not (binary and self._effect_can_leave_bounds()):
            self.effect_bound_ = None
            return
        self.effect_bound_ = 1.0
        rows = None  # every row, scored in place
        if y.shape[0] > BOUND_CHECK_ROWS:
            rows = random_state.choice(y.shape[0], BOUND_CHECK_ROWS, replace=False)
            rows = np.sort(rows)
        raw = predict_in_chunks(self._predict_binary, X, rows=rows, chunk_rows=BOUND_CHECK_CHUNK)
        self.outside_bound_share_ = float(np.mean(np.abs(raw) > 1.0))

    def score(self, X, y, treatment=None, sample_weight=None):
        """Return the Qini coefficient (``qini_auc_score``) of the predicted uplift.

        With several arms, the mean over arms, each scored on its rows and the control's.

        Parameters
        ----------
        X : {array-like, pandas.DataFrame} of shape (n_samples, n_features)
            Features.
        y : array-like of shape (n_samples,)
            Observed outcomes.
        treatment : array-like of shape (n_samples,)
            Treatment, coded as in ``fit``. Required; it defaults to None only so
            that model selection without metadata routing fails with a clear message.
        sample_weight : array-like of shape (n_samples,), default=None
            Sample weights.

        Returns
        -------
        float
            Normalized area under the Qini curve; higher is better.
        """
        from actionable.metrics import qini_auc_score

        if treatment is None:
            raise ValueError(_MSG_SCORE_WITHOUT_TREATMENT.format(name=type(self).__name__))
        check_is_fitted(self, "treatment_labels_")
        uplift = self.predict(X)
        if uplift.ndim == 1:
            if self.control_label is None:
                flags = check_binary_treatment(treatment)
            else:
                flags = (np.asarray(treatment) != self.control_label).astype(float)
            return float(qini_auc_score(y, uplift, flags, sample_weight=sample_weight))
        values = np.asarray(treatment)
        y = np.asarray(y)
        weight = None if sample_weight is None else np.asarray(sample_weight)
        scores = []
        for index, label in enumerate(self.treatment_labels_):
            rows = (values == label) | (values == self.control_label)
            scores.append(
                qini_auc_score(
                    y[rows],
                    uplift[rows, index],
                    (values[rows] == label).astype(float),
                    sample_weight=None if weight is None else weight[rows],
                )
            )
        return float(np.mean(scores))

    # Why a 0/1 outcome is needed, in the message of a non-binary y.
    _binary_purpose = " for a classifier outcome model"

    def _needs_binary_outcome(self):
        return models_binary_outcome(getattr(self, "estimator", None))

    def _seeds(self, random_state, count):
        """``count`` seeds for inner models (``None`` when ``random_state`` is None)."""
        seeds = random_state.randint(INT32_MAX, size=count)
        if self.random_state is None:
            return [None] * count
        return [int(seed) for seed in seeds]


class OutcomesMixin:
    """``predict_outcomes`` for learners that model P(y=1) (or E[y]) under each arm."""

    def predict_outcomes(self, X):
        """Predict P(y=1) (the expected outcome, if continuous) without and with treatment.

        Parameters
        ----------
        X : {array-like, pandas.DataFrame} of shape (n_samples, n_features)
            Features, as in ``fit``.

        Returns
        -------
        ndarray of shape (n_samples, 2) or (n_samples, n_arms, 2)
            Column 0: P(y=1 | control, x); column 1: P(y=1 | treated, x) (for a
            continuous outcome, its expected value under each arm). With several
            arms, one (control, treated) pair per arm.
        """
        check_is_fitted(self, "treatment_labels_")
        X = check_features(self, X, reset=False)
        if hasattr(self, "arm_estimators_"):
            return np.stack([arm.predict_outcomes(X) for arm in self.arm_estimators_], axis=1)
        return self._predict_outcomes_binary(X)

    def predict_with_outcomes(self, X):
        """Predict the uplift and P(y=1) without and with treatment, in one pass.

        Where the uplift is the difference of the two outcome models (S- and
        T-learners), they are evaluated once for both, which halves the cost of
        scoring when a targeting rule needs P(y=1 | treated) too.

        Parameters
        ----------
        X : {array-like, pandas.DataFrame} of shape (n_samples, n_features)
            Features, as in ``fit``.

        Returns
        -------
        uplift : ndarray of shape (n_samples,) or (n_samples, n_arms)
            As :meth:`predict`.
        outcomes : ndarray of shape (n_samples, 2) or (n_samples, n_arms, 2)
            As :meth:`predict_outcomes`.
        """
        check_is_fitted(self, "treatment_labels_")
        if hasattr(self, "arm_estimators_") or not self._uplift_is_outcome_difference:
            return self.predict(X), self.predict_outcomes(X)
        X = check_features(self, X, reset=False)
        outcomes = self._predict_outcomes_binary(X)
        uplift = outcomes[:, 1] - outcomes[:, 0]
        if getattr(self, "effect_bound_", None) is not None:
            uplift = bound_uplift(uplift)
        return uplift, outcomes

    _uplift_is_outcome_difference = False
