"""The specification of a monitoring page, built once from a ``monitor.json`` document.

Realized against expected uplift (a number line and a table), the same in money, the
drift of every feature, the holdout the next campaign needs, and the decision card.
"""

import math
from dataclasses import dataclass

from actionable import __version__
from actionable.report._spec import Cell, Column, Figure, Report, Row, Section, Table

WATCH_PSI = 0.1
"""A feature whose PSI is above this (but below the alert threshold) is worth watching."""


@dataclass(frozen=True)
class NumberLine:
    """A number line drawn by the page: an interval, its estimate, zero and a reference.

    Positions are in pixels from the left of a ``width`` x ``height`` drawing.
    """

    label: str
    width: int
    height: int
    zero: float
    low: float
    high: float
    estimate: float
    reference: float
    estimate_label: str
    reference_label: str


def _signed(value, digits=4):
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "–"
    return f"{value:+.{digits}f}"


def number_line(expected, realized, low, high, *, width=640, height=86):
    """The realized uplift's interval against the expected uplift, zero marked."""
    values = [v for v in (expected, realized, low, high, 0.0) if v is not None]
    lo, hi = min(values), max(values)
    pad = 0.15 * (hi - lo) or 0.01
    lo, hi = lo - pad, hi + pad

    def x(value):
        return round(20 + (value - lo) / (hi - lo) * (width - 40), 1)

    return NumberLine(
        "realized uplift interval against the expected uplift",
        width,
        height,
        x(0.0),
        x(low),
        x(high),
        x(realized),
        x(expected),
        f"realized {_signed(realized)}",
        f"expected {_signed(expected)}",
    )


def _status_section(alerts):
    if alerts:
        lead = f"{len(alerts)} alert{'s' if len(alerts) > 1 else ''}"
        return Section("status", lead=lead, bullets=tuple(alerts), tone="negative")
    return Section(
        "status",
        lead="No alerts.",
        tone="positive",
        paragraphs=(
            "The realized uplift is in line with the model's expectation and no "
            "feature has drifted.",
        ),
    )


def _one_column(rows):
    return Table((Column(""),), tuple(Row(label, (cell,)) for label, cell in rows))


def _uplift_section(document):
    realized, low, high = document["realized_uplift"], document["ci_low"], document["ci_high"]
    expected = document["expected_uplift"]
    level = document.get("confidence_level", 0.95)
    method = document.get("interval_method", "difference of proportions")
    if "n_treated" in document:
        counts = [
            (
                "rows (treated / control)",
                Cell(f"{document['n']:,} ({document['n_treated']:,} / {document['n_control']:,})"),
            ),
            ("favourable-outcome rate, treated", Cell(document["treated_rate"], "number", 4)),
            ("favourable-outcome rate, control", Cell(document["control_rate"], "number", 4)),
        ]
    else:
        counts = [("rows", Cell(f"{document['n']:,}"))]
    rows = [
        *counts,
        ("realized uplift", Cell(realized, "number", 4, signed=True, low=low, high=high)),
        ("expected uplift", Cell(expected, "number", 4, signed=True)),
    ]
    text = (
        "Realized uplift is the treated minus the control rate of the favourable outcome "
        f"in this batch, with a {level:.0%} interval ({method}). Expected uplift is the mean "
        "of the model's predicted uplift for the same rows."
    )
    line = number_line(expected, realized, low, high)
    return Section(
        "uplift",
        "Realized against expected uplift",
        paragraphs=(text,),
        figures=(Figure("uplift", line.label, line=line),),
        table=_one_column(rows),
    )


def _money_section(money, currency):
    if not money:
        return None
    extra_low, extra_high = money["extra_favourable_outcomes_ci"]
    low, high = money["profit_ci"]
    rows = [
        (
            "extra favourable outcomes (realized)",
            Cell(money["extra_favourable_outcomes"], "number", 1, low=extra_low, high=extra_high),
        ),
        (
            "extra favourable outcomes (expected by the model)",
            Cell(money["expected_extra_favourable_outcomes"], "number", 1),
        ),
        (
            "incremental profit (realized)",
            Cell(money["profit"], "money", currency=currency, low=low, high=high),
        ),
        (
            "incremental profit (expected by the model)",
            Cell(money["expected_profit"], "money", currency=currency),
        ),
    ]
    text = (
        "What contacting this batch's treated customers earned against leaving them alone "
        "(the control group stands for the outcome without contact), under the decision "
        "card's costs."
    )
    return Section("money", "In money", paragraphs=(text,), table=_one_column(rows))


def _drift_section(document):
    threshold = document.get("psi_alert_threshold", 0.25)
    items = sorted(document.get("drift", {}).items(), key=lambda item: -item[1])
    if document.get("score_psi") is not None:
        items.insert(0, ("predicted uplift (score)", document["score_psi"]))
    rows = []
    for name, value in items:
        status = "high" if value > threshold else ("watch" if value > WATCH_PSI else "")
        words = {"high": "shifted", "watch": "watch", "": "stable"}[status]
        cells = (Cell(value, "number", 3, css=status), Cell(words, css=status))
        rows.append(Row(str(name), cells, key=str(name)))
    reference = document.get("drift_reference")
    paragraphs = ()
    if reference is not None:
        paragraphs = (
            f"This batch is compared with {reference}, from the training data kept in the "
            f"model directory. Above {threshold:g}: shifted (alert); {WATCH_PSI:g} to that: "
            "watch.",
        )
    table = Table((Column("PSI"), Column("status")), tuple(rows), corner="feature")
    return Section(
        "drift",
        "Drift (population stability index)",
        paragraphs=paragraphs,
        table=table if rows else None,
        notes=() if rows else ("No drift reference: nothing to compare.",),
    )


def _holdout_section(document):
    holdout = document.get("holdout")
    if not holdout:
        return None
    needed = holdout.get("control_rows_needed")
    with_treated = (
        f"at least {needed:,} control rows next to {holdout['n_treated']:,} treated ones"
        if needed is not None
        else f"more treated rows than the {holdout['n_treated']:,} of this batch"
    )
    text = (
        f"To tell an uplift of {holdout['detectable_uplift']:.4f} from zero with "
        f"{holdout['power']:.0%} power at {holdout['confidence_level']:.0%} confidence, "
        f"keep {with_treated} (or {holdout.get('per_group_if_equal'):,} per group with an "
        f"even split). This batch has {document.get('n_control', 0):,} control rows."
    )
    return Section("holdout", "Holdout for the next campaign", paragraphs=(text,))


def monitor_report_spec(
    document, *, card=None, title="Model monitoring", source=None, currency="$"
):
    """The monitoring page of one campaign batch, before any format.

    Parameters
    ----------
    document : dict
        The ``monitor.json`` document (``MonitorResult.to_dict()``).
    card : DecisionCard, default=None
        Shown at the end.
    title : str, default="Model monitoring"
    source : str, default=None
        What was monitored (file names), shown under the title.
    currency : str, default="$"

    Returns
    -------
    Report
    """
    sections = (
        _status_section(list(document.get("alerts", []))),
        _uplift_section(document),
        _money_section(document.get("money"), currency),
        _drift_section(document),
        _holdout_section(document),
        None if card is None else Section("card", "Decision card", card=card, boxed=True),
    )
    return Report(
        title,
        tuple(s for s in sections if s is not None),
        eyebrow=f"actionable monitoring · {document['n']:,} rows",
        subtitle=source or "",
        footer=f"Generated by actionable {__version__}.",
    )
