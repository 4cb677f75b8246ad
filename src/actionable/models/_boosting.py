"""The learners' default models: LightGBM boosting whose cost follows the data.

Every default outcome model (and every default effect model of the X- and DR-learners)
is grown by :func:`fit_boosted`, in five steps:

1. **Held-out rows.** A fifth of the rows (stratified on a 0/1 outcome, or on zero
   versus non-zero for a continuous one), at most ``MAX_VALIDATION_ROWS``, judge each
   new tree by the held-out loss (log-loss for a 0/1 outcome, squared error for a
   continuous outcome, whatever its objective (``outcome_objective``), and for an
   effect).
2. **Training rows.** The other rows, at most ``MAX_TRAINING_ROWS`` of them drawn at
   random. Boosting costs the same per row and per tree whatever the signal, so its
   cost grows with every row, while the ranking stops improving long before: on
   ``make_churn`` with 10^7 rows, a T-learner whose models learn from a million rows
   each ranks as well as scikit-uplift's TwoModels trained on all of them
   (``benchmarks/README.md``, "Learner defaults").
3. **Small trees first.** Outcome models (0/1 or continuous) start with trees of 8
   leaves at a learning rate of 0.1. On noisy data (most marketing campaigns) the
   held-out loss stops improving within the first ``SMALL_TREES`` trees, and the
   model is these few smooth trees. Where it still improves, the data has more
   signal than small trees capture cheaply: the next trees have 31 leaves (63 from
   250,000 training rows, 127 from 800,000: ``WIDE_TREES``) and a learning rate of
   0.3, which reach the same held-out loss with fewer trees, so the model is cheaper
   to fit and to score.
   Effect models keep their 7 leaves and only raise the learning rate; models of fewer
   than ``LARGE_TREES_MIN_ROWS`` training rows (which large trees overfit) keep their
   small trees.
4. **Stopping.** Boosting stops when the held-out loss has not improved for
   ``PATIENCE`` trees, or when the last ``WINDOW`` trees together improved it by less
   than ``TOLERANCE`` (0.1%) of what the model has gained over a constant prediction:
   such trees would cost more to fit and to score than they add. The model keeps its
   trees up to the best held-out loss before that point.
5. **Refit.** Where the held-out fifth holds information the model lacks (a rare
   class of at most ``REFIT_MAX_RARE_ROWS`` rows, on at most ``REFIT_MAX_ROWS``
   rows, of the outcome (for a continuous outcome: the rarer of its zero and
   non-zero values) or, for an effect model, of the outcome its target was built
   from; else an effect model of at most ``REFIT_MAX_EFFECT_ROWS`` rows), the model is
   refitted on all its rows with the same schedule and number of trees.

The rows are binned once per model (LightGBM's ``Dataset``); the held-out rows and the
refit use subsets of it. Predictions are made in chunks of rows, so scoring a large
frame never converts it whole.
"""

import numpy as np

from actionable._validation import threads_for
from actionable.models._rows import predict_in_chunks, take_rows, with_treatment

# Rows judging the trees: a fifth, at most this many (the loss of 100,000 rows measures
# the improvement of one tree to about 1e-5 of a log-loss; more cost without changing
# the stopping point).
VALIDATION_FRACTION = 0.2
MAX_VALIDATION_ROWS = 100_000
# Training rows of one model, beyond which a random sample is used.
MAX_TRAINING_ROWS = 1_000_000
# Fewer rows (or, for a 0/1 outcome, fewer rows of a class) than this: no held-out
# rows; the model grows FALLBACK_TREES small trees on all rows.
MIN_ROWS_TO_HOLD_OUT = 50
MIN_CLASS_ROWS_TO_HOLD_OUT = 10
FALLBACK_TREES = 100
# The two phases of an outcome model's trees; models of fewer training rows than
# LARGE_TREES_MIN_ROWS keep small trees throughout (large trees at a high learning
# rate overfit them, and their cost is small anyway).
SMALL_TREES = 30
LARGE_TREES_MIN_ROWS = 10_000
MAX_TREES = 1000
# Stopping: no improvement for PATIENCE trees, or WINDOW trees that together improved
# the held-out loss by less than TOLERANCE of the improvement over a constant.
PATIENCE = 20
WINDOW = 10
TOLERANCE = 0.001
# Refit on all rows (the held-out fifth included) where that fifth holds information the
# model lacks: a 0/1 outcome whose rarer class has at most REFIT_MAX_RARE_ROWS rows
# (Hillstrom, Starbucks: a few hundred to a few thousand successes), on at most
# REFIT_MAX_ROWS rows; an effect model by the same rule on the outcome its target was
# built from (a 0/1 outcome), else of at most REFIT_MAX_EFFECT_ROWS rows. Refitting
# doubles the cost of fitting, for a gain that vanishes as the rarer class grows.
REFIT_MAX_ROWS = 100_000
REFIT_MAX_RARE_ROWS = 10_000
REFIT_MAX_EFFECT_ROWS = 40_000

