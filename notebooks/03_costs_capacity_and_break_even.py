# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 3. Costs, capacity and break-even: how far down the list?
#
# Notebook 1 showed that ranking customers by uplift beats ranking them by churn risk.
# A ranking is not yet a decision: someone must decide how many customers to call, and
# that depends on money (what a retained customer is worth, what a call and an offer
# cost, and when the offer is paid) and on people (how many calls the team can make).
# This notebook uses `actionable`'s **cost simulator** to answer four questions:
#
# 1. Does it matter whether the offer is paid **on contact** or **on success**?
# 2. What does a **capacity limit**, a team that can make 500 calls a week, do to the
#    best policy, and what is one more call worth?
# 3. For which customer values and costs does targeting pay at all (a **break-even map**)?
# 4. A team without a randomized experiment must first run one: **how big a pilot**, and
#    what does it cost?
#
# Evaluating targeting by profit rather than by accuracy follows Verbeke et al. (2012)
# for churn models and Devriendt et al. (2021) for uplift models.

# %%
import os

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from sklearn.model_selection import train_test_split

from actionable.datasets import make_churn
from actionable.economics import (
    CostModel,
    ProfitCurveDisplay,
    best_targeting,
    best_targeting_from_truth,
    break_even_sweep,
    profit_curve_from_truth,
)
from actionable.models import OutcomeClassifier, TLearner
from actionable.paired import customer_types_of
from actionable.production import describe_pilot, design_pilot

# The test suite sets ACTIONABLE_NOTEBOOK_SMALL=1 to run this notebook on a small sample;
# the outputs you read were produced by the full run.
SMALL = os.environ.get("ACTIONABLE_NOTEBOOK_SMALL") == "1"
N_CUSTOMERS = 4_000 if SMALL else 40_000  # the randomized experiment
N_WEEKS = 4 if SMALL else 26  # weekly batches simulated in section 2
N_BOOTSTRAPS = 200 if SMALL else 1_000
WEEKLY_CUSTOMERS, CALLS_PER_WEEK = 5_000, 500
SEED = 0

plt.rcParams.update({"figure.dpi": 100, "axes.grid": True, "grid.alpha": 0.3})

# %% [markdown]
# ## The experiment and the models
#
# The same simulated retention campaign as in notebook 1 (`make_churn`: randomized calls
# with a discount offer, every customer's potential outcomes known). Half of it trains a
# churn model (on customers nobody called) and a T-learner uplift model; the other half
# is held out. The T-learner also predicts each customer's chance of staying *if called*
# (`predict_outcomes`), which we will need for offers paid on success.

# %%
data = make_churn(N_CUSTOMERS, random_state=SEED)
X, y, treatment = data.X, data.y.to_numpy(), data.treatment.to_numpy()
train, test = train_test_split(
    np.arange(data.n_samples), test_size=0.5, stratify=2 * treatment + y, random_state=SEED
)
churn_model = OutcomeClassifier(train_on="control", random_state=SEED)
churn_model.fit(X.iloc[train], y[train], treatment[train])
uplift_model = TLearner(random_state=SEED).fit(X.iloc[train], y[train], treatment[train])

X_test, y_test, t_test = X.iloc[test], y[test], treatment[test]
y0, y1 = data.y0[test], data.y1[test]  # known only because the world is simulated
churn_risk = churn_model.predict_risk(X_test)
uplift = uplift_model.predict(X_test)
stay_if_called = uplift_model.predict_outcomes(X_test)[:, 1]  # P(stay | called)
print(f"{train.size:,} training and {test.size:,} held-out customers")

# %% [markdown]
# ## The cost model
#
# `CostModel` holds the economics. Calling a customer whose outcome would be `y0` without
# the call and `y1` with it earns, relative to not calling,
#
# $$\text{profit} = v\,(y_1 - y_0) - c - i \cdot \text{paid},$$
#
# with $v$ the value of a retained customer, $c$ the cost of the call, $i$ the cost of the
# offer, and "paid" equal to 1 when the offer is paid **on contact** (everyone called
# gets it), or to $y_1$ when it is paid **on success** (only customers who stay use the
# discount). Here $v$ = \$200, $c$ = \$10, $i$ = \$50. What one call earns, by customer
# type, computed with `CostModel.profit`:

