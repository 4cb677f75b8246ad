"""``demo_report``: the paired comparison a newcomer runs first, as ``actionable demo`` does.

Synthetic churn (default): ``make_churn`` with its default costs; the churn model a
churn team deploys (trained on the customers nobody contacted), the same model trained
on all customers as a second variant, and an uplift model, all trained on the same
split; and a map of simulated businesses (when does predicting churn suffice?).

``outcome="revenue"`` runs the churn demo in money kept: the same world's monthly
revenue kept (``make_churn(outcome="revenue")``, the customer's monthly spend if
retained, 0 if not) with its economics per unit of revenue (``value_per_unit``); the
naive models are then regressions of the revenue kept, and the report has no customer
types (defined for a yes/no outcome only) and no map of businesses (drawn for the
yes/no churn outcome).

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
OUTCOMES = {"churn": ("retained", "revenue"), "hillstrom": ("visit",), "starbucks": ("purchase",)}
"""The outcomes each demo can be run on, its default first."""

TITLES = {
    "churn": "Churn risk or treatable risk? A retention campaign, in money",
    "churn-revenue": "Churn risk or treatable risk? A retention campaign, in revenue kept",
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


def _check_outcome(dataset, outcome):
    """The demo's outcome: ``outcome``, or the dataset's default when ``None``."""
    choices = OUTCOMES[dataset]
    if outcome is None:
        return choices[0]
    if outcome not in choices:
        raise ValueError(
            f"`outcome` must be one of {', '.join(choices)} for the {dataset} demo; "
            f"got {outcome!r}."
        )
    return outcome


def demo_data(dataset="churn", n_samples=None, seed=0, *, outcome=None):
    """The data of a demo: ``make_churn``, or the treated arm and control of a real campaign.

    Parameters
    ----------
    dataset : {"churn", "hillstrom", "starbucks"}, default="churn"
        Which demo.
    n_samples : int, default=None
        Rows (default: 50,000 simulated customers; every row of a real campaign).
    seed : int, default=0
        Seeds the simulation or the subsample.
    outcome : {"retained", "revenue"} or None, default=None
        The churn demo's outcome: retained (yes/no, the default) or the monthly revenue
        kept (an amount, in USD). The other demos have one outcome each.

    Returns
    -------
    UpliftDataset
    """
    from actionable import datasets

    if dataset not in DATASETS:
        raise ValueError(f"dataset must be one of {DATASETS}; got {dataset!r}.")
    outcome = _check_outcome(dataset, outcome)
    if n_samples is not None and n_samples < 100:
        raise ValueError(f"`n_samples` must be at least 100; got {n_samples}.")
    if dataset == "churn":
        rows = n_samples or DEFAULT_CHURN_SAMPLES
        if outcome == "revenue":
            return datasets.make_churn(rows, random_state=seed, outcome="revenue")
        return datasets.make_churn(rows, random_state=seed)
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
    own = dict(data.costs or {})
    # a value given replaces the dataset's value, per success or per unit alike
    if "value_per_success" in changed or "value_per_unit" in changed:
        own.pop("value_per_success", None)
        own.pop("value_per_unit", None)
    merged = {**own, **changed}
    per_unit = merged.get("value_per_unit") is not None
    # a continuous outcome has no successes: its incentive goes to everyone contacted
    merged.setdefault("incentive_paid", "on_contact" if per_unit else DEFAULT_INCENTIVE_PAID)
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
    outcome=None,
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
    outcome : {"retained", "revenue"} or None, default=None
        The churn demo's outcome: retained (the default), or ``"revenue"``, the monthly
        revenue kept, which runs the demo in money kept (see the module notes).

    Returns
    -------
    PairedReport
        With the map of simulated businesses for the churn demo on its yes/no outcome.

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

    data = demo_data(dataset, n_samples, seed, outcome=outcome)
    revenue = _check_outcome(dataset, outcome) == "revenue"
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
    if dataset == "churn" and not revenue:  # the map of businesses, under the same costs
        landscape = risk_uplift_sweep(cost_model=cost_model, random_state=seed)
    title = TITLES["churn-revenue" if revenue else dataset]
    return PairedReport(result, title=title, customer_base=customer_base, landscape=landscape)
