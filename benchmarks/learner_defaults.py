"""Learner defaults: the current early-stopped LightGBM defaults against the previous ones.

The previous defaults (learning rate 0.03 for outcome models and 0.05 for effect
models, early stopping after 50 rounds without improvement, always refitted on all
rows) fitted 8 to 12 times slower than scikit-uplift's and causalml's LightGBM models.
The current ones (0.1 and 0.15, 20 rounds, refitted only up to 100,000 rows) are
meant to keep the ranking quality at a fraction of the cost. This script measures
both in the same run, on the same splits:

* make_churn, 100,000 rows, seeds 0 and 1, stratified 70/30: held-out
  ``qini_auc_score``, Spearman correlation with the true effect, CPU seconds of
  fit + predict;
* Hillstrom women's e-mail vs none, ``visit``, one-hot, seeds 0-9, 70/30:
  held-out ``qini_auc_score``;
* Starbucks promotion (training file), ``purchase``, seeds 0-4, 70/30: held-out
  ``qini_auc_score`` (skipped, and said so, when the file is not in the cache or in
  ``ACTIONABLE_DATA_MIRROR``, which defaults to ``../shared/datasets``).

The effect models of the X- and DR-learners grew 3-leaf trees in the previous
defaults, 7-leaf trees in the current ones.

With ``--only large`` (or the default ``all``), it also checks the large-data setting
(over 100,000 rows per model, outcome models grow 31-leaf trees instead of 8): a
TLearner fitted on
``make_churn(1_000_000, random_state=0)`` with each, scored on
``make_churn(200_000, random_state=1)``, next to two ``LGBMClassifier`` with LightGBM's
defaults (100 trees, 31 leaves: scikit-uplift's TwoModels with its tutorial's model).

Usage: ``python benchmarks/learner_defaults.py [--only defaults|large|all] [--out FILE.json]``.
Writes ``benchmarks/results/learner_defaults.json`` by default.
"""

import argparse
import contextlib
import json
import os
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np
import pandas as pd
from _harness.tasks import use_shared_mirror
from scipy.stats import spearmanr
from sklearn.model_selection import train_test_split

import actionable.models._base as defaults
from actionable.datasets import DatasetDownloadError, fetch_starbucks, load_hillstrom, make_churn
from actionable.metrics import qini_auc_score
from actionable.models import DRLearner, SLearner, TLearner, XLearner

RESULTS = Path(__file__).resolve().parent / "results" / "learner_defaults.json"
LEARNERS = {
    "SLearner": SLearner,
    "TLearner": TLearner,
    "XLearner": XLearner,
    "DRLearner": DRLearner,
}
PREVIOUS = {
    "classifier_learning_rate": 0.03,
    "effect_learning_rate": 0.05,
    "effect_num_leaves": 3,
    "early_stopping_rounds": 50,
    "refit_max_rows": float("inf"),
}


def current_settings():
    return {
        "classifier_learning_rate": defaults.DEFAULT_CLASSIFIER_PARAMS["learning_rate"],
        "effect_learning_rate": defaults.DEFAULT_EFFECT_REGRESSOR_PARAMS["learning_rate"],
        "effect_num_leaves": defaults.DEFAULT_EFFECT_REGRESSOR_PARAMS["num_leaves"],
        "early_stopping_rounds": defaults.EARLY_STOPPING_ROUNDS,
        "refit_max_rows": defaults.REFIT_MAX_ROWS,
    }


@contextlib.contextmanager
def settings(values):
    """Temporarily set the default-model constants of ``actionable.models._base``."""
    saved = current_settings()

    def apply(v):
        defaults.DEFAULT_CLASSIFIER_PARAMS["learning_rate"] = v["classifier_learning_rate"]
        defaults.DEFAULT_EFFECT_REGRESSOR_PARAMS["learning_rate"] = v["effect_learning_rate"]
        defaults.DEFAULT_EFFECT_REGRESSOR_PARAMS["num_leaves"] = v["effect_num_leaves"]
        defaults.EARLY_STOPPING_ROUNDS = v["early_stopping_rounds"]
        defaults.REFIT_MAX_ROWS = v["refit_max_rows"]

    apply(values)
    try:
        yield
    finally:
        apply(saved)


def split(y, treatment, seed):
    rows = np.arange(len(y))
    return train_test_split(rows, test_size=0.3, random_state=seed, stratify=2 * treatment + y)


def churn_scores(seeds):
    scores = {}
    for seed in seeds:
        data = make_churn(100_000, random_state=seed)
        X, y, t = data.X, data.y.to_numpy(), data.treatment.to_numpy()
        train, test = split(y, t, seed)
        for name, learner in LEARNERS.items():
            start = time.process_time()
            model = learner(random_state=seed).fit(X.iloc[train], y[train], t[train])
            uplift = model.predict(X.iloc[test])
            cpu = time.process_time() - start
            record = scores.setdefault(name, {"qini": [], "spearman": [], "cpu_seconds": []})
            record["qini"].append(float(qini_auc_score(y[test], uplift, t[test])))
            record["spearman"].append(float(spearmanr(uplift, data.true_effect[test])[0]))
            record["cpu_seconds"].append(cpu)
    return scores


def hillstrom_scores(seeds):
    data = load_hillstrom()
    return qini_over_splits(pd.get_dummies(data.X, dtype=float), data.y, data.treatment, seeds)


