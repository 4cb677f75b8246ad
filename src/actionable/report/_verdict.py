"""The plain-language verdict of a paired report, every sentence computed from its numbers.

The verdict is what a manager reads first: plain words, no acronym. Each technical
measure behind a phrase is named in a tooltip of the HTML page (``TOOLTIPS``) and in
the sections below it. Money is given per 1,000 customers, on the test customers,
and scaled to a stated customer base.
"""

from dataclasses import dataclass

import numpy as np

from actionable._format import earns, money, money_digits, percent
from actionable.paired import training_rows

SIMILAR_SHARE = 0.95
"""Targeting by churn risk "comes within 5%" of uplift targeting at this share or above."""

TOOLTIPS = {
    "ranks a customer who leaves above one who stays": (
        "The AUC (area under the ROC curve) of the churn model on the test customers."
    ),
    "ranks a customer who responds above one who does not": (
        "The AUC (area under the ROC curve) of the response model on the test customers."
    ),
    "the churn literature's expected-profit measure": (
        "EMPC, the expected maximum profit measure for churn (Verbraken, Verbeke and "
        "Baesens, 2013)."
    ),
    "its own profit measure": (
        "MPU, the maximum profit uplift measure (Devriendt, Berrevoets and Verbeke, 2021)."
    ),
    "rank customers alike": "Spearman's rank correlation between churn risk and the true effect.",
}
"""Phrase of the verdict -> the technical name behind it (an HTML tooltip)."""


@dataclass(frozen=True)
class Verdict:
    """What a manager reads first.

    Parameters
    ----------
    headline : str
        One sentence: what targeting by uplift earns compared with the strongest
        naive targeting, each at its best size, with the difference's interval.
    points : list of str
        Why, with the numbers.
    recommendation : str
        What to do.
    """

    headline: str
    points: list
    recommendation: str

    def sentences(self):
        """All sentences in reading order."""
        return [self.headline, *self.points, self.recommendation]


@dataclass(frozen=True)
class MoneyScale:
    """Formats amounts measured on the test customers: as they are, per 1,000, for a base.

    Parameters
    ----------
    currency : str
        Currency symbol.
    n_test : int
        Test customers the amounts were measured on.
    base : int
        Customer base the amounts are scaled to.
    """

    currency: str
    n_test: int
    base: int

    def total(self, value, *, digits=None):
        return money(value, self.currency, digits=digits)

    def with_interval(self, value, interval):
        """An amount and its interval in one precision: ``$86 (95% interval: -$117 to $316)``."""
        if interval is None or interval.is_exact:
            return self.total(value)
        digits = money_digits(value, interval.low, interval.high)
        low, high = (self.total(v, digits=digits) for v in (interval.low, interval.high))
        level = percent(interval.confidence_level)
        return f"{self.total(value, digits=digits)} ({level} interval: {low} to {high})"

    def per_1000(self, value):
        return money(1000.0 * value / self.n_test, self.currency)

    def for_base(self, value):
        return money(value * self.base / self.n_test, self.currency)


def _targeting_words(policy, result):
    """``"churn risk"``, ``"churn risk when contacted"``, ``"uplift"``: what a policy ranks by.

    For a continuous outcome: ``"revenue kept at risk"`` (churn framing, a model
    ranking by the outcome at risk), ``"lowest predicted revenue kept"`` (churn
    framing otherwise) or ``"predicted spend"`` (response framing).
    """
    if policy.key == "uplift":
        return "uplift"
    if result.continuous:
        outcome = result.outcome_name.replace("_", " ")
        if result.framing == "churn" and policy.extra.get("ranks_by") == "outcome at risk":
            base = f"{outcome} at risk"
        else:
            lowest = "lowest " if result.framing == "churn" else ""
            base = f"{lowest}predicted {outcome}"
    else:
        base = "churn risk" if result.framing == "churn" else "predicted response"
    return {
        "all": f"{base} from a model blind to the contact",
        "treated": f"{base} when contacted",
    }.get(policy.trained_on, base)