# %%
on_contact = CostModel(
    200.0, cost_per_contact=10.0, incentive_cost=50.0, incentive_paid="on_contact"
)
on_success = on_contact.replace(incentive_paid="on_success")
types = pd.DataFrame({"y0": [0, 1, 0, 1], "y1": [1, 1, 0, 0]})
types.index = customer_types_of(types["y0"], types["y1"])
for name, costs in (("offer paid on contact", on_contact), ("offer paid on success", on_success)):
    types[f"{name} ($)"] = costs.profit(1, types["y1"] - types["y0"], types["y1"])
types

# %% [markdown]
# Paid on success, the offer costs nothing for lost causes (they leave anyway) and for
# sleeping dogs, but it is paid to every **sure thing**, who would have stayed without it.
# So the best ranking is no longer the uplift alone: the expected profit of calling a
# customer is $v\,\text{uplift} - c - i\,P(\text{stay} \mid \text{called})$, and among
# customers with the same uplift, those likely to stay anyway cost more. We compare three
# rankings: churn risk, uplift, and this **expected profit**.
#
# ## 1. Offer paid on contact or on success?
#
# Exact profit curves on the held-out customers (we know their potential outcomes), for
# each ranking and each way of paying the offer:

# %%
rankings = {
    "churn risk": churn_risk,
    "uplift": uplift,
    "expected profit": None,  # depends on the cost model
}


def scores_for(costs):
    """The three rankings; expected profit = v * uplift - c - i * (1 or P(stay | called))."""
    return {**rankings, "expected profit": costs.profit(1, uplift, stay_if_called)}


fig, axes = plt.subplots(1, 2, figsize=(12, 4.5), sharey=True)
incentive_rows = []
for ax, (title, costs) in zip(
    axes,
    (("offer paid on contact", on_contact), ("offer paid on success", on_success)),
    strict=True,
):
    for i, (name, score) in enumerate(scores_for(costs).items()):
        ProfitCurveDisplay.from_predictions(
            None,
            score,
            None,
            truth=(y0, y1),
            cost_model=costs,
            name=name,
            ax=ax,
            oracle_score=data.true_effect[test] if i == 0 else None,
            plot_random=i == 0,
            plot_oracle=i == 0,
            x_axis="fraction",
            oracle_kwargs={"label": "oracle (true effect)"},
        )
        exact = best_targeting_from_truth(y0, y1, score, cost_model=costs)
        estimate = best_targeting(
            y_test, score, t_test, cost_model=costs, n_bootstraps=N_BOOTSTRAPS, random_state=SEED
        )
        incentive_rows.append(
            {
                "offer paid": costs.incentive_paid.replace("_", " "),
                "ranking": name,
                "customers called": exact.n_targeted,
                "exact profit ($)": exact.profit,
                "estimated profit ($)": estimate.profit,
                "95% low ($)": estimate.profit_interval.low,
                "95% high ($)": estimate.profit_interval.high,
            }
        )
    ax.set_title(title)
    ax.set_xlabel("Share of held-out customers called, by decreasing score (fraction)")
fig.suptitle(f"Profit of the campaign on {test.size:,} held-out customers")
plt.tight_layout()
plt.show()
incentive_table = pd.DataFrame(incentive_rows).set_index(["offer paid", "ranking"])
incentive_table.round(0)

