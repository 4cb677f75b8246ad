"""The pilot design in plain text, as ``actionable design`` prints it."""

from actionable._format import money, percent


def _per_arm(n):
    return f"{n:,} treated + {n:,} control"


def _goal(design):
    if design.min_gain_share > 0:
        return (
            f"adds {percent(design.min_gain_share)} of perfect targeting's gain over random "
            f"targeting, with probability {percent(design.success_probability)}"
        )
    return f"beats random targeting with probability {percent(design.success_probability)}"


def _model_lines(design):
    if not design.model_grid:
        return ["(b) train an uplift model: not simulated"]
    found = [p for p in design.model_grid if p.n_per_arm == design.model_per_arm]
    last = found[0] if found else design.model_grid[-1]
    size = _per_arm(last.n_per_arm) if found else f"not reached up to {last.n_per_arm:,} per arm"
    share = last.mean_gain / last.oracle_gain if last.oracle_gain > 0 else float("nan")
    lines = [
        f"(b) train a T-learner that {_goal(design)}: {size}",
        f"    {last.successes} of {last.simulations} simulated pilots succeeded "
        f"({percent(last.probability)}, {percent(design.confidence_level)} interval "
        f"{percent(last.low)} to {percent(last.high)}); on average their model added "
        f"{percent(share)} of perfect targeting's gain",
    ]
    before = [p for p in design.model_grid if p.n_per_arm < last.n_per_arm]
    if found and before:
        lines.append(
            f"    {before[-1].n_per_arm:,} per arm: {before[-1].successes} of "
            f"{before[-1].simulations} ({percent(before[-1].probability)})"
        )
    lines.append(f"    success: {design.criterion}")
    return lines


def describe_pilot(design):
    """The pilot design in a few lines: the three sizes, the pilot, its cost, the notes.

    Parameters
    ----------
    design : PilotDesign
        As returned by :func:`design_pilot`.

    Returns
    -------
    str
        A few lines of text.

    Examples
    --------
    >>> from actionable.production import describe_pilot, design_pilot
    >>> print(describe_pilot(design_pilot(0.10, 0.05, 50_000, n_simulations=0)))
    pilot for a base rate of 10.0% and an uplift of +5.0 points, 50,000 customers
    (a) detect the average uplift (two-sided test at 5%, power 80%): 683 treated + 683 control
    (b) train an uplift model: not simulated
    (c) monitor a campaign of 15,000 contacts: 291 control
    pilot: 683 treated + 683 control = 1,366 customers (2.7% of the population)
    cost: no costs given (the pilot in rows only)
    note: (b) was not simulated (n_simulations=0).
    """
    level = percent(1 - design.confidence_level, 1).replace(".0%", "%")
    holdout = "no holdout is enough" if design.holdout is None else f"{design.holdout:,} control"
    lines = [
        f"pilot for a base rate of {percent(design.base_rate, 1)} and an uplift of "
        f"+{100 * design.min_uplift:.1f} points, {design.population:,} customers",
        f"(a) detect the average uplift (two-sided test at {level}, power "
        f"{percent(design.power)}): {_per_arm(design.detect_per_arm)}",
        *_model_lines(design),
        f"(c) monitor a campaign of {design.campaign_size:,} contacts: {holdout}",
        f"pilot: {_per_arm(design.pilot_per_arm)} = {design.pilot_rows:,} customers "
        f"({percent(design.pilot_rows / design.population, 1)} of the population)",
    ]
    if design.costs is None:
        lines.append("cost: no costs given (the pilot in rows only)")
    else:
        lines.append(
            f"cost of the pilot: spend {money(design.spend)} on the treated arm, expected value "
            f"of its incremental successes {money(design.value)}, net cost {money(design.net_cost)}"
        )
    lines += [f"note: {note}" for note in design.notes]
    return "\n".join(lines)
