"""``demo_report``: the paired comparison a newcomer runs first, as ``actionable demo`` does.

Synthetic churn (default): ``make_churn`` with its default costs; the churn model a
churn team deploys (trained on the customers nobody contacted), the same model trained
on all customers as a second variant, and an uplift model, all trained on the same
split; and a map of simulated businesses (when does predicting churn suffice?).

``"hillstrom"``: the bundled Hillstrom e-mail experiment, women's e-mail vs no e-mail,
outcome = website visit, with illustrative economics ($2 per extra visit, $0.10 per
e-mail; Hillstrom published no costs). ``"starbucks"``: the Starbucks promotion
(training file of the Udacity exercise, fetched or read from the mirror), with the
exercise's economics ($10 per purchase, $0.15 per promotion).
"""

import dataclasses

import numpy as np

from actionable.models import DEFAULT_LEARNER, make_learner
from actionable.production import DEFAULT_INCENTIVE_PAID
from actionable.report._paired_report import PairedReport

DEFAULT_CHURN_SAMPLES = 50_000
DEMO_BOOTSTRAPS = 500
"""Bootstrap resamples per interval: enough for stable 95 % percentile bounds, and fast."""
DATASETS = ("churn", "hillstrom", "starbucks")

TITLES = {
    "churn": "Churn risk or treatable risk? A retention campaign, in money",
    "hillstrom": "Who visits, or who visits because of the women's e-mail? (Hillstrom)",
    "starbucks": "Who buys, or who buys because of the promotion? (Starbucks)",
}
_TREATMENTS = {
    "hillstrom": "women's e-mail vs no e-mail",
    "starbucks": "promotion vs none",
}
_STORIES = {
    "hillstrom": "women's e-mail (treated) vs no e-mail (control), outcome = website visit",
    "starbucks": "promotion (treated) vs none (control), outcome = purchase",
}


def _subsample(data, n_samples, seed):
    """A random subset of rows (stratification is left to the paired split)."""
    rows = np.sort(np.random.default_rng(seed).choice(data.n_samples, n_samples, replace=False))
    return dataclasses.replace(
        data,
        X=data.X.iloc[rows].reset_index(drop=True),
        y=data.y.iloc[rows].reset_index(drop=True),
        treatment=data.treatment.iloc[rows].reset_index(drop=True),
        extra={k: v for k, v in data.extra.items() if not hasattr(v, "iloc")},
    )


def demo_data(dataset="churn", n_samples=None, seed=0):
    """The data of a demo: ``make_churn``, or the treated arm and control of a real campaign.

    Parameters
    ----------
    dataset : {"churn", "hillstrom", "starbucks"}, default="churn"
        Which demo.
    n_samples : int, default=None
        Rows (default: 50,000 simulated customers; every row of a real campaign).
    seed : int, default=0
        Seeds the simulation or the subsample.

    Returns
    -------
    UpliftDataset
    """
    from actionable import datasets

    if dataset not in DATASETS:
        raise ValueError(f"dataset must be one of {DATASETS}; got {dataset!r}.")
    if n_samples is not None and n_samples < 100:
        raise ValueError(f"`n_samples` must be at least 100; got {n_samples}.")
    if dataset == "churn":
        return datasets.make_churn(n_samples or DEFAULT_CHURN_SAMPLES, random_state=seed)
    if dataset == "hillstrom":
        data = datasets.load_hillstrom(arms=("womens", "none"), outcome="visit")
    else:
        data = datasets.fetch_starbucks(split="train", quiet=True)
    if n_samples is not None and n_samples < data.n_samples:
        data = _subsample(data, n_samples, seed)
    data.extra["framing"] = "response"
    data.treatment_name = _TREATMENTS[dataset]
    data.description = data.description.rstrip() + f"\n\nDemo: {_STORIES[dataset]}."
    return data


def _cost_model(data, costs):
    """The dataset's costs, each overridden by the given one; ``(CostModel, changed)``."""
    from actionable.economics import CostModel

    changed = {key: value for key, value in (costs or {}).items() if value is not None}
    merged = {**(data.costs or {}), **changed}
    merged.setdefault("incentive_paid", DEFAULT_INCENTIVE_PAID)
    return CostModel.from_dict(merged), bool(changed)


def demo_report(
    dataset="churn",
    *,
    n_samples=None,
    seed=0,
    learner=DEFAULT_LEARNER,
    costs=None,
    customer_base=None,
    progress=True,
):
    """Run a demo's paired experiment and return its report, as ``actionable demo`` does.

    Parameters
    ----------
    dataset : {"churn", "hillstrom", "starbucks"}, default="churn"
        Which demo (see the module notes).
    n_samples : int, default=None
        Rows (default: 50,000 simulated customers; every row of a real campaign).
    seed : int, default=0
        Seeds the data, the split, the models and the bootstrap.
    learner : str, default="t"
        The uplift learner (a key of ``actionable.models.LEARNERS``).
    costs : dict, default=None
        ``CostModel`` fields replacing the dataset's own (``None`` values ignored).
    customer_base : int, default=None
        Customers the money is scaled to (default: the rows of the data).
    progress : bool, default=True
        Show progress bars.

    Returns
    -------
    PairedReport
        With the map of simulated businesses for the churn demo.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> report = demo_report(n_samples=3000, progress=False)
    >>> out = Path(tempfile.mkdtemp()) / "demo-output"
    >>> folder = report.write(out)
    >>> sorted(path.name for path in out.iterdir())  # doctest: +NORMALIZE_WHITESPACE
    ['customer_types.png', 'drivers.png', 'index.html', 'landscape.png', 'profit.png',
     'qini.png', 'report.md', 'risk_vs_uplift.png', 'summary.json']
    """
    from actionable.paired import PairedExperiment, risk_uplift_sweep

    data = demo_data(dataset, n_samples, seed)
    cost_model, custom = _cost_model(data, costs)
    if custom:
        data.extra.pop("costs_note", None)  # the user's costs, not the dataset's
    # one LightGBM thread per model: on small data more threads mostly contend for cores
    experiment = PairedExperiment(
        make_learner(learner, seed, n_jobs=1),
        cost_model=cost_model if custom else None,
        n_bootstraps=DEMO_BOOTSTRAPS,
        random_state=seed,
        progress=progress,
        n_jobs=1,
    )
    result = experiment.fit(data).result_
    landscape = None
    if dataset == "churn":  # the map of simulated businesses, under the same costs
        landscape = risk_uplift_sweep(cost_model=cost_model, random_state=seed)
    return PairedReport(
        result, title=TITLES[dataset], customer_base=customer_base, landscape=landscape
    )
