"""Criteo track: the public protocol, run only when the full Criteo v2.1 file is available.

Protocol (scikit-uplift's Criteo notebook): stratified 80/20 split (on treatment x outcome),
two-model LightGBM, ``qini_auc_score`` on the held-out 20%, for ``visit`` and ``conversion``.
The published figure to compare with: qini_auc_score 0.0848 on ``visit`` (two-model LightGBM).
"""

import time

import numpy as np
import pandas as pd
from sklearn.model_selection import train_test_split

from _harness.isolation import fit_predict_isolated
from _harness.models import MODELS_BY_NAME

CRITEO_KEY = "criteo/criteo.csv.gz"
PUBLISHED = {"visit": {"qini_auc_score": 0.0848, "model": "TwoModels(LightGBM)"}}
FEATURES = [f"f{i}" for i in range(12)]
MODELS = ("TLearner", "SLearner", "ClassTransformation", "sklift.TwoModels")

HOW_TO_FETCH = """\
The Criteo track needs the full Criteo Uplift v2.1 file (13,979,592 rows, ~300 MB compressed),
which is neither in the actionable cache nor in ACTIONABLE_DATA_MIRROR on this machine.
Fetch it once, then rerun `python benchmarks/run.py --only criteo`:

    actionable datasets fetch criteo

or point ACTIONABLE_DATA_MIRROR at a directory holding criteo/criteo.csv.gz (byte-identical
to the official copy; its md5 is checked).
"""


def locate_criteo():
    """Path of the verified full file from the cache or a directory mirror, never downloading."""
    from actionable.datasets._download import fetch_file

    try:
        return fetch_file(CRITEO_KEY, offline=True, quiet=True), None
    except (OSError, ValueError) as error:
        return None, f"{type(error).__name__}: {error}"


def run_criteo(path, *, budget_seconds, test_size=0.2, seed=42, log=print):
    """The public protocol on the file at ``path``; returns the JSON-ready record."""
    start = time.perf_counter()
    frame = pd.read_csv(path, dtype=dict.fromkeys(FEATURES, np.float32))
    X = frame[FEATURES].to_numpy(dtype=np.float64)
    treatment = frame["treatment"].to_numpy(dtype=np.int8)
    log(f"  read {len(frame):,} rows in {time.perf_counter() - start:.0f} s")
    from actionable.metrics import qini_auc_score, uplift_auc_score

    outcomes = []
    for outcome in ("visit", "conversion"):
        y = frame[outcome].to_numpy(dtype=np.int8)
        strata = 2 * treatment.astype(np.int64) + y
        if np.bincount(strata, minlength=4).min() < 2:  # only on tiny test files
            strata = treatment
        train, test = train_test_split(
            np.arange(len(y)), test_size=test_size, stratify=strata, random_state=seed
        )
        rows = []
        for name in MODELS:
            result = fit_predict_isolated(
                MODELS_BY_NAME[name],
                X[train],
                y[train],
                treatment[train],
                X[test],
                timeout=budget_seconds,
            )
            row = {"model": name, "status": result["status"], "error": result.get("error")}
            if result["status"] == "ok":
                row["qini_auc"] = float(qini_auc_score(y[test], result["score"], treatment[test]))
                row["uplift_auc"] = float(
                    uplift_auc_score(y[test], result["score"], treatment[test])
                )
                row["fit_seconds"] = result["fit_seconds"]
                log(f"  {outcome:<10} {name:<22} qini {row['qini_auc']:.4f}")
            else:
                log(f"  {outcome:<10} {name:<22} {result['status']}: {result.get('error')}")
            rows.append(row)
        outcomes.append(
            {
                "outcome": outcome,
                "n_train": int(len(train)),
                "n_test": int(len(test)),
                "published": PUBLISHED.get(outcome),
                "models": rows,
            }
        )
    return {
        "file": str(path),
        "n_samples": int(len(frame)),
        "protocol": f"stratified (treatment x outcome) {1 - test_size:.0%}/{test_size:.0%} split, "
        f"random_state={seed}; qini_auc_score on the held-out rows",
        "outcomes": outcomes,
    }
