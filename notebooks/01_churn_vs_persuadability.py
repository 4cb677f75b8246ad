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
# # 1. The accurate churn model that does not move churn
#
# A subscription business wants to keep its customers. Its data science team has a churn
# model with a respectable accuracy and AUC, and the retention team calls the customers the
# model ranks as most likely to leave, with a discount offer. Churn does not go down.
#
# This notebook shows why, with numbers. The business ran a **randomized** retention
# campaign: a random half of its customers got the call and the offer (the *treatment*),
# the other half got nothing (the *control*). On the same training rows we fit
#
# * the **churn model**: a classifier of "will this customer leave?", the question churn
#   models answer;
# * an **uplift model**: an estimate of "how much does the call change this customer's
#   chance of staying?", the question the retention team actually faces.
#
# Then we score both on the same held-out customers, three times: on accuracy and AUC
# (the churn model's home ground), on the Qini curve (does the ranking find the customers
# the call keeps?), and in money.
#
# You need to know scikit-learn; nothing about uplift modelling is assumed.

# %%
import os

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from sklearn.metrics import accuracy_score
from sklearn.model_selection import train_test_split

from actionable.datasets import make_churn
from actionable.economics import (
    CostModel,
    ProfitCurveDisplay,
    best_targeting,
    best_targeting_from_truth,
)
from actionable.metrics import UpliftCurveDisplay, qini_auc_score_ci
from actionable.models import OutcomeClassifier, TLearner
from actionable.paired import CUSTOMER_TYPES, auc_interval, estimate_customer_types

# The test suite sets ACTIONABLE_NOTEBOOK_SMALL=1 to run this notebook on a small sample;
# the outputs you read were produced by the full run.
SMALL = os.environ.get("ACTIONABLE_NOTEBOOK_SMALL") == "1"
N_CUSTOMERS = 4_000 if SMALL else 40_000
N_BOOTSTRAPS = 200 if SMALL else 1_000
SEED = 0

plt.rcParams.update({"figure.dpi": 100, "axes.grid": True, "grid.alpha": 0.3})
print(f"{N_CUSTOMERS:,} customers, {N_BOOTSTRAPS:,} bootstrap resamples per interval")

# %% [markdown]
# ## The four kinds of customers
#
# Whether a call is worth making depends on what each customer would do *with* and
# *without* it. With a yes/no outcome (retained or not) and a yes/no action (called or
# not), there are four kinds of customers, a standard vocabulary of the uplift literature
# (Radcliffe and Surry 2011; Devriendt et al. 2021):
#
# | type | without a call | with a call | effect of the call |
# |---|---|---|---|
# | **persuadable** | leaves | stays | +1: the only ones worth paying for |
# | **sure thing** | stays | stays | 0: the call is money spent for nothing |
# | **lost cause** | leaves | leaves | 0: the highest churn risk, and nothing helps |
# | **sleeping dog** | stays | leaves | -1: the call *causes* the loss |
#
# Nobody's type can be observed in real data: each customer is either called or not.
# `make_churn` simulates a business where we *do* know every customer's type, so we can
# check what each model really does. Its customers have the features a churn team would
# have (tenure, contract, plan, usage trend, support tickets, ...).

# %%
data = make_churn(N_CUSTOMERS, random_state=SEED)
X, y, treatment = data.X, data.y.to_numpy(), data.treatment.to_numpy()
print(data.description.splitlines()[0])
print(
    f"retained (y = 1): {y[treatment == 1].mean():.1%} of called customers, "
    f"{y[treatment == 0].mean():.1%} of customers not called"
)
data.customer_type.value_counts(normalize=True).rename("share of customers").to_frame()

# %%
X.head()

# %% [markdown]
# We keep half of the customers aside for evaluation. The split is stratified on
# treatment x outcome so both halves have the same mix; both models are fitted on the
# same training half.

# %%
rows = np.arange(data.n_samples)
train, test = train_test_split(rows, test_size=0.5, stratify=2 * treatment + y, random_state=SEED)
X_train, X_test = X.iloc[train], X.iloc[test]
y_train, y_test = y[train], y[test]
t_train, t_test = treatment[train], treatment[test]
types_test = data.customer_type.to_numpy()[test]
print(f"{train.size:,} training and {test.size:,} held-out customers")

