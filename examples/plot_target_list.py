"""
A target list under a capacity
==============================

The production path in a few calls: fit a deployable model on a randomized
retention campaign, save it, load it back, and score new customers into a
call list. The team can make 300 calls this week; the model's targeting rule
says whom to call, in which order, and what each call is expected to earn.
"""

# %%
# Fit a deployable model
# ----------------------
# :func:`~actionable.production.fit_model` takes a table, the roles of its
# columns and a decision card with the money. It cross-fits the learner, picks
# the expected-profit threshold that earned most on held-out rows, and refits
# on all rows.
import tempfile
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np

from actionable.datasets import make_churn
from actionable.decision import DecisionCard
from actionable.production import ColumnRoles, fit_model, load_model


def as_table(data, prefix):
    """The data as a warehouse exports it: an id, features, labels."""
    table = data.X.copy()
    ids = [f"{prefix}{i:05d}" for i in range(len(table))]
    table.insert(0, "customer_id", ids)
    table["offer"] = data.treatment.to_numpy()
    table["retained"] = data.y.to_numpy()
    return table


campaign = as_table(make_churn(10_000, random_state=0), "A")
roles = ColumnRoles(
    treatment="offer",
    treated="1",
    outcome="retained",
    id_column="customer_id",
)
card = DecisionCard(
    decision="whom to call with a retention offer this week",
    value_per_success=200.0,
    cost_per_contact=10.0,
    incentive_cost=50.0,
    incentive_paid="on_success",
    capacity=300,
)
model = fit_model(campaign, roles, card=card)
print(model.rule.chosen_by)

# %%
# Save it, load it back
# ---------------------
# The model directory holds the fitted models, the column roles and feature
# schema, the rule, the drift reference, the card and a sha256 manifest that
# :func:`~actionable.production.load_model` checks before unpickling anything.
folder = Path(tempfile.mkdtemp()) / "churn-model"
model.save(folder)
for path in sorted(folder.iterdir()):
    print(f"{path.name:<22} {path.stat().st_size / 1024:8.1f} KiB")
model = load_model(folder)

# %%
# Score this week's customers
# ---------------------------
# New customers from the same business have features only. The list keeps
# the identifier and adds the predicted uplift, the expected profit of a call,
# ``target`` (1 = call) and ``rank``.
week = make_churn(3_000, random_state=1)
customers = as_table(week, "B").drop(columns=["offer", "retained"])
calls = model.score(customers).sort_values("rank")
print(calls.head(8).to_string(index=False))

on_list = calls["target"] == 1
list_profit = calls.loc[on_list, "expected_profit"].sum()
capacity = model.rule.capacity
print(f"\n{int(on_list.sum())} calls (capacity {capacity})")
print(f"expected profit of the list: ${list_profit:,.0f}")

# %%
# What the capacity leaves out
# ----------------------------
# Without the capacity, the rule calls everyone whose expected profit is above
# its threshold. A capacity keeps the best of them. These profits are the
# model's expectation; only a campaign with a random holdout measures them
# (see the monitoring example).
uncapped = model.score(customers, capacity=len(customers))
above = uncapped["target"] == 1
n_rule = int(above.sum())
rule_profit = uncapped.loc[above, "expected_profit"].sum()
print(f"without capacity: {n_rule} calls, ${rule_profit:,.0f}")

profit = np.cumsum(calls["expected_profit"].to_numpy()) / 1000
called = np.arange(1, len(profit) + 1)
fig, ax = plt.subplots(figsize=(6.4, 4.2), layout="constrained")
ax.plot(called, profit, color="tab:blue")
ax.axvline(capacity, color="tab:red", ls="--", label="capacity")
ax.axvline(n_rule, color="tab:gray", ls=":", label="rule's threshold")
ax.set_xlabel("customers called, in the order of the list")
ax.set_ylabel("expected profit (thousand $)")
ax.set_title("Expected profit of calling the top of the list")
ax.legend()
plt.show()

# %%
# Who is on the list
# ------------------
# The world is simulated, so each customer's true type is known (a real
# campaign never knows it). The list should be mostly persuadables.
types = week.customer_type[calls.index[on_list]]
print((100 * types.value_counts(normalize=True)).round(1).to_string())
