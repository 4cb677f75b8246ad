"""
Profit of a churn model and an uplift model under a call capacity
=================================================================

A ranking is not yet a campaign: someone must decide how many customers to
call, and that depends on money and on people. This example puts both models
of a simulated retention campaign on the scale of money with a
:class:`~actionable.economics.CostModel`, draws their profit curves with 95%
bootstrap bands, and finds the most profitable number of calls when the team
can make at most 1,000 of them.
"""

# %%
# A randomized campaign and two rankings
# --------------------------------------
# ``make_churn`` simulates a subscription business that called a random half
# of its customers with a discount offer. The churn model is trained on the
# customers nobody called, as a churn team would; the uplift model (a
# T-learner) on both arms. Both rank 10,000 new customers of the same
# business.
import matplotlib.pyplot as plt

from actionable import OutcomeClassifier, TLearner, make_churn
from actionable.economics import (
    CostModel,
    ProfitCurveDisplay,
    best_targeting,
    best_targeting_from_truth,
    profit_difference,
)

train = make_churn(20_000, random_state=0)
test = make_churn(10_000, random_state=1)

churn_model = OutcomeClassifier(train_on="control", random_state=0)
churn_model.fit(train.X, train.y, train.treatment)
uplift_model = TLearner(random_state=0)
uplift_model.fit(train.X, train.y, train.treatment)
scores = {
    "churn model": churn_model.predict_risk(test.X),
    "uplift model": uplift_model.predict(test.X),
}

# %%
# The money
# ---------
# A retained customer is worth $200, a call costs $10 and the offer $50,
# paid only by the customers who stay. The team can make 1,000 calls.
costs = CostModel(
    200.0,
    cost_per_contact=10.0,
    incentive_cost=50.0,
    incentive_paid="on_success",
    capacity=1_000,
)
for kind, y0, y1 in [
    ("persuadable", 0, 1),
    ("sure thing", 1, 1),
    ("lost cause", 0, 0),
    ("sleeping dog", 1, 0),
]:
    profit = costs.profit(1, y1 - y0, y1)
    print(f"one call to a {kind}: {profit:+,.0f} dollars")

# %%
# Profit curves with their intervals
# ----------------------------------
# Each curve is estimated from the randomized outcomes of the test customers:
# among the customers a score ranks first, the called and the uncalled
# estimate what calling all of them would earn. The shaded bands are 95%
# bootstrap intervals; the dot marks the best choice within the capacity.
fig, ax = plt.subplots(figsize=(7, 4.5))
for i, (name, score) in enumerate(scores.items()):
    ProfitCurveDisplay.from_predictions(
        test.y,
        score,
        test.treatment,
        cost_model=costs,
        n_bootstraps=200,
        random_state=0,
        name=name,
        ax=ax,
        plot_random=i == 0,
        mark_capacity=i == 0,
    )
ax.set_title("Profit on 10,000 test customers, by number called")
plt.show()

# %%
# The best campaign under the capacity
# ------------------------------------
# ``best_targeting`` maximizes the estimated profit within the capacity and
# also reports the best size without it. Because ``make_churn`` knows every
# customer's outcome with and without a call, the best choice on the exact
# profit curve is printed too (``best_targeting_from_truth``); on real data
# only the estimate exists.
sizes = {}
for name, score in scores.items():
    result = best_targeting(
        test.y,
        score,
        test.treatment,
        cost_model=costs,
        random_state=0,
    )
    exact = best_targeting_from_truth(
        test.y0,
        test.y1,
        score,
        cost_model=costs,
    )
    low, high = result.profit_interval.low, result.profit_interval.high
    best = result.unconstrained
    sizes[name] = result.n_targeted
    print(f"{name}: call {result.n_targeted:,.0f}")
    print(f"  estimated profit ${result.profit:,.0f}")
    print(f"  95% interval ${low:,.0f} to ${high:,.0f}")
    print(f"  exact optimum ${exact.profit:,.0f}")
    print(
        f"  without the cap: call {best.n_targeted:,.0f}",
        f"for ${best.profit:,.0f}",
    )

# %%
# How much more the uplift model earns
# ------------------------------------
# The two campaigns call mostly different customers, but they are measured
# on the same ones. ``profit_difference`` resamples the test customers once
# for both rankings, so the interval of the difference is the one to read,
# not the two intervals above.
difference = profit_difference(
    test.y,
    scores["uplift model"],
    scores["churn model"],
    test.treatment,
    n_targeted=sizes["uplift model"],
    other_n_targeted=sizes["churn model"],
    cost_model=costs,
    random_state=0,
)
print(f"uplift model minus churn model: ${difference.estimate:,.0f}")
print(
    f"95% interval ${difference.low:,.0f}",
    f"to ${difference.high:,.0f}",
)

# %%
# The best size is chosen on the same customers that measure its profit, so
# that profit is slightly optimistic. ``actionable fit`` chooses its
# targeting rule on cross-fitted predictions instead, and ``actionable
# evaluate`` measures it on customers the model never saw.
