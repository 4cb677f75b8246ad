"""``actionable demo``: the paired comparison a newcomer runs first.

Synthetic churn (default): ``make_churn`` with its default costs; the churn model a
churn team deploys (trained on the customers nobody contacted), the same model trained
on all customers as a second variant, and an uplift model, all trained on the same
split; a map of simulated businesses (when does predicting churn suffice?); a table in
the terminal and a report folder (``index.html``, ``summary.json``, ``report.md``, PNG
figures).

``--dataset hillstrom``: the bundled Hillstrom e-mail experiment, women's e-mail vs no
e-mail, outcome = website visit, with illustrative economics ($2 per extra visit,
$0.10 per e-mail; Hillstrom published no costs). ``--dataset starbucks``: the Starbucks
promotion (training file of the Udacity exercise, fetched or read from the mirror),
with the exercise's economics ($10 per purchase, $0.15 per promotion).
"""

import sys
import time
from pathlib import Path

from actionable._commands._defaults import DEFAULT_INCENTIVE_PAID, make_learner

DEFAULT_CHURN_SAMPLES = 50_000
DEMO_BOOTSTRAPS = 500
"""Bootstrap resamples per interval: enough for stable 95 % percentile bounds, and fast."""

TITLES = {
    "churn": "Churn risk or treatable risk? A retention campaign, in money",
    "hillstrom": "Who visits, or who visits because of the women's e-mail? (Hillstrom)",
    "starbucks": "Who buys, or who buys because of the promotion? (Starbucks)",
}
_TREATMENTS = {
    "hillstrom": "women's e-mail vs no e-mail",
    "starbucks": "promotion vs none",
}


def _load(dataset, n_samples, seed):
    if n_samples is not None and n_samples < 100:
        raise ValueError(f"--n-samples must be at least 100; got {n_samples}.")
    if dataset == "churn":
        from actionable.datasets import make_churn

        return make_churn(n_samples or DEFAULT_CHURN_SAMPLES, random_state=seed)
    if dataset == "hillstrom":
        from actionable.datasets import load_hillstrom

        data = load_hillstrom(arms=("womens", "none"), outcome="visit")
        story = "women's e-mail (treated) vs no e-mail (control), outcome = website visit"
    else:
        from actionable.datasets import fetch_starbucks

        data = fetch_starbucks(split="train", quiet=True)
        story = "promotion (treated) vs none (control), outcome = purchase"
    if n_samples is not None and n_samples < data.n_samples:
        data = _subsample(data, n_samples, seed)
    data.extra["framing"] = "response"
    data.treatment_name = _TREATMENTS[dataset]
    data.description = data.description.rstrip() + f"\n\nDemo: {story}."
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
        extra={k: v for k, v in data.extra.items() if not hasattr(v, "iloc")},
    )


def _cost_model(data, args):
    """The dataset's costs, each overridden by its command-line flag when given."""
    from actionable.economics import CostModel

    costs = dict(data.costs or {})
    flags = {
        "value_per_success": args.value_per_success,
        "cost_per_contact": args.cost_per_contact,
        "incentive_cost": args.incentive_cost,
        "incentive_paid": args.incentive_paid,
        "capacity": args.capacity,
    }
    changed = {key: value for key, value in flags.items() if value is not None}
    costs.update(changed)
    costs.setdefault("incentive_paid", DEFAULT_INCENTIVE_PAID)
    return CostModel.from_dict(costs), bool(changed)


def _link(path):
    return path.resolve().as_uri()


def run_demo(args):
    """Run ``actionable demo``.

    Parameters
    ----------
    args : argparse.Namespace
        ``out`` (folder), ``n_samples`` (rows; default 50,000 for churn, every row of
        the two arms for real data), ``seed``, ``dataset`` (``"churn"``,
        ``"hillstrom"`` or ``"starbucks"``), ``learner`` (a code of
        ``actionable fit --learner``), the cost flags of ``actionable fit``,
        ``customer_base`` and ``quiet`` (no progress bars).

    Returns
    -------
    int
        0 on success.
    """
    from actionable.paired import PairedExperiment, risk_uplift_sweep
    from actionable.report import PairedReport

    started = time.perf_counter()
    data = _load(args.dataset, args.n_samples, args.seed)
    cost_model, custom_costs = _cost_model(data, args)
    if custom_costs:
        data.extra.pop("costs_note", None)  # the user's costs, not the dataset's
    if not args.quiet:
        print(f"actionable demo: {data!r}", file=sys.stderr)
    # one LightGBM thread per model: on small data more threads mostly contend for cores
    experiment = PairedExperiment(
        make_learner(args.learner, args.seed, n_jobs=1),
        cost_model=cost_model if custom_costs else None,
        n_bootstraps=DEMO_BOOTSTRAPS,
        random_state=args.seed,
        progress=not args.quiet,
        n_jobs=1,
    )
    result = experiment.fit(data).result_
    landscape = None
    if args.dataset == "churn":  # the map of simulated businesses, under the same costs
        landscape = risk_uplift_sweep(cost_model=cost_model, random_state=args.seed)
    report = PairedReport(
        result,
        title=TITLES[args.dataset],
        customer_base=args.customer_base,
        landscape=landscape,
    )
    print(report.table())
    out = report.write(Path(args.out))
    elapsed = time.perf_counter() - started
    figures = ", ".join(sorted(report.figures))
    print()
    print(f"Report: {_link(out / 'index.html')}")
    print(f"Also written to {out}/: summary.json, report.md, {figures} ({elapsed:.0f} s)")
    return 0