# %% [markdown]
# ## Two models on the same rows
#
# The **churn model** is trained the way churn teams train it: on customers nobody called
# (`train_on="control"`), to predict whether they stay. `predict_risk` returns the
# probability of leaving, P(y = 0), and the retention team calls the highest risks first.
#
# The **uplift model** is a *T-learner* (Künzel et al. 2019): one classifier of staying
# fitted on the called customers, one on the others; the uplift is the difference of their
# two predicted probabilities, P(stay | called) - P(stay | not called). Both models are
# LightGBM classifiers with the same settings.

# %%
churn_model = OutcomeClassifier(train_on="control", framing="churn", random_state=SEED)
churn_model.fit(X_train, y_train, t_train)
uplift_model = TLearner(random_state=SEED).fit(X_train, y_train, t_train)

churn_risk = churn_model.predict_risk(X_test)  # P(leave), higher = call first
uplift = uplift_model.predict(X_test)  # P(stay | call) - P(stay | no call)
scores = {"churn model": churn_risk, "uplift model": uplift}

# %% [markdown]
# ## Round 1: accuracy and AUC (the churn model wins)
#
# On held-out customers who were not called, the question the churn model was built for,
# it predicts who leaves well above chance. The uplift model's score is a poorer predictor
# of churn, and it is not meant to be one: it ranks customers by how much the call
# *changes* their chance of staying, not by how likely they are to leave. The AUC
# intervals are DeLong's analytic 95% intervals.

# %%
not_called = t_test == 0
churned = y_test[not_called] == 0
accuracy = accuracy_score(y_test[not_called], churn_model.predict(X_test.iloc[not_called]))
baseline = max(churned.mean(), 1 - churned.mean())
auc = {name: auc_interval(churned, score[not_called]) for name, score in scores.items()}
round_1 = pd.DataFrame(
    {
        "accuracy": [accuracy, np.nan],
        "AUC for churn": [auc[name].estimate for name in scores],
        "AUC 95% low": [auc[name].low for name in scores],
        "AUC 95% high": [auc[name].high for name in scores],
    },
    index=list(scores),
)
print(f"accuracy of always predicting the majority class: {baseline:.1%}")
round_1.round(3)

# %% [markdown]
# ## Round 2: the Qini curve (the churn model loses)
#
# What the retention team needs is a ranking that puts the customers the call *keeps*
# first. The **Qini curve** (Radcliffe 2007) measures exactly that on randomized data.
# Rank the held-out customers by a score; among the top *k*, count the retained customers
# who were called, *Y_t(k)*, and subtract the retained customers who were not called,
# *Y_c(k)*, scaled to the same number of people:
#
# $$\text{Qini}(k) = Y_t(k) - Y_c(k)\,\frac{N_t(k)}{N_c(k)}$$
#
# That is the number of *extra* customers kept by calling the top *k*. A ranking no better
# than random gives the straight line from 0 to the total effect of calling everyone; the
# **Qini coefficient** is the area between the curve and that line, normalized by the area
# of a perfect ranking (1 is perfect, 0 is random, negative is worse than random). The
# intervals come from a bootstrap that resamples customers within the called and the
# not-called groups.

# %%
qini = {
    name: qini_auc_score_ci(y_test, score, t_test, n_bootstraps=N_BOOTSTRAPS, random_state=SEED)
    for name, score in scores.items()
}
pd.DataFrame(qini, index=["Qini coefficient", "95% low", "95% high", "level"]).T.round(3)

# %%
fig, ax = plt.subplots(figsize=(8, 4.5))
for i, (name, score) in enumerate(scores.items()):
    UpliftCurveDisplay.from_predictions(
        y_test, score, t_test, kind="qini", name=name, ax=ax, plot_random=i == 0
    )
ax.set_xlabel("Customers called, ranked by the model's score (count)")
ax.set_ylabel("Extra customers retained (count)")
ax.set_title(f"Qini curves on {test.size:,} held-out customers")
ax.legend(loc="lower right")
plt.show()

