"""
The four customer types, and who each model calls
=================================================

Every customer is a persuadable (stays only if called), a sure thing (stays
anyway), a lost cause (leaves anyway) or a sleeping dog (leaves because
called). Real data never shows a customer's type, since each customer is
either called or not. ``make_churn`` simulates a business where the types
are known, so this example sets the estimate a randomized test gives next to
the truth, and counts the types in the top decile of two churn models and of
an uplift model.
"""

# %%
# A simulated business with known types
# -------------------------------------
# ``customer_type`` holds each customer's true type; ``y0`` and ``y1`` hold the
# outcome without and with the call (1 = retained), from which
# :func:`~actionable.paired.customer_types_of` names the same types.
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from actionable import OutcomeClassifier, TLearner, make_churn
from actionable.paired import (
    CUSTOMER_TYPES,
    customer_types_of,
    estimate_customer_types,
)

train = make_churn(20_000, random_state=0)
test = make_churn(10_000, random_state=1)
true_type = np.asarray(test.customer_type, dtype=object)
assert (customer_types_of(test.y0, test.y1) == true_type).all()

y = test.y.to_numpy()
called = test.treatment.to_numpy()
outcomes = pd.crosstab(
    pd.Series(true_type, name="type"),
    [test.y0, test.y1],
    colnames=["y0", "y1"],
)
print(outcomes.reindex(list(CUSTOMER_TYPES)))

# %%
# What a randomized test can tell
# -------------------------------
# :func:`~actionable.paired.estimate_customer_types` sees only ``y`` and who
# was called. The retention rate of the called customers estimates
# persuadables plus sure things; that of the others, sure things plus sleeping
# dogs. Their difference is persuadables minus sleeping dogs, and the function
# assumes the smaller of the two is absent. Across the whole base, which holds
# sleeping dogs, that assumption fails: the estimate finds none, and about as
# many persuadables too few.


def type_table(rows):
    """True and estimated number of each type among ``rows``."""
    estimate = estimate_customer_types(y[rows], called[rows])
    truth = pd.Series(true_type[rows]).value_counts()
    table = pd.DataFrame(
        [
            [truth.get(kind, 0), count.estimate, count.low, count.high]
            for kind, count in estimate.items()
        ],
        index=list(estimate),
        columns=["true", "estimate", "95% low", "95% high"],
    )
    return table.round(0)


everyone = np.arange(len(y))
print(type_table(everyone))
truth = type_table(everyone)["true"]
difference = truth["persuadable"] - truth["sleeping dog"]
print(f"true persuadables minus sleeping dogs: {difference:.0f}")

# %%
# Three models, their top deciles
# -------------------------------
# The churn model a churn team deploys learns the risk of leaving from the
# customers nobody called; a variant learns it from every customer, called
# or not; the uplift model (a T-learner) learns how much the call changes
# the chance of staying. Each calls its top 10%.
churn = OutcomeClassifier(train_on="control", random_state=0)
pooled = OutcomeClassifier(train_on="all", random_state=0)
uplift = TLearner(random_state=0)
for model in (churn, pooled, uplift):
    model.fit(train.X, train.y, train.treatment)

scores = {
    "churn model": churn.predict_risk(test.X),
    "churn model, all rows": pooled.predict_risk(test.X),
    "uplift model": uplift.predict(test.X),
}
n_top = len(y) // 10
top = {}
for name, score in scores.items():
    top[name] = np.argsort(-score)[:n_top]  # the highest scores first
for name, rows in top.items():
    print(f"\n{name}: top {n_top:,} customers")
    print(type_table(rows))

# %%
# Where each top decile falls
# ---------------------------
# The bars are the true types; the whole base is shown for reference. A
# high churn risk belongs to lost causes as much as to persuadables: the
# churn model's list pays for both. The variant trained on every customer
# also saw sleeping dogs leave after a call, and ranks lost causes first.
groups = {"whole base": everyone, **top}
shares = pd.DataFrame()
for name, rows in groups.items():
    counts = pd.Series(true_type[rows]).value_counts(normalize=True)
    shares[name] = counts.reindex(list(CUSTOMER_TYPES), fill_value=0.0)
print((100 * shares).round(1))

colors = ["tab:green", "tab:blue", "tab:grey", "tab:red"]
fig, ax = plt.subplots(figsize=(7, 3.6))
(100 * shares.T[::-1]).plot.barh(
    stacked=True,
    ax=ax,
    color=colors,
    width=0.6,
)
ax.set_xlabel("share of the group (%)")
ax.set_title("True types: the whole base and each model's top decile")
ax.legend(ncol=4, loc="lower center", bbox_to_anchor=(0.4, -0.42))
fig.tight_layout()
plt.show()

# %%
# The estimate against the truth
# ------------------------------
# Within each top decile, the estimate (dots, with 95% intervals) lands near
# the true count (crosses) wherever one of persuadables and sleeping dogs is
# rare, which the estimate assumes.
fig, axes = plt.subplots(1, 3, figsize=(7.5, 3.2), sharey=True)
positions = np.arange(len(CUSTOMER_TYPES))
for ax, (name, rows) in zip(axes, top.items(), strict=True):
    table = type_table(rows)
    errors = [
        table["estimate"] - table["95% low"],
        table["95% high"] - table["estimate"],
    ]
    ax.errorbar(
        positions,
        table["estimate"],
        yerr=errors,
        fmt="o",
        label="estimate",
    )
    ax.plot(positions, table["true"], "kx", markersize=9, label="truth")
    ax.set_xticks(
        positions,
        [kind.replace(" ", "\n") for kind in CUSTOMER_TYPES],
        fontsize=7,
    )
    ax.set_title(name, fontsize=9)
axes[0].set_ylabel(f"customers among the top {n_top:,}")
axes[0].legend(fontsize=8)
fig.tight_layout()
plt.show()
