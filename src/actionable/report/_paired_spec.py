"""The specification of a paired report, built once from a ``PairedResult``.

Every sentence, row and figure of the page, the Markdown and the terminal table comes
from :func:`paired_report_spec`; the renderers only lay it out.
"""

from actionable import __version__
from actionable._format import count, money, money_interval, percent
from actionable.paired import CUSTOMER_TYPES
from actionable.report._figures import TYPE_COLORS
from actionable.report._group_panel import group_section
from actionable.report._measures import models_table
from actionable.report._spec import Cell, Column, Figure, Kpi, Report, Row, Section, Table
from actionable.report._verdict import landscape_sentence, money_scale

TYPE_MEANING = {
    "churn": {
        "persuadable": (
            "leaves if not contacted, stays if contacted: the only ones worth paying for"
        ),
        "sure thing": "stays either way: the contact (and any discount) is money spent for nothing",
        "lost cause": "leaves either way: the highest churn risk, but nothing helps",
        "sleeping dog": "stays if left alone, leaves because of the contact",
    },
    "response": {
        "persuadable": "responds only if contacted: the only ones worth paying for",
        "sure thing": "responds either way: the contact is money spent for nothing",
        "lost cause": "does not respond either way",
        "sleeping dog": "responds if left alone, not if contacted: the contact costs a response",
    },
}

CURVE_FIGURES = (
    Figure(
        "qini.png",
        "Qini curves",
        "Extra favourable outcomes caused by contacting the top share by each score. "
        "A curve above the dashed random line finds the people the contact changes; a "
        "curve near or below it ranks people the contact does not help.",
    ),
    Figure(
        "profit.png",
        "Profit curves",
        "Money made by contacting the top share by each score, after contact and incentive "
        "costs. Dots mark each policy's best size.",
    ),
)
TYPE_FIGURES = (
    Figure(
        "customer_types.png",
        "Customer types contacted",
        "Shares of each type among the people each policy contacts.",
    ),
    Figure(
        "risk_vs_uplift.png",
        "Churn risk against predicted uplift",
        "Each dot is a test customer. Lost causes and persuadables share the high-risk "
        "side; only the uplift score pulls persuadables up and pushes sleeping dogs down.",
    ),
)
LANDSCAPE_FIGURE = Figure(
    "landscape.png",
    "Map of businesses",
    "Each dot is a simulated business (a make_churn world): how closely churn risk and "
    "persuadability rank customers (across), and what ideal churn-risk targeting earns as "
    "a share of ideal uplift targeting, each at its best size (up). Ideal models use the "
    "world's true probabilities, so the map shows each business, not a model's noise.",
)
PROMISE_INTRO = (
    "Churn teams that read the literature size a campaign by the maximum profit (MP) "
    "or expected maximum profit (EMPC) of their churn model (Verbraken, Verbeke and Baesens, "
    "2013). Those measures assume every contacted would-be churner accepts the offer with "
    "the same probability, whoever they are. Here is what that promise is worth once the "
    "real reactions are counted, next to the uplift model sized by the maximum profit "
    "uplift measure (Devriendt, Berrevoets and Verbeke, 2021)."
)
PROFIT_MEANING = (
    "Profit counts only what the contact changes: the value of the extra favourable outcomes "
    "it causes, minus what the contacts and incentives cost, compared with contacting no one."
)


def _present(figures, names):
    return tuple(f for f in figures if f.name in names)


def outcome_words(result):
    """The outcome's name in words (``"revenue kept"``), for a continuous outcome's labels."""
    return result.outcome_name.replace("_", " ")


def _curve_figures(result):
    """The Qini and profit figures, their captions in the outcome's units when continuous."""
    if not result.continuous:
        return CURVE_FIGURES
    words = outcome_words(result)
    qini = Figure(
        "qini.png",
        "Qini curves",
        f"Extra {words} (in outcome units) caused by contacting the top share by each "
        "score. A curve above the dashed random line finds the people the contact changes "
        "most; a curve near or below it ranks people the contact does not help.",
    )
    return (qini, CURVE_FIGURES[1])


def _verdict_section(result, verdict):
    return Section(
        "verdict",
        "Verdict",
        lead=verdict.headline,
        bullets=tuple(verdict.points),
        closing=verdict.recommendation,
        tooltips=True,
        tone="negative" if result.uplift.profit_best.estimate <= 0 else "positive",
    )


def _size(fraction):
    return "best: contact no one" if fraction == 0 else f"contacting the top {percent(fraction)}"


def _kpi(css, label, interval, detail, scale):
    value = interval.estimate
    bounds = money_interval(interval, scale.currency, brackets=False)
    ci = f"{percent(interval.confidence_level)} interval {bounds}" if bounds else "exact"
    where = (
        f"{scale.total(value)} on the {scale.n_test:,} test customers ({ci}) · "
        f"{scale.for_base(value)} for a base of {scale.base:,}"
    )
    return Kpi(
        label, scale.per_1000(value), "per 1,000 customers", (detail, where), css, loss=value < 0
    )


