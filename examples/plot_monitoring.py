"""
Monitoring a campaign against its holdout
=========================================

A deployed uplift model promises an uplift for the customers it targets. Only
a randomized holdout (customers on the list who are not contacted) tells
whether the promise holds. Here the model's call list runs twice: once in a
healthy week, and once after the call stopped working (a new script, say):
called customers now do what they would have done without the call.
"""

# %%
# A deployed model
# ----------------
import json
import tempfile

import matplotlib.pyplot as plt
import numpy as np

from actionable.datasets import make_churn
from actionable.decision import DecisionCard
from actionable.production import (
    ColumnRoles,
    describe_monitoring,
    fit_model,
)
from actionable.report import MonitorReport

past = make_churn(10_000, random_state=0)  # last quarter's campaign
campaign = past.X.assign(offer=past.treatment, retained=past.y)
card = DecisionCard(
    value_per_success=200.0,
    cost_per_contact=10.0,
    incentive_cost=50.0,
    incentive_paid="on_success",
)
roles = ColumnRoles("offer", "1", "retained")
model = fit_model(campaign, roles, card=card)

# %%
# This week's call list, with a random holdout
# --------------------------------------------
# The model picks its top 1,500 of 15,000 customers; a random 20% of them are
# kept back. In a real campaign the outcomes arrive weeks later; here the
# simulated world gives each customer's outcome with and without the call.
world = make_churn(15_000, random_state=1)
calls = model.score(world.X, capacity=1_500)
rows = np.flatnonzero(calls["target"].to_numpy() == 1)
kept_back = np.random.default_rng(0).random(rows.size) < 0.2
batch = world.X.iloc[rows].assign(offer=np.where(kept_back, 0, 1))

outcome = np.where(kept_back, world.y0[rows], world.y1[rows])
healthy = batch.assign(retained=outcome)
# the call stopped working: nobody's outcome depends on it any more
stopped = batch.assign(retained=world.y0[rows])

# %%
# Realized against promised
# -------------------------
# :meth:`~actionable.production.SavedModel.monitor` compares the retention of
# the called and kept-back customers (the realized uplift, with its interval)
# with the model's mean predicted uplift for the same rows, in money too, and
# checks every feature for drift against the training customers the rule
# would have called.
results = {}
batches = {"healthy": healthy, "call stopped working": stopped}
for name, frame in batches.items():
    results[name] = model.monitor(frame)
    print(f"== {name}\n{describe_monitoring(results[name])}\n")

# %%
names = list(results)
realized = np.array([results[n].realized_uplift for n in names])
low = np.array([results[n].ci_low for n in names])
high = np.array([results[n].ci_high for n in names])
expected = np.array([results[n].expected_uplift for n in names])

fig, ax = plt.subplots(figsize=(6.4, 3.2), layout="constrained")
ax.errorbar(
    100 * realized,
    names,
    xerr=100 * np.vstack([realized - low, high - realized]),
    fmt="o",
    capsize=5,
    label="realized (95% interval)",
)
ax.scatter(
    100 * expected,
    names,
    marker="x",
    s=80,
    color="tab:red",
    label="promised by the model",
    zorder=3,
)
ax.axvline(0, color="black", linewidth=0.8)
ax.set_xlabel("uplift in retention, called minus kept back (points)")
ax.set_ylim(-0.6, 1.6)
ax.set_title("Realized against promised uplift of the call list")
ax.invert_yaxis()
ax.legend(loc="center")
plt.show()

# %%
# What monitor.json holds
# -----------------------
# :class:`~actionable.report.MonitorReport` writes ``monitor.json`` and a
# one-page ``monitor.html``, as ``actionable monitor`` does. A scheduler can
# read the alerts from the JSON (or use ``--fail-on-alert``).
stopped_result = results["call stopped working"]
report = MonitorReport(stopped_result, card=model.card)
folder = report.write(tempfile.mkdtemp())
document = json.loads((folder / "monitor.json").read_text())
print(sorted(document))
for alert in document["alerts"]:
    print("ALERT:", alert)

# %%
# The alert is addressed to the model's owner. The model did not change; the
# action did. Retraining on the old campaign would not help: stop the calls
# (or roll back), find what changed in the call itself, and measure again on
# the next batch with its holdout.
