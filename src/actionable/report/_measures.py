"""The measures of each model, listed once: the models table and ``summary.json`` read them.

``MEASURES`` names each measure by the ``PolicyEvaluation`` attribute that holds it, with
its labels and format; :func:`models_table` turns a paired result into the table every
renderer shows (the terminal shows the compact columns and rows, the pages the others),
and ``summary.json`` writes the same attributes under the same names.
"""

from dataclasses import dataclass

from actionable._format import percent
from actionable.paired import training_rows
from actionable.report._spec import Cell, Column, Row, Table


@dataclass(frozen=True)
class Measure:
    """A measure of a policy: the attribute holding it, its labels, its format.

    ``{target}`` in a label is the predicted outcome (``churn``), ``{k}`` the share
    every policy contacts for the comparison at one size.
    """

    key: str
    label: str
    short: str
    why: str
    format: str
    digits: int = 3
    optional: bool = False


MEASURES = (
    Measure(
        "auc_outcome",
        "AUC for predicting {target}",
        "AUC ({target})",
        "how well the score ranks the outcome itself (a naive model on the test customers "
        "of the arm it learned from)",
        "number",
    ),
    Measure(
        "qini_auc",
        "Qini coefficient",
        "Qini AUC",
        "how well the score ranks the effect of contact (0 = random, 1 = perfect)",
        "number",
    ),
    Measure("uplift_auc", "Uplift AUC", "Uplift AUC", "area under the uplift curve", "number", 4),
    Measure(
        "uplift_at_30",
        "Uplift at 30%",
        "Uplift at 30%",
        "extra favourable rate among the top 30%",
        "number",
    ),
    Measure(
        "profit_best", "Best profit", "Best profit", "highest point of the profit curve", "money"
    ),
    Measure(
        "best_fraction", "Best size", "Best size", "share contacted at the best profit", "share", 1
    ),
    Measure(
        "profit_at_k",
        "Profit contacting the top {k}",
        "Profit, top {k}",
        "every policy at the same size",
        "money",
    ),
    Measure(
        "profit_at_capacity",
        "Profit at capacity",
        "Profit at capacity",
        "contacting as many as the team can",
        "money",
        optional=True,
    ),
)
"""Every measure of the models table, in its order; ``summary.json`` has one key per measure."""

SHORT_LABELS = {
    "outcome": "Churn risk",
    "outcome_pooled": "Churn (all)",
    "outcome_treated": "Churn (contacted)",
    "outcome_control": "Churn (no contact)",
    "cost_aware": "Cost-aware",
    "uplift": "Uplift",
    "random": "Random",
    "oracle": "Oracle",
}
"""Column headers of the terminal table."""

SHORT_TRAINING = {
    "control": "no contact",
    "all": "all rows",
    "treated": "contacted",
    "both arms": "both arms",
}


def table_columns(result):
    """The policies shown side by side on the pages: naive models, uplift, the references."""
    references = [p for key, p in result.policies.items() if key in ("random", "oracle")]
    return [*result.naive.values(), result.uplift, *references]


CONTINUOUS_SHORT_LABELS = {
    "outcome": "Naive",
    "outcome_pooled": "Naive (all)",
    "outcome_treated": "Naive (contacted)",
    "outcome_control": "Naive (no contact)",
}
"""Terminal headers of the naive models of a continuous outcome (regressions of it)."""


def _short_label(policy, result):
    framing = result.framing
    if result.continuous and policy.key in CONTINUOUS_SHORT_LABELS:
        return CONTINUOUS_SHORT_LABELS[policy.key]
    label = SHORT_LABELS.get(policy.key, policy.label)
    if framing != "churn" and policy.is_naive:
        label = label.replace("Churn risk", "Response").replace("Churn", "Response")
    return label


def _columns(result):
    """Every policy; those the pages leave out (the cost-aware model) are compact-only."""
    on_pages = {p.key for p in table_columns(result)}
    policies = list(result.policies.values())
    return policies, [
        Column(
            p.label,
            _short_label(p, result),
            p.key,
            "all" if p.key in on_pages else "compact",
        )
        for p in policies
    ]


