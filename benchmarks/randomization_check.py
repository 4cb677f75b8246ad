"""How often the randomization check cries wolf, and how often it catches a targeted campaign.

On randomized data (make_churn, random assignment) every "not random" verdict is a false
alarm; on a targeted campaign (assignment by tenure or churn risk) every "looks random"
is a miss. Each seed draws a fresh sample of the same world. Also runs the check on the
public randomized experiments we have (Hillstrom, each e-mail arm against no e-mail;
Starbucks, when the mirror or cache has it).

Usage: python benchmarks/randomization_check.py [--seeds 200] [--sizes 2000,20000]
"""

import argparse
import time

import numpy as np

from actionable.datasets import load_hillstrom, make_churn
from actionable.production import randomization_check


def _rate(flags):
    flags = np.asarray(flags, dtype=float)
    # Wilson-free upper bound when there are no events: the "rule of three"
    upper = 3.0 / flags.size if flags.sum() == 0 else None
    return flags.mean(), upper


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=200)
    parser.add_argument("--sizes", default="2000,20000")
    args = parser.parse_args()
    for size in (int(s) for s in args.sizes.split(",")):
        for assignment in ("random", "tenure", "churn_risk"):
            seeds = args.seeds if assignment == "random" else max(20, args.seeds // 10)
            start = time.perf_counter()
            verdicts, aucs = [], []
            for seed in range(seeds):
                data = make_churn(size, assignment=assignment, random_state=10_000 + seed)
                check = randomization_check(data.X, data.treatment, random_state=seed)
                verdicts.append(check.is_random)
                aucs.append(check.auc.estimate)
            wrong = [v if assignment != "random" else not v for v in verdicts]
            rate, upper = _rate(wrong)
            what = "false alarms" if assignment == "random" else "misses"
            bound = f" (95% upper bound {upper:.1%}, rule of three)" if upper else ""
            print(
                f"make_churn n={size:>6,} {assignment:<10} {what}: {int(sum(wrong))}/{seeds} = "
                f"{rate:.1%}{bound}; AUC mean {np.mean(aucs):.3f} (sd {np.std(aucs):.3f}); "
                f"{(time.perf_counter() - start) / seeds:.2f} s per check"
            )
    for arm in ("mens", "womens"):
        data = load_hillstrom(arms=(arm, "none"))
        check = randomization_check(data.X, data.treatment)
        print(f"Hillstrom {arm} vs none ({data.n_samples:,} rows): {check.verdict}")
    try:
        from actionable.datasets import fetch_starbucks

        starbucks = fetch_starbucks()
    except (OSError, ValueError) as exc:  # no network, no mirror
        print(f"Starbucks skipped: {exc}")
    else:
        check = randomization_check(starbucks.X, starbucks.treatment)
        print(f"Starbucks training set ({starbucks.n_samples:,} rows): {check.verdict}")


if __name__ == "__main__":
    main()
