"""Starbucks promotion exercise: does ``actionable fit``'s targeting rule beat the reference?

The Udacity/Starbucks exercise scores a promotion strategy on the rows it chooses to
promote with the net incremental revenue (MANIFEST.md)::

    NIR = 10 * purchases(treated) - 0.15 * n(treated) - 10 * purchases(control)

Its published reference strategy scores NIR 189.45 on the 41,650-row ``Test.csv``
(not used here). Protocol, for each seed:

1. split ``training.csv`` (84,534 rows) 50/50, stratified on Promotion x purchase;
2. ``actionable fit TRAIN --treatment Promotion --treated Yes --outcome purchase
   --id ID --value-per-success 10 --cost-per-contact 0.15 --seed SEED`` on one half
   (default learner, cross-fitted profit threshold);
3. ``actionable target`` on the other half with Promotion and purchase removed, a
   file ``fit`` never saw;
4. NIR and IRR on that half, over the rows the rule promotes, with the exercise's
   formula; NIR is scaled to 41,650 rows (x 41,650 / rows scored) to compare with
   189.45. Each split also gets a 95% bootstrap interval (rows resampled within
   arms, 1,000 replicates).

The splits reuse the same 84,534 rows, so they are not independent: the spread over
splits shows the split-to-split variation, and the per-split bootstrap interval the
sampling uncertainty of one evaluation half.

Usage: ``python benchmarks/starbucks_targeting.py [--seeds 0 1 ...] [--data FILE]``.
Writes ``benchmarks/results/starbucks_targeting.{json,md}``.
"""

import argparse
import contextlib
import io
import json
import os
import platform
import tempfile
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
_MIRROR = Path(__file__).resolve().parents[2] / "shared" / "datasets"
if _MIRROR.is_dir():
    os.environ.setdefault("ACTIONABLE_DATA_MIRROR", str(_MIRROR))

import numpy as np
import pandas as pd
from sklearn.model_selection import train_test_split

import actionable
from actionable.cli import main

RESULTS = Path(__file__).resolve().parent / "results"
REFERENCE_NIR = 189.45
REFERENCE_ROWS = 41_650
VALUE, COST = 10.0, 0.15


def nir_irr(promote, treated, purchase):
    """The exercise's NIR and IRR over the promoted rows."""
    chosen_treated = promote & treated
    chosen_control = promote & ~treated
    nir = (
        VALUE * purchase[chosen_treated].sum()
        - COST * chosen_treated.sum()
        - VALUE * purchase[chosen_control].sum()
    )
    if chosen_treated.sum() == 0 or chosen_control.sum() == 0:
        return float(nir), float("nan")
    irr = purchase[chosen_treated].mean() - purchase[chosen_control].mean()
    return float(nir), float(irr)


def bootstrap_nir(promote, treated, purchase, *, n_replicates=1000, seed=0):
    """95% percentile interval of NIR, resampling rows within each arm."""
    rng = np.random.default_rng(seed)
    arms = [np.flatnonzero(treated), np.flatnonzero(~treated)]
    replicates = np.empty(n_replicates)
    for r in range(n_replicates):
        rows = np.concatenate([rng.choice(arm, arm.size) for arm in arms])
        replicates[r] = nir_irr(promote[rows], treated[rows], purchase[rows])[0]
    low, high = np.percentile(replicates, [2.5, 97.5])
    return float(low), float(high)


def run_split(data, seed, workdir):
    strata = data["Promotion"].astype(str) + data["purchase"].astype(str)
    train, test = train_test_split(data, test_size=0.5, random_state=seed, stratify=strata)
    train_path = workdir / f"train_{seed}.csv"
    test_path = workdir / f"score_{seed}.csv"
    model = workdir / f"model_{seed}"
    targets = workdir / f"targets_{seed}.csv"
    train.to_csv(train_path, index=False)
    test.drop(columns=["Promotion", "purchase"]).to_csv(test_path, index=False)
    log = io.StringIO()
    started = time.perf_counter()
    with contextlib.redirect_stdout(log):
        code = main(
            [
                "fit", str(train_path),
                "--treatment", "Promotion", "--treated", "Yes", "--outcome", "purchase",
                "--id", "ID", "--value-per-success", str(VALUE),
                "--cost-per-contact", str(COST), "--seed", str(seed),
                "--out", str(model), "--quiet",
            ]
        )  # fmt: skip
        if code != 0:
            raise RuntimeError(f"fit failed for seed {seed}")
        fit_seconds = time.perf_counter() - started
        code = main(["target", "--model", str(model), str(test_path), "--out", str(targets)])
        if code != 0:
            raise RuntimeError(f"target failed for seed {seed}")
    scored = pd.read_csv(targets)
    if not np.array_equal(scored["ID"].to_numpy(), test["ID"].to_numpy()):
        raise RuntimeError("target output is not in input order")
    promote = scored["target"].to_numpy() == 1
    treated = test["Promotion"].to_numpy() == "Yes"
    purchase = test["purchase"].to_numpy().astype(float)
    nir, irr = nir_irr(promote, treated, purchase)
    low, high = bootstrap_nir(promote, treated, purchase, seed=seed)
    everyone_nir, everyone_irr = nir_irr(np.ones_like(promote), treated, purchase)
    scale = REFERENCE_ROWS / len(test)
    rule = json.loads((model / "rule.json").read_text())
    training = json.loads((model / "training.json").read_text())
    return {
        "seed": seed,
        "n_train": len(train),
        "n_scored": len(test),
        "learner": training["learner_class"],
        "threshold_expected_profit": rule["rule"]["threshold"],
        "fraction_promoted": float(promote.mean()),
        "nir": nir,
        "nir_ci": [low, high],
        "irr": irr,
        "nir_scaled": nir * scale,
        "nir_scaled_ci": [low * scale, high * scale],
        "promote_everyone_nir_scaled": everyone_nir * scale,
        "promote_everyone_irr": everyone_irr,
        "fit_seconds": round(fit_seconds, 1),
    }


