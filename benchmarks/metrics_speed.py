"""Time actionable's qini_auc_score against scikit-uplift's on the same arrays.

Usage::

    OMP_NUM_THREADS=1 .venv/bin/python benchmarks/metrics_speed.py [--sizes 1e6 5e6 1e7]
        [--repeats 3] [--json results/metrics_speed.json]

For each size, one randomized experiment is drawn (binary outcome, binary
treatment with a 50/50 split) and scored twice: with heavily tied scores
(rounded to 3 decimals, as model outputs often are) and with continuous scores
(no ties). Both libraries get the very same arrays; the two results must agree
to 1e-9. The table reports the best of ``--repeats`` wall-clock timings.
"""

import argparse
import json
import platform
import time
import warnings
from pathlib import Path

import numpy as np

from actionable.metrics import qini_auc_score


def make_arrays(n_samples, seed=0):
    rng = np.random.default_rng(seed)
    treatment = rng.integers(0, 2, n_samples)
    signal = rng.normal(size=n_samples)
    p = 0.2 + 0.1 * treatment * (signal > 0)
    y_true = (rng.random(n_samples) < p).astype(np.int64)
    continuous = signal + rng.normal(scale=0.5, size=n_samples)
    tied = np.round(continuous / 4, 3)
    return y_true, treatment, {"tied (3 decimals)": tied, "continuous": continuous}


def best_time(function, repeats):
    best, value = float("inf"), None
    for _ in range(repeats):
        start = time.perf_counter()
        value = function()
        best = min(best, time.perf_counter() - start)
    return best, value


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=float, nargs="+", default=[1e6, 5e6, 1e7])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--json", type=Path, default=None, help="also write results here")
    args = parser.parse_args(argv)

    import sklearn
    import sklift
    from sklift.metrics import qini_auc_score as sklift_qini_auc_score

    rows = []
    header = f"{'n_samples':>10}  {'scores':<18} {'actionable s':>12} {'sklift s':>9} {'ratio':>6}"
    print(header)
    print("-" * len(header))
    for size in args.sizes:
        n_samples = int(size)
        y_true, treatment, scores = make_arrays(n_samples)
        for label, uplift in scores.items():
            ours, ours_value = best_time(
                lambda u=uplift, y=y_true, t=treatment: qini_auc_score(y, u, t), args.repeats
            )
            with warnings.catch_warnings():
                # sklift 0.5.1 calls sklearn's deprecated stable_cumsum
                warnings.simplefilter("ignore", category=FutureWarning)
                warnings.simplefilter("ignore", category=DeprecationWarning)
                theirs, their_value = best_time(
                    lambda u=uplift, y=y_true, t=treatment: sklift_qini_auc_score(y, u, t),
                    args.repeats,
                )
            if not abs(ours_value - their_value) <= 1e-9:
                raise AssertionError(f"results differ: {ours_value!r} vs {their_value!r}")
            ratio = theirs / ours
            rows.append(
                {
                    "n_samples": n_samples,
                    "scores": label,
                    "actionable_seconds": ours,
                    "sklift_seconds": theirs,
                    "ratio": ratio,
                    "qini_auc_score": ours_value,
                }
            )
            print(f"{n_samples:>10}  {label:<18} {ours:>12.3f} {theirs:>9.3f} {ratio:>5.1f}x")

    environment = {
        "python": platform.python_version(),
        "numpy": np.__version__,
        "scikit-learn": sklearn.__version__,
        "scikit-uplift": sklift.__version__,
        "machine": platform.machine(),
        "processor": platform.processor() or "unknown",
        "repeats": args.repeats,
    }
    print("environment:", ", ".join(f"{key} {value}" for key, value in environment.items()))
    if args.json is not None:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"environment": environment, "results": rows}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
