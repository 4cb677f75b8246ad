"""The panel "Whom the uplift model contacts, in plain words", as HTML and as Markdown."""

from actionable._format import count, money, percent, with_money_interval

TITLE = "Whom the uplift model contacts, in plain words"
DRIVERS_CAPTION = (
    "How much each feature moves the uplift model's predicted uplift, on average over the "
    "test customers (in either direction). Darker bars: features the groups' rules name."
)


def _points(value):
    return "–" if value is None else f"{100 * value:+.1f} pts"


def _others(group):
    return "contacting no one" if group.n_contacted * 2 <= group.n_customers else (
        "contacting everyone"
    )  # fmt: skip


def intro(result):
    """The panel's opening sentences (plain text), or ``None`` without a description."""
    group = result.targeted_group
    if group is None:
        return None
    total = f"{group.n_contacted:,} of the {group.n_customers:,} test customers"
    head = f"At the size the report compares, the uplift model contacts {total}"
    head += f" (the top {percent(result.k)})." if result.k > 0 else "."
    if len(group.leaves) == 1:
        return (
            f"{head} No rule over the features describes its choice better than "
            f"{_others(group)} (agreement {percent(group.accuracy)})."
        )
    depth = {1: "one", 2: "two", 3: "three"}.get(group.max_depth, str(group.max_depth))
    if any(leaf.mostly_contacted for leaf in group.leaves):
        held = (
            f"the groups marked contacted hold {percent(group.recall)} of the customers it "
            "contacts."
        )
    else:
        held = "no group is mostly contacted: its contacts are spread over the groups."
    return (
        f"{head} A decision tree of up to {depth} levels fitted to that choice sorts the customers "
        f"into {len(group.leaves)} groups; marking each group contacted or not by its "
        f"majority agrees with the model on {percent(group.accuracy)} of the test customers "
        f"({_others(group)} would agree on {percent(group.baseline_accuracy)}); {held}"
    )


def profit_note(result, currency):
    """How the groups' profits were computed, and what the rules would make as a rule."""
    group = result.targeted_group
    if group is None or group.profit is None:
        return ""
    if group.profit_exact:
        how = (
            "Profits are exact (the synthetic world knows how each customer reacts): "
            "each group's is that of contacting its contacted customers, and they add up "
            "to the profit of the model's list."
        )
    else:
        how = (
            f"Profits are estimated from {result.estimated_from}: each group's is that of "
            "contacting its contacted customers, measured on every test customer's arm "
            "(the policy-value estimator, so the groups add up to the list's "
            f"{money(group.profit.estimate, currency)}; the profit curve above measures the "
            "same list within the contacted group, "
            f"{money(result.uplift.profit_at_k.estimate, currency)}). Ranges are "
            f"{percent(result.confidence_level)} bootstrap intervals."
        )
    rule = ""
    if group.rules_profit is not None and len(group.leaves) > 1:
        rule = (
            " Used as a targeting rule (contact every customer of the groups marked "
            f"contacted), the groups would make {money(group.rules_profit.estimate, currency)}"
            f", against {money(group.profit.estimate, currency)} for the model's own list."
        )
    return how + rule


def _decision_tag(leaf):
    if leaf.mostly_contacted:
        return '<span class="tag contacted">contacted</span>'
    return '<span class="tag">not contacted</span>'


def html_section(result, figures, currency, *, escape, money_cell, image):
    """The panel as HTML ("" when the result has no description)."""
    group = result.targeted_group
    if group is None:
        return ""
    rows = []
    for leaf in group.leaves:
        css = ' class="contacted"' if leaf.mostly_contacted else ""
        profit = "<td>–</td>" if leaf.profit is None else money_cell(leaf.profit, currency)
        rows.append(
            f"<tr{css}><td>{escape(leaf.rule)}{_decision_tag(leaf)}</td>"
            f"<td>{count(leaf.n_customers)} ({percent(leaf.share)})</td>"
            f"<td>{percent(leaf.share_contacted)}</td>"
            f"<td>{escape(_points(leaf.mean_uplift))}</td>{profit}</tr>"
        )
    mean = result.uplift.score.mean() if result.uplift.score is not None else None
    total = "<td>–</td>" if group.profit is None else money_cell(group.profit, currency)
    rows.append(
        f'<tr class="total"><td>All test customers</td><td>{count(group.n_customers)} '
        f"(100%)</td><td>{percent(group.n_contacted / group.n_customers)}</td>"
        f"<td>{escape(_points(mean))}</td>{total}</tr>"
    )
    table = (
        "<table><thead><tr><th>Group</th><th>Customers</th><th>Contacted</th>"
        "<th>Mean predicted uplift</th><th>Profit of its contacts</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
        f'<p class="note">{escape(profit_note(result, currency))}</p>'
    )
    if "drivers.png" in figures:
        side = (
            f"<figure>{image(figures['drivers.png'], 'Global drivers of the predicted uplift')}"
            f"<figcaption>{escape(DRIVERS_CAPTION)}</figcaption></figure>"
        )
    else:
        side = (
            '<p class="note">No drivers figure: the uplift model\'s per-feature '
            "contributions cannot be computed (see the notes below).</p>"
        )
    return (
        f"<section><h2>{escape(TITLE)}</h2><p>{escape(intro(result))}</p>"
        f'<div class="group-panel"><div>{table}</div><div>{side}</div></div></section>'
    )


def markdown_section(result, figure_names, currency):
    """The panel as Markdown lines ([] when the result has no description)."""
    group = result.targeted_group
    if group is None:
        return []
    lines = [f"## {TITLE}", "", intro(result), ""]
    lines += [
        "| Group | Customers | Contacted | Mean predicted uplift | Profit of its contacts |",
        "|---|---|---|---|---|",
    ]
    for leaf in group.leaves:
        decision = "contacted" if leaf.mostly_contacted else "not contacted"
        profit = "–" if leaf.profit is None else with_money_interval(leaf.profit, currency)
        rule = leaf.rule.replace("|", "\\|")
        lines.append(
            f"| {rule} (*{decision}*) | {count(leaf.n_customers)} ({percent(leaf.share)}) | "
            f"{percent(leaf.share_contacted)} | {_points(leaf.mean_uplift)} | {profit} |"
        )
    mean = result.uplift.score.mean() if result.uplift.score is not None else None
    total = "–" if group.profit is None else with_money_interval(group.profit, currency)
    lines.append(
        f"| **All test customers** | {count(group.n_customers)} (100%) | "
        f"{percent(group.n_contacted / group.n_customers)} | {_points(mean)} | {total} |"
    )
    lines += ["", profit_note(result, currency), ""]
    if "drivers.png" in figure_names:
        lines += ["![Global drivers of the predicted uplift](drivers.png)", ""]
    return lines