def qini_over_splits(X, y, treatment, seeds):
    """Held-out ``qini_auc_score`` of each learner on the 70/30 split of each seed."""
    y, t = np.asarray(y), np.asarray(treatment)
    scores = {}
    for seed in seeds:
        train, test = split(y, t, seed)
        for name, learner in LEARNERS.items():
            model = learner(random_state=seed).fit(X.iloc[train], y[train], t[train])
            qini = qini_auc_score(y[test], model.predict(X.iloc[test]), t[test])
            scores.setdefault(name, []).append(float(qini))
    return scores


def load_starbucks():
    """The Starbucks training file, or ``None`` (with a message) where it is not available."""
    use_shared_mirror()
    try:
        return fetch_starbucks(split="train")
    except DatasetDownloadError as error:
        print(f"Starbucks skipped: {error}", flush=True)
        return None


def large_data_scores():
    """TLearner on 10^6 rows with 8-leaf and with the default large-data trees."""
    train = make_churn(1_000_000, random_state=0)
    test = make_churn(200_000, random_state=1)
    scores = {}
    for leaves in (8, defaults.LARGE_DATA_LEAVES):
        saved = defaults.LARGE_DATA_LEAVES
        defaults.LARGE_DATA_LEAVES = leaves
        try:
            start = time.process_time()
            model = TLearner(random_state=0).fit(
                train.X, train.y.to_numpy(), train.treatment.to_numpy()
            )
            uplift = model.predict(test.X)
            cpu = time.process_time() - start
        finally:
            defaults.LARGE_DATA_LEAVES = saved
        trees = [
            model.estimator_treatment_.best_iteration_,
            model.estimator_control_.best_iteration_,
        ]
        record = {
            "qini": float(qini_auc_score(test.y, uplift, test.treatment)),
            "spearman": float(spearmanr(uplift, test.true_effect)[0]),
            "cpu_seconds": cpu,
            "trees_treated_control": trees,
        }
        scores[f"{leaves} leaves"] = record
        print(
            f"TLearner, 10^6 rows, {leaves:>2} leaves: Qini {record['qini']:.4f}, "
            f"Spearman {record['spearman']:.3f}, {cpu:.1f} CPU s, trees {trees}",
            flush=True,
        )
    scores["two LightGBM defaults"] = two_default_models(train, test)
    return scores


def two_default_models(train, test):
    """Reference: two ``LGBMClassifier`` with LightGBM's defaults, as scikit-uplift's TwoModels."""
    from lightgbm import LGBMClassifier

    X, y, t = train.X, train.y.to_numpy(), train.treatment.to_numpy()
    start = time.process_time()
    treated = LGBMClassifier(verbose=-1, n_jobs=1).fit(X[t == 1], y[t == 1])
    control = LGBMClassifier(verbose=-1, n_jobs=1).fit(X[t == 0], y[t == 0])
    uplift = treated.predict_proba(test.X)[:, 1] - control.predict_proba(test.X)[:, 1]
    cpu = time.process_time() - start
    record = {
        "qini": float(qini_auc_score(test.y, uplift, test.treatment)),
        "spearman": float(spearmanr(uplift, test.true_effect)[0]),
        "cpu_seconds": cpu,
        "trees_treated_control": [100, 100],
    }
    print(
        f"two LightGBM defaults, 10^6 rows: Qini {record['qini']:.4f}, "
        f"Spearman {record['spearman']:.3f}, {cpu:.1f} CPU s",
        flush=True,
    )
    return record


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument(
        "--only",
        choices=("defaults", "large", "all"),
        default="all",
        help="the previous-vs-current comparison, the 10^6-row one, or both",
    )
    args = parser.parse_args(argv)
    results = json.loads(args.out.read_text()) if args.out.is_file() else {}
    if args.only in ("large", "all"):
        results["large_data"] = large_data_scores()
    if args.only in ("defaults", "all"):
        compare_defaults(results)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"\nwritten to {args.out}")


def compare_defaults(results):
    """Previous and current defaults on the same splits; prints the table, fills ``results``."""
    results["settings"] = {"previous": PREVIOUS, "current": current_settings()}
    starbucks = load_starbucks()
    for label, values in results["settings"].items():
        with settings(values):
            print(f"{label} defaults: make_churn ...", flush=True)
            results[label] = {"churn": churn_scores(seeds=[0, 1])}
            print(f"{label} defaults: Hillstrom ...", flush=True)
            results[label]["hillstrom"] = hillstrom_scores(seeds=range(10))
            if starbucks is not None:
                print(f"{label} defaults: Starbucks ...", flush=True)
                results[label]["starbucks"] = qini_over_splits(
                    starbucks.X, starbucks.y, starbucks.treatment, seeds=range(5)
                )

    header = ("learner", "", "churn Qini", "Spearman", "CPU s", "Hillstrom", "Starbucks")
    print("\n{:<10} {:>9} {:>11} {:>9} {:>7} {:>10} {:>10}".format(*header))
    for name in LEARNERS:
        for label in ("previous", "current"):
            churn = results[label]["churn"][name]
            print(
                f"{name:<10} {label:>9} {np.mean(churn['qini']):>11.4f} "
                f"{np.mean(churn['spearman']):>9.3f} {np.mean(churn['cpu_seconds']):>7.1f} "
                f"{np.mean(results[label]['hillstrom'][name]):>10.4f} "
                f"{np.mean(results[label].get('starbucks', {}).get(name, np.nan)):>10.4f}"
            )
        ratio = np.sum(results["previous"]["churn"][name]["cpu_seconds"]) / np.sum(
            results["current"]["churn"][name]["cpu_seconds"]
        )
        print(f"{'':<10} {'speed-up':>9} {ratio:>11.1f}x")


if __name__ == "__main__":
    main()
