"""Would another rule have made ``auto`` choose better? Replayed on the decision track.

``benchmarks/results/decision.json`` keeps, for every split, what ``auto`` saw when it
chose (each candidate's cross-fitted profit, its bootstrap interval, its paired difference
to the best and its profit on each fold) and what each single learner earned when
deployed on the held-out rows (``actionable fit --learner <code>`` on the same split, with
the same seed: the model ``auto`` deploys when it chooses that learner). Replaying a rule
on the recorded choices gives the held-out profit it would have earned, without refitting:

* ``best``: the highest cross-fitted profit;
* ``cheaper within`` (what ``auto`` did before): the cheapest candidate (fewest models)
  whose paired difference to the best has an interval reaching zero;
* ``highest lower bound`` (what ``auto`` does): the highest lower end of the profit's
  interval;
* ``steadiest within``: among the candidates within the uncertainty of the best, the one
  whose profit varies least from fold to fold;
* ``always <code>``: one learner on every split.

Usage: ``python benchmarks/selection_replay.py [results/decision.json]``; prints Markdown.
"""

import json
import sys
from pathlib import Path

import numpy as np

from actionable.production._selection import MODELS_FITTED


def replayed_choices(by_learner):
    """The candidate each rule chooses from one split's recorded selection document."""
    codes = list(by_learner)
    best = max(codes, key=lambda code: by_learner[code]["profit"])
    within = [code for code in codes if by_learner[code]["difference_to_best_high"] >= 0]
    spread = {code: float(np.std(by_learner[code]["profit_by_fold"], ddof=1)) for code in codes}
    return {
        "best": best,
        "cheaper within (before)": min(
            within, key=lambda c: (MODELS_FITTED[c], -by_learner[c]["profit"])
        ),
        "highest lower bound (auto)": max(
            codes, key=lambda c: (by_learner[c]["profit_low"], -MODELS_FITTED[c])
        ),
        "steadiest within": min(within, key=lambda code: spread[code]),
        **{f"always {code}": code for code in codes},
    }


def replay(task):
    """Rows ``(rule, mean held-out profit, sd, choices)`` for one task of the track."""
    models = {record["model"]: record for record in task["models"]}
    auto = models.get("actionable auto")
    if auto is None or not all("by_learner" in details for details in auto["details"]):
        return []
    held_out = {
        name.rsplit(" ", 1)[-1]: record["per_split"]["profit"]
        for name, record in models.items()
        if name.startswith("actionable fit --learner")
    }
    earned, chosen = {}, {}
    for split, details in enumerate(auto["details"]):
        for rule, code in replayed_choices(details["by_learner"]).items():
            earned.setdefault(rule, []).append(held_out[code][split])
            chosen.setdefault(rule, []).append(code)
    return [
        (rule, float(np.mean(values)), float(np.std(values, ddof=1)), chosen[rule])
        for rule, values in earned.items()
    ]


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    path = Path(argv[0]) if argv else Path(__file__).parent / "results" / "decision.json"
    record = json.loads(path.read_text())
    for task in record["tasks"]:
        rows = replay(task)
        if not rows:
            continue
        print(f"\n{task['task']} ({len(rows[0][3])} splits)\n")
        print("| rule | held-out profit | learner chosen on each split |")
        print("|---|---|---|")
        for rule, mean, sd, codes in rows:
            print(f"| {rule} | {mean:,.1f} ± {sd:,.1f} | {', '.join(codes)} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