# %% [markdown]
# The exact columns are what this held-out sample would really earn; the estimated
# columns are what an analyst would measure from the randomized outcomes alone, with a
# bootstrap interval. Paying on success makes every ranking more profitable (lost causes
# no longer cost \$60 each) and lets the campaign go further down the list. Paid on
# contact, the expected profit is $200 \cdot \text{uplift} - 60$, which orders customers
# exactly as the uplift does: the two rankings coincide. Paid on success, two customers
# with the same uplift can cost different amounts, so the rankings differ; in this world
# they earn about the same, because the customers at the top of both lists would nearly
# all stay if called, and so nearly all cost the offer either way. Ranking by expected
# profit is still the safer default, the one that follows the money whatever the costs,
# and it is what the targeting rule of `actionable fit` does (notebook 4).
#
# ## 2. A team that can make 500 calls a week
#
# Each week, 5,000 customers come up for renewal, and the retention team can make 500
# calls. `CostModel(capacity=500)` caps the number of contacts; `best_targeting` then
# returns both the best policy under the cap and the unconstrained optimum. We score 26
# simulated weeks of fresh customers (`make_churn` with other seeds: the same world, new
# people) with the models fitted above, to see the week-to-week spread.

# %%
capped = on_success.replace(capacity=CALLS_PER_WEEK)
weekly = []
for week in range(1, N_WEEKS + 1):
    batch = make_churn(WEEKLY_CUSTOMERS, random_state=SEED + week)
    batch_uplift = uplift_model.predict(batch.X)
    batch_scores = {
        "churn risk": churn_model.predict_risk(batch.X),
        "uplift": batch_uplift,
        "expected profit": capped.profit(
            1, batch_uplift, uplift_model.predict_outcomes(batch.X)[:, 1]
        ),
    }
    for name, score in batch_scores.items():
        result = best_targeting_from_truth(batch.y0, batch.y1, score, cost_model=capped)
        n_targeted, profit = profit_curve_from_truth(batch.y0, batch.y1, score, cost_model=capped)
        extra_100 = np.interp(CALLS_PER_WEEK + 100, n_targeted, profit) - np.interp(
            CALLS_PER_WEEK, n_targeted, profit
        )
        weekly.append(
            {
                "week": week,
                "ranking": name,
                "calls (capped)": result.n_targeted,
                "profit with 500 calls ($)": result.profit,
                "calls without cap": result.unconstrained.n_targeted,
                "profit without cap ($)": result.unconstrained.profit,
                "value of call 501 to 600 ($ per call)": extra_100 / 100,
            }
        )
weekly = pd.DataFrame(weekly)
summary = weekly.drop(columns="week").groupby("ranking", sort=False)
capacity_table = (
    summary.mean()
    .join(summary["profit with 500 calls ($)"].quantile(0.025).rename("2.5% of weeks ($)"))
    .join(summary["profit with 500 calls ($)"].quantile(0.975).rename("97.5% of weeks ($)"))
)
print(f"average over {N_WEEKS} weeks of {WEEKLY_CUSTOMERS:,} customers")
capacity_table.round(0)

# %%
fig, ax = plt.subplots(figsize=(8, 4.5))
for i, (name, score) in enumerate(batch_scores.items()):
    ProfitCurveDisplay.from_predictions(
        None,
        score,
        None,
        truth=(batch.y0, batch.y1),
        cost_model=capped,
        name=name,
        ax=ax,
        oracle_score=batch.true_effect if i == 0 else None,
        plot_random=i == 0,
        plot_oracle=i == 0,
        mark_capacity=i == 0,
        oracle_kwargs={"label": "oracle (true effect)"},
    )
ax.set_xlabel(f"Customers called this week (count, of {WEEKLY_CUSTOMERS:,})")
ax.set_title(f"One week (week {week}): profit by number of calls, offer paid on success")
ax.legend(loc="lower center", ncol=2)
plt.show()

# %% [markdown]
# The cap binds: without it, the best number of calls is well above 500, so the team
# leaves money on the table every week. The last column prices that: each call between
# the 501st and the 600th would still earn the amount shown, so an extra agent is worth
# hiring if one costs less than that per call. Under a cap, the *order* of the list matters
# most, because only its top is ever called: that is where the churn-risk ranking loses
# the most.
#
# ## 3. Break-even maps: when does targeting pay at all?
#
# The value of a retained customer and the cost of the offer are rarely known exactly.
# `break_even_sweep` recomputes the best policy of each ranking over a grid of values and
# costs, estimated from the randomized held-out outcomes as an analyst would on real data
# (keeping the 500-in-5,000 capacity as a 10% share of the customers scored, and requiring
# at least 30 called and 30 not-called customers behind any choice). For each offer cost,
# it also reports the **break-even value**: the smallest customer value at which the
# ranking makes money at all.