def _headline(result, fmt):
    uplift, naive = result.uplift, result.strongest_naive
    u, n = uplift.profit_best.estimate, naive.profit_best.estimate
    rival = _targeting_words(naive, result)
    if u <= 0 and n <= 0:
        return (
            f"Neither targeting by uplift nor targeting by {rival} earns money at any "
            f"campaign size on the {result.n_test:,} test customers."
        )
    difference = result.advantage
    gap = abs(u - n)
    detail = (
        f"{fmt.with_interval(gap, _signed(difference, u >= n))} on the {result.n_test:,} test "
        f"customers, about {fmt.for_base(gap)} for a base of "
        f"{fmt.base:,} customers"
    )
    if u > n:
        return (
            f"Targeting by uplift earns {fmt.per_1000(u)} per 1,000 customers, "
            f"{fmt.per_1000(u - n)} more than targeting by {rival} ({fmt.per_1000(n)}): "
            f"{detail}."
        )
    return (
        f"Targeting by {rival} earns as much as targeting by uplift or more: "
        f"{fmt.per_1000(n)} per 1,000 customers against {fmt.per_1000(u)}, a gap of {detail}."
    )


def _signed(interval, uplift_ahead):
    """The advantage interval, turned around when the naive model is ahead."""
    if interval is None or uplift_ahead:
        return interval
    return type(interval)(
        -interval.estimate,
        -interval.high,
        -interval.low,
        interval.confidence_level,
        interval.method,
    )


def _share(policy, kind, n_contacted):
    if policy.customer_types is None or n_contacted == 0:
        return None
    return policy.customer_types[kind].estimate / n_contacted


def _how_well(auc):
    if auc >= 0.75:
        return "well"
    if auc >= 0.65:
        return "fairly well"
    return "only weakly"


def _types_point(result):
    naive, uplift = result.strongest_naive, result.uplift
    n = result.n_contacted
    lost, sure = _share(naive, "lost cause", n), _share(naive, "sure thing", n)
    persuadable = _share(naive, "persuadable", n)
    auc = naive.auc_outcome
    if lost is None or auc is None or not np.isfinite(auc.estimate):
        return None
    churn = result.framing == "churn"
    model = "churn model" if churn else f"{result.outcome_name} model"
    event = "leaves above one who stays" if churn else "responds above one who does not"
    estimated = "" if result.has_truth else f"; estimated from {result.estimated_from}"
    text = (
        f"The {model} predicts {'who leaves' if churn else 'who responds'} "
        f"{_how_well(auc.estimate)}: it ranks a customer who {event} "
        f"{percent(auc.estimate)} of the time. But of the {n:,} customers it would contact "
        f"first (the top {percent(result.k)}{estimated}), {percent(lost)} are lost causes and "
        f"{percent(sure)} sure things, on whom the contact changes nothing; "
        f"{percent(persuadable)} can be persuaded"
    )
    dogs = _share(naive, "sleeping dog", n)
    if dogs is not None and dogs >= 0.005:
        text += f", and {percent(dogs)} are sleeping dogs whom the contact drives away"
    text += "."
    uplift_persuadable = _share(uplift, "persuadable", n)
    if uplift_persuadable is not None:
        text += (
            f" Of the uplift model's first {n:,}, {percent(uplift_persuadable)} can be persuaded."
        )
    return text


def _size_words(policy, fmt):
    if policy.best_fraction == 0:
        return "does best contacting no one, since every campaign size loses money"
    return (
        f"does best contacting its top {percent(policy.best_fraction)}, which "
        f"{earns(policy.profit_best.estimate, fmt.currency)}"
    )


