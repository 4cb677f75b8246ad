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
# # 1. The accurate churn model that does not move churn enough
#
# A subscription business wants to keep its customers. Its data science team has a churn
# model with an excellent AUC, and the retention team calls the customers the model ranks
# as most likely to leave, with a discount offer. Churn goes down, but less than it could,
# and the campaign costs more than it should.
#
# This notebook shows why, with numbers, and gives the churn model every chance. The
# business ran a **randomized** retention campaign: a random half of its customers got
# the call and the offer (the *treatment*), the other half got nothing (the *control*).
# On the same training rows we fit
#
# * the **churn model a churn team actually deploys**: a classifier of "will this customer
#   leave?", trained on the customers nobody called, so it learns the risk of leaving if
#   we do nothing;
# * the same churn model trained on all customers, called or not (a shortcut we will see
#   backfire);
# * an **uplift model**: an estimate of "how much does the call change this customer's
#   chance of staying?", the question the retention team actually faces.
#
# Then we score them on the same held-out customers, three times: on AUC (the churn
# model's home ground), on the Qini curve (does the ranking find the customers the call
# keeps?), and in money. Last, we ask when predicting churn would have been enough.
#
# These are exactly the models and the data of `actionable demo`: the figures below are
# the ones its report shows. You need to know scikit-learn; nothing about uplift
# modelling is assumed.

# %%
import os

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from actionable.datasets import make_churn
from actionable.economics import ProfitCurveDisplay
from actionable.metrics import UpliftCurveDisplay
from actionable.models import TLearner
from actionable.paired import CUSTOMER_TYPES, PairedExperiment, risk_uplift_sweep
from actionable.report import PairedReport

# The test suite sets ACTIONABLE_NOTEBOOK_SMALL=1 to run this notebook on a small sample;
# the outputs you read were produced by the full run, with the defaults of `actionable demo`.
SMALL = os.environ.get("ACTIONABLE_NOTEBOOK_SMALL") == "1"
N_CUSTOMERS = 5_000 if SMALL else 50_000
N_BOOTSTRAPS = 100 if SMALL else 500
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
y, treatment = data.y.to_numpy(), data.treatment.to_numpy()
print(data.description.splitlines()[0])
print(
    f"retained (y = 1): {y[treatment == 1].mean():.1%} of called customers, "
    f"{y[treatment == 0].mean():.1%} of customers not called"
)
data.customer_type.value_counts(normalize=True).rename("share of customers").to_frame()

# %%
data.X.head()

# %% [markdown]
# ## The models, on the same rows
#
# `PairedExperiment` keeps 30% of the customers aside for evaluation (stratified on
# treatment x outcome, so both parts have the same mix), fits every model on the same
# 70%, and scores them all on the same held-out customers:
#
# * the **churn model** is an `OutcomeClassifier(train_on="control")`: a LightGBM
#   classifier of staying, fitted on the training customers nobody called.
#   `predict_risk` returns the probability of leaving, P(y = 0), and the retention team
#   calls the highest risks first;
# * its **variant trained on all rows** (`train_on="all"`) ignores who was called;
# * the **uplift model** is a *T-learner* (Künzel et al. 2019): one LightGBM classifier
#   of staying fitted on the called customers, one on the others; the uplift is the
#   difference of their two predicted probabilities, P(stay | called) - P(stay | not
#   called). It is the default learner of `actionable`.
#
# The economics are those of `make_churn`: a retained customer is worth \$200 of margin,
# a call costs \$10, and the offer costs \$50, paid only by customers who accept it and
# stay.

# %%
experiment = PairedExperiment(
    TLearner(random_state=SEED, n_jobs=1),
    n_bootstraps=N_BOOTSTRAPS,
    random_state=SEED,
    progress=False,
    n_jobs=1,
).fit(data)
result = experiment.result_
test = experiment.test_index_
print(f"{result.n_train:,} training and {result.n_test:,} held-out customers")
for policy in result.models.values():
    if policy.trained_on:
        print(f"{policy.label:28} trained on {policy.n_trained:,} rows ({policy.trained_on})")

# %% [markdown]
# ## Round 1: predicting churn (the churn model wins)
#
# A churn team judges its model on customers nobody called, where leaving is what the
# model was built to predict. The AUC is the chance that the model ranks a customer who
# leaves above one who stays; the intervals are DeLong's analytic 95% intervals.

