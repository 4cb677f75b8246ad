"""Variants of the learners tried for small, noisy campaigns (issue 23, item 2).

Each variant is judged on the quality tracks' stratified 70/30 splits (``_harness.tasks``,
split seed 0) of Starbucks (``$10`` a purchase, ``$0.15`` a promotion) or Hillstrom
women's e-mail vs none, ``visit`` (``$2`` a visit, ``$0.10`` an e-mail): the held-out
Qini coefficient of its uplift scores and the held-out profit (``production.rule_profit``)
of the rows it contacts. Variants:

* ``ensemble``: each default learner fitted once (seed = split index); the mean of the
  S-, T-, X- and DR-learners' predicted uplifts (``mean4``), of the T-, X- and
  DR-learners' (``mean3``), of the T- and X-learners' (``meanTX``), and the mean rank of
  all five (``rank5``, Qini only). Contacts: predicted uplift x value > cost.
* ``bagging``: each learner fitted ``--bags`` times with different seeds, one fit
  (``<code>1``) against the mean of all (``<code>B``). Contacts as above.
* ``committee``: the rule ``actionable fit`` deploys (threshold chosen on the 5 folds'
  out-of-fold predictions, ``choose_targeting_rule``), applied to the model refitted on
  all training rows (``<code>-refit``, what ``fit`` deploys today) or to the mean of the
  five fold models (``<code>-committee``), 5 splits.
* ``forest``: the same rule with random-forest models: an X-learner whose effect models
  are ``RandomForestRegressor(100 trees, min_samples_leaf=200, max_features=0.5)`` and a
  T-learner of ``RandomForestClassifier(100 trees, min_samples_leaf=100,
  max_features=0.5)``, 5 splits.

Usage: ``python benchmarks/robust_variants.py ensemble|bagging|committee|forest
starbucks|womens [--splits N] [--bags B]``; prints mean ± sd over splits.
"""

import argparse
import os
import sys
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np
from _harness import tasks
from _harness.tasks import stratified_splits, use_shared_mirror
from scipy.stats import rankdata
from sklearn.ensemble import RandomForestClassifier, RandomForestRegressor
from sklearn.model_selection import StratifiedKFold

from actionable.economics import CostModel
from actionable.metrics import qini_auc_score
from actionable.models import TLearner, XLearner, make_learner
from actionable.production import choose_targeting_rule, rule_profit

CODES = ("s", "t", "x", "dr", "ct")


def load(which):
    """The task and its economics."""
    use_shared_mirror()
    if which == "starbucks":
        return tasks.starbucks_tasks()[0], CostModel(10.0, cost_per_contact=0.15)
    task = tasks.hillstrom_tasks(which=[(which, "visit")])[0]
    return task, CostModel(2.0, cost_per_contact=0.10)


def _break_even(uplift, money):
    return (uplift * money.outcome_value > money.cost_per_contact).astype(int)


def deployed(make, X, y, treatment, X_test, money, seed, *, committee=True):
    """The rule ``fit`` deploys (chosen out of fold) and the refit's scores on ``X_test``.

    Returns ``(rule, refit scores, committee scores)``; the last is the mean of the five
    fold models' scores on ``X_test`` when ``committee``, else None.
    """
    strata = 2 * treatment + y
    held_out, fold_scores = np.empty(y.size), []
    folds = StratifiedKFold(5, shuffle=True, random_state=seed).split(X, strata)
    for fold, (train, test) in enumerate(folds):
        model = make(seed + fold).fit(X[train], y[train], treatment[train])
        held_out[test] = model.predict(X[test])
        if committee:
            fold_scores.append(model.predict(X_test))
    rule, _ = choose_targeting_rule(y, held_out, treatment, cost_model=money, n_bootstraps=0)
    refit = make(seed).fit(X, y, treatment).predict(X_test)
    return rule, refit, np.mean(fold_scores, axis=0) if committee else None