def _best_point(result, fmt):
    uplift, naive, oracle = result.uplift, result.strongest_naive, result.oracle
    text = f"On the {result.n_test:,} test customers, the uplift model {_size_words(uplift, fmt)}"
    if oracle is not None and oracle.profit_best.estimate > 0:
        share = uplift.profit_best.estimate / oracle.profit_best.estimate
        text += (
            f", {percent(share)} of the {fmt.total(oracle.profit_best.estimate)} a ranking by "
            "each customer's true effect would earn"
        )
    text += f"; the ranking by {_targeting_words(naive, result)} {_size_words(naive, fmt)}."
    text += f" Contacting everyone {earns(result.random.profit[-1], fmt.currency)}."
    return text


def _variants_point(result, fmt):
    strongest = result.strongest_naive
    others = [p for p in result.naive.values() if p.key != strongest.key]
    if not others:
        return None
    if result.continuous:
        model = f"model of {result.outcome_name.replace('_', ' ')}"
    else:
        model = "churn model" if result.framing == "churn" else "response model"
    parts = []
    for policy in others:
        if policy.best_fraction == 0:
            outcome = "loses money at every campaign size, so it does best contacting no one"
        else:
            outcome = f"{earns(policy.profit_best.estimate, fmt.currency)} at best"
        parts.append(f"trained on {training_rows(policy)}, it {outcome}")
    return f"The same kind of {model} does no better on other rows: " + "; ".join(parts) + "."


def _average_effect_point(result, fmt):
    """For a continuous outcome: the average effect of contact, in outcome units and money."""
    effect = result.average_effect
    if effect is None or not np.isfinite(effect.estimate):
        return None
    outcome = result.outcome_name.replace("_", " ")
    value = result.cost_model.outcome_value
    change = "raises" if effect.estimate >= 0 else "lowers"
    text = (
        f"On average, the contact {change} a customer's {outcome} by "
        f"{abs(effect.estimate):,.2f} (treated minus control on the {result.n_test:,} test "
        f"customers"
    )
    if np.isfinite(effect.low) and np.isfinite(effect.high):
        text += (
            f"; {percent(effect.confidence_level)} interval {effect.low:+,.2f} to "
            f"{effect.high:+,.2f}"
        )
    text += (
        f"), worth {fmt.total(1000.0 * effect.estimate * value)} per 1,000 customers "
        "contacted before contact and incentive costs."
    )
    return text


def _promise_point(result, fmt):
    cost_aware = result.policies.get("cost_aware")
    if cost_aware is None or cost_aware.promised_profit is None:
        return None
    promised = cost_aware.promised_profit.estimate
    realized = cost_aware.realized_profit
    gap = promised - realized.estimate
    if result.has_truth:
        outcome = f"it actually {earns(realized.estimate, fmt.currency)}"
    else:
        estimate = fmt.with_interval(realized.estimate, realized)
        outcome = f"its profit, estimated from {result.estimated_from}, is {estimate}"
    text = (
        "A churn team that sizes its campaign with the churn literature's expected-profit "
        f"measure would contact the top {percent(cost_aware.best_fraction)} by churn risk and "
        f"expect to earn {fmt.total(promised)}; {outcome}, "
    )
    text += (
        f"{fmt.total(gap)} less than promised."
        if gap > 0
        else f"{fmt.total(-gap)} more than promised."
    )
    uplift = result.uplift
    if uplift.realized_profit is not None:
        text += (
            " The uplift model, sized by its own profit measure, "
            f"{earns(uplift.realized_profit.estimate, fmt.currency)}."
        )
    return text