# %%
values = np.array([50, 75, 100, 150, 200, 300, 400])
offer_costs = np.array([0, 10, 25, 50, 75, 100])
share_capped = on_success.replace(capacity=CALLS_PER_WEEK / WEEKLY_CUSTOMERS)
sweep = break_even_sweep(
    y_test,
    {"churn risk": churn_risk, "uplift": uplift},
    t_test,
    cost_model=share_capped,
    value_per_success=values,
    incentive_cost=offer_costs,
)
per_1000 = 1000 / test.size
sweep["best profit per 1,000 ($)"] = sweep["best_profit"] * per_1000
maps = {
    policy: sweep[sweep["policy"] == policy].pivot(
        index="incentive_cost", columns="value_per_success", values="best profit per 1,000 ($)"
    )
    for policy in ("uplift", "churn risk")
}
advantage = maps["uplift"] - maps["churn risk"]

fig, axes = plt.subplots(1, 2, figsize=(13, 4.8))
for ax, (title, table, cmap) in zip(
    axes,
    (
        ("Best profit, ranking by uplift", maps["uplift"], "viridis"),
        ("Uplift ranking minus churn-risk ranking", advantage, "PuOr"),
    ),
    strict=True,
):
    limit = np.abs(table.to_numpy()).max()
    image = ax.imshow(
        table.to_numpy(),
        origin="lower",
        aspect="auto",
        cmap=cmap,
        vmin=0 if cmap == "viridis" else -limit,
        vmax=limit,
    )
    ax.set_xticks(range(len(values)), [f"{v:,.0f}" for v in values])
    ax.set_yticks(range(len(offer_costs)), [f"{c:,.0f}" for c in offer_costs])
    ax.set_xlabel("Value of a retained customer ($)")
    ax.set_ylabel("Cost of the offer, paid on success ($)")
    ax.set_title(title)
    ax.grid(False)
    for (row, column), amount in np.ndenumerate(table.to_numpy()):
        dark = amount < 0.6 * limit if cmap == "viridis" else abs(amount) > 0.6 * limit
        ax.text(
            column,
            row,
            f"{amount:,.0f}",
            ha="center",
            va="center",
            fontsize=8,
            color="white" if dark else "black",
        )
    fig.colorbar(image, ax=ax, label="Profit per 1,000 customers scored ($)")
fig.suptitle(
    f"Break-even maps: $10 per call, at most {CALLS_PER_WEEK / WEEKLY_CUSTOMERS:.0%} "
    "of customers called"
)
plt.tight_layout()
plt.show()

# %% [markdown]
# The same numbers as tables (rows: offer cost, columns: value of a retained customer),
# then the break-even value of each ranking for each offer cost. A cell at 0 means the
# best choice is to call nobody.

# %%
maps["uplift"].round(0)

# %%
advantage.round(0)

# %%
break_even = sweep.drop_duplicates(["policy", "incentive_cost"]).pivot(
    index="incentive_cost", columns="policy", values="break_even_value"
)
break_even.columns.name = "break-even value of a retained customer ($)"
break_even.round(0)

# %% [markdown]
# ## 4. How big a pilot?
#
# Everything above started from a randomized experiment of 40,000 customers. A team that
# has none must first run a pilot: some customers called at random, others not.
# `design_pilot` sizes it from what the team knows beforehand (the share of customers who
# stay without a call, the smallest uplift worth acting on, the costs, the number of
# customers) for three purposes, each in treated and control customers:
#
# * (a) to **detect the average uplift**: a two-sided test of two proportions (Fleiss,
#   Levin & Paik 2003);
# * (b) to **train an uplift model that beats random targeting** in 80% of pilots: a
#   simulation on a `make_churn` world with the same base rate and uplift, where each
#   simulated pilot trains a T-learner and is judged by the true profit of the calls it
#   chooses;
# * (c) to **monitor the campaign** that follows: the holdout it needs (notebook 4).
#
# Here: the base rate of this notebook's control group, an uplift of 3 points worth
# detecting, a customer base of 50,000, the offer paid on success and the team's capacity
# of 10% of the customers. The pilot is the larger of (a) and (b); its cost is what its
# treated arm spends less the value of the customers it keeps.

