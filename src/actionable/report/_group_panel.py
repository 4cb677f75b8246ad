"""The panel "Whom the uplift model contacts, in plain words", as a report section."""

from actionable._format import money, percent
from actionable.report._spec import Cell, Column, Figure, Row, Section, Table

TITLE = "Whom the uplift model contacts, in plain words"
DRIVERS_CAPTION = (
    "How much each feature moves the uplift model's predicted uplift, on average over the "
    "test customers (in either direction). Darker bars: features the groups' rules name."
)


def _others(group):
    return (
        "contacting no one"
        if group.n_contacted * 2 <= group.n_customers
        else ("contacting everyone")
    )


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


def _uplift_cell(value, continuous):
    """A mean predicted uplift: percentage points, or outcome units when continuous."""
    if continuous:
        return Cell(value, "number", 2, signed=True)
    return Cell(value, "points")


def _leaf_row(leaf, n_customers, currency, continuous=False):
    cells = (
        Cell(leaf.n_customers, "count", of=n_customers),
        Cell(leaf.share_contacted, "share", 0),
        _uplift_cell(leaf.mean_uplift, continuous),
        Cell(leaf.profit, "money", currency=currency),
    )
    if leaf.mostly_contacted:
        return Row(leaf.rule, cells, tag="contacted", css="contacted")
    return Row(leaf.rule, cells, tag="not contacted")


def group_section(result, figure_names, currency):
    """The panel as a report section (``None`` when the result has no description)."""
    group = result.targeted_group
    if group is None:
        return None
    continuous = getattr(result, "continuous", False)
    rows = [_leaf_row(leaf, group.n_customers, currency, continuous) for leaf in group.leaves]
    mean = result.uplift.score.mean() if result.uplift.score is not None else None
    total = (
        Cell(group.n_customers, "count", of=group.n_customers),
        Cell(group.n_contacted / group.n_customers, "share", 0),
        _uplift_cell(mean, continuous),
        Cell(group.profit, "money", currency=currency),
    )
    rows.append(Row("All test customers", total, css="total", emphasis=True))
    uplift_label = "Mean predicted uplift"
    if continuous:
        uplift_label += f" ({result.outcome_name.replace('_', ' ')})"
    columns = tuple(
        Column(label)
        for label in ("Customers", "Contacted", uplift_label, "Profit of its contacts")
    )
    table = Table(columns, tuple(rows), corner="Group", note=profit_note(result, currency))
    if "drivers.png" in figure_names:
        drivers = Figure("drivers.png", "Global drivers of the predicted uplift", DRIVERS_CAPTION)
        figures = (drivers,)
        missing = ()
    else:
        figures = ()
        missing = (
            "No drivers figure: the uplift model's per-feature contributions cannot be "
            "computed (see the notes below).",
        )
    return Section(
        "group",
        TITLE,
        paragraphs=(intro(result),),
        table=table,
        figures=figures,
        notes=missing,
        side_by_side=True,
    )