# force_col_wise: LightGBM otherwise times both of its histogram layouts at the start of
# every training and keeps the faster, so memory and time change from run to run. The
# predictions are the same with either; the column-wise layout needs less memory
# (make_churn 10^6 rows: T-learner 113 MiB against 108 to 123 when LightGBM chooses,
# DR-learner 174 to 177 against 192 to 197) in about the same time, except the
# X-learner's 29 s against 26 to 28 (``benchmarks/README.md``, "Learner defaults").
_COMMON = {
    "subsample": 0.8,
    "subsample_freq": 1,
    "colsample_bytree": 0.8,
    "force_col_wise": True,
    "verbose": -1,
}
# Outcome models (kind "classifier"): small trees, then large ones.
CLASSIFIER_PARAMS = {
    **_COMMON,
    "objective": "binary",
    "metric": "binary_logloss",
    "num_leaves": 8,
    "learning_rate": 0.1,
    "min_child_samples": 100,
    "reg_lambda": 5.0,
}
CLASSIFIER_LARGE_TREES = {"num_leaves": 31, "learning_rate": 0.3}
# Leaves of an outcome model's large trees, by its training rows: (least rows, leaves),
# largest first. More rows support larger trees, which reach the same held-out loss with
# fewer of them: on make_churn, 63 leaves from 250,000 rows (10^6 rows, T-learner: as
# good a ranking with 12% less time), 127 from 800,000 (S-learner at 10^6 rows, 900,000
# training rows: 14% less time, Qini 0.2668 against 0.2669; T-learner at 10^7 rows:
# 9% less, 0.2676 against 0.2677; at 400,000 rows 127 leaves saved nothing).
WIDE_TREES = ((800_000, 127), (250_000, 63))
# Effect models of the X- and DR-learners (kind "regressor"): their targets (imputed
# effects, pseudo-outcomes) are mostly noise, so small trees throughout, larger leaves
# and more shrinkage.
REGRESSOR_PARAMS = {
    **_COMMON,
    "objective": "regression",
    "metric": "l2",
    "num_leaves": 7,
    "learning_rate": 0.15,
    "min_child_samples": 200,
    "reg_lambda": 10.0,
}
REGRESSOR_LARGE_TREES = {"learning_rate": 0.3}
# The objectives a continuous outcome's default model can use: outcome_objective picks
# "tweedie" or "l2" by a rule on y; "winsorized" (the squared error on outcomes clipped
# at the WINSOR_QUANTILE of their non-zero absolute values) is the third candidate
# benchmarks/continuous_defaults.py measured against them.
TWEEDIE_VARIANCE_POWER = 1.5
TWEEDIE_MIN_ZERO_SHARE = 0.5
WINSOR_QUANTILE = 0.99
OUTCOME_OBJECTIVES = {
    "l2": {"objective": "regression"},
    "tweedie": {"objective": "tweedie", "tweedie_variance_power": TWEEDIE_VARIANCE_POWER},
    "winsorized": {"objective": "regression"},
}
# Outcome models of a continuous outcome (kind "outcome"): the schedule of the 0/1 outcome
# models (small trees, then large ones), a regression objective (outcome_objective) and
# the held-out squared error of the outcome as the loss that stops the boosting.
OUTCOME_REGRESSOR_PARAMS = {**CLASSIFIER_PARAMS, "objective": "regression", "metric": "l2"}
# Each tree sees a random 80% of the features (colsample_bytree), which regularizes the
# models of noisy campaigns (Starbucks, 7 features: +0.008 Qini for the S-learner), only
# when there are at least this many: on fewer, a tree drops a third or more of them, and
# a tree without the one that matters is wasted (on three features LightGBM's sampler
# left the informative one out of most trees for some seeds, and boosting stopped before
# it had learned it).
COLUMN_SAMPLE_MIN_FEATURES = 5

_MSG_FIT_PARAMS = (
    "The default LightGBM models accept only sample_weight as a fit parameter; got {names}. "
    "Pass your own estimator to give it other fit parameters."
)