def _average_effect_kpi(result, scale):
    """The average effect of contact, in outcome units and money, for a continuous outcome."""
    effect = result.average_effect
    if effect is None:
        return None
    value = result.cost_model.outcome_value
    words = outcome_words(result)
    level = percent(effect.confidence_level)
    interval = f"{level} interval {effect.low:+,.2f} to {effect.high:+,.2f}"
    worth = (
        f"worth {scale.total(1000.0 * effect.estimate * value)} per 1,000 customers "
        f"contacted, before costs ({scale.total(value, digits=2)} per unit)"
    )
    return Kpi(
        "Average effect of contact",
        f"{effect.estimate:+,.2f}",
        f"{words} per customer",
        (f"treated minus control mean on the test customers ({interval})", worth),
        "uplift",
        loss=effect.estimate < 0,
    )


def _kpis_section(result, scale):
    shown = [result.uplift, result.outcome]
    if result.strongest_naive.key != "outcome":
        shown.append(result.strongest_naive)
    cards = [
        _kpi(
            "uplift" if p.key == "uplift" else "outcome",
            f"{p.label}: best profit",
            p.profit_best,
            _size(p.best_fraction),
            scale,
        )
        for p in shown
    ]
    aware = result.policies.get("cost_aware")
    if aware is not None and aware.realized_profit is not None:
        promised = f"promised {scale.total(aware.promised_profit.estimate)}"
        cards.append(
            _kpi("cost_aware", f"{aware.label}: realized", aware.realized_profit, promised, scale)
        )
    average = _average_effect_kpi(result, scale)
    if average is not None:
        cards.append(average)
    if result.oracle is not None:
        oracle = result.oracle
        cards.append(
            _kpi(
                "oracle",
                "Ranking by the true effect",
                oracle.profit_best,
                _size(oracle.best_fraction),
                scale,
            )
        )
    return Section("kpis", kpis=tuple(cards), warning=result.costs_note or "")


def _costs_rows(cost_model, currency, outcome=None):
    def row(label, text):
        return Row(label, (Cell(text),))

    rows = []
    value = getattr(cost_model, "value_per_success", None)
    if value is not None:
        rows.append(row("Value of one extra favourable outcome", money(value, currency)))
    per_unit = getattr(cost_model, "value_per_unit", None)
    if per_unit is not None:
        label = f"Value of one extra unit of {outcome or 'the outcome'}"
        rows.append(row(label, money(per_unit, currency, digits=2)))
    contact = getattr(cost_model, "cost_per_contact", None)
    if contact is not None:
        rows.append(row("Cost per contact", money(contact, currency)))
    incentive = getattr(cost_model, "incentive_cost", None)
    if incentive:
        paid = getattr(cost_model, "incentive_paid", "on_contact")
        when = (
            "when the customer accepts (stays/responds)"
            if paid == "on_success"
            else "to everyone contacted"
        )
        rows.append(row("Incentive", f"{money(incentive, currency)}, paid {when}"))
    capacity = getattr(cost_model, "capacity", None)
    if capacity is not None:
        text = percent(capacity) if capacity < 1 else f"{count(capacity)} contacts"
        rows.append(row("Capacity", text))
    budget = getattr(cost_model, "budget", None)
    if budget is not None:
        rows.append(row("Budget", money(budget, currency)))
    return rows


def _decision_section(result, decision_card, currency):
    if decision_card is not None:
        return Section("decision", "The decision", card=decision_card, boxed=True)
    if result.continuous:
        question = (
            f"Whom should we contact ({result.treatment_name}), and how many, so that the "
            f"{outcome_words(result)} the contact adds is worth more than it costs?"
        )
    elif result.framing == "churn":
        question = (
            f"Whom should we contact ({result.treatment_name}) to keep them from leaving, "
            "and how many?"
        )
    else:
        question = (
            f"Whom should we contact ({result.treatment_name}) to make them "
            f"{result.outcome_name}, and how many?"
        )
    rows = _costs_rows(
        result.cost_model, currency, outcome_words(result) if result.continuous else None
    )
    table = Table((Column(""),), tuple(rows)) if rows else None
    meaning = PROFIT_MEANING
    if result.continuous:
        meaning = PROFIT_MEANING.replace(
            "the extra favourable outcomes", f"the extra {outcome_words(result)}"
        )
    return Section(
        "decision",
        "The decision",
        lead=question,
        table=table,
        warning=result.costs_note or "",
        notes=(meaning,),
        boxed=True,
    )


def _no_types_section(result):
    """For a continuous outcome: why there is no table of customer types."""
    words = outcome_words(result)
    return Section(
        "types",
        "Customer types",
        paragraphs=(
            "Customer types (persuadables, sure things, lost causes, sleeping dogs) are "
            f"defined only for a yes/no outcome. Here the outcome, {words}, is an amount: "
            f"the contact changes each customer's {words} by some amount, not from one type "
            "to another, so no types are estimated. The average effect above and the "
            "uplift model's groups below say whom the contact changes, and by how much.",
        ),
    )


