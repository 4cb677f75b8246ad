"""Held-out Qini of the default learners of two versions of actionable, on the same splits.

Issue 16 asks that faster defaults keep the ranking: no learner's mean Qini may drop by
more than 0.002 on Hillstrom or 0.005 on Starbucks. The quality tables alone cannot say
it, because the harness fits each learner with an unseeded ``random_state`` in a fresh
process, so two runs of the same code already differ by the seed. This script fits the
S-, T-, X- and DR-learners and the class transformation with ``random_state`` = seed
(several seeds per split) on the quality tracks' stratified 70/30 splits (split seed 0),
and writes every held-out Qini to JSON. Run it once per version, with that version's
``src`` first on ``PYTHONPATH``; then ``--compare`` prints, per task and learner, the
two means over splits (each split's Qini averaged over the seeds) and the paired
difference with the corrected resampled t interval of the other tables::

    git worktree add /tmp/before <commit before the change>
    PYTHONPATH=/tmp/before/src python benchmarks/defaults_quality.py --json before.json
    PYTHONPATH=src python benchmarks/defaults_quality.py --json after.json
    python benchmarks/defaults_quality.py --compare before.json after.json
"""

import argparse
import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np
from _harness import tasks
from _harness.stats import paired_difference
from _harness.tasks import stratified_splits, use_shared_mirror

LEARNERS = ("SLearner", "TLearner", "XLearner", "DRLearner", "ClassTransformation")
TASKS = ("womens_visit", "womens_conversion", "mens_visit", "mens_conversion", "starbucks")
TEST_SIZE = 0.3
# The bar: the largest drop of a learner's mean Qini allowed on each dataset.
ALLOWED_DROP = {"hillstrom": 0.002, "starbucks": 0.005}


def load_task(name):
    """One quality task by its short name."""
    if name == "starbucks":
        return tasks.starbucks_tasks()[0]
    which, outcome = name.split("_")
    return tasks.hillstrom_tasks(which=[(which, outcome)])[0]


def run(task_names, n_splits, seeds, log=print):
    """``{task: {learner: [[qini per seed] per split]}}`` with this process's actionable."""
    import actionable
    import actionable.models
    from actionable.metrics import qini_auc_score

    results = {"actionable": str(Path(actionable.__file__).parent), "seeds": list(seeds)}
    results["tasks"] = {}
    for name in task_names:
        task = load_task(name)
        scores = {learner: [] for learner in LEARNERS}
        started = time.perf_counter()
        for train, test in stratified_splits(task, n_splits, TEST_SIZE, 0):
            for learner in LEARNERS:
                per_seed = []
                for seed in seeds:
                    model = getattr(actionable.models, learner)(random_state=seed)
                    model.fit(task.X[train], task.y[train], task.treatment[train])
                    uplift = model.predict(task.X[test])
                    per_seed.append(
                        float(qini_auc_score(task.y[test], uplift, task.treatment[test]))
                    )
                scores[learner].append(per_seed)
        results["tasks"][name] = scores
        log(f"{name}: {n_splits} splits in {time.perf_counter() - started:.0f} s", flush=True)
    return results


def compare(before, after):
    """Markdown table: per task and learner, both means and the paired difference."""
    lines = [
        f"before: {before['actionable']}; after: {after['actionable']}; seeds {after['seeds']}",
        "",
        "| task | learner | before | after | after - before (95% interval) | allowed drop |",
        "|---|---|---:|---:|---|---:|",
    ]
    for name, by_learner in after["tasks"].items():
        if name not in before["tasks"]:
            continue
        allowed = ALLOWED_DROP["starbucks" if name == "starbucks" else "hillstrom"]
        for learner, splits in by_learner.items():
            new = [float(np.mean(seeds)) for seeds in splits]
            old = [float(np.mean(seeds)) for seeds in before["tasks"][name][learner]]
            diff = paired_difference(new, old, test_fraction=TEST_SIZE)
            verdict = "" if diff["mean"] >= -allowed else " (beyond)"
            lines.append(
                f"| {name} | {learner} | {np.mean(old):.4f} | {np.mean(new):.4f} | "
                f"{diff['mean']:+.4f} [{diff['ci_low']:+.4f}, {diff['ci_high']:+.4f}]{verdict} | "
                f"{allowed} |"
            )
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", help="write the held-out Qini values here")
    parser.add_argument("--tasks", default=",".join(TASKS))
    parser.add_argument("--splits", type=int, default=10)
    parser.add_argument("--seeds", type=int, default=3, help="seeds 0..N-1 per split")
    parser.add_argument("--compare", nargs=2, metavar=("BEFORE", "AFTER"))
    args = parser.parse_args(argv)
    if args.compare:
        before, after = (json.loads(Path(path).read_text()) for path in args.compare)
        print(compare(before, after))
        return 0
    if not args.json:
        parser.error("--json is needed to run (or --compare to compare two runs)")
    use_shared_mirror()
    results = run(args.tasks.split(","), args.splits, range(args.seeds))
    Path(args.json).write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
