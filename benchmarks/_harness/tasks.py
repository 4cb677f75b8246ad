"""Benchmark tasks: one outcome, one treated arm against control, identical splits for all.

The outcome is binary (visit, purchase, retained) or, on the spend track, continuous (spend in
USD, revenue kept).

Every model receives the same float64 feature matrix: numeric columns as they are, other
columns (categories, strings) replaced by the integer code of their sorted categories, so no
library gains from a native categorical handling that the others do not get.
"""

import os
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from sklearn.model_selection import StratifiedShuffleSplit

SHARED_MIRROR = os.path.normpath(
    os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "shared", "datasets")
)


def use_shared_mirror():
    """Read datasets from ../shared/datasets (beside the repository) unless told otherwise."""
    if "ACTIONABLE_DATA_MIRROR" not in os.environ and os.path.isdir(SHARED_MIRROR):
        os.environ["ACTIONABLE_DATA_MIRROR"] = SHARED_MIRROR
        print(f"datasets: mirror {SHARED_MIRROR} (set ACTIONABLE_DATA_MIRROR to use another)")


@dataclass
class Task:
    """One binary-treatment randomized experiment (binary or continuous outcome), ready."""

    name: str
    dataset: str
    X: np.ndarray
    y: np.ndarray
    treatment: np.ndarray
    description: str
    feature_names: list
    truth: dict | None = None  # make_churn only: y0, y1, true_effect, costs
    framing: str = "response"  # what the naive outcome model ranks by: P(y=1), or P(y=0) for churn
    outcome_type: str = "binary"  # or "continuous" (spend): the models that take it differ
    notes: list = field(default_factory=list)

    @property
    def n_samples(self):
        return self.X.shape[0]

    def summary(self):
        return {
            "task": self.name,
            "dataset": self.dataset,
            "description": self.description,
            "n_samples": int(self.n_samples),
            "n_features": int(self.X.shape[1]),
            "treatment_rate": float(self.treatment.mean()),
            "outcome_rate": float(self.y.mean()),
            "outcome_rate_treated": float(self.y[self.treatment == 1].mean()),
            "outcome_rate_control": float(self.y[self.treatment == 0].mean()),
            "outcome_type": self.outcome_type,
            "notes": list(self.notes),
        }


def encode_features(frame):
    """Float64 matrix of ``frame``: non-numeric columns become sorted category codes (NaN -> -1)."""
    columns = []
    for name in frame.columns:
        column = frame[name]
        if pd.api.types.is_bool_dtype(column) or pd.api.types.is_numeric_dtype(column):
            columns.append(column.to_numpy(dtype=np.float64, na_value=np.nan))
        else:
            codes = pd.Categorical(column.astype("string")).codes.astype(np.float64)
            columns.append(codes)
    return np.column_stack(columns) if columns else np.empty((len(frame), 0))


def _binary(values, name):
    array = np.asarray(values)
    if array.dtype == bool:
        return array.astype(np.int8)
    unique = set(np.unique(array).tolist())
    if not unique <= {0, 1}:
        raise ValueError(
            f"{name} must be binary 0/1 for the benchmark; got values {sorted(unique)}"
        )
    return array.astype(np.int8)


def _subsample(task, n_max, seed):
    """Keep a stratified random ``n_max`` rows (used by --quick only)."""
    if n_max is None or task.n_samples <= n_max:
        return task
    strata = outcome_strata(task)
    splitter = StratifiedShuffleSplit(n_splits=1, train_size=n_max, random_state=seed)
    keep, _ = next(splitter.split(task.X, strata))
    keep = np.sort(keep)
    truth = None
    if task.truth is not None:
        truth = {k: (v[keep] if isinstance(v, np.ndarray) else v) for k, v in task.truth.items()}
    return Task(
        name=task.name,
        dataset=task.dataset,
        X=task.X[keep],
        y=task.y[keep],
        treatment=task.treatment[keep],
        description=task.description,
        feature_names=task.feature_names,
        truth=truth,
        framing=task.framing,
        outcome_type=task.outcome_type,
        notes=[*task.notes, f"stratified subsample of {n_max:,} of {task.n_samples:,} rows"],
    )


HILLSTROM_TASKS = (
    ("womens", "visit"),
    ("womens", "conversion"),
    ("mens", "visit"),
    ("mens", "conversion"),
)


