"""
Qini coefficients with intervals, and a paired comparison
=========================================================

A Qini coefficient measured on a test set is an estimate: another test set of
the same size would give another value. This example puts a bootstrap interval
on the Qini coefficient of three models, then asks the question that matters
when choosing between two of them: is their difference larger than the
uncertainty? Two separate intervals that overlap do not answer it; a paired
interval, computed on the same resampled rows for both models, does.
"""

# %%
# Three models, one test set
# --------------------------
# A churn model trained on the customers nobody called, and two uplift
# learners, all scored on the same 10,000 test customers of a randomized
# retention campaign.
import matplotlib.pyplot as plt
import numpy as np

from actionable import OutcomeClassifier, SLearner, TLearner, make_churn
from actionable.economics import (
    CostModel,
    best_targeting,
    profit_difference,
)
from actionable.metrics import qini_auc_score, qini_auc_score_ci

train = make_churn(20_000, random_state=0)
test = make_churn(10_000, random_state=1)
y = test.y.to_numpy()
treatment = test.treatment.to_numpy()

churn = OutcomeClassifier(train_on="control", random_state=0)
models = {
    "churn model": churn,
    "T-learner": TLearner(random_state=0),
    "S-learner": SLearner(random_state=0),
}
scores = {}
for name, model in models.items():
    model.fit(train.X, train.y, train.treatment)
    if name == "churn model":
        scores[name] = model.predict_risk(test.X)
    else:
        scores[name] = model.predict(test.X)

# %%
# Each Qini coefficient with its interval
# ---------------------------------------
# :func:`~actionable.metrics.qini_auc_score_ci` resamples the test rows with
# replacement within the called and the not-called groups, recomputes the
# coefficient on each resample (the models stay as trained), and reports the
# 2.5% and 97.5% percentiles of the replicates. 300 resamples keep this
# example fast; the library's default is 1,000.
bootstrap = {"n_bootstraps": 300, "random_state": 0}
intervals = {}
for name, score in scores.items():
    ci = qini_auc_score_ci(y, score, treatment, **bootstrap)
    intervals[name] = ci
    bounds = f"95% interval {ci.low:.3f} to {ci.high:.3f}"
    print(f"{name:12} Qini {ci.estimate:.3f} ({bounds})")

# %%
# Paired differences
# ------------------
# To compare two models, resample the rows once and score both models on the
# same resample; the spread of the differences is the uncertainty of the
# difference. Integer sample weights count a row as many times as it was
# drawn, so each resample is a vector of weights.


def verdict(low, high):
    """Whether the interval of a difference contains zero, in words."""
    if low <= 0 <= high:
        return "within the uncertainty"
    return "larger than the uncertainty"


rng = np.random.default_rng(0)
arms = [np.flatnonzero(treatment == 1), np.flatnonzero(treatment == 0)]
pairs = [("T-learner", "churn model"), ("T-learner", "S-learner")]
replicates = {pair: [] for pair in pairs}
for _ in range(bootstrap["n_bootstraps"]):
    weight = np.zeros(len(y))
    for rows in arms:  # as many draws per arm as the arm has rows
        drawn = rng.choice(rows, rows.size)
        weight += np.bincount(drawn, minlength=len(y))
    qini = {
        name: qini_auc_score(y, score, treatment, sample_weight=weight)
        for name, score in scores.items()
    }
    for first, second in pairs:
        replicates[first, second].append(qini[first] - qini[second])

differences = {}
for first, second in pairs:
    one, other = intervals[first], intervals[second]
    estimate = one.estimate - other.estimate
    low, high = np.quantile(replicates[first, second], [0.025, 0.975])
    differences[first, second] = (estimate, low, high)
    bounds = f"95% paired interval {low:+.4f} to {high:+.4f}"
    print(f"{first} minus {second}: {estimate:+.4f} ({bounds})")
    print(f"  {verdict(low, high)}")
    overlap = one.low <= other.high and other.low <= one.high
    print(f"  do the two separate intervals overlap? {overlap}")

# %%
# Separate intervals against the paired one
# -----------------------------------------
# The models rank the same customers, so a resample that flatters one
# flatters the other too; that shared noise cancels in the paired
# difference. Two separate intervals can overlap while the paired interval
# of the difference stays clear of zero.
fig, (left, right) = plt.subplots(1, 2, figsize=(7.5, 3.4))
names = list(intervals)
left.errorbar(
    [intervals[n].estimate for n in names],
    range(len(names)),
    xerr=[
        [intervals[n].estimate - intervals[n].low for n in names],
        [intervals[n].high - intervals[n].estimate for n in names],
    ],
    fmt="o",
)
left.set_yticks(range(len(names)), names)
left.set_xlabel("Qini coefficient")
left.set_title("Each model (95% interval)", fontsize=10)

labels = [f"{first}\nminus {second}" for first, second in pairs]
values = [differences[pair] for pair in pairs]
right.errorbar(
    [v[0] for v in values],
    range(len(pairs)),
    xerr=[
        [v[0] - v[1] for v in values],
        [v[2] - v[0] for v in values],
    ],
    fmt="o",
    color="tab:orange",
)
right.axvline(0, color="grey", linestyle="--", linewidth=1)
right.set_yticks(range(len(pairs)), labels, fontsize=8)
right.set_ylim(-0.5, len(pairs) - 0.5)
right.set_xlabel("difference of Qini coefficients")
right.set_title("Paired differences (95%)", fontsize=10)
fig.tight_layout()
plt.show()

# %%
# The same question in money
# --------------------------
# :func:`~actionable.economics.profit_difference` is the library's paired
# interval for profits: each model contacts its own most profitable number
# of customers (from :func:`~actionable.economics.best_targeting`), and both
# profits are recomputed on the same resamples.
costs = CostModel.from_dict(test.costs)


def dollars(value):
    """An amount of money as text, e.g. -$831."""
    return f"-${-value:,.0f}" if value < 0 else f"${value:,.0f}"


size = {}
for name, score in scores.items():
    best = best_targeting(
        y,
        score,
        treatment,
        cost_model=costs,
        n_bootstraps=None,
    )
    size[name] = best.n_targeted

for first, second in pairs:
    money = profit_difference(
        y,
        scores[first],
        scores[second],
        treatment,
        n_targeted=size[first],
        other_n_targeted=size[second],
        cost_model=costs,
        **bootstrap,
    )
    low, high = dollars(money.low), dollars(money.high)
    estimate = dollars(money.estimate)
    print(f"{first} minus {second}: {estimate}")
    print(f"  95% paired interval {low} to {high}")
    print(f"  {verdict(money.low, money.high)}")

# %%
# The Qini coefficient summarizes the whole ranking, every campaign size at
# once; the profit is one campaign, of one size, under one set of costs. The
# two verdicts need not agree: a small but steady edge over the whole curve
# can be too small to show in the profit of a single campaign.
