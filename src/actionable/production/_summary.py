"""Plain-text summaries of the production steps, as the command line prints them."""

from actionable._format import money, money_digits
from actionable.models import LEARNERS
from actionable.production._average_effect import describe_average_uplift


def _bounds(document):
    """``$10 to $12``: a document's ``profit_low`` and ``profit_high`` in one precision."""
    digits = money_digits(document["profit"], document["profit_low"], document["profit_high"])
    low, high = (money(document[k], digits=digits) for k in ("profit_low", "profit_high"))
    return f"{low} to {high}"


def describe_fit(model):
    """What ``fit`` chose: the learners' cross-validated Qini, the rule and its evidence.

    Parameters
    ----------
    model : SavedModel
        A fitted model.

    Returns
    -------
    str
        A few lines of text.
    """
    training = model.documents["training"]
    qini = training["cross_validation"]["qini_by_learner"]
    names = model.schema.names
    lines = [
        f"model directory: {model.path}",
        f"features ({len(names)}): {', '.join(names[:12])}{' ...' if len(names) > 12 else ''}",
    ]
    if model.roles.is_continuous:
        value = model.card.value_per_unit
        money_words = "" if value is None else f"; money at {money(value)} per unit"
        lines.append(
            f"outcome: {model.roles.outcome}, continuous (uplift in its units{money_words})"
        )
    assignment = training.get("assignment")
    if assignment:  # models saved before the randomization check have none
        lines.append(f"randomization check: {assignment['check']['verdict']}")
        if assignment["weights"] is not None:
            weights = assignment["weights"]
            lines.append(
                f"  rows weighted by their {weights['source']} propensity (clipped to "
                f"[{weights['clip'][0]:g}, {weights['clip'][1]:g}]: {weights['n_clipped']:,} "
                f"rows); worth {weights['effective_rows']:,.0f} randomized rows"
            )
        if assignment.get("average_uplift"):
            lines.append(f"  {describe_average_uplift(assignment['average_uplift'])}")
    by_profit = training.get("selection_by_profit")
    by_qini = len(qini) > 1 and by_profit is None
    for code, entry in sorted(qini.items(), key=lambda item: -item[1]["mean"]):
        mark = "  <- chosen" if by_qini and code == model.learner_name else ""
        lines.append(
            f"  {LEARNERS[code][1]:<22} cross-validated Qini {entry['mean']:+.4f} "
            f"(sd {entry['sd']:.4f}){mark}"
        )
    if by_profit is not None:
        lines.append("  cross-fitted profit of each learner's targeting rule (95% interval):")
        for code, entry in sorted(by_profit["by_learner"].items(), key=lambda i: -i[1]["profit"]):
            mark = "  <- chosen" if code == model.learner_name else ""
            lines.append(
                f"  {LEARNERS[code][1]:<22} {money(entry['profit'])} ({_bounds(entry)}), "
                f"contacts {entry['fraction_contacted']:.1%}{mark}"
            )
        lines.append(f"  chosen because {by_profit['reason']}")
    lines.append(f"rule: {model.rule.chosen_by}")
    selection = model.documents["rule"].get("selection")
    if selection is not None:
        interval = ""
        if selection.get("profit_low") is not None:
            interval = f" (95% interval {_bounds(selection)})"
        lines.append(
            f"  held-out: contacts {selection['fraction']:.1%} of rows, measured profit "
            f"{money(selection['profit'])} on {selection['n_rows']:,} rows{interval}"
        )
    if model.rule.capacity is not None:
        lines.append(f"  capacity: at most {model.rule.capacity:,} contacts per scored file")
    return "\n".join(lines)


def describe_targets(scores, out, rule):
    """``out: 5,000 rows, 500 to contact, expected profit $59,612 (model-based)``."""
    contacted = scores["target"] == 1
    line = f"{out}: {len(scores):,} rows, {int(contacted.sum()):,} to contact"
    if rule.has_costs:
        profit = float(scores.loc[contacted, "expected_profit"].sum())
        line += f", expected profit {money(profit)} (model-based)"
    return line


def describe_rule_evaluation(rule):
    """The saved rule's measured profit on evaluation rows, in one line (or ``""``)."""
    if rule.get("profit") is None or rule.get("profit_low") is None:
        return ""
    return (
        f"saved rule: contacts {rule['fraction_contacted']:.1%} of {rule['n_rows']:,} rows, "
        f"measured profit {money(rule['profit'])} (95% interval {_bounds(rule)})"
    )


def describe_monitoring(result):
    """The monitoring of a batch: realized against expected uplift, money, alerts."""
    lines = [
        f"realized uplift {result.realized_uplift:+.4f} "
        f"[{result.ci_low:+.4f}, {result.ci_high:+.4f}] vs expected "
        f"{result.expected_uplift:+.4f} on {result.n:,} rows "
        f"({result.n_treated:,} treated, {result.n_control:,} control)"
    ]
    if result.outcome_type == "continuous":
        lines[0] += (
            f"; in outcome units: mean {result.treated_rate:.4g} treated against "
            f"{result.control_rate:.4g} control (Welch interval)"
        )
    if result.money is not None:
        low, high = result.money["profit_ci"]
        bounds = _bounds({"profit": result.money["profit"], "profit_low": low, "profit_high": high})
        lines.append(
            f"incremental profit {money(result.money['profit'])} (95% interval {bounds}) "
            f"vs expected {money(result.money['expected_profit'])}"
        )
    if result.reference is None:
        lines.append("drift not measured (no training reference given)")
    else:
        lines.append(f"drift measured against {result.reference}")
    lines += [f"ALERT: {alert}" for alert in result.alerts] or ["no alerts"]
    return "\n".join(lines)


def describe_average_effect(evaluation, unit=""):
    """The average effect an evaluation measured, in one line (or ``""`` without one).

    Parameters
    ----------
    evaluation : Evaluation
        From :meth:`SavedModel.evaluate`.
    unit : str, default=""
        The outcome's name, shown after the figures.

    Returns
    -------
    str
        E.g. ``average effect +7.00 spend (95% interval +1.2 to +12.8, Welch; ...)``.
    """
    interval = evaluation.average_effect
    if interval is None:
        return ""
    unit = f" {unit}" if unit else ""
    how = (
        "the weighted difference of the arms' means"
        if interval.method == "normal"
        else "the difference of the arms' means"
    )
    return (
        f"average effect {interval.estimate:+.4g}{unit} ({interval.confidence_level:.0%} "
        f"interval {interval.low:+.4g} to {interval.high:+.4g}, {interval.method}; {how})"
    )