def fit_boosted(
    kind,
    X,
    y,
    *,
    rows=None,
    treatment_column=None,
    fit_params=None,
    seed=None,
    n_jobs=None,
    outcome=None,
):
    """Fit a default model (see the module docstring) and return it.

    Parameters
    ----------
    kind : {"classifier", "outcome", "regressor"}
        A model of P(y=1) (``y`` is 0/1), of a continuous outcome, or of an effect
        (imputed effects, pseudo-outcomes).
    X : ndarray or DataFrame of shape (n_samples, n_features)
        Checked features.
    y : ndarray of shape (n_samples,)
        Target of every row of ``X``.
    rows : ndarray of int, default=None
        The rows of ``X`` to learn from (``None``: all). Only the rows used are copied.
    treatment_column : ndarray of shape (n_samples,), default=None
        Appended as the last feature (the S-learner's treatment indicator).
    fit_params : dict, default=None
        Only ``sample_weight`` (one weight per row of ``X``).
    seed : int, default=None
        Seeds the row sampling and LightGBM.
    n_jobs : int, default=None
        Threads (``None``: one).
    outcome : ndarray of shape (n_samples,), default=None
        For an effect model: the 0/1 outcome its target was built from, whose
        rarer class decides the refit as for an outcome model.

    Returns
    -------
    BoostedClassifier or BoostedRegressor
    """
    import lightgbm

    fit_params = dict(fit_params or {})
    weight = fit_params.pop("sample_weight", None)
    if fit_params:
        raise TypeError(_MSG_FIT_PARAMS.format(names=", ".join(sorted(fit_params))))
    rows = np.arange(y.shape[0]) if rows is None else np.asarray(rows)
    params = dict(_PARAMS[kind])
    large = REGRESSOR_LARGE_TREES if kind == "regressor" else CLASSIFIER_LARGE_TREES
    params["num_threads"] = threads_for(n_jobs)
    if X.shape[1] + (treatment_column is not None) < COLUMN_SAMPLE_MIN_FEATURES:
        params["colsample_bytree"] = 1.0
    if seed is not None:
        params["seed"] = int(seed)
    train, valid = _split(y[rows], kind, np.random.default_rng(seed))
    model_rows = rows
    if valid is not None and train.size + valid.size < rows.size:  # a sample of the rows
        kept = np.union1d(train, valid)  # positions in ``rows``
        model_rows = rows[kept]
        train, valid = np.searchsorted(kept, train), np.searchsorted(kept, valid)
        del kept
    label = y[model_rows]
    if kind == "outcome":  # the objective follows the whole outcome, every model alike
        label = _outcome_objective(params, y, label)
    label = label.astype(np.float32)  # LightGBM's own label type: no second copy inside
    dataset = lightgbm.Dataset(
        _features(X, model_rows, treatment_column),
        label=label,
        weight=None if weight is None else np.asarray(weight, dtype=np.float64)[model_rows],
        params=_dataset_params(params),
        free_raw_data=True,
    ).construct()
    if valid is None:  # too few rows (of a class) to hold some out
        booster = lightgbm.train(params, dataset, FALLBACK_TREES)
        return _wrap(kind, booster, FALLBACK_TREES, refitted=False)
    if train.size < LARGE_TREES_MIN_ROWS:
        large = None
    elif kind != "regressor":
        wide = next((leaves for least, leaves in WIDE_TREES if train.size >= least), None)
        if wide:
            large = {**large, "num_leaves": wide}
    stopping = _WorthItStopping(_constant_loss(kind, dataset, train, valid))
    booster = lightgbm.train(
        params,
        _subset(dataset, train),
        MAX_TREES,
        valid_sets=[_subset(dataset, valid)],
        valid_names=["held_out"],
        callbacks=[stopping, *_schedule(params, large)],
    )
    trees = booster.best_iteration or booster.current_iteration()
    if _worth_refitting(
        kind, dataset.get_label(), None if outcome is None else outcome[model_rows]
    ):
        del booster  # its training buffers and subsets go before the refit allocates its own
        booster = lightgbm.train(params, dataset, trees, callbacks=_schedule(params, large))
        return _wrap(kind, booster, trees, refitted=True)
    booster = lightgbm.Booster(model_str=booster.model_to_string(num_iteration=trees))
    return _wrap(kind, booster, trees, refitted=False)


