"""Hillstrom: actionable's uplift learners (defaults) against scikit-uplift's LightGBM models.

Protocol (scikit-uplift's Hillstrom tutorial): women's e-mail vs no e-mail, target
``visit``, features one-hot encoded with ``pd.get_dummies``, ten 70/30 splits with
seeds 0-9 stratified on treatment x outcome; each model is scored on the held-out 30%
with ``qini_auc_score``. scikit-uplift's models use ``LGBMClassifier`` defaults
(``verbose=-1``, ``n_jobs=1`` only to silence and pin threads); ours use their own
defaults. Both columns of scores are computed in the same run.

Usage: ``python benchmarks/hillstrom_learners.py [--seeds 0 1 ...] [--out FILE.json]``.
Writes ``benchmarks/results/hillstrom_learners.json`` by default.
"""

import argparse
import json
import os
import platform
import time
import warnings
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")

import lightgbm
import numpy as np
import pandas as pd
import sklearn
from sklearn.model_selection import train_test_split

import actionable
from actionable.datasets import load_hillstrom
from actionable.metrics import qini_auc_score
from actionable.models import ClassTransformation, DRLearner, SLearner, TLearner, XLearner

RESULTS = Path(__file__).resolve().parent / "results" / "hillstrom_learners.json"

OURS = {
    "actionable SLearner": SLearner,
    "actionable TLearner": TLearner,
    "actionable XLearner": XLearner,
    "actionable DRLearner": DRLearner,
    "actionable ClassTransformation": ClassTransformation,
}


def sklift_models():
    """scikit-uplift 0.5.1's LightGBM models, as in its tutorial (LGBMClassifier defaults)."""
    from lightgbm import LGBMClassifier
    from sklift.models import ClassTransformation as SkliftClassTransformation
    from sklift.models import SoloModel, TwoModels

    def lgbm():
        return LGBMClassifier(verbose=-1, n_jobs=1)

    return {
        "sklift SoloModel": lambda: SoloModel(estimator=lgbm()),
        "sklift TwoModels": lambda: TwoModels(
            estimator_trmnt=lgbm(), estimator_ctrl=lgbm(), method="vanilla"
        ),
        "sklift ClassTransformation": lambda: SkliftClassTransformation(estimator=lgbm()),
    }


def load():
    data = load_hillstrom(arms=("womens", "none"), outcome="visit")
    X = pd.get_dummies(data.X)
    return X, data.y.to_numpy(), data.treatment.to_numpy()


def run(seeds):
    X, y, treatment = load()
    makers = {**sklift_models(), **OURS}
    scores = {name: [] for name in makers}
    seconds = dict.fromkeys(makers, 0.0)
    strata = treatment * 2 + y
    X_safe = X.set_axis([name.replace(",", "") for name in X.columns], axis=1)
    for seed in seeds:
        train, test = train_test_split(
            np.arange(len(y)), test_size=0.3, stratify=strata, random_state=seed
        )
        for name, make in makers.items():
            # LightGBM >= 4 rejects the ',' in 'history_segment_7) $1,000 +': sklift passes
            # names through, so it gets sanitized names; our learners handle the raw frame.
            frame = X_safe if name.startswith("sklift") else X
            X_train, X_test = frame.iloc[train], frame.iloc[test]
            start = time.perf_counter()
            model = make()
            with warnings.catch_warnings():
                # sklift 0.5.1 calls sklearn.utils.extmath.stable_cumsum (deprecated in 1.8)
                warnings.simplefilter("ignore", FutureWarning)
                model.fit(X_train, y[train], treatment[train])
                uplift = model.predict(X_test)
            seconds[name] += time.perf_counter() - start
            scores[name].append(float(qini_auc_score(y[test], uplift, treatment[test])))
        print(
            f"seed {seed}: " + ", ".join(f"{n.split()[-1]}={s[-1]:.4f}" for n, s in scores.items())
        )
    return scores, seconds


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=list(range(10)))
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    scores, seconds = run(args.seeds)
    rows = {
        name: {
            "qini_auc_mean": float(np.mean(values)),
            "qini_auc_std": float(np.std(values, ddof=1)) if len(values) > 1 else 0.0,
            "qini_auc_per_seed": values,
            "fit_predict_seconds_mean": seconds[name] / len(values),
        }
        for name, values in scores.items()
    }
    print(f"\nHillstrom womens vs none, visit, {len(args.seeds)} stratified 70/30 splits")
    print(f"{'model':34s}{'qini_auc mean':>14s}{'std':>9s}{'seconds':>9s}")
    for name, row in sorted(rows.items(), key=lambda item: -item[1]["qini_auc_mean"]):
        print(
            f"{name:34s}{row['qini_auc_mean']:14.4f}{row['qini_auc_std']:9.4f}"
            f"{row['fit_predict_seconds_mean']:9.2f}"
        )
    import sklift

    payload = {
        "protocol": (
            "Hillstrom womens e-mail vs no e-mail, target visit, pd.get_dummies features, "
            "70/30 train_test_split stratified on treatment x outcome, seeds "
            f"{args.seeds}, qini_auc_score on the test part"
        ),
        "reference_sklift_published": {
            "SoloModel": 0.0548,
            "TwoModels": 0.0304,
            "ClassTransformation": 0.0254,
        },
        "versions": {
            "actionable": actionable.__version__,
            "scikit-uplift": sklift.__version__,
            "lightgbm": lightgbm.__version__,
            "scikit-learn": sklearn.__version__,
            "python": platform.python_version(),
        },
        "results": rows,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(payload, indent=2) + "\n")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
