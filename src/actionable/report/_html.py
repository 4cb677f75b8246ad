"""Self-contained HTML for a paired report: inline CSS, figures as base64 PNG, no requests."""

import base64
import html
from importlib import resources

from actionable import __version__
from actionable._format import (
    count,
    interval_text,
    money,
    money_digits,
    money_interval,
    number,
    percent,
)
from actionable.paired import CUSTOMER_TYPES, training_rows
from actionable.report._figures import TYPE_COLORS
from actionable.report._group_panel import html_section
from actionable.report._verdict import TOOLTIPS, landscape_sentence, money_scale

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


def css():
    """The report's style sheet (every rule scoped to ``.actionable-report``)."""
    return resources.files("actionable.report").joinpath("templates/report.css").read_text("utf-8")


def _e(text):
    return html.escape(str(text), quote=True)


def _img(png, alt):
    data = base64.b64encode(png).decode("ascii")
    return f'<img src="data:image/png;base64,{data}" alt="{_e(alt)}">'


def _cell(interval, fmt):
    if interval is None:
        return "<td>–</td>"
    bounds = interval_text(interval, fmt)
    ci = f'<span class="ci">{_e(bounds)}</span>' if bounds else ""
    return f"<td>{_e(fmt(interval.estimate))}{ci}</td>"


def _money_cell(interval, currency):
    """An amount and its interval, in one precision."""
    if interval is None:
        return "<td>–</td>"
    digits = money_digits(interval.estimate, interval.low, interval.high)
    bounds = money_interval(interval, currency)
    ci = f'<span class="ci">{_e(bounds)}</span>' if bounds else ""
    return f"<td>{_e(money(interval.estimate, currency, digits=digits))}{ci}</td>"


def _header(result, title):
    truth = result.test_rows
    eyebrow = (
        f"actionable report · {result.dataset} ({truth}) · {result.n_train:,} customers to "
        f"train the models · {result.n_test:,} test customers"
    )
    lede = (
        f"Models trained on the same {result.n_train:,} customers and judged on the same "
        f"{result.n_test:,} test customers, set aside beforehand: naive models that predict "
        f"the outcome ({_e(result.outcome_name)}), and an uplift model that predicts whom the "
        f"intervention ({_e(result.treatment_name)}) changes. Which one tells you whom to "
        "contact?"
    )
    return (
        f'<header><p class="eyebrow">{_e(eyebrow)}</p><h1>{_e(title)}</h1>'
        f'<p class="lede">{lede}</p></header>'
    )


def with_tooltips(sentence):
    """Escape a verdict sentence and name the measure behind each plain phrase in a tooltip."""
    text = _e(sentence)
    for phrase, title in TOOLTIPS.items():
        escaped = _e(phrase)
        if escaped in text:
            text = text.replace(
                escaped, f'<abbr title="{_e(title)}">{escaped}</abbr>', 1
            )
    return text


def _verdict(verdict, result):
    negative = result.uplift.profit_best.estimate <= 0
    points = "".join(f"<li>{with_tooltips(p)}</li>" for p in verdict.points)
    return (
        f'<section class="verdict{" negative" if negative else ""}"><h2>Verdict</h2>'
        f'<p class="headline">{with_tooltips(verdict.headline)}</p><ul>{points}</ul>'
        f'<p class="recommendation">{with_tooltips(verdict.recommendation)}</p></section>'
    )


def _size(fraction):
    return "best: contact no one" if fraction == 0 else f"contacting the top {percent(fraction)}"


def _kpi(css_class, label, interval, detail, scale):
    value = interval.estimate
    bounds = money_interval(interval, scale.currency, brackets=False)
    ci = f"{percent(interval.confidence_level)} interval {bounds}" if bounds else "exact"
    loss = " loss" if value < 0 else ""
    return (
        f'<div class="kpi {css_class}"><div class="label">{_e(label)}</div>'
        f'<div class="value{loss}">{_e(scale.per_1000(value))}'
        '<span class="unit"> per 1,000 customers</span></div>'
        f'<div class="detail">{_e(detail)}</div>'
        f'<div class="detail">{_e(scale.total(value))} on the {scale.n_test:,} test customers '
        f"({_e(ci)}) · {_e(scale.for_base(value))} for a base of {scale.base:,}</div></div>"
    )


