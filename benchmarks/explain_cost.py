"""What reasons cost: explaining rows (TreeSHAP contributions) against scoring them.

Each learner is fitted with its defaults on make_churn (50,000 rows); then the same
fresh rows are scored (``predict``) and explained (``uplift_contributions``), in the
same run, on the same threads. Prints seconds and the ratio per learner.

Usage: python benchmarks/explain_cost.py [--rows 1000000] [--n-jobs 2]
"""

import argparse
import time

from actionable.datasets import make_churn
from actionable.models import LEARNERS, make_learner, uplift_contributions


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--n-jobs", type=int, default=2)
    args = parser.parse_args()
    train = make_churn(50_000, random_state=0)
    rows = make_churn(args.rows, random_state=1).X
    print(f"explaining {args.rows:,} rows of make_churn with {args.n_jobs} thread(s)")
    for code in LEARNERS:
        learner = make_learner(code, 0, n_jobs=args.n_jobs)
        learner.fit(train.X, train.y, train.treatment)
        start = time.perf_counter()
        learner.predict(rows)
        scoring = time.perf_counter() - start
        start = time.perf_counter()
        contributions = uplift_contributions(learner, rows, n_jobs=args.n_jobs)
        explaining = time.perf_counter() - start
        print(
            f"{LEARNERS[code][1]:<22} scoring {scoring:7.1f} s   explaining {explaining:7.1f} s"
            f"   ratio {explaining / scoring:5.1f}x   "
            f"({'exact' if contributions.exact else 'secant'})",
            flush=True,
        )


if __name__ == "__main__":
    main()
