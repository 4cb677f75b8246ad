"""The plain-language verdict of a paired report, with its numbers."""

from dataclasses import dataclass

from actionable.report._format import earns, interval_text, money, number, percent


@dataclass(frozen=True)
class Verdict:
    """What a manager reads first.

    Parameters
    ----------
    headline : str
        One sentence: what each model's targeting earns or loses at the same size.
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


def _vocabulary(result):
    if result.framing == "churn":
        return {
            "risk": "at highest churn risk",
            "people": "customers",
            "outcome_model": "churn model",
            "predicts": "predicts churn",
        }
    outcome = result.outcome_name or "response"
    return {
        "risk": f"most likely to {outcome}",
        "people": "customers",
        "outcome_model": f"{outcome} model",
        "predicts": f"predicts {outcome}",
    }


def _money_ci(interval, currency):
    bounds = interval_text(interval, lambda v: money(v, currency), brackets=False)
    return f" ({percent(interval.confidence_level)} CI {bounds})" if bounds else ""


def _earns_ci(interval, currency):
    return earns(interval.estimate, currency) + _money_ci(interval, currency)


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


def _types_point(result, words):
    outcome, uplift = result.outcome, result.uplift
    n = result.n_contacted
    lost, sure = _share(outcome, "lost cause", n), _share(outcome, "sure thing", n)
    persuadable = _share(outcome, "persuadable", n)
    if lost is None:
        return None
    dogs = _share(outcome, "sleeping dog", n)
    estimated = "" if result.has_truth else " (estimated from the randomized held-out rows)"
    auc = outcome.auc_outcome
    text = (
        f"The {words['outcome_model']} {words['predicts']} {_how_well(auc.estimate)} "
        f"(AUC {number(auc.estimate, 2)}"
        f"{' ' + interval_text(auc, lambda v: number(v, 2)) if not auc.is_exact else ''}), "
        f"{'but' if auc.estimate >= 0.75 else 'and'} of the {n:,} {words['people']} it would "
        f"contact{estimated}, "
        f"{percent(lost)} are lost causes and {percent(sure)} sure things; "
        f"only {percent(persuadable)} can be persuaded"
    )
    if dogs is not None and dogs >= 0.005:
        text += f", and {percent(dogs)} are sleeping dogs whom the contact drives away"
    text += "."
    uplift_persuadable = _share(uplift, "persuadable", n)
    if uplift_persuadable is not None:
        text += (
            f" Of the uplift model's {n:,} contacts, {percent(uplift_persuadable)} are persuadable."
        )
    return text


def _best_point(result, currency):
    outcome, uplift, oracle = result.outcome, result.uplift, result.oracle
    text = (
        f"At its best size (the top {percent(uplift.best_fraction)}), the uplift model "
        f"{_earns_ci(uplift.profit_best, currency)}"
    )
    if oracle is not None and oracle.profit_best.estimate > 0:
        share = uplift.profit_best.estimate / oracle.profit_best.estimate
        text += (
            f", {percent(share)} of the {money(oracle.profit_best.estimate, currency)} "
            "an oracle that knows each customer's true effect would earn"
        )
    ranking = "churn-risk" if result.framing == "churn" else "outcome"
    if outcome.best_fraction == 0:
        text += (
            f"; with the {ranking} ranking, the best choice is to contact no one, since every "
            "size loses money"
        )
    else:
        text += (
            f"; the best the {ranking} ranking can do is to contact its top "
            f"{percent(outcome.best_fraction)}, which {_earns_ci(outcome.profit_best, currency)}"
        )
    text += f". Contacting everyone {earns(result.random.profit[-1], currency)}."
    return text


def _promise_point(result, currency):
    cost_aware = result.policies.get("cost_aware")
    if cost_aware is None or cost_aware.promised_profit is None:
        return None
    promised = cost_aware.promised_profit.estimate
    realized = cost_aware.realized_profit
    gap = promised - realized.estimate
    how = "actually" if result.has_truth else "is estimated to"
    text = (
        f"A churn team that sizes its campaign by {cost_aware.promised_by} would contact the top "
        f"{percent(cost_aware.best_fraction)} by churn risk and expect to earn "
        f"{money(promised, currency)}; it {how} {_earns_ci(realized, currency)}, "
    )
    if gap > 0:
        text += f"{money(gap, currency)} less than promised."
    else:
        text += f"{money(-gap, currency)} more than promised."
    uplift = result.uplift
    if uplift.realized_profit is not None:
        text += (
            f" The uplift model, sized by {uplift.promised_by}, "
            f"{'earns' if uplift.realized_profit.estimate >= 0 else 'loses'} "
            f"{money(abs(uplift.realized_profit.estimate), currency)}."
        )
    return text


def _recommendation(result, currency):
    outcome, uplift = result.outcome, result.uplift
    u, o = uplift.profit_best, outcome.profit_best
    if u.estimate <= 0 and o.estimate <= 0:
        return (
            "Recommendation: do not run this campaign as priced: no targeting evaluated here "
            "beats contacting no one."
        )
    if u.estimate > o.estimate:
        overlap = not u.is_exact and not o.is_exact and u.low <= o.high
        caution = (
            " The difference is within the uncertainty of these estimates: confirm with a "
            "larger randomized test before scaling up."
            if overlap
            else ""
        )
        return (
            f"Recommendation: target by uplift, contacting the top {percent(uplift.best_fraction)} "
            f"({money(u.estimate, currency)} instead of {money(o.estimate, currency)})." + caution
        )
    return (
        "Recommendation: the outcome-risk ranking does at least as well as the uplift model here "
        f"({money(o.estimate, currency)} vs {money(u.estimate, currency)}); keep it, and keep "
        "measuring the effect of contact with a randomized control group."
    )


def make_verdict(result, currency="$"):
    """Write the verdict of a ``PairedResult`` in plain language.

    Parameters
    ----------
    result : PairedResult
        The paired experiment.
    currency : str, default="$"
        Currency symbol.

    Returns
    -------
    Verdict
        Headline, supporting points and recommendation, each a plain sentence.
    """
    words = _vocabulary(result)
    k = percent(result.k)
    headline = (
        f"Contacting the {k} of {words['people']} {words['risk']} "
        f"{_earns_ci(result.outcome.profit_at_k, currency)}; contacting the {k} with the "
        f"highest uplift {_earns_ci(result.uplift.profit_at_k, currency)}."
    )
    points = [
        p
        for p in (
            _types_point(result, words),
            _best_point(result, currency),
            _promise_point(result, currency),
        )
        if p
    ]
    return Verdict(headline, points, _recommendation(result, currency))
