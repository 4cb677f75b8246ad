"""Does ``fit --learner auto`` choose well by the money? Starbucks, split in halves.

For each split of the Starbucks training file (84,534 rows, 50/50, stratified on
Promotion x purchase): ``fit_model(learner="auto")`` on one half with the exercise's
economics ($10 a purchase, $0.15 a promotion), then each single learner fitted the same
way, and the profit of each deployed rule's contacts measured on the other half
(``rule_profit``, relative to promoting nobody). Reported per split and as mean and sd:
the profit of each single learner; of ``auto`` as it chooses (the highest lower bound
of the cross-fitted profit, ``production._selection``); of the learner with the best
cross-fitted profit alone; and of the best cross-validated Qini (``auto`` before it
chose by the money). The halves reuse the same rows, so the splits are not independent.

Usage: ``python benchmarks/auto_selection.py [--splits 6]`` (needs the Starbucks file:
the cache, ``ACTIONABLE_DATA_MIRROR``, or ../shared/datasets beside the repository).
"""

import argparse
import json
import os
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
_MIRROR = Path(__file__).resolve().parents[2] / "shared" / "datasets"
if _MIRROR.is_dir():
    os.environ.setdefault("ACTIONABLE_DATA_MIRROR", str(_MIRROR))

import pandas as pd
from sklearn.model_selection import train_test_split

from actionable.datasets import fetch_file
from actionable.decision import DecisionCard
from actionable.production import ColumnRoles, fit_model, rule_profit

ROLES = ColumnRoles("Promotion", "Yes", "purchase", id_column="ID")
CARD = DecisionCard(value_per_success=10.0, cost_per_contact=0.15)


def one_split(raw, seed):
    strata = raw["Promotion"].astype(str) + raw["purchase"].astype(str)
    fit_half, judge_half = train_test_split(raw, test_size=0.5, stratify=strata,
                                            random_state=seed)  # fmt: skip
    auto = fit_model(fit_half, ROLES, card=CARD, learner="auto", random_state=seed)
    training = auto.documents["training"]
    by_profit = training["selection_by_profit"]
    qini = training["cross_validation"]["qini_by_learner"]
    y = judge_half["purchase"].to_numpy()
    treated = (judge_half["Promotion"] == "Yes").astype(int).to_numpy()
    profit = {}
    for code in qini:
        model = auto if code == auto.learner_name else fit_model(
            fit_half, ROLES, card=CARD, learner=code, random_state=seed
        )  # fmt: skip
        contacts = model.score(judge_half)["target"].to_numpy()
        profit[code] = rule_profit(y, treated, contacts, CARD.cost_model(), n_bootstraps=1)[
            "profit"
        ]
    return {
        "split": seed,
        **profit,
        "auto": profit[by_profit["chosen"]],
        "best profit": profit[by_profit["best"]],
        "best Qini": profit[max(qini, key=lambda code: qini[code]["mean"])],
        "auto chose": by_profit["chosen"],
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--splits", type=int, default=6)
    args = parser.parse_args()
    raw = pd.read_csv(fetch_file("starbucks/training.csv"))
    rows = []
    for seed in range(args.splits):
        rows.append(one_split(raw, seed))
        print(json.dumps(rows[-1]), flush=True)
    table = pd.DataFrame(rows).drop(columns=["split", "auto chose"])
    print("profit on the judging half, $ (mean and sd over splits)")
    print(table.agg(["mean", "std"]).round(1).to_string())


if __name__ == "__main__":
    main()
