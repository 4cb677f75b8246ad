"""The outcomes of ``make_churn``'s world, what they are worth, and the world's story.

One world, two ways to measure its campaign. ``"retained"``: 1 if the customer is still
a customer at the end of the period. ``"revenue"``: the monthly revenue kept, the
customer's ``monthly_spend`` if retained and 0 if not (USD). Both come from the same
customers, types and treatment; only the unit of the outcome differs.

The economics are the same too. A retained customer is worth $200 of margin; a dollar
of monthly revenue kept is worth ``REVENUE_HORIZON_MONTHS`` (12) months of it at a
``REVENUE_MARGIN`` of 42%, $5.04, so a customer of average spend (about $39.4 a month)
kept is worth about $199. A call costs $10 in both. The $50 offer is taken up only by
the customers who stay: a cost model valued per unit has no successes to pay it on, so
the revenue world prices it as its expected cost per contact, $50 times the share of
contacted customers who stay (the persuadables and the sure things: 67% with the
default type mix, $33.50). This is exact for a random contact and an approximation for
a targeted one (a targeting that favours lost causes pays less in the retained world).
"""

import numpy as np
import pandas as pd

OUTCOMES = ("retained", "revenue")

RETAINED_VALUE = 200.0
"""The margin of one retained customer (the retained world's ``value_per_success``)."""
REVENUE_HORIZON_MONTHS = 12
"""Months over which a dollar of monthly revenue kept is counted."""
REVENUE_MARGIN = 0.42
"""Margin on a dollar of revenue."""
REVENUE_VALUE_PER_UNIT = REVENUE_HORIZON_MONTHS * REVENUE_MARGIN
"""The money of $1 of monthly revenue kept: 12 months at a 42% margin, $5.04."""
CONTACT_COST = 10.0
OFFER_COST = 50.0

DEFAULT_COSTS = {
    "value_per_success": RETAINED_VALUE,
    "cost_per_contact": CONTACT_COST,
    "incentive_cost": OFFER_COST,
    "incentive_paid": "on_success",
}
"""The retained world's demo economics."""

DESCRIPTION = """\
Synthetic churn world (actionable.datasets.make_churn).

A subscription business ran a randomized retention campaign: a share of customers
(treatment = 1) got a call with a discount offer; the others (treatment = 0) got
nothing. y = 1 means the customer was retained at the end of the period.

Each customer has a latent type, drawn from a multinomial logit of the features:
- persuadable: leaves without the offer, stays with it (price-sensitive, cooling
  usage, many past discounts, spending above the plan's price, monthly contract);
- sure thing: stays either way (loyal, engaged, long contracts);
- lost cause: leaves either way (disengaged, declining usage, support tickets and
  payment failures, little tenure);
- sleeping dog: stays if left alone, leaves when contacted (disengaged customers on
  auto-renew without complaints: the call reminds them they pay for something they
  do not use).
Potential outcomes follow from the type; true_effect = P(persuadable | x) -
P(sleeping dog | x). The risk of leaving if nobody is contacted (what a churn model
trained on the customers nobody called learns) ranks persuadables and lost causes
first, about half each in its top decile, and sleeping dogs low (they stay unless
contacted): half of its first calls are wasted on lost causes. A churn model trained on
all customers, contacted or not, learns the risk after the offer instead: its top
decile is nearly all lost causes.

Features: tenure_months, contract, plan, monthly_spend, addons, usage_trend,
last_login_days, support_tickets, payment_failures, discount_history, auto_renew,
and pure-noise age, region, signup_weekday.
"""
"""The world's story, as ``make_churn``'s ``description`` (the revenue outcome adds its own)."""

_MSG_OUTCOME = "outcome must be 'retained' or 'revenue'; got {value!r}."

REVENUE_DESCRIPTION = """
Outcome: revenue (make_churn(outcome="revenue")). y, y0 and y1 are the monthly revenue
kept, in USD: the customer's monthly_spend if retained, 0 if not (the same customers,
types and treatment as the retained outcome, whose 0/1 is extra["retained"]). The true
effect is monthly_spend * (P(persuadable | x) - P(sleeping dog | x)). Economics:
value_per_unit = 12 months x 42% margin = $5.04 per $1 of monthly revenue kept (a
customer of average spend kept is worth about $199, the retained world's $200); a call
costs $10; the $50 offer, taken up by the customers who stay, is priced as its expected
cost per contact ($50 x the share who stay when contacted), paid on contact.
"""


def check_outcome(outcome):
    """``outcome`` if it is one of ``OUTCOMES``; a ``ValueError`` naming it otherwise."""
    if not isinstance(outcome, str) or outcome not in OUTCOMES:
        raise ValueError(_MSG_OUTCOME.format(value=outcome))
    return outcome


def revenue_costs(stay_if_contacted):
    """The revenue world's demo economics, valued per unit (a dollar of monthly revenue).

    Parameters
    ----------
    stay_if_contacted : float
        Expected share of contacted customers who stay (persuadables and sure things):
        the offer, paid by them, becomes an expected cost per contact.
    """
    return {
        "value_per_unit": REVENUE_VALUE_PER_UNIT,
        "cost_per_contact": CONTACT_COST,
        "incentive_cost": round(OFFER_COST * float(stay_if_contacted), 2),
        "incentive_paid": "on_contact",
    }


def revenue_outcomes(retained, retained_y0, retained_y1, monthly_spend, true_effect):
    """The revenue world's ``(y, y0, y1, true_effect)`` from the retained world's.

    Each customer keeps ``monthly_spend`` of monthly revenue if retained, 0 if not; the
    true effect (a probability difference) scales by the same spend.
    """
    spend = np.asarray(monthly_spend, dtype=np.float64)
    y = pd.Series(np.where(retained == 1, spend, 0.0), name="revenue_kept")
    y0 = np.where(retained_y0 == 1, spend, 0.0)
    y1 = np.where(retained_y1 == 1, spend, 0.0)
    return y, y0, y1, spend * true_effect