CONTINUOUS_WHY = {
    "uplift_auc": "area under the uplift curve (in units of {outcome})",
    "uplift_at_30": "extra {outcome} per customer among the top 30% (outcome units)",
}
"""The explanations that change for a continuous outcome (``{outcome}``: its name)."""


def _measure_rows(result, policies, currency):
    if result.continuous:
        target = result.outcome_event or result.outcome_name
    else:
        target = "churn" if result.framing == "churn" else result.outcome_name
    words = {"target": target, "k": percent(result.k)}
    outcome = result.outcome_name.replace("_", " ")
    rows = []
    for m in MEASURES:
        values = [getattr(p, m.key) for p in policies]
        if m.optional and all(v is None for v in values):
            continue
        cells = tuple(Cell(v, m.format, m.digits, currency=currency) for v in values)
        why = CONTINUOUS_WHY.get(m.key, m.why) if result.continuous else m.why
        rows.append(
            Row(
                m.label.format(**words),
                cells,
                key=m.key,
                why=why.format(outcome=outcome),
                short=m.short.format(**words),
            )
        )
    return rows


def _compact_rows(result, policies, currency):
    """What the terminal adds: the types each model contacts, promised and realized profit."""
    rows = []
    n = max(result.n_contacted, 1)
    if any(p.customer_types is not None for p in policies):
        for kind, label in (("persuadable", "Persuadables"), ("lost cause", "Lost causes")):
            cells = tuple(
                Cell(
                    None if p.customer_types is None else p.customer_types[kind].estimate / n,
                    "share",
                    0,
                )
                for p in policies
            )
            name = f"{label}, top {percent(result.k)}"
            rows.append(Row(name, cells, key=f"share_{kind}", scope="compact"))
    if any(p.promised_profit is not None for p in policies):
        for key, label in (
            ("promised_profit", "Promised profit"),
            ("realized_profit", "Realized profit"),
        ):
            cells = tuple(Cell(getattr(p, key), "money", currency=currency) for p in policies)
            rows.append(Row(label, cells, key=key, scope="compact"))
    return rows


def models_table(result, currency="$"):
    """The models on the same customers: one column per policy, one row per measure.

    Parameters
    ----------
    result : PairedResult
    currency : str, default="$"

    Returns
    -------
    Table
        The learner row is for the pages only (too wide for a terminal); the customer
        types and promised profits are for the terminal only (the pages have sections
        for them), as is the cost-aware model's column.
    """
    policies, columns = _columns(result)
    learner = tuple(Cell(p.learner or "–") for p in policies)
    trained = tuple(
        Cell(training_rows(p) if p.trained_on else "–", short=SHORT_TRAINING.get(p.trained_on, "–"))
        for p in policies
    )
    rows = [
        Row("Learner", learner, key="learner", why="what was fitted", scope="page"),
        Row("Trained on", trained, key="trained_on", why="the rows the model learned from"),
        *_measure_rows(result, policies, currency),
        *_compact_rows(result, policies, currency),
    ]
    if result.has_truth:
        exact = (
            "Profits are exact: the synthetic world knows how each test customer reacts "
            "with and without contact."
        )
        how = "exact (ground truth)"
    else:
        exact = f"Profits are estimated from {result.estimated_from} (contacted vs not)."
        how = f"estimated from {result.estimated_from}"
    note = (
        f"{exact} Bracketed ranges are {percent(result.confidence_level)} intervals "
        f"({result.n_bootstraps:,} bootstrap resamples of the test customers; DeLong for the "
        "outcome AUC)."
    )
    compact = f"Profits over the {result.n_test:,} test customers (set aside from training), {how}."
    if result.continuous:
        units = f" Uplift is in units of {result.outcome_name.replace('_', ' ')}; profits in money."
        note += units
        compact += units
    return Table(tuple(columns), tuple(rows), corner="Measure", note=note, compact_note=compact)