def _kpis(result, scale):
    cards = []
    shown = [result.uplift, result.outcome]
    if result.strongest_naive.key != "outcome":
        shown.append(result.strongest_naive)
    for p in shown:
        css = "uplift" if p.key == "uplift" else "outcome"
        label = f"{p.label}: best profit"
        cards.append(_kpi(css, label, p.profit_best, _size(p.best_fraction), scale))
    cost_aware = result.policies.get("cost_aware")
    if cost_aware is not None and cost_aware.realized_profit is not None:
        cards.append(
            _kpi(
                "cost_aware",
                f"{cost_aware.label}: realized",
                cost_aware.realized_profit,
                f"promised {scale.total(cost_aware.promised_profit.estimate)}",
                scale,
            )
        )
    if result.oracle is not None:
        o = result.oracle
        cards.append(
            _kpi(
                "oracle",
                "Ranking by the true effect",
                o.profit_best,
                _size(o.best_fraction),
                scale,
            )
        )
    note = f'<p class="costs-note">{_e(result.costs_note)}</p>' if result.costs_note else ""
    return f'<section class="kpis">{"".join(cards)}</section>{note}'


def _costs_rows(cost_model, currency):
    rows = []
    value = getattr(cost_model, "value_per_success", None)
    if value is not None:
        rows.append(("Value of one extra favourable outcome", money(value, currency)))
    contact = getattr(cost_model, "cost_per_contact", None)
    if contact is not None:
        rows.append(("Cost per contact", money(contact, currency)))
    incentive = getattr(cost_model, "incentive_cost", None)
    if incentive:
        paid = getattr(cost_model, "incentive_paid", "on_contact")
        when = (
            "when the customer accepts (stays/responds)"
            if paid == "on_success"
            else ("to everyone contacted")
        )
        rows.append(("Incentive", f"{money(incentive, currency)}, paid {when}"))
    capacity = getattr(cost_model, "capacity", None)
    if capacity is not None:
        text = percent(capacity) if capacity < 1 else f"{count(capacity)} contacts"
        rows.append(("Capacity", text))
    budget = getattr(cost_model, "budget", None)
    if budget is not None:
        rows.append(("Budget", money(budget, currency)))
    return rows


def _decision(result, decision_card, currency):
    if decision_card is not None:
        body = f'<div class="card">{decision_card.to_html()}</div>'
    else:
        if result.framing == "churn":
            question = (
                f"Whom should we contact ({_e(result.treatment_name)}) to keep them from leaving, "
                "and how many?"
            )
        else:
            question = (
                f"Whom should we contact ({_e(result.treatment_name)}) to make them "
                f"{_e(result.outcome_name)}, and how many?"
            )
        body = f'<div class="card"><p><strong>{question}</strong></p>'
        rows = _costs_rows(result.cost_model, currency)
        if rows:
            body += (
                "<table><tbody>"
                + "".join(f"<tr><td>{_e(a)}</td><td>{_e(b)}</td></tr>" for a, b in rows)
                + "</tbody></table>"
            )
        if result.costs_note:
            body += f'<p class="costs-note">{_e(result.costs_note)}</p>'
        body += (
            '<p class="note">Profit counts only what the contact changes: the value of the extra '
            "favourable outcomes it causes, minus what the contacts and incentives cost, "
            "compared with contacting no one.</p></div>"
        )
    return f"<section><h2>The decision</h2>{body}</section>"


def table_columns(result):
    """The policies shown side by side: naive models, uplift, then the references."""
    references = [p for key, p in result.policies.items() if key in ("random", "oracle")]
    return [*result.naive.values(), result.uplift, *references]


