"""Check the calibration of ``make_churn`` against the targets of issues 3 and 4.

For each seed: draw the world, split it in half (stratified on treatment x outcome),
fit the naive churn model and the uplift learners on one half, score the other half,
and report

- the churn model's AUC on churn (y == 0) and the Qini of its churn-risk ranking,
- each learner's Spearman correlation with ``true_effect`` and Qini,
- exact profits from the ground truth (best over top-k prefixes, k = 0 allowed) of
  the oracle (ranking by ``true_effect``), each learner, and the churn-risk ranking.

Usage: ``python benchmarks/churn_calibration.py [--n-samples N] [--seeds 0 1 2 3 4]``.
"""

import argparse
import json
import os
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np
from scipy.stats import spearmanr
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import train_test_split

from actionable.datasets import make_churn
from actionable.models import (
    ClassTransformation,
    DRLearner,
    OutcomeClassifier,
    SLearner,
    TLearner,
    XLearner,
)

LEARNERS = {
    "SLearner": SLearner,
    "TLearner": TLearner,
    "XLearner": XLearner,
    "DRLearner": DRLearner,
    "ClassTransformation": ClassTransformation,
}


def qini_auc(y, score, treatment):
    """Normalized Qini area (scikit-uplift's definition), computed here to stay standalone."""
    from sklift.metrics import qini_auc_score

    return float(qini_auc_score(y, score, treatment))


def best_profit(score, y0, y1, costs):
    """Best exact profit over top-k prefixes of ``score`` (k = 0 allowed)."""
    order = np.argsort(-score, kind="stable")
    incentive = costs["incentive_cost"] * (
        np.ones_like(y1, dtype=float) if costs["incentive_paid"] == "on_contact" else y1
    )
    gain = costs["value_per_success"] * (y1 - y0) - costs["cost_per_contact"] - incentive
    cumulative = np.concatenate([[0.0], np.cumsum(gain[order])])
    k = int(np.argmax(cumulative))
    return float(cumulative[k]), k / score.shape[0]


def run_seed(n_samples, seed, learners, n_jobs, world):
    data = make_churn(n_samples, random_state=seed, **world)
    indices = np.arange(n_samples)
    strata = data.treatment.to_numpy() * 2 + data.y.to_numpy()
    train, test = train_test_split(indices, test_size=0.5, stratify=strata, random_state=seed)
    X_train, X_test = data.X.iloc[train], data.X.iloc[test]
    y_train, y_test = data.y.to_numpy()[train], data.y.to_numpy()[test]
    t_train, t_test = data.treatment.to_numpy()[train], data.treatment.to_numpy()[test]
    y0, y1, effect = data.y0[test], data.y1[test], data.true_effect[test]
    result = {"seed": seed}
    start = time.perf_counter()
    churn = OutcomeClassifier(random_state=seed, n_jobs=n_jobs).fit(X_train, y_train)
    risk = churn.predict_risk(X_test)
    result["churn_fit_seconds"] = time.perf_counter() - start
    result["churn_auc"] = float(roc_auc_score(y_test == 0, risk))
    result["churn_qini"] = qini_auc(y_test, risk, t_test)
    result["oracle_profit"], _ = best_profit(effect, y0, y1, data.costs)
    result["churn_profit"], result["churn_fraction"] = best_profit(risk, y0, y1, data.costs)
    for name in learners:
        start = time.perf_counter()
        learner = LEARNERS[name](random_state=seed, n_jobs=n_jobs).fit(X_train, y_train, t_train)
        uplift = learner.predict(X_test)
        result[f"{name}_seconds"] = time.perf_counter() - start
        result[f"{name}_spearman"] = float(spearmanr(uplift, effect).statistic)
        result[f"{name}_qini"] = qini_auc(y_test, uplift, t_test)
        profit, fraction = best_profit(uplift, y0, y1, data.costs)
        result[f"{name}_profit"] = profit
        result[f"{name}_fraction"] = fraction
        result[f"{name}_profit_ratio"] = profit / result["oracle_profit"]
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-samples", type=int, default=50_000)
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2, 3, 4])
    parser.add_argument("--learners", nargs="+", default=list(LEARNERS))
    parser.add_argument("--n-jobs", type=int, default=1)
    parser.add_argument("--sharpness", type=float, default=None, help="default: make_churn's")
    parser.add_argument("--out", default=None, help="write the results as JSON here")
    args = parser.parse_args()
    world = {} if args.sharpness is None else {"sharpness": args.sharpness}
    results = [run_seed(args.n_samples, s, args.learners, args.n_jobs, world) for s in args.seeds]
    keys = [k for k in results[0] if k != "seed"]
    print(f"make_churn calibration, n_samples={args.n_samples}, half train / half test")
    print(f"{'metric':32s}" + "".join(f"{'seed ' + str(r['seed']):>14s}" for r in results))
    for key in keys:
        print(f"{key:32s}" + "".join(f"{r[key]:>14.3f}" for r in results))
    if args.out:
        with open(args.out, "w") as handle:
            json.dump({"n_samples": args.n_samples, "results": results}, handle, indent=2)


if __name__ == "__main__":
    main()