# %%
churn_model = experiment.outcome_model_
not_called = result.treatment_test == 0
accuracy = np.mean(churn_model.predict(data.X.iloc[test[not_called]]) == result.y_test[not_called])
left = result.y_test[not_called] == 0
baseline = max(left.mean(), 1 - left.mean())
pd.DataFrame(
    {
        "AUC for churn": [result.outcome.auc_outcome.estimate],
        "95% low": [result.outcome.auc_outcome.low],
        "95% high": [result.outcome.auc_outcome.high],
        "accuracy": [accuracy],
        "accuracy of always predicting the majority": [baseline],
    },
    index=["churn model"],
).round(3)

# %% [markdown]
# It predicts churn very well. The uplift model's score is a poor predictor of churn, and
# it is not meant to be one: it ranks customers by how much the call *changes* their
# chance of staying.
#
# ## Round 2: the Qini curve (the uplift model wins)
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
# of a perfect ranking (1 is perfect, 0 is random). The intervals come from a bootstrap
# that resamples customers within the called and the not-called groups.

# %%
models = {key: result.policies[key] for key in ("outcome", "outcome_pooled", "uplift")}
pd.DataFrame(
    {
        "Qini coefficient": [p.qini_auc.estimate for p in models.values()],
        "95% low": [p.qini_auc.low for p in models.values()],
        "95% high": [p.qini_auc.high for p in models.values()],
    },
    index=[p.label for p in models.values()],
).round(3)

# %%
fig, ax = plt.subplots(figsize=(8, 4.5))
for i, policy in enumerate(models.values()):
    UpliftCurveDisplay.from_predictions(
        result.y_test,
        policy.score,
        result.treatment_test,
        kind="qini",
        name=policy.label,
        ax=ax,
        plot_random=i == 0,
    )
ax.set_xlabel("Customers called, ranked by the model's score (count)")
ax.set_ylabel("Extra customers retained (count)")
ax.set_title(f"Qini curves on {result.n_test:,} held-out customers")
ax.legend(loc="upper left")
plt.show()

# %% [markdown]
# The churn model trained on customers nobody called still finds many persuadables: they
# are at risk too (they leave without a call). The variant trained on all customers
# does much worse: among called customers, the ones who left include the *sleeping dogs*
# the call drove away, so it learns to rank them as risks and calls them.
#
# ## Round 3: money
#
# Because this business is simulated, we know what every held-out customer would do with
# and without a call, so the profit of calling the top *k* of a score is **exact** (solid
# lines below). The dotted line ranks customers by their true effect, the best any model
# of these features could rank them. Each model is judged at its own best campaign size.

# %%
truth = (result.y0_test, result.y1_test)
fig, ax = plt.subplots(figsize=(8, 4.5))
for i, policy in enumerate(models.values()):
    ProfitCurveDisplay.from_predictions(
        None,
        policy.score,
        None,
        truth=truth,
        oracle_score=data.true_effect[test],
        cost_model=result.cost_model,
        name=policy.label,
        ax=ax,
        x_axis="fraction",
        plot_random=i == 0,
        plot_oracle=i == 0,
        oracle_kwargs={"label": "ranking by the true effect"},
    )
ax.set_xlabel("Share of held-out customers called, by decreasing score (fraction)")
ax.set_title(f"Profit of the retention campaign on {result.n_test:,} held-out customers")
plt.show()

# %%
money = pd.DataFrame(
    {
        "best profit ($)": [p.profit_best.estimate for p in models.values()],
        "share called": [p.best_fraction for p in models.values()],
        "estimated from the randomized rows ($)": [
            p.extra["profit_best_estimated"].estimate for p in models.values()
        ],
        "95% low ($)": [p.extra["profit_best_estimated"].low for p in models.values()],
        "95% high ($)": [p.extra["profit_best_estimated"].high for p in models.values()],
    },
    index=[p.label for p in models.values()],
)
money.loc["ranking by the true effect"] = [
    result.oracle.profit_best.estimate, result.oracle.best_fraction, np.nan, np.nan, np.nan
]  # fmt: skip
print(
    "best profits on the held-out customers: "
    + ", ".join(f"{name} ${value:,.0f}" for name, value in money["best profit ($)"].items())
)
money.round(3)

# %% [markdown]
# The exact profits are those of the held-out customers; real data would only give the
# estimates next to them (from the called and not-called customers among each list), with
# their intervals. How sure are we that the uplift model earns more than the best churn
# model? The difference of their best profits gets a **paired** interval: the same
# bootstrap resamples for both, so what the two lists share cancels out.