def variant_scores(variant, task, money, train, test, split, bags):
    """``{name: (uplift scores or None, contacts or None)}`` on the test rows."""
    X, y, t, X_test = task.X[train], task.y[train], task.treatment[train], task.X[test]
    out = {}
    if variant in ("ensemble", "bagging"):
        fitted = {}
        for code in CODES:
            runs = [
                make_learner(code, 1000 * split + b if variant == "bagging" else split)
                .fit(X, y, t)
                .predict(X_test)
                for b in range(bags if variant == "bagging" else 1)
            ]
            fitted[code] = runs
        if variant == "bagging":
            for code, runs in fitted.items():
                out[f"{code}1"], out[f"{code}B"] = runs[0], np.mean(runs, axis=0)
        else:
            single = {code: runs[0] for code, runs in fitted.items()}
            out.update(single)
            for name, members in (("mean4", "s t x dr"), ("mean3", "t x dr"), ("meanTX", "t x")):
                out[name] = np.mean([single[code] for code in members.split()], axis=0)
            out["rank5"] = np.mean([rankdata(single[code]) for code in CODES], axis=0)
        return {
            name: (scores, None if name.startswith(("ct", "rank")) else _break_even(scores, money))
            for name, scores in out.items()
        }
    makers = (
        {code: (lambda seed, code=code: make_learner(code, seed)) for code in CODES}
        if variant == "committee"
        else {
            "x-rf-effect": lambda seed: XLearner(
                effect_estimator=RandomForestRegressor(
                    n_estimators=100, min_samples_leaf=200, max_features=0.5, random_state=seed
                ),
                random_state=seed,
            ),
            "t-rf": lambda seed: TLearner(
                estimator=RandomForestClassifier(
                    n_estimators=100, min_samples_leaf=100, max_features=0.5, random_state=seed
                ),
                random_state=seed,
            ),
        }
    )
    for name, make in makers.items():
        if variant == "committee" and name == "ct" and task.dataset == "starbucks":
            continue
        rule, refit, committee = deployed(make, X, y, t, X_test, money, split)
        pairs = (("refit", refit), ("committee", committee))
        for suffix, scores in pairs if variant == "committee" else (("", refit),):
            key = f"{name}-{suffix}" if suffix else name
            out[key] = (scores, rule.select(rule.score(scores, None)).astype(int))
    return out


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("variant", choices=("ensemble", "bagging", "committee", "forest"))
    parser.add_argument("task", choices=("starbucks", "womens"))
    parser.add_argument("--splits", type=int, default=None, help="default 10, or 5 (rules)")
    parser.add_argument("--bags", type=int, default=5)
    args = parser.parse_args(argv)
    task, money = load(args.task)
    n_splits = args.splits or (10 if args.variant in ("ensemble", "bagging") else 5)
    results = {}
    for split, (train, test) in enumerate(stratified_splits(task, n_splits, 0.3, 0)):
        y, t = task.y[test], task.treatment[test]
        scores = variant_scores(args.variant, task, money, train, test, split, args.bags)
        for name, (uplift, contacts) in scores.items():
            entry = results.setdefault(name, {"qini": [], "profit": []})
            entry["qini"].append(qini_auc_score(y, uplift, t))
            if contacts is not None:
                entry["profit"].append(rule_profit(y, t, contacts, money, n_bootstraps=1)["profit"])
        print(f"split {split} done", flush=True)
    print(f"\n{args.variant} on {task.name}, {n_splits} splits\n")
    print("| variant | held-out Qini | held-out profit |\n|---|---|---|")
    for name, entry in results.items():
        qini = f"{np.mean(entry['qini']):.4f} ± {np.std(entry['qini'], ddof=1):.4f}"
        profit = (
            f"{np.mean(entry['profit']):,.1f} ± {np.std(entry['profit'], ddof=1):,.1f}"
            if entry["profit"]
            else "—"
        )
        print(f"| {name} | {qini} | {profit} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