def _models_table(result, currency):
    columns = table_columns(result)
    head = "".join(f"<th>{_e(p.label)}</th>" for p in columns)
    target = "churn" if result.framing == "churn" else result.outcome_name

    def row(label, why, cells):
        return f'<tr><td>{_e(label)}<span class="why">{_e(why)}</span></td>{"".join(cells)}</tr>'

    def metric(name, fmt):
        return [_cell(getattr(p, name), fmt) for p in columns]

    def money_metric(name):
        return [_money_cell(getattr(p, name), currency) for p in columns]

    capacity = [f"<td>{_e(money(p.profit_at_capacity, currency))}</td>" for p in columns]
    trained = [
        f"<td>{_e(training_rows(p)) if p.trained_on else '–'}</td>" for p in columns
    ]
    body = [
        row("Learner", "what was fitted", [f"<td>{_e(p.learner or '–')}</td>" for p in columns]),
        row("Trained on", "the rows the model learned from", trained),
        row(
            f"AUC for predicting {target}",
            "how well the score ranks the outcome itself (a naive model on the test customers "
            "of the arm it learned from)",
            metric("auc_outcome", lambda v: number(v, 3)),
        ),
        row(
            "Qini coefficient",
            "how well the score ranks the effect of contact (0 = random, 1 = perfect)",
            metric("qini_auc", lambda v: number(v, 3)),
        ),
        row(
            "Uplift AUC",
            "area under the uplift curve",
            metric("uplift_auc", lambda v: number(v, 4)),
        ),
        row(
            "Uplift at 30%",
            "extra favourable rate among the top 30%",
            metric("uplift_at_30", lambda v: number(v, 3)),
        ),
        row("Best profit", "highest point of the profit curve", money_metric("profit_best")),
        row(
            "Best size",
            "share contacted at the best profit",
            [f"<td>{_e(percent(p.best_fraction, 1))}</td>" for p in columns],
        ),
        row(
            f"Profit contacting the top {percent(result.k)}",
            "every policy at the same size",
            money_metric("profit_at_k"),
        ),
    ]
    if any(p.profit_at_capacity is not None for p in columns):
        body.append(row("Profit at capacity", "contacting as many as the team can", capacity))
    note = (
        "Profits are exact: the synthetic world knows how each test customer reacts "
        "with and without contact."
        if result.has_truth
        else f"Profits are estimated from {result.estimated_from} (contacted vs not)."
    )
    level = percent(result.confidence_level)
    return (
        "<section><h2>The models on the same customers</h2>"
        f"<table><thead><tr><th>Measure</th>{head}</tr></thead>"
        f"<tbody>{''.join(body)}</tbody></table>"
        f'<p class="note">{_e(note)} Bracketed ranges are {level} intervals '
        f"({result.n_bootstraps:,} bootstrap resamples of the test customers; DeLong for the "
        "outcome AUC).</p></section>"
    )


def _figures_section(figures):
    items = []
    captions = {
        "qini.png": (
            "Qini curves",
            "Extra favourable outcomes caused by contacting the top share by each score. "
            "A curve above the dashed random line finds the people the contact changes; a "
            "curve near or below it ranks people the contact does not help.",
        ),
        "profit.png": (
            "Profit curves",
            "Money made by contacting the top share by each score, after contact and incentive "
            "costs. Dots mark each policy's best size.",
        ),
    }
    for name, (alt, caption) in captions.items():
        if name in figures:
            items.append(
                f"<figure>{_img(figures[name], alt)}<figcaption>{_e(caption)}</figcaption></figure>"
            )
    return f'<section><h2>Qini and profit</h2><div class="figures">{"".join(items)}</div></section>'