def landscape_sentence(result, landscape):
    """How much of uplift's profit churn-risk targeting earns, here and across the map."""
    from actionable.paired import locate_world

    naive, uplift = result.strongest_naive, result.uplift
    u = uplift.profit_best.estimate
    if u <= 0:
        return None
    rival = _targeting_words(naive, result)
    here = "In this business" if result.has_truth else "Here"
    text = (
        f"{here}, targeting by {rival} earns {percent(naive.profit_best.estimate / u)} of what "
        "targeting by uplift earns."
    )
    if landscape is None or len(landscape) == 0:
        return text
    shares = landscape["share"].to_numpy(dtype=float)
    rhos = landscape["rank_correlation"].to_numpy(dtype=float)
    finite = np.isfinite(shares)
    text += (
        f" Across the {len(landscape)} simulated businesses of the map, ideal churn-risk "
        f"targeting earns from {percent(shares[finite].min())} to "
        f"{percent(shares[finite].max())} of what ideal uplift targeting earns"
    )
    close = finite & (shares >= SIMILAR_SHARE)
    row = locate_world(landscape, result.world)
    here_rho = "" if row is None else f"; {rhos[row]:.2f} in this business"
    if close.any():
        text += (
            f"; it comes within {percent(1 - SIMILAR_SHARE)} of uplift only where churn risk "
            f"and persuadability rank customers alike (a rank correlation of "
            f"{rhos[close].min():.2f} or more{here_rho})."
        )
    else:
        text += f"; in none does it come within {percent(1 - SIMILAR_SHARE)} of uplift."
    return text


def _recommendation(result, fmt):
    uplift, naive = result.uplift, result.strongest_naive
    u, n = uplift.profit_best, naive.profit_best
    if u.estimate <= 0 and n.estimate <= 0:
        return (
            "Recommendation: do not run this campaign as priced: no targeting evaluated here "
            "beats contacting no one."
        )
    difference = result.advantage
    uncertain = (
        difference is not None
        and not difference.is_exact
        and difference.low <= 0 <= difference.high
    )
    if u.estimate > n.estimate:
        text = (
            f"Recommendation: target by uplift, contacting the top {percent(uplift.best_fraction)} "
            f"({fmt.total(u.estimate)} on the test customers instead of {fmt.total(n.estimate)})."
        )
        if uncertain:
            text += (
                " The difference is within the uncertainty of these estimates: confirm it with "
                "a larger randomized test before scaling up."
            )
        return text
    text = (
        f"Recommendation: targeting by {_targeting_words(naive, result)} does at least "
        f"as well as the uplift model here ({fmt.total(n.estimate)} against "
        f"{fmt.total(u.estimate)}); keep it, and keep measuring the effect of contact with a "
        "randomized control group."
    )
    if uncertain:
        text += " The difference is within the uncertainty of these estimates."
    return text


def money_scale(result, currency="$", customer_base=None):
    """The ``MoneyScale`` of a result: its test customers, scaled to ``customer_base``.

    ``None`` scales to the rows of the data (training plus test).
    """
    if customer_base is None:
        customer_base = result.n_train + result.n_test
    elif isinstance(customer_base, bool) or not isinstance(customer_base, int) or customer_base < 1:
        raise ValueError(
            f"customer_base must be a positive whole number of customers; got {customer_base!r}."
        )
    return MoneyScale(currency, result.n_test, int(customer_base))


def make_verdict(result, currency="$", *, customer_base=None, landscape=None):
    """Write the verdict of a ``PairedResult`` in plain language.

    Parameters
    ----------
    result : PairedResult
        The paired experiment.
    currency : str, default="$"
        Currency symbol.
    customer_base : int, default=None
        Number of customers the money is scaled to; ``None`` uses the rows of the
        data (training plus test).
    landscape : pandas.DataFrame, default=None
        A ``risk_uplift_sweep``: adds where this business stands on the map.

    Returns
    -------
    Verdict
        Headline, supporting points and recommendation, each a plain sentence.
    """
    fmt = money_scale(result, currency, customer_base)
    points = [
        p
        for p in (
            _average_effect_point(result, fmt),
            _types_point(result),
            _best_point(result, fmt),
            _variants_point(result, fmt),
            _promise_point(result, fmt),
            landscape_sentence(result, landscape),
        )
        if p
    ]
    return Verdict(_headline(result, fmt), points, _recommendation(result, fmt))
