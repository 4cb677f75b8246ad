"""Continuous outcome defaults: which objective for the default models of a heavy-tailed outcome.

The default outcome models of the learners fit a LightGBM regressor when ``y`` is not
0/1 (``actionable.models``). This benchmark compares the objectives that regressor
could use, everything else (trees, early stopping on held-out squared error, refit)
being the default machinery:

- ``l2``: plain squared error (LightGBM ``"regression"``);
- ``tweedie``: Tweedie deviance, variance power 1.5 (log link; non-negative outcomes),
  and ``tweedie-1.3``, variance power 1.3;
- ``winsorized``: squared error on outcomes clipped at the 99th percentile of their
  non-zero absolute values (predictions and evaluation stay in raw outcome units).

Five worlds, ten random splits each, every candidate scored on the same held-out rows
by ``qini_auc_score`` on the raw outcome (and, on the synthetic worlds, by the
correlation of the predicted effect with the true one):

(a) Hillstrom, women's e-mail vs no e-mail, outcome ``spend`` (0.7% buyers; 70/30
    splits stratified on treatment x bought);
(b) a synthetic zero-heavy world (``zero_heavy_world``): about 5% buyers, a log-normal
    basket (heavy right tail), the e-mail raises the chance of buying where
    ``x0 > 0`` and the basket where ``x1 > 0``; 20,000 training and 20,000 test rows;
(c) three lighter worlds where the rule of ``outcome_objective`` keeps squared error:
    the revenue kept (``revenue_world``: a log-normal monthly spend with sigma 0.5, 0
    for the customers lost, about 27% of rows), a strictly positive spend, and
    ``make_churn(outcome="revenue")`` (the monthly revenue kept, 0 for the 38% lost;
    the correlation is with its ``true_effect``).

The table gives the mean and sd over splits and, against ``l2``, the mean paired
difference with its standard error (sd of the differences / sqrt(splits)).

Usage: ``python benchmarks/continuous_defaults.py [--quick] [--learners t dr ...]``
(``--quick``: 3 splits, T-learner only, 10,000 synthetic rows, about 15 seconds; the
full run, four learners on five worlds, takes about 20 minutes on 2 cores).
"""

import argparse
import os
import time
from contextlib import contextmanager

os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np
from sklearn.model_selection import train_test_split

from actionable.datasets import load_hillstrom, make_churn
from actionable.metrics import qini_auc_score
from actionable.models import DRLearner, SLearner, TLearner, XLearner
from actionable.models import _boosting as boosting

CANDIDATES = ("l2", "tweedie-1.3", "tweedie", "winsorized")
# Objectives compared here only (the others are actionable's OUTCOME_OBJECTIVES).
EXTRA_OBJECTIVES = {"tweedie-1.3": {"objective": "tweedie", "tweedie_variance_power": 1.3}}
LEARNERS = {"s": SLearner, "t": TLearner, "x": XLearner, "dr": DRLearner}


@contextmanager
def objective(name):
    """Make every default continuous-outcome model use the objective ``name``."""
    rule = boosting.outcome_objective
    boosting.outcome_objective = lambda y: name
    boosting.OUTCOME_OBJECTIVES.update(EXTRA_OBJECTIVES)
    try:
        yield
    finally:
        boosting.outcome_objective = rule
        for key in EXTRA_OBJECTIVES:
            boosting.OUTCOME_OBJECTIVES.pop(key, None)


def zero_heavy_world(n_samples, seed):
    """A randomized e-mail with a spend outcome: mostly 0, a few large baskets.

    Returns ``(X, y, treatment, effect)`` with ``effect`` the true expected gain in spend.
    """
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n_samples, 6))
    treatment = rng.integers(0, 2, n_samples)

    def buy(t):
        return 1.0 / (1.0 + np.exp(-(-3.2 + 0.6 * X[:, 2] + t * 0.8 * (X[:, 0] > 0))))

    def basket(t):  # the mean of a log-normal basket, sigma 1
        return np.exp(3.5 + 0.4 * X[:, 3] + t * 0.4 * (X[:, 1] > 0) + 0.5)

    bought = rng.random(n_samples) < buy(treatment)
    amount = np.exp(
        3.5 + 0.4 * X[:, 3] + treatment * 0.4 * (X[:, 1] > 0) + rng.normal(size=n_samples)
    )
    y = np.where(bought, amount, 0.0)
    effect = buy(1) * basket(1) - buy(0) * basket(0)
    return X, y, treatment, effect


def revenue_world(n_samples, seed, churn):
    """Monthly revenue kept: the spend of a retained customer, 0 if lost (``churn=True``).

    With ``churn=False`` every customer stays and the contact raises the spend: a strictly
    positive outcome. Returns ``(X, y, treatment, effect)``.
    """
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n_samples, 6))
    treatment = rng.integers(0, 2, n_samples)

    def stay(t):
        if not churn:
            return np.ones(n_samples)
        return 1.0 / (1.0 + np.exp(-(1.0 + 0.8 * X[:, 2] + t * 0.8 * (X[:, 0] > 0))))

    def spend(t):  # the mean of a log-normal spend, sigma 0.5
        return np.exp(3.5 + 0.3 * X[:, 3] + t * 0.2 * (X[:, 1] > 0) + 0.125)

    stayed = rng.random(n_samples) < stay(treatment)
    noise = rng.normal(scale=0.5, size=n_samples) - 0.125
    y = np.where(stayed, spend(treatment) * np.exp(noise), 0.0)
    effect = stay(1) * spend(1) - stay(0) * spend(0)
    return X, y, treatment, effect