def hillstrom_tasks(n_max=None, seed=0, which=HILLSTROM_TASKS):
    """Womens vs none and mens vs none, each on visit and conversion (4 tasks)."""
    from actionable.datasets import load_hillstrom

    tasks = []
    for arm, outcome in which:
        data = load_hillstrom(arms=(arm, "none"), outcome=outcome)
        task = Task(
            name=f"hillstrom_{arm}_{outcome}",
            dataset="hillstrom",
            X=encode_features(data.X),
            y=_binary(np.asarray(data.y), outcome),
            treatment=_binary(np.asarray(data.treatment), "treatment"),
            description=f"Hillstrom e-mail: {arm} vs none, outcome {outcome}",
            feature_names=list(data.X.columns),
        )
        tasks.append(_subsample(task, n_max, seed))
    return tasks


def starbucks_tasks(n_max=None, seed=0):
    """Starbucks promotion, train split (needs the cache or ACTIONABLE_DATA_MIRROR)."""
    from actionable.datasets import fetch_starbucks

    data = fetch_starbucks(split="train")
    task = Task(
        name="starbucks_purchase",
        dataset="starbucks",
        X=encode_features(data.X),
        y=_binary(np.asarray(data.y), "purchase"),
        treatment=_binary(np.asarray(data.treatment), "treatment"),
        description="Starbucks promotion (training.csv): Promotion Yes vs No, outcome purchase",
        feature_names=list(data.X.columns),
    )
    return [_subsample(task, n_max, seed)]


def churn_tasks(n_samples, seed=0):
    """make_churn's synthetic world with ground truth (potential outcomes, true effect, costs)."""
    from actionable.datasets import make_churn

    data = make_churn(n_samples=n_samples, random_state=seed)
    truth = {
        "y0": np.asarray(data.y0, dtype=np.float64),
        "y1": np.asarray(data.y1, dtype=np.float64),
        "true_effect": np.asarray(data.true_effect, dtype=np.float64),
        "costs": dict(data.costs or {}),
    }
    task = Task(
        name="churn_retained",
        dataset="churn",
        X=encode_features(data.X),
        y=_binary(np.asarray(data.y), "retained"),
        treatment=_binary(np.asarray(data.treatment), "treatment"),
        description=f"make_churn(n_samples={n_samples:,}, random_state={seed}): "
        "retention offer, outcome retained",
        feature_names=list(data.X.columns),
        truth=truth,
        framing="churn",
    )
    return [task]


def outcome_strata(task):
    """Treatment x outcome (binary), or treatment x (outcome > 0) for a continuous outcome."""
    outcome = task.y > 0 if task.outcome_type == "continuous" else task.y
    return 2 * task.treatment.astype(np.int64) + outcome.astype(np.int64)


def spend_tasks(n_max=None, seed=0, churn_n=None):
    """Continuous outcomes: Hillstrom women's e-mail vs none on spend (USD), and, when
    ``churn_n`` is given, make_churn's revenue kept (with ground truth)."""
    from actionable.datasets import load_hillstrom

    data = load_hillstrom(arms=("womens", "none"), outcome="spend")
    task = Task(
        name="hillstrom_womens_spend",
        dataset="hillstrom",
        X=encode_features(data.X),
        y=np.asarray(data.y, dtype=np.float64),
        treatment=_binary(np.asarray(data.treatment), "treatment"),
        description="Hillstrom e-mail: womens vs none, outcome spend (USD, two weeks)",
        feature_names=list(data.X.columns),
        outcome_type="continuous",
    )
    found = [_subsample(task, n_max, seed)]
    if churn_n:
        found.append(_churn_revenue_task(churn_n, seed))
    return found


def _churn_revenue_task(n_samples, seed):
    from actionable.datasets import make_churn

    data = make_churn(n_samples=n_samples, random_state=seed, outcome="revenue")
    truth = {
        "y0": np.asarray(data.y0, dtype=np.float64),
        "y1": np.asarray(data.y1, dtype=np.float64),
        "true_effect": np.asarray(data.true_effect, dtype=np.float64),
        "costs": dict(data.costs or {}),
    }
    return Task(
        name="churn_revenue",
        dataset="churn",
        X=encode_features(data.X),
        y=np.asarray(data.y, dtype=np.float64),
        treatment=_binary(np.asarray(data.treatment), "treatment"),
        description=f"make_churn(n_samples={n_samples:,}, random_state={seed}, "
        "outcome='revenue'): retention offer, outcome monthly revenue kept (USD)",
        feature_names=list(data.X.columns),
        truth=truth,
        framing="churn",
        outcome_type="continuous",
    )


def stratified_splits(task, n_splits, test_size, seed):
    """Stratified on treatment x outcome; the same splits for every model of a task."""
    strata = outcome_strata(task)
    splitter = StratifiedShuffleSplit(n_splits=n_splits, test_size=test_size, random_state=seed)
    return list(splitter.split(task.X, strata))
