"""Class transformation: one classifier on a relabelled outcome."""

import numpy as np
from sklearn.utils.validation import has_fit_parameter

from actionable.models._base import (
    MSG_SAMPLE_WEIGHT_UNSUPPORTED,
    BaseUpliftLearner,
    default_forest_classifier,
    positive_score,
    seeded_clone,
)
from actionable.models._boosting import MAX_TRAINING_ROWS
from actionable.models._rows import take_rows

# Without sample weights, a treated share of 0.5 + d biases the uplift by at most 2|d|.
_UNWEIGHTED_TOLERANCE = 0.01


class ClassTransformation(BaseUpliftLearner):
    """Class transformation: predict whether treatment and outcome agree.

    The new label is ``z = 1`` for treated rows with ``y = 1`` and control rows with
    ``y = 0``. With equal treated and control weight, ``P(z=1 | x) = (1 + uplift(x)) / 2``,
    so the uplift is ``2 P(z=1 | x) - 1`` [1]_. When the treated share differs from 0.5,
    rows are weighted by ``0.5 / share`` (treated) and ``0.5 / (1 - share)`` (control),
    which restores the identity [2]_. An estimator whose ``fit`` takes no
    ``sample_weight`` (e.g. a ``Pipeline``) is fitted unweighted when the share is
    within 0.01 of 0.5 (a bias of at most twice the gap) and refused otherwise.

    The outcome must be 0/1: a continuous ``y`` (revenue, spend) is refused with a
    ``ValueError`` naming the learners that take it. Its continuous analogue, the
    regression of the transformed outcome ``y (t - p) / (p (1 - p))`` [2]_, multiplies
    each outcome by about 2 and keeps all its variance, which on a heavy-tailed spend
    drowns the effect; the :class:`DRLearner` regresses the same quantity with the
    outcome models' predictions subtracted, which removes most of that noise.

    Parameters
    ----------
    estimator : classifier object, default=None
        Model of ``z``, with ``predict_proba`` (and ``sample_weight`` in ``fit`` unless
        the treated share is within 0.01 of 0.5). ``None`` uses a random forest,
        ``lightgbm.LGBMClassifier(boosting_type="rf")``, of trees with 4 leaves, each
        tree on half the rows (at most 50,000) and 60% of the features, each leaf
        holding at least a fifth of its tree's rows: 200 trees up to 60,000 training
        rows, fewer of larger samples beyond (120 from 100,000 rows), so that the
        forest learns from about 6 million rows in all whatever the size. Above
        1,000,000 rows it learns from a random sample of 1,000,000, as the boosted
        learners do. Averaging many coarse partitions gives a low-variance ranking:
        the best default on small, noisy campaigns (e.g. Hillstrom), too coarse where
        features determine the effect sharply (there prefer :class:`DRLearner`).
    control_label : object, default=None
        ``None``: ``treatment`` must be 0 (control) / 1 (treated). Otherwise the value
        marking control rows; each other value is a treatment arm.
    random_state : int, RandomState instance or None, default=None
        Seeds the inner model, for reproducible fits.
    n_jobs : int, default=None
        Threads of each default LightGBM model. ``None`` means 1 (one thread is
        fastest on small data and on a shared machine); -1 means all cores.

    Attributes
    ----------
    estimator_ : classifier object
        The fitted model of ``z``.
    arm_estimators_ : list of ClassTransformation
        One fitted binary learner per arm (multi-arm fits only).
    outcome_type_ : str
        ``"binary"``: the class transformation takes a 0/1 outcome only.
    treatment_labels_ : ndarray of shape (n_arms,)
        The treatment arms, in the order of ``predict``'s columns.
    treatment_rate_ : float or ndarray of shape (n_arms,)
        Share of training rows in each arm.
    effect_bound_ : float or None
        1.0 when predictions are bounded to [-1, 1] (binary outcome, a regressor was passed
        as the model), else ``None``. Raw predictions beyond +-0.9 are then compressed
        smoothly into [-1, 1], keeping their order.
    outside_bound_share_ : float
        When ``effect_bound_`` is set: share of the training rows (at most 100,000,
        drawn at random) whose raw prediction lay outside [-1, 1].
    n_features_in_ : int
        Number of features seen in ``fit``.
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Feature names, when ``X`` was a frame with string column names.

    See Also
    --------
    DRLearner : The same idea for any treated share, with outcome models.

    References
    ----------
    .. [1] Jaskowski and Jaroszewicz (2012), "Uplift modeling for clinical trial data",
       ICML Workshop on Clinical Data Analysis.
    .. [2] Athey and Imbens (2015), "Machine learning methods for estimating
       heterogeneous causal effects", arXiv:1504.01132 (the transformed outcome).

    Examples
    --------
    >>> from actionable.datasets import make_churn
    >>> from actionable.models import ClassTransformation
    >>> data = make_churn(2000, random_state=0)
    >>> learner = ClassTransformation(random_state=0).fit(data.X, data.y, data.treatment)
    >>> uplift = learner.predict(data.X)
    >>> bool((uplift >= -1).all() and (uplift <= 1).all())
    True
    """

    def __init__(self, estimator=None, *, control_label=None, random_state=None, n_jobs=None):
        self.estimator = estimator
        self.control_label = control_label
        self.random_state = random_state
        self.n_jobs = n_jobs

    _binary_purpose = (
        ": the class transformation models whether treatment and outcome agree. For a "
        "continuous outcome use SLearner, TLearner, XLearner or DRLearner (the DR-learner "
        "regresses the transformed outcome, with outcome models removing most of its noise)"
    )

    def _needs_binary_outcome(self):
        return True

    def _fit_binary(self, X, y, treated, random_state, fit_params):
        (seed,) = self._seeds(random_state, 1)
        fit_params = dict(fit_params)
        if self.estimator is None and y.shape[0] > MAX_TRAINING_ROWS:
            # The default forest, as the boosted models, learns from a random sample.
            rows = np.sort(
                np.random.default_rng(seed).choice(y.shape[0], MAX_TRAINING_ROWS, replace=False)
            )
            X, y, treated = take_rows(X, rows), y[rows], treated[rows]
            if fit_params.get("sample_weight") is not None:
                fit_params["sample_weight"] = np.asarray(fit_params["sample_weight"])[rows]
        base = self.estimator
        if base is None:
            base = default_forest_classifier(y.shape[0], n_jobs=self.n_jobs)
        model = seeded_clone(base, seed)  # to inspect its fit parameters
        agrees = (treated == (y == 1.0)).view(np.int8)  # a 0/1 label of one byte a row
        share = float(np.mean(treated))
        if has_fit_parameter(model, "sample_weight"):
            given = fit_params.pop("sample_weight", None)
            if share != 0.5:  # arms of equal size need no balancing: every weight would be 1
                # LightGBM keeps weights in float32: the default forest gets them so, uncopied.
                precision = np.float32 if self.estimator is None else np.float64
                balance = np.where(treated, precision(0.5 / share), precision(0.5 / (1.0 - share)))
                given = balance if given is None else balance * np.asarray(given)
            if given is not None:
                fit_params["sample_weight"] = given
        elif abs(share - 0.5) > _UNWEIGHTED_TOLERANCE:
            raise ValueError(
                MSG_SAMPLE_WEIGHT_UNSUPPORTED.format(
                    name=type(model).__name__, learner="ClassTransformation", share=share
                )
            )
        self.estimator_ = model.fit(X, agrees, **fit_params)

    def _predict_binary(self, X):
        return 2.0 * positive_score(self.estimator_, X) - 1.0
