"""Training uplift learners on a Dask DataFrame with LightGBM's Dask module.

The learner is first fitted in memory on a random sample of the rows: that sets every
fitted attribute of the ordinary estimator (arms, treatment rate, feature names) and
holds the sample the trees are counted on. Each of its LightGBM models is then trained
again on all the rows of its arm (or all rows) by ``lightgbm.dask``, and the trees
brought back with ``to_local()`` replace the sample's. The result is the ordinary
estimator, which predicts, pickles and saves exactly like one fitted in memory.

``lightgbm.dask`` has no early stopping (no validation sets, no callbacks), so the
number of trees is chosen on the sample: LightGBM's early stopping
(``models._boosting.PATIENCE`` trees without improvement) on a held-out fifth of
the sample's rows, with the very parameters of the distributed fit. Those
parameters are the default outcome model's small trees (8 leaves, learning rate
0.1) throughout: the in-memory default switches to larger trees after 30, through a
callback ``lightgbm.dask`` cannot run.
"""

import contextlib
import warnings

import numpy as np

from actionable.distributed._cluster import require_dask
from actionable.models import ClassTransformation, OutcomeClassifier, SLearner, TLearner
from actionable.models._base import default_forest_classifier
from actionable.models._boosting import (
    CLASSIFIER_PARAMS,
    COLUMN_SAMPLE_MIN_FEATURES,
    MAX_TREES,
    PATIENCE,
    VALIDATION_FRACTION,
)

SAMPLE_ROWS = 200_000
"""Rows drawn into memory to fit the learner's skeleton and count the trees."""
TREATMENT_FEATURE = "treatment_indicator_"
"""Name of the S-learner's treatment feature (as ``models._rows.with_treatment`` names it)."""

_SUPPORTED = (SLearner, TLearner, ClassTransformation, OutcomeClassifier)
_MSG_LEARNER = (
    "fit_on_dask trains SLearner, TLearner, ClassTransformation and OutcomeClassifier with "
    "their default LightGBM models; got {what}."
)
_MSG_TEXT = (
    "feature {name!r} holds text; convert it to a pandas 'category' column first (the "
    "distributed fit encodes categories from the column's dtype, on every worker alike)."
)


def _check_learner(learner):
    if not isinstance(learner, _SUPPORTED):
        raise ValueError(_MSG_LEARNER.format(what=type(learner).__name__))
    params = learner.get_params(deep=False)
    given = [name for name in ("estimator", "estimator_control") if params.get(name) is not None]
    if given or params.get("control_label") is not None:
        what = f"{type(learner).__name__} with {', '.join(given) or 'control_label'} set"
        raise ValueError(_MSG_LEARNER.format(what=what))


def _prepared(frame, outcome, treatment, features):
    """The feature names, and ``frame`` with every categorical feature's categories known."""
    import pandas as pd

    from actionable.distributed._counts import check_columns

    check_columns(frame, outcome=outcome, treatment=treatment)
    if features is None:
        features = [name for name in frame.columns if name not in (outcome, treatment)]
    for name in features:
        check_columns(frame, feature=name)
        dtype = frame[name].dtype
        is_text = pd.api.types.is_object_dtype(dtype) or pd.api.types.is_string_dtype(dtype)
        if is_text and not isinstance(dtype, pd.CategoricalDtype):
            raise ValueError(_MSG_TEXT.format(name=name))
    unknown = [
        name
        for name in features
        if isinstance(frame[name].dtype, pd.CategoricalDtype) and not frame[name].cat.known
    ]
    if unknown:  # e.g. read from Parquet: every partition must encode the same categories
        import dask

        values = dask.compute(
            *[frame[name].dropna().drop_duplicates(split_out=1) for name in unknown]
        )
        dtypes = {
            name: pd.CategoricalDtype(sorted(pd.unique(found)))
            for name, found in zip(unknown, values, strict=True)
        }
        frame = frame.astype(dtypes)
    return list(features), frame


def _flags_are_binary(frame, outcome, treatment):
    """Rows, treated rows and the check that outcome and treatment are 0/1 (one pass)."""
    import dask

    y, t = frame[outcome], frame[treatment]
    n, n_treated, bad_y, bad_t = dask.compute(
        t.count(), t.sum(), (~y.isin([0, 1])).sum(), (~t.isin([0, 1])).sum()
    )
    for name, bad, what in ((outcome, bad_y, "outcome"), (treatment, bad_t, "treatment")):
        if bad:
            raise ValueError(
                f"column {name!r} ({what}) must hold 0 and 1 only: {bad:,} rows do not."
            )
    if n_treated == 0 or n_treated == n:
        raise ValueError("treatment must have both treated (1) and control (0) rows.")
    return int(n), float(n_treated) / n