def churn_revenue_world(n_samples, seed):
    """``make_churn(outcome="revenue")``: the monthly revenue kept (0 for the lost, 38%)."""
    data = make_churn(n_samples, outcome="revenue", random_state=seed)
    return data.X, data.y.to_numpy(), data.treatment.to_numpy(), data.true_effect


def hillstrom_splits(seeds):
    data = load_hillstrom(arms=("womens", "none"), outcome="spend")
    X, y, t = data.X, data.y.to_numpy(), data.treatment.to_numpy()
    strata = 2 * t + (y > 0)
    for seed in seeds:
        train, test = train_test_split(
            np.arange(len(y)), test_size=0.3, stratify=strata, random_state=seed
        )
        yield X.iloc[train], y[train], t[train], X.iloc[test], y[test], t[test], None


def synthetic_splits(seeds, n_train, world=zero_heavy_world):
    for seed in seeds:
        X, y, t, effect = world(2 * n_train, 1000 + seed)
        train, test = np.arange(n_train), np.arange(n_train, 2 * n_train)
        X_train, X_test = (
            (X.iloc[train], X.iloc[test]) if hasattr(X, "iloc") else (X[train], X[test])
        )
        yield X_train, y[train], t[train], X_test, y[test], t[test], effect[test]


def run(world, splits, learners):
    """Scores ``{(learner, candidate): {"qini": [...], "corr": [...]}}`` over the splits."""
    scores, seconds = {}, {}
    for index, (X, y, t, X_test, y_test, t_test, effect) in enumerate(splits):
        for code in learners:
            for name in CANDIDATES:
                start = time.perf_counter()
                with objective(name):
                    learner = LEARNERS[code](random_state=index).fit(X, y, t)
                    uplift = learner.predict(X_test)
                key = (code, name)
                seconds[key] = seconds.get(key, 0.0) + time.perf_counter() - start
                entry = scores.setdefault(key, {"qini": [], "corr": []})
                entry["qini"].append(float(qini_auc_score(y_test, uplift, t_test)))
                if effect is not None:
                    entry["corr"].append(float(np.corrcoef(uplift, effect)[0, 1]))
        print(f"{world}: split {index} done", flush=True)
    return scores, seconds


def _mean_sd(values):
    values = np.asarray(values)
    sd = values.std(ddof=1) if values.size > 1 else 0.0
    return f"{values.mean():.4f} ({sd:.4f})"


def _paired(values, reference):
    diff = np.asarray(values) - np.asarray(reference)
    se = diff.std(ddof=1) / np.sqrt(diff.size) if diff.size > 1 else 0.0
    return f"{diff.mean():+.4f} +- {se:.4f}"


def table(world, scores, seconds, learners):
    lines = [
        f"\n{world}",
        "| learner | objective | Qini mean (sd) | vs l2 (paired, +- se) "
        "| corr. with true effect mean (sd) | vs l2 (paired, +- se) | s per fit |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for code in learners:
        base = scores[(code, "l2")]
        for name in CANDIDATES:
            entry = scores[(code, name)]
            n = len(entry["qini"])
            corr = _mean_sd(entry["corr"]) if entry["corr"] else "-"
            corr_diff = _paired(entry["corr"], base["corr"]) if entry["corr"] else "-"
            lines.append(
                f"| {code} | {name} | {_mean_sd(entry['qini'])} | "
                f"{_paired(entry['qini'], base['qini'])} | {corr} | {corr_diff} | "
                f"{seconds[(code, name)] / n:.1f} |"
            )
    return "\n".join(lines)


SYNTHETIC = {
    "synthetic": (zero_heavy_world, "Synthetic zero-heavy world"),
    "kept": (lambda n, seed: revenue_world(n, seed, churn=True), "Synthetic revenue kept"),
    "positive": (lambda n, seed: revenue_world(n, seed, churn=False), "Synthetic positive spend"),
    "churn": (churn_revenue_world, "make_churn revenue kept"),
}
WORLDS = ("hillstrom", *SYNTHETIC)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="3 splits, T-learner, fewer rows")
    parser.add_argument("--learners", nargs="+", choices=sorted(LEARNERS), default=None)
    parser.add_argument("--worlds", nargs="+", choices=WORLDS, default=WORLDS)
    args = parser.parse_args()
    seeds = range(3) if args.quick else range(10)
    learners = args.learners or (["t"] if args.quick else ["s", "t", "x", "dr"])
    n_train = 10_000 if args.quick else 20_000
    tables = []
    if "hillstrom" in args.worlds:
        scores, seconds = run("hillstrom", hillstrom_splits(seeds), learners)
        tables.append(table("Hillstrom women's e-mail vs none, spend", scores, seconds, learners))
    for world in [name for name in args.worlds if name != "hillstrom"]:
        generate, title = SYNTHETIC[world]
        scores, seconds = run(world, synthetic_splits(seeds, n_train, generate), learners)
        tables.append(table(f"{title}, {n_train} training rows", scores, seconds, learners))
    print("\n".join(tables))


if __name__ == "__main__":
    main()