def _types_section(result, figures):
    policies = [
        p
        for key, p in result.policies.items()
        if p.customer_types is not None and key != "cost_aware"
    ]
    if not policies:
        return ""
    meaning = TYPE_MEANING["churn" if result.framing == "churn" else "response"]
    head = "".join(f"<th>{_e(p.label)}</th>" for p in policies)
    rows = []
    n = max(result.n_contacted, 1)
    for kind in CUSTOMER_TYPES:
        cells = []
        for p in policies:
            value = p.customer_types[kind]
            text = f"{count(max(value.estimate, 0))} ({percent(max(value.estimate, 0) / n)})"
            bounds = interval_text(value, lambda v: count(max(v, 0)))
            ci = f'<span class="ci">{_e(bounds)}</span>' if bounds else ""
            cells.append(f"<td>{_e(text)}{ci}</td>")
        swatch = f'<span class="swatch" style="background:{TYPE_COLORS[kind]}"></span>'
        rows.append(
            f"<tr><td>{swatch}<strong>{_e(kind.capitalize())}s</strong>"
            f'<span class="why">{_e(meaning[kind])}</span></td>{"".join(cells)}</tr>'
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
    figure_html = ""
    for name, alt, caption in (
        (
            "customer_types.png",
            "Customer types contacted",
            "Shares of each type among the people each policy contacts.",
        ),
        (
            "risk_vs_uplift.png",
            "Churn risk against predicted uplift",
            "Each dot is a test customer. Lost causes and persuadables share the high-risk "
            "side; only the uplift score pulls persuadables up and pushes sleeping dogs down.",
        ),
    ):
        if name in figures:
            figure_html += (
                f"<figure>{_img(figures[name], alt)}<figcaption>{_e(caption)}</figcaption></figure>"
            )
    return (
        f"<section><h2>Whom each model contacts (top {percent(result.k)}, "
        f"{result.n_contacted:,} customers)</h2>"
        f"<table><thead><tr><th>Customer type</th>{head}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
        f'<p class="note">{_e(note)}</p>'
        f'<div class="figures">{figure_html}</div></section>'
    )


def _promise_section(result, currency):
    contenders = [
        p
        for p in result.policies.values()
        if p.promised_profit is not None and p.realized_profit is not None
    ]
    if not contenders:
        return ""
    rows = []
    for p in contenders:
        gap = p.promised_profit.estimate - p.realized_profit.estimate
        cells = [_money_cell(value, currency) for value in (p.promised_profit, p.realized_profit)]
        share = p.extra.get("promised_fraction", p.best_fraction)
        rows.append(
            f'<tr><td>{_e(p.label)}<span class="why">sized by {_e(p.promised_by)}</span></td>'
            f"<td>{_e(percent(share, 1))}</td>{''.join(cells)}"
            f'<td class="{"gap" if gap > 0 else ""}">{_e(money(gap, currency))}</td></tr>'
        )
    return (
        "<section><h2>Promised vs realized profit</h2>"
        "<p>Churn teams that read the literature size a campaign by the maximum profit (MP) "
        "or expected maximum profit (EMPC) of their churn model (Verbraken, Verbeke and Baesens, "
        "2013). Those measures assume every contacted would-be churner accepts the offer with "
        "the same probability, whoever they are. Here is what that promise is worth once the "
        "real reactions are counted, next to the uplift model sized by the maximum profit "
        "uplift measure (Devriendt, Berrevoets and Verbeke, 2021).</p>"
        "<table><thead><tr><th>Policy</th><th>Share contacted</th><th>Promised</th>"
        "<th>Realized</th><th>Gap</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table></section>"
    )


def _notes(result):
    items = "".join(f"<li>{_e(note)}</li>" for note in result.notes)
    return (
        f'<section><h2>How these numbers were computed</h2><ul class="note">{items}</ul></section>'
    )


def _landscape_section(figures, landscape, result):
    if "landscape.png" not in figures:
        return ""
    sentence = landscape_sentence(result, landscape) or ""
    caption = (
        "Each dot is a simulated business (a make_churn world): how closely churn risk and "
        "persuadability rank customers (across), and what ideal churn-risk targeting earns as "
        "a share of ideal uplift targeting, each at its best size (up). Ideal models use the "
        "world's true probabilities, so the map shows each business, not a model's noise."
    )
    return (
        "<section><h2>When does predicting churn suffice?</h2>"
        f"<p>{with_tooltips(sentence)}</p>"
        f'<div class="figures"><figure>{_img(figures["landscape.png"], "Map of businesses")}'
        f"<figcaption>{_e(caption)}</figcaption></figure></div></section>"
    )


def render_body(
    result,
    verdict,
    figures,
    *,
    title,
    decision_card=None,
    currency="$",
    customer_base=None,
    landscape=None,
):
    """The report as an HTML fragment wrapped in ``<div class="actionable-report">``."""
    scale = money_scale(result, currency, customer_base)
    parts = [
        _header(result, title),
        _verdict(verdict, result),
        _kpis(result, scale),
        _landscape_section(figures, landscape, result),
        _decision(result, decision_card, currency),
        _models_table(result, currency),
        _figures_section(figures),
        _types_section(result, figures),
        html_section(
            result, figures, currency, escape=_e, money_cell=_money_cell, image=_img
        ),
        _promise_section(result, currency),
        _notes(result),
        f"<footer>Generated by actionable {_e(__version__)}. Self-contained: no external "
        "resources.</footer>",
    ]
    return f'<div class="actionable-report">{"".join(parts)}</div>'


def render_document(body, *, title):
    """A complete HTML document around ``body``."""
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_e(title)}</title><style>{css()}</style></head>"
        f'<body style="margin:0;background:#ffffff">{body}</body></html>\n'
    )
