"""Markdown rendering of a paired report (figures referenced as files next to it)."""

from actionable._format import count, money, number, percent, with_interval, with_money_interval
from actionable.paired import CUSTOMER_TYPES, training_rows
from actionable.report._group_panel import markdown_section
from actionable.report._html import TYPE_MEANING, table_columns
from actionable.report._verdict import landscape_sentence


def _table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(str(c).replace("|", "\\|") for c in row) + " |" for row in rows]
    return "\n".join(lines)


def render_markdown(
    result,
    verdict,
    figure_names,
    *,
    title,
    decision_card=None,
    currency="$",
    landscape=None,
):
    """The report as Markdown.

    Parameters
    ----------
    result : PairedResult
    verdict : Verdict
    figure_names : iterable of str
        PNG files written next to the Markdown file.
    title : str
    decision_card : DecisionCard, default=None
    currency : str, default="$"
    landscape : pandas.DataFrame, default=None
        A ``risk_uplift_sweep``: adds its section.

    Returns
    -------
    str
    """

    def money_fmt(v):
        return money(v, currency)

    out = [f"# {title}", ""]
    truth = result.test_rows
    out += [
        f"*{result.dataset} ({truth}): {result.n_train:,} customers to train the models, "
        f"{result.n_test:,} test customers.*",
        "",
        "## Verdict",
        "",
        f"**{verdict.headline}**",
        "",
    ]
    out += [f"- {p}" for p in verdict.points]
    out += ["", f"**{verdict.recommendation}**", "", "## The decision", ""]
    if decision_card is not None:
        out += [decision_card.to_markdown(), ""]
    else:
        cm = result.cost_model
        out += [
            f"Value per extra favourable outcome {money_fmt(getattr(cm, 'value_per_success', 0))}, "
            f"cost per contact {money_fmt(getattr(cm, 'cost_per_contact', 0))}, incentive "
            f"{money_fmt(getattr(cm, 'incentive_cost', 0))} "
            f"({getattr(cm, 'incentive_paid', 'on_contact')}).",
            "",
        ]
        if result.costs_note:
            out += [f"*{result.costs_note}*", ""]
    columns = table_columns(result)
    target = "churn" if result.framing == "churn" else result.outcome_name
    rows = [
        ["Learner", *[p.learner or "–" for p in columns]],
        ["Trained on", *[training_rows(p) if p.trained_on else "–" for p in columns]],
        [
            f"AUC for predicting {target}",
            *[with_interval(p.auc_outcome, lambda v: number(v, 3)) for p in columns],
        ],
        [
            "Qini coefficient",
            *[with_interval(p.qini_auc, lambda v: number(v, 3)) for p in columns],
        ],
        ["Uplift AUC", *[with_interval(p.uplift_auc, lambda v: number(v, 4)) for p in columns]],
        [
            "Uplift at 30%",
            *[with_interval(p.uplift_at_30, lambda v: number(v, 3)) for p in columns],
        ],
        ["Best profit", *[with_money_interval(p.profit_best, currency) for p in columns]],
        ["Best size", *[percent(p.best_fraction, 1) for p in columns]],
        [
            f"Profit, top {percent(result.k)}",
            *[with_money_interval(p.profit_at_k, currency) for p in columns],
        ],
        ["Profit at capacity", *[money_fmt(p.profit_at_capacity) for p in columns]],
    ]
    if "landscape.png" in figure_names:
        out += [
            "## When does predicting churn suffice?",
            "",
            landscape_sentence(result, landscape) or "",
            "",
            "![Map of businesses](landscape.png)",
            "",
        ]
    out += [
        "## The models on the same customers",
        "",
        _table(["Measure", *[p.label for p in columns]], rows),
        "",
    ]
    for name, alt in (("qini.png", "Qini curves"), ("profit.png", "Profit curves")):
        if name in figure_names:
            out += [f"![{alt}]({name})", ""]
    typed = [
        p
        for key, p in result.policies.items()
        if p.customer_types is not None and key != "cost_aware"
    ]
    if typed:
        meaning = TYPE_MEANING["churn" if result.framing == "churn" else "response"]
        n = max(result.n_contacted, 1)
        type_rows = [
            [
                f"**{kind}**: {meaning[kind]}",
                *[
                    f"{count(max(p.customer_types[kind].estimate, 0))} "
                    f"({percent(max(p.customer_types[kind].estimate, 0) / n)})"
                    for p in typed
                ],
            ]
            for kind in CUSTOMER_TYPES
        ]
        kind_of = "exact" if result.has_truth else "estimated"
        out += [
            f"## Whom each model contacts (top {percent(result.k)}, {kind_of})",
            "",
            _table(["Customer type", *[p.label for p in typed]], type_rows),
            "",
        ]
        for name, alt in (
            ("customer_types.png", "Customer types contacted"),
            ("risk_vs_uplift.png", "Churn risk vs predicted uplift"),
        ):
            if name in figure_names:
                out += [f"![{alt}]({name})", ""]
    out += markdown_section(result, figure_names, currency)
    promised = [
        p
        for p in result.policies.values()
        if p.promised_profit is not None and p.realized_profit is not None
    ]
    if promised:
        rows = [
            [
                f"{p.label} ({p.promised_by})",
                percent(p.extra.get("promised_fraction", p.best_fraction), 1),
                with_money_interval(p.promised_profit, currency),
                with_money_interval(p.realized_profit, currency),
                money_fmt(p.promised_profit.estimate - p.realized_profit.estimate),
            ]
            for p in promised
        ]
        out += [
            "## Promised vs realized profit",
            "",
            _table(["Policy", "Share contacted", "Promised", "Realized", "Gap"], rows),
            "",
        ]
    out += ["## How these numbers were computed", ""]
    out += [f"- {note}" for note in result.notes]
    return "\n".join(out) + "\n"