def choose_trees(params, X, y, weight, seed):
    """Trees of LightGBM with ``params`` on ``(X, y)`` by early stopping on a held-out fifth."""
    import lightgbm

    rng = np.random.default_rng(seed)
    held_out = rng.random(len(y)) < VALIDATION_FRACTION
    if held_out.all() or not held_out.any():
        return MAX_TREES // 10

    def dataset(rows, reference=None):
        return lightgbm.Dataset(
            X[rows],
            label=np.asarray(y)[rows],
            weight=None if weight is None else np.asarray(weight)[rows],
            reference=reference,
        )

    train = dataset(~held_out)
    booster = lightgbm.train(
        {**params, "seed": seed},
        train,
        MAX_TREES,
        valid_sets=[dataset(held_out, train)],
        callbacks=[lightgbm.early_stopping(PATIENCE, verbose=False)],
    )
    return max(1, booster.best_iteration or booster.current_iteration())


@contextlib.contextmanager
def _quiet_thread_parameter():
    """Silence the warning every ``lightgbm.dask`` fit emits about ``n_jobs``.

    The scikit-learn wrapper always hands ``n_jobs`` to ``lightgbm.dask``, which warns
    that it ignores it (threads follow each Dask worker's); nothing is wrong.
    """
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Parameter n_jobs will be ignored", UserWarning)
        yield


def _boosted_params(n_features):
    params = dict(CLASSIFIER_PARAMS)
    if n_features < COLUMN_SAMPLE_MIN_FEATURES:
        params["colsample_bytree"] = 1.0
    return params


def _fit_boosted_slot(slot, X, y, sample_X, sample_y, seed):
    """Train ``slot`` (a fitted default model) again on all rows, as many trees as chosen."""
    from lightgbm import DaskLGBMClassifier

    params = _boosted_params(X.shape[1])
    trees = choose_trees(params, sample_X, sample_y, None, seed)
    model = DaskLGBMClassifier(n_estimators=trees, random_state=seed, **params)
    with _quiet_thread_parameter():
        model.fit(X, y)
    slot.booster_ = model.to_local().booster_
    slot.n_trees_ = trees
    slot.refitted_ = False


def _slots(fitted, frame, sample, treatment):
    """Per LightGBM model of ``fitted``: (attribute, dask rows, sample rows, add treatment)."""
    treated, sample_treated = frame[treatment] == 1, sample[treatment] == 1
    everything = (None, None)  # all rows
    if isinstance(fitted, TLearner):
        return [
            ("estimator_treatment_", treated, sample_treated, False),
            ("estimator_control_", ~treated, ~sample_treated, False),
        ]
    if isinstance(fitted, SLearner):
        return [("estimator_", *everything, True)]
    if fitted.train_on == "all":
        return [("estimator_", *everything, False)]
    if fitted.train_on == "control":
        return [("estimator_", ~treated, ~sample_treated, False)]
    return [("estimator_", treated, sample_treated, False)]


def _same_rows(part):
    return part


def _with_indicator(X, flags):
    return X.assign(**{TREATMENT_FEATURE: flags.astype("float64")})


def _fit_class_transformation(fitted, X, y, flags, treated_share, n_rows, seed):
    """Train the class transformation's forest on all rows (no trees to choose: a forest)."""
    from lightgbm import DaskLGBMClassifier

    forest = default_forest_classifier(n_rows, random_state=seed)
    params = {k: v for k, v in forest.get_params().items() if k not in ("n_jobs", "client")}
    agrees = (y == flags).astype("int64")
    balance = flags * (0.5 / treated_share) + (1 - flags) * (0.5 / (1.0 - treated_share))
    with _quiet_thread_parameter():
        model = DaskLGBMClassifier(**params).fit(X, agrees, sample_weight=balance)
    fitted.estimator_ = model.to_local()