def _types_section(result, figure_names):
    if result.continuous:
        return _no_types_section(result)
    policies = [
        p
        for key, p in result.policies.items()
        if p.customer_types is not None and key != "cost_aware"
    ]
    if not policies:
        return None
    meaning = TYPE_MEANING["churn" if result.framing == "churn" else "response"]
    rows = tuple(
        Row(
            f"{kind.capitalize()}s",
            tuple(Cell(p.customer_types[kind], "count", of=result.n_contacted) for p in policies),
            key=kind,
            why=meaning[kind],
            term=kind,
            emphasis=True,
            swatch=TYPE_COLORS[kind],
        )
        for kind in CUSTOMER_TYPES
    )
    if result.has_truth:
        note = (
            "Exact: each test customer's reaction with and without contact is known "
            "in this synthetic world."
        )
    else:
        note = (
            "Estimated: nobody's type can be observed, because each customer is either "
            "contacted or not. Within each contacted group, the treated and control "
            "favourable rates give persuadables minus sleeping dogs; the table assumes "
            "the smaller of the two groups is empty (no sleeping dogs when contact helps on "
            "average, no persuadables when it hurts). Ranges are "
            f"{percent(result.confidence_level)} intervals for that estimate."
        )
    columns = tuple(Column(p.label, key=p.key) for p in policies)
    return Section(
        "types",
        f"Whom each model contacts (top {percent(result.k)}, {result.n_contacted:,} customers)",
        table=Table(columns, rows, corner="Customer type", note=note),
        figures=_present(TYPE_FIGURES, figure_names),
    )


def _promise_section(result, currency):
    contenders = [
        p
        for p in result.policies.values()
        if p.promised_profit is not None and p.realized_profit is not None
    ]
    if not contenders:
        return None
    rows = []
    for p in contenders:
        gap = p.promised_profit.estimate - p.realized_profit.estimate
        share = p.extra.get("promised_fraction", p.best_fraction)
        cells = (
            Cell(share, "share", 1),
            Cell(p.promised_profit, "money", currency=currency),
            Cell(p.realized_profit, "money", currency=currency),
            Cell(gap, "money", currency=currency, css="gap" if gap > 0 else ""),
        )
        rows.append(Row(p.label, cells, key=p.key, why=f"sized by {p.promised_by}"))
    columns = tuple(Column(c) for c in ("Share contacted", "Promised", "Realized", "Gap"))
    return Section(
        "promise",
        "Promised vs realized profit",
        paragraphs=(PROMISE_INTRO,),
        table=Table(columns, tuple(rows), corner="Policy"),
    )


def _landscape_section(result, landscape, figure_names):
    if LANDSCAPE_FIGURE.name not in figure_names:
        return None
    sentence = landscape_sentence(result, landscape) or ""
    return Section(
        "landscape",
        "When does predicting churn suffice?",
        paragraphs=(sentence,),
        figures=(LANDSCAPE_FIGURE,),
        tooltips=True,
    )


def paired_report_spec(
    result,
    verdict,
    figure_names,
    *,
    title,
    decision_card=None,
    currency="$",
    customer_base=None,
    landscape=None,
):
    """The report of a ``PairedResult``, before any format.

    Parameters
    ----------
    result : PairedResult
    verdict : Verdict
    figure_names : iterable of str
        The figures drawn (``qini.png``...): a figure is shown only when drawn.
    title : str
    decision_card : DecisionCard, default=None
        Replaces the generated description of the decision.
    currency : str, default="$"
    customer_base : int, default=None
        Customers the money of the headline numbers is scaled to.
    landscape : pandas.DataFrame, default=None
        A ``risk_uplift_sweep``: adds its section.

    Returns
    -------
    Report
    """
    names = set(figure_names)
    scale = money_scale(result, currency, customer_base)
    eyebrow = (
        f"actionable report · {result.dataset} ({result.test_rows}) · {result.n_train:,} "
        f"customers to train the models · {result.n_test:,} test customers"
    )
    outcome = result.outcome_name
    if result.continuous:
        outcome = f"{outcome_words(result)}, an amount per customer"
    lede = (
        f"Models trained on the same {result.n_train:,} customers and judged on the same "
        f"{result.n_test:,} test customers, set aside beforehand: naive models that predict "
        f"the outcome ({outcome}), and an uplift model that predicts whom the "
        f"intervention ({result.treatment_name}) changes. Which one tells you whom to "
        "contact?"
    )
    sections = (
        _verdict_section(result, verdict),
        _kpis_section(result, scale),
        _landscape_section(result, landscape, names),
        _decision_section(result, decision_card, currency),
        Section("models", "The models on the same customers", table=models_table(result, currency)),
        Section("curves", "Qini and profit", figures=_present(_curve_figures(result), names)),
        _types_section(result, names),
        group_section(result, names, currency),
        _promise_section(result, currency),
        Section(
            "notes",
            "How these numbers were computed",
            notes=tuple(result.notes),
            notes_as_list=True,
        ),
    )
    return Report(
        title,
        tuple(s for s in sections if s is not None),
        eyebrow=eyebrow,
        subtitle=lede,
        footer=f"Generated by actionable {__version__}.",
    )