# %%
base_rate = round(float(y[treatment == 0].mean()), 2)  # stay without a call
pilot = design_pilot(
    base_rate,
    0.03,
    50_000,
    costs=share_capped,
    n_simulations=10 if SMALL else 40,
    random_state=SEED,
)
print(describe_pilot(pilot))
pd.DataFrame(pilot.to_dict()["model_grid"]).round(2)

# %% [markdown]
# The table lists the pilot sizes the simulation tried for (b), each with how many
# simulated pilots trained a model that beat random targeting, the interval of that
# probability, and what the model's calls earned more than random calls on average
# (`mean_gain`, against `oracle_gain` for perfect targeting), for a campaign on the whole
# customer base. A model that beats random targeting needs far fewer customers than a
# test that detects a 3-point uplift: what makes the pilot expensive is proving that the
# call works at all. Beating random is a low bar, and the simulated world's features say
# more about customers than real ones often do (`min_gain_share` and `sharpness` ask for
# more); the user guide's page *Pilot design* (`docs/user-guide/pilot-design.md`) explains
# the simulation and its limits.
#
# ## Takeaway

# %%
expected, churn_row = capacity_table.loc["expected profit"], capacity_table.loc["churn risk"]
on_contact_best = incentive_table.loc[("on contact", "uplift")]
on_success_best = incentive_table.loc[("on success", "uplift")]
print(
    f"Paying the offer on success instead of on contact raises the uplift ranking's estimated "
    f"profit on {test.size:,} customers from ${on_contact_best['estimated profit ($)']:,.0f} "
    f"[{on_contact_best['95% low ($)']:,.0f}, {on_contact_best['95% high ($)']:,.0f}] to "
    f"${on_success_best['estimated profit ($)']:,.0f} [{on_success_best['95% low ($)']:,.0f}, "
    f"{on_success_best['95% high ($)']:,.0f}].\n"
    f"With {CALLS_PER_WEEK} calls a week, ranking by expected profit earns "
    f"${expected['profit with 500 calls ($)']:,.0f} a week on average (95% of weeks between "
    f"${expected['2.5% of weeks ($)']:,.0f} and ${expected['97.5% of weeks ($)']:,.0f}), "
    f"ranking by churn risk ${churn_row['profit with 500 calls ($)']:,.0f};\n"
    f"without the cap the best policy would make {expected['calls without cap']:,.0f} calls "
    f"and earn ${expected['profit without cap ($)']:,.0f}, and calls 501 to 600 would earn "
    f"${expected['value of call 501 to 600 ($ per call)']:,.0f} each.\n"
    f"Without an experiment, a pilot to detect a 3-point uplift needs "
    f"{pilot.pilot_per_arm:,} customers called and as many not called, and costs "
    f"${pilot.net_cost:,.0f} net."
)

# %% [markdown]
# ## References
#
# * Verbeke, W., Dejaeger, K., Martens, D., Hur, J. and Baesens, B. (2012). New insights
#   into churn prediction in the telecommunication sector: a profit driven data mining
#   approach. *European Journal of Operational Research* 218(1), 211-229.
# * Devriendt, F., Berrevoets, J. and Verbeke, W. (2021). Why you should stop predicting
#   customer churn and start using uplift models. *Information Sciences* 548, 497-515.
# * Radcliffe, N. J. (2007). Using control groups to target on predicted lift: building
#   and assessing uplift models. *Direct Marketing Analytics Journal*, 14-21.
# * Fleiss, J. L., Levin, B. and Paik, M. C. (2003). *Statistical Methods for Rates and
#   Proportions*, 3rd edition, chapter 4. Wiley.