def fit_on_dask(
    learner, frame, *, outcome, treatment, features=None, sample_rows=SAMPLE_ROWS, random_state=0
):
    """Fit an uplift learner (or the naive outcome model) on a Dask DataFrame.

    The learner is fitted in memory on a random sample of at most ``sample_rows``
    rows, which sets every fitted attribute; then each of its LightGBM models is
    trained on all its rows by ``lightgbm.dask`` on the current Dask client, with as
    many trees as early stopping chose on the sample (see Notes). The returned
    object is ``learner``'s class, fitted: it predicts, pickles and is saved like any
    other.

    Parameters
    ----------
    learner : SLearner, TLearner, ClassTransformation or OutcomeClassifier
        Unfitted, with its default models (``estimator=None``) and 0/1 treatment
        (``control_label=None``). It is cloned, never modified.
    frame : dask.dataframe.DataFrame
        A randomized experiment: features, a 0/1 outcome (1 = favourable) and a 0/1
        treatment.
    outcome, treatment : str
        Columns of the outcome and of the treatment.
    features : list of str, default=None
        Feature columns (default: every other column). Numbers or pandas
        ``category`` columns; text must be converted to categories first.
    sample_rows : int, default=200_000
        Rows fitted in memory first (the whole frame if it has fewer).
    random_state : int, default=0
        Seeds the sample, the held-out rows and LightGBM.

    Returns
    -------
    estimator
        A fitted clone of ``learner``.

    Raises
    ------
    ValueError
        If the learner is not supported, a column is missing or holds text, or the
        outcome or the treatment is not 0/1 with both arms present.

    Notes
    -----
    What differs from a fit in memory:

    * ``lightgbm.dask`` has no early stopping, so the number of trees of each model
      is chosen on the sample (LightGBM's early stopping on a held-out fifth, after
      ``PATIENCE`` trees without improvement) and fixed for the distributed fit;
    * every tree is small (8 leaves, learning rate 0.1): the in-memory default's
      switch to larger trees after the 30th needs a callback ``lightgbm.dask``
      cannot run;
    * each model learns from all its rows (the in-memory default caps them at a
      million and refits small data on its held-out fifth);
    * ``treatment_rate_`` and the class transformation's balancing weights come
      from all rows; the other fitted attributes from the sample.

    Examples
    --------
    >>> import dask.dataframe as dd
    >>> from actionable.datasets import make_churn
    >>> from actionable.models import TLearner
    >>> data = make_churn(4000, random_state=0)
    >>> rows = data.X.assign(retained=data.y, offer=data.treatment)
    >>> frame = dd.from_pandas(rows, npartitions=2)
    >>> model = fit_on_dask(TLearner(), frame, outcome="retained", treatment="offer",
    ...                     sample_rows=2000)  # doctest: +SKIP
    >>> model.predict(data.X[:3]).shape  # doctest: +SKIP
    (3,)
    """
    from sklearn.base import clone

    require_dask()
    _check_learner(learner)
    features, frame = _prepared(frame, outcome, treatment, features)
    # Features and labels must come in the same partitions: a map_partitions stops Dask
    # from pushing each column selection down to the reader, which could split them
    # differently (Parquet files split by size).
    frame = frame.map_partitions(_same_rows)
    if TREATMENT_FEATURE in features:
        raise ValueError(f"no feature may be named {TREATMENT_FEATURE!r} (the treatment's).")
    n_rows, treated_share = _flags_are_binary(frame, outcome, treatment)
    fraction = min(1.0, sample_rows / n_rows)
    sample = frame.sample(frac=fraction, random_state=random_state).compute()
    fitted = clone(learner).set_params(random_state=random_state)
    fitted.fit(sample[features], sample[outcome], sample[treatment])
    y, flags = frame[outcome].astype("int64"), frame[treatment].astype("float64")
    if isinstance(fitted, ClassTransformation):
        _fit_class_transformation(
            fitted, frame[features], y, flags, treated_share, n_rows, random_state
        )
    else:
        for number, (name, rows, sample_rows_of, indicator) in enumerate(
            _slots(fitted, frame, sample, treatment)
        ):
            X, sample_X = frame[features], sample[features]
            if indicator:
                X, sample_X = (
                    _with_indicator(X, flags),
                    _with_indicator(sample_X, sample[treatment]),
                )
            if rows is not None:
                X, y_rows = X[rows], y[rows]
                sample_X, sample_y = sample_X[sample_rows_of], sample[outcome][sample_rows_of]
            else:
                y_rows, sample_y = y, sample[outcome]
            _fit_boosted_slot(
                getattr(fitted, name), X, y_rows, sample_X, sample_y, random_state + number
            )
    if not isinstance(fitted, OutcomeClassifier):
        fitted.treatment_rate_ = treated_share
    return fitted