def outcome_objective(y):
    """The objective of a continuous outcome's default models: a key of ``OUTCOME_OBJECTIVES``.

    ``"tweedie"`` for an outcome that is never negative and 0 on at least
    ``TWEEDIE_MIN_ZERO_SHARE`` of the rows (a spend: most customers buy nothing, a
    few spend a lot); ``"l2"`` (squared error) otherwise: as soon as one value is
    negative (a profit, a change), or where zeros are a minority (the revenue kept by
    a retention campaign). Measured in ``benchmarks/continuous_defaults.py``
    (``benchmarks/README.md``, "Continuous outcome defaults").

    Parameters
    ----------
    y : ndarray of shape (n_samples,)
        The outcome (all rows the learner was given).

    Returns
    -------
    str

    Examples
    --------
    >>> import numpy as np
    >>> outcome_objective(np.array([0.0, 0.0, 0.0, 12.5]))
    'tweedie'
    >>> outcome_objective(np.array([0.0, -3.0, 0.0, 12.5]))
    'l2'
    """
    if y.size and y.min() >= 0.0 and np.mean(y == 0.0) >= TWEEDIE_MIN_ZERO_SHARE:
        return "tweedie"
    return "l2"


def _outcome_objective(params, y, label):
    """Set the objective of a continuous outcome's model in ``params``; return its label."""
    name = outcome_objective(y)
    params.update(OUTCOME_OBJECTIVES[name])
    if name == "winsorized":  # clip the largest outcomes; predictions stay in outcome units
        positive = np.abs(label[label != 0.0])
        if positive.size:
            cap = float(np.quantile(positive, WINSOR_QUANTILE))
            label = np.clip(label, -cap, cap)
    return label


def _worth_refitting(kind, label, outcome=None):
    """Whether to refit on all rows after early stopping (see ``REFIT_MAX_RARE_ROWS``)."""
    if kind == "outcome":  # the rarer of the zero and non-zero outcomes
        label = label != 0.0
    elif kind != "classifier":
        if outcome is None or not np.isin(outcome, (0.0, 1.0)).all():
            return label.size <= REFIT_MAX_EFFECT_ROWS
        label = outcome
    positives = int(np.count_nonzero(label))
    rare = min(positives, label.size - positives)
    return label.size <= REFIT_MAX_ROWS and rare <= REFIT_MAX_RARE_ROWS


def _split(y, kind, rng):
    """Positions (in ``y``) of the training and held-out rows, or ``(all, None)``."""
    n = y.shape[0]
    if n < MIN_ROWS_TO_HOLD_OUT:
        return np.arange(n), None
    n_valid = min(int(round(VALIDATION_FRACTION * n)), MAX_VALIDATION_ROWS)
    n_train = min(n - n_valid, MAX_TRAINING_ROWS)
    if kind == "classifier":
        groups = [np.flatnonzero(y == value) for value in (0.0, 1.0)]
        if min(group.size for group in groups) < MIN_CLASS_ROWS_TO_HOLD_OUT:
            return np.arange(n), None
    elif kind == "outcome":  # the same share of zero outcomes in both parts
        groups = [
            group for group in (np.flatnonzero(y == 0.0), np.flatnonzero(y != 0.0)) if group.size
        ]
    else:
        groups = [np.arange(n)]
    train, valid = [], []
    for group in groups:  # the same share of each class in both parts
        group = rng.permutation(group)
        k_valid = int(round(group.size * n_valid / n))
        k_train = min(int(round(group.size * n_train / n)), group.size - k_valid)
        valid.append(group[:k_valid])
        train.append(group[k_valid : k_valid + k_train])
    positions = np.int32 if n < np.iinfo(np.int32).max else np.int64  # half the memory
    return tuple(np.sort(np.concatenate(part)).astype(positions) for part in (train, valid))


def _subset(dataset, rows):
    """The constructed subset of ``dataset`` at ``rows``, without LightGBM's list of them.

    ``Dataset.subset`` keeps its indices as a sorted Python list (about 40 bytes a
    row, 19 MiB for 500,000 rows) for as long as the subset lives, that is, through
    the training; the constructed subset has copied its rows and needs it no more.
    """
    subset = dataset.subset(rows).construct()
    subset.used_indices = None
    return subset


def _features(X, rows, treatment_column):
    """The rows of ``X`` a model learns from, with the treatment column if any."""
    everything = rows.size == X.shape[0] and (rows == np.arange(rows.size)).all()
    features = X if everything else take_rows(X, rows)
    if treatment_column is not None:
        features = with_treatment(features, np.asarray(treatment_column)[rows])
    return features


