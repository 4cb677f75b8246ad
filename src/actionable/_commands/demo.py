"""``actionable demo``: the paired comparison a newcomer runs first.

Synthetic churn (default): ``make_churn`` with its default costs, a churn-risk model and
an uplift model trained on the same split, a table in the terminal, and a report folder
(``index.html``, ``summary.json``, ``report.md``, PNG figures).

``--dataset hillstrom``: the bundled Hillstrom e-mail experiment, womens e-mail vs no
e-mail, outcome = website visit, with the loader's illustrative economics ($2 per extra
visit, $0.10 per e-mail; Hillstrom published no costs).
"""

import sys
import time
from pathlib import Path

DEFAULT_CHURN_SAMPLES = 50_000
DEMO_BOOTSTRAPS = 500
"""Bootstrap resamples per interval: enough for stable 95 % percentile bounds, and fast."""


def _load(dataset, n_samples, seed):
    if n_samples is not None and n_samples < 100:
        raise ValueError(f"--n-samples must be at least 100; got {n_samples}.")
    if dataset == "churn":
        from actionable.datasets import make_churn

        return make_churn(n_samples or DEFAULT_CHURN_SAMPLES, random_state=seed)
    from actionable.datasets import load_hillstrom

    data = load_hillstrom(arms=("womens", "none"), outcome="visit")
    if n_samples is not None and n_samples < data.n_samples:
        data = _subsample(data, n_samples, seed)
    data.extra["framing"] = "response"
    data.description = (
        data.description.rstrip()
        + "\n\nDemo: womens e-mail (treated) vs no e-mail (control), outcome = website visit. "
        "The economics are an illustration, not Hillstrom's."
    )
    return data


def _subsample(data, n_samples, seed):
    """A random subset of rows (stratification is left to the paired split)."""
    import dataclasses

    import numpy as np

    rows = np.sort(np.random.default_rng(seed).choice(data.n_samples, n_samples, replace=False))
    return dataclasses.replace(
        data,
        X=data.X.iloc[rows].reset_index(drop=True),
        y=data.y.iloc[rows].reset_index(drop=True),
        treatment=data.treatment.iloc[rows].reset_index(drop=True),
        extra=dict(data.extra),
    )


def _link(path):
    return path.resolve().as_uri()


def run_demo(args):
    """Run ``actionable demo``.

    Parameters
    ----------
    args : argparse.Namespace
        ``out`` (folder), ``n_samples`` (rows; default 50,000 for churn, all 42,693
        Hillstrom rows of the two arms), ``seed``, ``dataset`` (``"churn"`` or
        ``"hillstrom"``), ``quiet`` (no progress bars).

    Returns
    -------
    int
        0 on success.
    """
    from actionable.paired import PairedExperiment
    from actionable.report import PairedReport

    started = time.perf_counter()
    data = _load(args.dataset, args.n_samples, args.seed)
    if not args.quiet:
        print(f"actionable demo: {data!r}", file=sys.stderr)
    # one LightGBM thread per model: on small data more threads mostly contend for cores
    experiment = PairedExperiment(
        n_bootstraps=DEMO_BOOTSTRAPS, random_state=args.seed, progress=not args.quiet, n_jobs=1
    )
    result = experiment.fit(data).result_
    title = (
        "Churn risk or treatable risk? A retention campaign, in money"
        if args.dataset == "churn"
        else "Who visits, or who visits because of the e-mail? (Hillstrom)"
    )
    report = PairedReport(result, title=title)
    print(report.table())
    out = report.write(Path(args.out))
    elapsed = time.perf_counter() - started
    figures = ", ".join(sorted(report.figures))
    print()
    print(f"Report: {_link(out / 'index.html')}")
    print(f"Also written to {out}/: summary.json, report.md, {figures} ({elapsed:.0f} s)")
    return 0