# %% [markdown]
# ## Round 3: money
#
# The economics of the campaign (the defaults of `make_churn`): a retained customer is
# worth \$200 of margin, a call costs \$10, and the offer costs \$50, paid only by
# customers who accept it and stay (`incentive_paid="on_success"`, so sure things cost
# \$60 per call for nothing). `CostModel` holds these numbers.
#
# Because this business is simulated, we know what every held-out customer would do with
# and without a call, so the profit of calling the top *k* of a score is **exact** (solid
# lines below). The dotted line is an oracle that ranks customers by their true effect,
# the ceiling any model could reach.
#
# In a real campaign, only the randomized outcomes are known. `best_targeting` then
# *estimates* the profit of the best *k* from the called and not-called customers among the
# top *k*, with a bootstrap interval: the second table. Profits are relative to calling
# nobody.

# %%
cost_model = CostModel(**data.costs)
truth = (data.y0[test], data.y1[test])

fig, ax = plt.subplots(figsize=(8, 4.5))
displays = {}
for i, (name, score) in enumerate(scores.items()):
    displays[name] = ProfitCurveDisplay.from_predictions(
        None,
        score,
        None,
        truth=truth,
        oracle_score=data.true_effect[test],
        cost_model=cost_model,
        name=name,
        ax=ax,
        x_axis="fraction",
        plot_random=i == 0,
        plot_oracle=i == 0,
        oracle_kwargs={"label": "oracle (ranks by the true effect)"},
    )
ax.set_xlabel("Share of held-out customers called, by decreasing score (fraction)")
ax.set_title(f"Profit of the retention campaign on {test.size:,} held-out customers")
plt.show()

# %%
exact = {
    name: best_targeting_from_truth(*truth, score, cost_model=cost_model)
    for name, score in scores.items()
}
estimated = {
    name: best_targeting(
        y_test,
        score,
        t_test,
        cost_model=cost_model,
        n_bootstraps=N_BOOTSTRAPS,
        random_state=SEED,
    )
    for name, score in scores.items()
}
money = pd.DataFrame(
    {
        "exact best profit ($)": [exact[name].profit for name in scores],
        "customers called": [exact[name].n_targeted for name in scores],
        "estimated best profit ($)": [estimated[name].profit for name in scores],
        "95% low ($)": [estimated[name].profit_interval[0] for name in scores],
        "95% high ($)": [estimated[name].profit_interval[1] for name in scores],
    },
    index=list(scores),
)
money.round(0)

# %% [markdown]
# ## Who does each model call?
#
# The reason is in the lists themselves. Take the 20% of held-out customers each model
# ranks first and count their true types. A high churn risk is what **lost causes** have
# (they leave whatever we do) as much as **persuadables**, and the churn model cannot tell
# them apart: a large part of its list is paid for nothing. The uplift model ranks by the
# difference the call makes, so its list is mostly persuadables. (Sleeping dogs stay when
# left alone, so a churn model trained on customers nobody called sees them as safe; a
# churn model trained on past campaigns, where the call drove them away, would rank them
# as risks and call them too.)

# %%
n_called = int(0.2 * test.size)
contacted = {}
for name, score in scores.items():
    top = np.argsort(-score, kind="stable")[:n_called]
    counts = pd.Series(types_test[top]).value_counts()
    contacted[name] = counts.reindex(CUSTOMER_TYPES, fill_value=0)
contacted["everyone (for reference)"] = (
    pd.Series(types_test).value_counts().reindex(CUSTOMER_TYPES) * n_called / test.size
)
contacted = pd.DataFrame(contacted)

fig, ax = plt.subplots(figsize=(8, 4.5))
(100 * contacted / n_called).T.plot.barh(
    stacked=True, ax=ax, width=0.6, color=["tab:green", "tab:blue", "tab:grey", "tab:red"]
)
ax.set_xlabel(f"Share of the {n_called:,} customers called (%)")
ax.set_ylabel("")
ax.set_title("True types of the customers each ranking calls first (top 20%)")
ax.legend(title="customer type", loc="lower right", bbox_to_anchor=(1.0, 1.08), ncol=4)
plt.show()
shares = 100 * contacted / n_called
print(
    f"lost causes: {shares.loc['lost cause', 'churn model']:.0f}% of the churn model's list, "
    f"{shares.loc['lost cause', 'uplift model']:.0f}% of the uplift model's; persuadables: "
    f"{shares.loc['persuadable', 'churn model']:.0f}% and "
    f"{shares.loc['persuadable', 'uplift model']:.0f}%"
)
contacted.round(0).astype(int)