def summarize(splits):
    values = np.array([s["nir_scaled"] for s in splits])
    mean, sd = float(values.mean()), float(values.std(ddof=1)) if len(values) > 1 else 0.0
    return {
        "nir_scaled_mean": mean,
        "nir_scaled_sd": sd,
        "nir_scaled_min": float(values.min()),
        "nir_scaled_max": float(values.max()),
        "splits_beating_reference": int((values > REFERENCE_NIR).sum()),
        "n_splits": len(values),
        "irr_mean": float(np.nanmean([s["irr"] for s in splits])),
        "fraction_promoted_mean": float(np.mean([s["fraction_promoted"] for s in splits])),
    }


def markdown(document):
    summary = document["summary"]
    lines = [
        "# Starbucks promotion: actionable's targeting rule against the exercise's reference",
        "",
        f"Reference: NIR {REFERENCE_NIR} on the {REFERENCE_ROWS:,}-row Test.csv. Ours: "
        "`actionable fit` on half of training.csv, `actionable target` on the other half "
        f"(never seen by fit), NIR scaled to {REFERENCE_ROWS:,} rows. "
        f"Command: `{document['command']}`.",
        "",
        f"**Mean NIR (scaled) {summary['nir_scaled_mean']:.1f}, sd "
        f"{summary['nir_scaled_sd']:.1f} over {summary['n_splits']} splits "
        f"(min {summary['nir_scaled_min']:.1f}, max {summary['nir_scaled_max']:.1f}); "
        f"{summary['splits_beating_reference']}/{summary['n_splits']} splits beat "
        f"{REFERENCE_NIR}.** Mean IRR {summary['irr_mean']:.4f}; "
        f"{summary['fraction_promoted_mean']:.1%} of customers promoted on average.",
        "",
        "| seed | learner | promoted | IRR | NIR | NIR scaled | 95% bootstrap (scaled) "
        "| promote everyone (scaled) |",
        "|---:|---|---:|---:|---:|---:|---|---:|",
    ]
    for s in document["splits"]:
        low, high = s["nir_scaled_ci"]
        lines.append(
            f"| {s['seed']} | {s['learner']} | {s['fraction_promoted']:.1%} | {s['irr']:.4f} "
            f"| {s['nir']:.2f} | {s['nir_scaled']:.1f} | {low:.1f} to {high:.1f} "
            f"| {s['promote_everyone_nir_scaled']:.1f} |"
        )
    lines += [
        "",
        "The splits share rows, so they are not independent; the bootstrap interval is the "
        "sampling uncertainty of one evaluation half.",
        "",
        f"Environment: {document['environment']}",
    ]
    return "\n".join(lines) + "\n"


def main_benchmark(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=list(range(5)))
    parser.add_argument("--data", default=None, help="training.csv (default: fetch/mirror)")
    parser.add_argument("--out", default=str(RESULTS / "starbucks_targeting"))
    args = parser.parse_args(argv)
    if args.data is None:
        from actionable.datasets import fetch_file

        path = fetch_file("starbucks/training.csv", quiet=True)
    else:
        path = Path(args.data)
    data = pd.read_csv(path)
    splits = []
    with tempfile.TemporaryDirectory() as folder:
        for seed in args.seeds:
            split = run_split(data, seed, Path(folder))
            splits.append(split)
            print(
                f"seed {seed}: promoted {split['fraction_promoted']:.1%}, IRR "
                f"{split['irr']:.4f}, NIR {split['nir']:.2f}, scaled "
                f"{split['nir_scaled']:.1f} [{split['nir_scaled_ci'][0]:.1f}, "
                f"{split['nir_scaled_ci'][1]:.1f}] (fit {split['fit_seconds']} s)",
                flush=True,
            )
    document = {
        "benchmark": "starbucks_targeting",
        "command": "actionable fit TRAIN --treatment Promotion --treated Yes --outcome purchase "
        "--id ID --value-per-success 10 --cost-per-contact 0.15 --seed SEED",
        "reference_nir": REFERENCE_NIR,
        "reference_rows": REFERENCE_ROWS,
        "summary": summarize(splits),
        "splits": splits,
        "environment": (
            f"actionable {actionable.__version__}, Python {platform.python_version()}, "
            f"{platform.machine()}, OMP_NUM_THREADS={os.environ.get('OMP_NUM_THREADS')}"
        ),
    }
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.with_suffix(".json").write_text(json.dumps(document, indent=2) + "\n")
    out.with_suffix(".md").write_text(markdown(document))
    summary = document["summary"]
    print(
        f"mean NIR (scaled to {REFERENCE_ROWS:,} rows) {summary['nir_scaled_mean']:.1f} "
        f"(sd {summary['nir_scaled_sd']:.1f}); reference {REFERENCE_NIR}; "
        f"{summary['splits_beating_reference']}/{summary['n_splits']} splits beat it"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main_benchmark())