# %%
difference = result.advantage
print(
    f"uplift model minus {result.strongest_naive.label.lower()}: ${difference.estimate:,.0f} "
    f"(95% interval ${difference.low:,.0f} to ${difference.high:,.0f}), "
    f"${1000 * difference.estimate / result.n_test:,.0f} per 1,000 customers"
)

# %% [markdown]
# ## Who does each model call?
#
# The reason is in the lists themselves. Take the customers each model ranks first (as
# many as the uplift model calls at its best size) and count their true types. A high
# churn risk is what **lost causes** have (they leave whatever we do) as much as
# **persuadables**, and the churn model cannot tell them apart: part of its list is paid
# for nothing.

# %%
types = pd.DataFrame(
    {p.label: {k: p.customer_types[k].estimate for k in CUSTOMER_TYPES} for p in models.values()}
)
n_called = result.n_contacted
fig, ax = plt.subplots(figsize=(8, 4.0))
(100 * types / n_called).T.plot.barh(
    stacked=True, ax=ax, width=0.6, color=["tab:green", "tab:blue", "tab:grey", "tab:red"]
)
ax.set_xlabel(f"Share of the {n_called:,} customers called first (%)")
ax.set_ylabel("")
ax.set_title("True types of the customers each ranking calls first")
ax.legend(title="customer type", loc="lower right", bbox_to_anchor=(1.0, 1.08), ncol=4)
plt.show()
types.round(0).astype(int)

# %% [markdown]
# ## When does predicting churn suffice?
#
# Here the best churn model earns most of what the uplift model earns. Is that always so?
# The honest answer is: it depends on how churn risk and persuadability line up in the
# business. A churn model ranks by P(persuadable) + P(lost cause), the risk of leaving if
# nothing is done; an uplift model by P(persuadable) - P(sleeping dog). Where the
# customers at risk are mostly the persuadable ones, the two rankings agree; where they
# are mostly lost causes, or where the customers who look at risk are sleeping dogs, they
# do not.
#
# `risk_uplift_sweep` draws simulated businesses with other type mixes and another
# `risk_alignment` (a parameter of `make_churn`: from -1, where the customers at risk are
# the ones a call drives away, to 1, where they are the ones it keeps), and compares the
# *ideal* churn model with the *ideal* uplift model in each (the world's true
# probabilities, so the map shows each business and not a model's noise), each at its
# best campaign size.

# %%
sweep = risk_uplift_sweep(
    cost_model=result.cost_model, n_samples=4_000 if SMALL else 20_000, random_state=SEED
)
fig, ax = plt.subplots(figsize=(8, 4.5))
for marker, (name, group) in zip("osD^", sweep.groupby("world", sort=False), strict=False):
    ax.scatter(group["rank_correlation"], 100 * group["share"], marker=marker, label=name)
here = sweep[(sweep["world"] == "calibrated") & (sweep["risk_alignment"] == 0.0)]
ax.scatter(here["rank_correlation"], 100 * here["share"], s=250, marker="*", color="tab:orange",
           label="this business")  # fmt: skip
ax.axhline(100, color="grey", linestyle="--", linewidth=1)
ax.set_xlabel("How alike churn risk and persuadability rank customers (rank correlation)")
ax.set_ylabel("churn-risk targeting's profit\nas a share of uplift targeting's (%)")
ax.set_title("When does predicting churn suffice?")
ax.legend(title="type mix", fontsize=8)
plt.show()
columns = ["world", "risk_alignment", "rank_correlation", "churn_profit", "uplift_profit", "share"]
sweep[columns].round(2)

# %% [markdown]
# The share rises with the rank correlation. Where the correlation is high, a good churn
# model comes within a few percent of the uplift model, and where the offer is paid only
# by customers who stay it can even beat ranking by the effect alone, because it calls
# lost causes (who cost only the call) rather than sure things (who also take the
# discount). Where it is low, targeting by churn risk leaves most of the money on the
# table. The trouble is that you cannot read the correlation off a churn model: only a
# randomized campaign and an uplift model measure it.
#
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
#
# The verdict of `actionable demo`'s report, computed from the numbers above:

# %%
report = PairedReport(result, title="Churn risk or treatable risk?", landscape=sweep)
for sentence in report.verdict.sentences():
    print(sentence, end="\n\n")

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