# %% [markdown]
# On real data the types are hidden, but the randomized outcomes of a list still bound
# them: the retention rate of its called customers estimates persuadables + sure things,
# that of its not-called customers sure things + sleeping dogs. Assuming the least
# mixing consistent with the data, `estimate_customer_types` turns those two rates into
# counts with intervals, here for the churn model's list. The difference of the two
# rates identifies only *persuadables minus sleeping dogs*, so a list with many sleeping
# dogs looks like one with few persuadables.

# %%
top_churn = np.argsort(-churn_risk, kind="stable")[:n_called]
estimate = estimate_customer_types(y_test[top_churn], t_test[top_churn])
pd.DataFrame(
    {
        "true count": contacted["churn model"],
        "estimate": {k: v.estimate for k, v in estimate.items()},
        "95% low": {k: v.low for k, v in estimate.items()},
        "95% high": {k: v.high for k, v in estimate.items()},
    }
).round(0)

# %% [markdown]
# ## Before building any model: three questions
#
# The churn model answered a well-posed question, *who will leave?*, that was not the
# decision's question. Three questions keep a model tied to the decision it informs:
#
# 1. **What decision?** Whom to call with a retention offer, not who will leave. The score
#    must rank by the *effect of the call*, which only randomized data (or a strong
#    causal design) can measure.
# 2. **When?** At the moment the call list is drawn. Every feature must be known then,
#    and the outcome must be measured after it (here: retained at the end of the period).
# 3. **What actions, at what cost?** A \$10 call and a \$50 offer paid on success, for
#    a customer worth \$200. The costs decide how far down the list to go (notebook 3),
#    and the answers belong on a *decision card* that travels with the model to
#    production (notebook 4).
#
# ## Takeaway

# %%
churn, lift = "churn model", "uplift model"
gap = estimated[lift].profit - estimated[churn].profit
print(
    f"On {test.size:,} held-out customers the churn model predicts churn with AUC "
    f"{auc[churn].estimate:.2f} (uplift model: {auc[lift].estimate:.2f}) and "
    f"{accuracy:.0%} accuracy,\nbut its Qini coefficient is {qini[churn].estimate:.3f} "
    f"[{qini[churn].low:.3f}, {qini[churn].high:.3f}] against {qini[lift].estimate:.3f} "
    f"[{qini[lift].low:.3f}, {qini[lift].high:.3f}] for the uplift model.\n"
    f"In money, the best campaign ranked by churn risk earns an estimated "
    f"${estimated[churn].profit:,.0f} [{estimated[churn].profit_interval[0]:,.0f}, "
    f"{estimated[churn].profit_interval[1]:,.0f}];\nranked by uplift, "
    f"${estimated[lift].profit:,.0f} [{estimated[lift].profit_interval[0]:,.0f}, "
    f"{estimated[lift].profit_interval[1]:,.0f}] (exact: ${exact[churn].profit:,.0f} vs "
    f"${exact[lift].profit:,.0f}): ${1000 * gap / test.size:,.0f} more per 1,000 customers."
)

# %% [markdown]
# ## References
#
# * Radcliffe, N. J. (2007). Using control groups to target on predicted lift: building
#   and assessing uplift models. *Direct Marketing Analytics Journal*, 14-21.
# * Radcliffe, N. J. and Surry, P. D. (2011). Real-world uplift modelling with
#   significance-based uplift trees. Stochastic Solutions white paper.
# * Devriendt, F., Berrevoets, J. and Verbeke, W. (2021). Why you should stop predicting
#   customer churn and start using uplift models. *Information Sciences* 548, 497-515.
# * Künzel, S. R., Sekhon, J. S., Bickel, P. J. and Yu, B. (2019). Metalearners for
#   estimating heterogeneous treatment effects using machine learning. *PNAS* 116(10).
# * DeLong, E. R., DeLong, D. M. and Clarke-Pearson, D. L. (1988). Comparing the areas
#   under two or more correlated ROC curves. *Biometrics* 44(3), 837-845.