def _dataset_params(params):
    """The parameters LightGBM needs when binning (identical at every use of the data)."""
    keys = ("verbose", "num_threads", "seed", "min_child_samples", "max_bin")
    return {key: params[key] for key in keys if key in params}


def _schedule(params, large):
    """Callbacks switching to the large trees after ``SMALL_TREES`` trees (if any)."""
    import lightgbm

    if not large:
        return []
    return [
        lightgbm.reset_parameter(
            **{
                key: (lambda i, small=params[key], big=value: small if i < SMALL_TREES else big)
                for key, value in large.items()
            }
        )
    ]


def _constant_loss(kind, dataset, train, valid):
    """Held-out loss of the constant prediction (the training rows' weighted mean)."""
    label = dataset.get_label()
    weight = dataset.get_weight()
    weight = np.ones(label.shape[0]) if weight is None else np.asarray(weight)
    mean = np.average(label[train], weights=weight[train])
    held_out, held_weight = label[valid], weight[valid]
    if kind == "classifier":
        mean = float(np.clip(mean, 1e-15, 1 - 1e-15))
        loss = -(held_out * np.log(mean) + (1.0 - held_out) * np.log(1.0 - mean))
    else:
        loss = (held_out - mean) ** 2
    return float(np.average(loss, weights=held_weight))


class _WorthItStopping:
    """Stop when trees stop improving the held-out loss, or improve it too little.

    Raises LightGBM's ``EarlyStopException`` with the best iteration before the last
    ``WINDOW`` trees when those together improved the loss by less than ``TOLERANCE``
    of the improvement over ``baseline`` (the constant prediction's loss), or with the
    best iteration after ``PATIENCE`` trees without improvement.
    """

    order = 30
    before_iteration = False

    def __init__(self, baseline):
        self.baseline = baseline
        self.losses = []
        self.results = []

    def __call__(self, env):
        from lightgbm.callback import EarlyStopException

        (result,) = [r for r in env.evaluation_result_list if r[0] == "held_out"]
        self.losses.append(result[2])
        self.results.append(result)
        losses = np.asarray(self.losses)
        best = int(np.argmin(losses))
        if len(losses) - 1 - best >= PATIENCE:
            raise EarlyStopException(best, [self.results[best]])
        if len(losses) > WINDOW:
            before = int(np.argmin(losses[: len(losses) - WINDOW]))
            gained = self.baseline - losses[best]
            if gained > 0 and losses[before] - losses[best] < TOLERANCE * gained:
                raise EarlyStopException(before, [self.results[before]])


_PARAMS = {
    "classifier": CLASSIFIER_PARAMS,
    "outcome": OUTCOME_REGRESSOR_PARAMS,
    "regressor": REGRESSOR_PARAMS,
}


def _wrap(kind, booster, trees, *, refitted):
    model = BoostedClassifier() if kind == "classifier" else BoostedRegressor()
    model.booster_ = booster
    model.n_trees_ = int(trees)
    model.refitted_ = bool(refitted)
    return model


class _Boosted:
    """A fitted default model: a LightGBM booster, scored in chunks."""

    def _raw(self, X):
        return predict_in_chunks(lambda chunk: self.booster_.predict(chunk), X)

    def __repr__(self):
        return f"{type(self).__name__}(n_trees={self.n_trees_})"


class BoostedClassifier(_Boosted):
    """A fitted default outcome model: P(y=1 | x) from early-stopped LightGBM trees.

    Attributes
    ----------
    booster_ : lightgbm.Booster
        The trees.
    n_trees_ : int
        Number of trees kept.
    refitted_ : bool
        Whether the model was refitted on all its rows after early stopping.
    classes_ : ndarray
        ``[0, 1]``.
    """

    classes_ = np.array([0, 1])

    def predict_proba(self, X):
        """P(y=0 | x) and P(y=1 | x), one row per row of ``X``."""
        positive = self._raw(X)
        return np.column_stack([1.0 - positive, positive])


class BoostedRegressor(_Boosted):
    """A fitted default effect model: early-stopped LightGBM regression trees.

    Attributes
    ----------
    booster_ : lightgbm.Booster
        The trees.
    n_trees_ : int
        Number of trees kept.
    refitted_ : bool
        Whether the model was refitted on all its rows after early stopping.
    """

    def predict(self, X):
        """The predicted target, one value per row of ``X``."""
        return self._raw(X)
