"""The plain-text table the ``actionable demo`` command prints."""

import textwrap

from actionable._format import money, number, percent

_SHORT_LABELS = {
    "outcome": "Churn risk",
    "outcome_pooled": "Churn (all)",
    "outcome_treated": "Churn (contacted)",
    "outcome_control": "Churn (no contact)",
    "cost_aware": "Cost-aware",
    "uplift": "Uplift",
    "random": "Random",
    "oracle": "Oracle",
}


_SHORT_TRAINING = {
    "control": "no contact",
    "all": "all rows",
    "treated": "contacted",
    "both arms": "both arms",
}


def _short_label(policy, framing):
    label = _SHORT_LABELS.get(policy.key, policy.label)
    if framing != "churn" and policy.is_naive:
        label = label.replace("Churn risk", "Response").replace("Churn", "Response")
    return label


def format_table(result, verdict=None, *, currency="$", width=100):
    """Format a ``PairedResult`` as an aligned plain-text table.

    Parameters
    ----------
    result : PairedResult
        The paired experiment.
    verdict : Verdict, default=None
        When given, its sentences are appended, wrapped to ``width``.
    currency : str, default="$"
        Currency symbol.
    width : int, default=100
        Maximum line length of the wrapped verdict.

    Returns
    -------
    str
    """
    policies = list(result.policies.values())
    target = "churn" if result.framing == "churn" else result.outcome_name

    def metric(name, digits):
        return [
            number(getattr(p, name).estimate, digits) if getattr(p, name) is not None else "–"
            for p in policies
        ]

    rows = [
        ("", [_short_label(p, result.framing) for p in policies]),
        ("Trained on", [_SHORT_TRAINING.get(p.trained_on, "–") for p in policies]),
        (f"AUC ({target})", metric("auc_outcome", 3)),
        ("Qini AUC", metric("qini_auc", 3)),
        ("Uplift AUC", metric("uplift_auc", 4)),
        ("Uplift at 30%", metric("uplift_at_30", 3)),
        ("Best profit", [money(p.profit_best.estimate, currency) for p in policies]),
        ("Best size", [percent(p.best_fraction, 1) for p in policies]),
        (
            f"Profit, top {percent(result.k)}",
            [money(p.profit_at_k.estimate, currency) for p in policies],
        ),
    ]
    if any(p.profit_at_capacity is not None for p in policies):
        rows.append(
            ("Profit at capacity", [money(p.profit_at_capacity, currency) for p in policies])
        )
    if any(p.customer_types is not None for p in policies):
        n = max(result.n_contacted, 1)
        for key, label in (("persuadable", "Persuadables"), ("lost cause", "Lost causes")):
            rows.append(
                (
                    f"{label}, top {percent(result.k)}",
                    [
                        percent(p.customer_types[key].estimate / n)
                        if p.customer_types is not None
                        else "–"
                        for p in policies
                    ],
                )
            )
    if any(p.promised_profit is not None for p in policies):
        rows.append(
            (
                "Promised profit",
                [
                    money(p.promised_profit.estimate, currency)
                    if p.promised_profit is not None
                    else "–"
                    for p in policies
                ],
            )
        )
        rows.append(
            (
                "Realized profit",
                [
                    money(p.realized_profit.estimate, currency)
                    if p.realized_profit is not None
                    else "–"
                    for p in policies
                ],
            )
        )
    first = max(len(label) for label, _ in rows)
    widths = [max(len(cells[i]) for _, cells in rows) for i in range(len(policies))]
    lines = []
    for index, (label, cells) in enumerate(rows):
        line = (
            label.ljust(first)
            + "  "
            + "  ".join(cell.rjust(w) for cell, w in zip(cells, widths, strict=True))
        )
        lines.append(line.rstrip())
        if index == 0:
            lines.append("-" * len(line))
    exact = (
        "exact (ground truth)" if result.has_truth else f"estimated from {result.estimated_from}"
    )
    lines.append("")
    legend = ", ".join(f"{_short_label(p, result.framing)} = {p.label}" for p in policies)
    lines.extend(textwrap.wrap(f"{legend}.", width=width))
    lines.append(
        f"Profits over the {result.n_test:,} test customers (set aside from training), {exact}."
    )
    if verdict is not None:
        lines.append("")
        for sentence in verdict.sentences():
            lines.extend(textwrap.wrap(sentence, width=width))
    return "\n".join(lines)
