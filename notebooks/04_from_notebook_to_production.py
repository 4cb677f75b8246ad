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
# # 4. From a notebook to production
#
# An uplift model that won in a notebook still has to run every week, on new customers,
# with someone responsible for it. This notebook walks through the whole path with the
# `actionable` command line, on the simulated retention campaign of notebooks 1 and 3:
#
# 1. write the **decision card**: the decision, when it is made, the actions and their
#    costs, the capacity, and who owns the model;
# 2. `actionable fit`: train on a randomized experiment and save a **model directory**;
# 3. `actionable target`: score this week's customers and write the call list;
# 4. `actionable monitor`: after each campaign, compare the uplift it *realized* (on a
#    randomized holdout) with the uplift the model *expected*, and check the inputs for
#    drift, on three batches: a healthy one, one where the call backfires, and one where
#    a feature has drifted.
#
# Everything is written to a temporary directory; the commands are run exactly as you
# would type them in a shell (here through `subprocess`, with this notebook's Python).

# %%
import json
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from actionable.datasets import make_churn
from actionable.decision import DecisionCard
from actionable.models import TLearner, uplift_contributions
from actionable.production import load_model, load_model_directory

# The test suite sets ACTIONABLE_NOTEBOOK_SMALL=1 to run this notebook on a small sample;
# the outputs you read were produced by the full run.
SMALL = os.environ.get("ACTIONABLE_NOTEBOOK_SMALL") == "1"
N_TRAIN = 4_000 if SMALL else 40_000  # the randomized experiment the model learns from
WEEKLY_CUSTOMERS = 5_000  # customers scored each week
N_MONITORED = 10_000  # customers in each monitored campaign batch (half of them a holdout)
SEED = 0

plt.rcParams.update({"figure.dpi": 100, "axes.grid": True, "grid.alpha": 0.3})
workdir = Path(tempfile.mkdtemp(prefix="actionable-production-"))


def actionable(*arguments):
    """Run an `actionable` command as a shell would, print it and its output."""
    print("$ actionable " + shlex.join(str(a) for a in arguments))
    completed = subprocess.run(
        [sys.executable, "-m", "actionable.cli", *map(str, arguments)],
        cwd=workdir,
        capture_output=True,
        text=True,
        check=False,
    )
    print(completed.stdout, end="")
    if completed.returncode != 0:
        raise RuntimeError(f"exit status {completed.returncode}: {completed.stderr}")
    return completed


# %% [markdown]
# ## 1. The decision card
#
# Notebook 1 ended with three questions: *what decision, when, what actions?* The decision
# card writes the answers down, next to the training data, in a small TOML file that
# `actionable fit` reads and copies into the model directory. Times are relative to the
# decision (day 0): the outcome is measured from day 0 to day 90, and each feature
# declares when its value is known (-1: the day before the list is drawn).

# %%
card_text = """\
decision = "whom to call with a retention offer this week"
decision_time = "Monday 08:00, when the week's call list is drawn"
owner = "retention analytics team (on call: crm-models@example.com)"
retraining = "quarterly, on a fresh randomized campaign with a 50% holdout"
rollback = "call the list of the previous model, or nobody; both are one command away"
notes = "y = 1 means retained; the offer is a 20% discount for three months"

[actions]
treated = "a call from the retention team with the discount offer"
control = "no call"

[outcome]
name = "still a customer 90 days after the decision"
window_start = 0
window_end = 90

[costs]
value_per_success = 200.0
cost_per_contact = 10.0
incentive_cost = 50.0
incentive_paid = "on_success"
capacity = 500

[features]
tenure_months = -1
last_login_days = -1
support_tickets = -1
payment_failures = -1
"""
card_path = workdir / "decision.toml"
card_path.write_text(card_text, encoding="utf-8")
card = DecisionCard.from_toml(card_path)
card

# %% [markdown]
# The card is checked, not just stored. A classic way to ruin an uplift model is a
# feature that is only known *after* the decision, such as whether the customer answered
# the retention call. Declared on the card, it is refused by name:

# %%
leaky = card.updated(feature_availability={**card.feature_availability, "answered_call": 3})
try:
    leaky.validate(features=["tenure_months", "answered_call"])
except ValueError as error:
    print(f"ValueError: {error}")

# %% [markdown]
# ## 2. Train: `actionable fit`
#
# The training data is last quarter's randomized campaign: one row per customer, with an
# identifier, the features, the treatment column `offer` (1 = called) and the outcome
# `retained`. `actionable fit` cross-fits the learner (every row gets a prediction from a
# model that did not see it), chooses the targeting rule that maximizes the profit
# measured on those held-out predictions under the card's costs and capacity, refits on
# all rows, and saves everything.


# %%
def as_table(dataset, *, labels=True):
    """A dataset as the CSV a data warehouse would export."""
    table = dataset.X.copy()
    table.insert(0, "customer_id", [f"C{i:06d}" for i in range(dataset.n_samples)])
    if labels:
        table["offer"] = dataset.treatment.to_numpy()
        table["retained"] = dataset.y.to_numpy()
    return table


experiment = make_churn(N_TRAIN, random_state=SEED)
as_table(experiment).to_csv(workdir / "campaign.csv", index=False)
print(f"campaign.csv: {N_TRAIN:,} customers, {experiment.treatment.mean():.0%} called")

# %%
fit = actionable(
    "fit",
    "campaign.csv",
    "--treatment",
    "offer",
    "--treated",
    "1",
    "--outcome",
    "retained",
    "--id",
    "customer_id",
    "--card",
    "decision.toml",
    "--out",
    "model",
    "--quiet",
)

# %% [markdown]
# ## 3. The saved model
#
# The model directory holds the fitted uplift model (and the naive outcome model, for
# reports), the column roles and feature schema, the targeting rule with the evidence
# that chose it, a fingerprint of the training data, the training distributions used to
# detect drift, the decision card, the package versions, and a manifest of sha256 hashes.
# `load_model_directory` verifies every file against the manifest before unpickling
# anything.

# %%
model_dir = workdir / "model"
files = pd.DataFrame(
    [(p.name, p.stat().st_size / 1024) for p in sorted(model_dir.iterdir())],
    columns=["file", "size (KiB)"],
).set_index("file")
saved = load_model_directory(model_dir)
training = saved.documents["training"]
rule = saved.documents["rule"]["rule"]
print(
    f"learner: {training['learner_class']}; cross-validated Qini "
    f"{training['cross_validation']['qini_by_learner'][training['learner']]['mean']:.3f}"
)
print(
    f"trained on {training['data']['n_rows']:,} rows of {training['data']['file']} "
    f"(sha256 {training['data']['sha256'][:12]}...)"
)
print(f"rule: {rule['chosen_by']}; at most {rule['capacity']} calls")
files.round(1)

# %% [markdown]
# A model directory that was changed after it was saved is refused, with the file named:

# %%
tampered = workdir / "model-tampered"
shutil.copytree(model_dir, tampered)
rule_file = tampered / "rule.json"
rule_file.write_text(rule_file.read_text().replace('"capacity": 500', '"capacity": 5000'))
try:
    load_model_directory(tampered)
except ValueError as error:
    print(f"{type(error).__name__}: {str(error).replace(str(workdir), '<workdir>')}")

# %% [markdown]
# ## 4. Score this week's customers: `actionable target`
#
# This week, 5,000 customers come up for renewal (new customers from the same business:
# `make_churn` with another seed). Their file has no treatment or outcome yet. The output
# has one row per customer, the highest priority first: the identifier, the predicted
# uplift, the expected profit of a call (in the card's money, to the cent), `target` = 1
# for the customers to call (at most the card's capacity) and `rank`.

# %%
this_week = make_churn(WEEKLY_CUSTOMERS, random_state=SEED + 1)
as_table(this_week, labels=False).to_csv(workdir / "this_week.csv", index=False)
actionable(
    "target", "--model", "model", "this_week.csv", "--out", "call_list.csv", "--reasons", "3"
)
call_list = pd.read_csv(workdir / "call_list.csv")
call_list.head()

# %% [markdown]
# Because the world is simulated we can look at who is on the list, something no real
# campaign can do:

# %%
on_the_list = set(call_list.loc[call_list["target"] == 1, "customer_id"])
called = as_table(this_week, labels=False)["customer_id"].isin(on_the_list).to_numpy()
pd.DataFrame(
    {
        "on the call list": this_week.customer_type[called].value_counts(normalize=True),
        "all customers this week": this_week.customer_type.value_counts(normalize=True),
    }
).mul(100).round(1)

# %% [markdown]
# ### Why is each customer on the list?
#
# `--reasons 3` added three columns: for each customer to call, the features that move
# the predicted uplift most, in plain words. They are the model's own TreeSHAP
# contributions (computed by LightGBM for each of the T-learner's two models and combined
# so that, with a base value, they add up to the predicted uplift). An agent reads why
# this customer; the model's owner reads what the model relies on:

# %%
call_list.loc[call_list["target"] == 1, ["customer_id", "uplift", "reason_1", "reason_2"]].head()

# %% [markdown]
# Reasons also catch a broken model before it calls anyone. Suppose last quarter's export
# had a column nobody declared on the card, `answered_call`: whether the customer picked
# up the retention call. It is recorded *after* the decision (only called customers can
# answer, and those who answer mostly stay), so this week, before any call, it is 0 for
# everyone. `actionable fit` refuses it without being told: a column that tells who was
# called makes the data look like a non-randomized campaign, and the randomization check
# names it.

# %%
rng = np.random.default_rng(SEED)
leaky_campaign = as_table(experiment)
answers = rng.random(len(leaky_campaign)) < np.where(leaky_campaign["retained"] == 1, 0.9, 0.3)
leaky_campaign["answered_call"] = ((leaky_campaign["offer"] == 1) & answers).astype(int)
leaky_campaign.to_csv(workdir / "campaign_with_answers.csv", index=False)
refused = subprocess.run(
    [sys.executable, "-m", "actionable.cli", "fit", "campaign_with_answers.csv",
     "--treatment", "offer", "--treated", "1", "--outcome", "retained", "--id",
     "customer_id", "--card", "decision.toml", "--out", "refused", "--quiet"],
    cwd=workdir, capture_output=True, text=True, check=False,
)  # fmt: skip
print(refused.stderr.strip())

# %% [markdown]
# A model trained with it anyway, in a notebook with the library's `TLearner`, would give
# itself away in its reasons. It learned "answered the call, stays", and scores every new
# customer as one who will not answer:

# %%
features = leaky_campaign.drop(columns=["customer_id", "offer", "retained"])
leaky_model = TLearner(random_state=SEED).fit(
    features, leaky_campaign["retained"], leaky_campaign["offer"]
)
this_week_features = this_week.X.assign(answered_call=0)
leaky_reasons = leaky_model.explain(this_week_features, top=3)
leaky_reasons["feature_1"].value_counts(normalize=True).mul(100).round(1).head(3).to_frame(
    "% of customers whose first reason it is"
)

# %% [markdown]
# For about half the customers the first reason is `answered_call = 0`: a fact about the
# future, the same for everyone this week, that no customer feature should outweigh. Its
# share of the model's attention says the same:

# %%
drivers = uplift_contributions(leaky_model, this_week_features).global_drivers()
(drivers / drivers.sum()).mul(100).round(1).head(4).to_frame("% of mean |contribution|")

# %% [markdown]
# The model without it (section 2's) gives reasons about the customers themselves: the
# discounts they took before, how long since they last logged in, their contract, their
# spend.

# %%
honest = load_model(workdir / "model").explain(as_table(this_week, labels=False), top=3)
honest["feature_1"].value_counts(normalize=True).mul(100).round(1).head(4).to_frame(
    "% of customers whose first reason it is"
)

# %% [markdown]
# ## 5. Monitor: `actionable monitor`
#
# An uplift model can only be checked against a **randomized holdout**: keep a random part
# of each campaign's list uncalled, and compare the two groups when the outcome window
# closes. `actionable monitor` does that for a labelled batch and raises alerts when
#
# * the **realized uplift** (called minus not-called retention rate, with Newcombe's 95%
#   interval) is below zero: the call *harms*;
# * it is significantly below the uplift the model **expected** (its mean prediction on
#   the batch);
# * a feature's distribution has **drifted** from training: a population stability index
#   (PSI) above 0.25, the usual "act" threshold (Siddiqi 2006);
# * the holdout is too small to measure the expected uplift.
#
# Drift is measured against the right reference. A batch that is the model's own call list
# (its top customers, with a random part held out) is compared with the training customers
# the same rule would have called; a random batch of customers with the whole training
# population. `monitor` tells the two apart from the scores (`--batch` says it explicitly),
# and `--fail-on-alert` makes it exit with status 3 on an alert, for a scheduler.
#
# Four batches, the first three of 10,000 customers, each half called and half held out:
#
# * **healthy**: new customers from the same world;
# * **harmful**: the call does the opposite of what it did in training (for example a
#   script change that offends loyal customers): every customer the call used to keep
#   now leaves because of it, and vice versa;
# * **drifted**: `monthly_spend` is 3 standard deviations higher (for example a price
#   change, or a currency bug in the export), and nothing else changed;
# * **call list**: the set-up we recommend: the model's top 3,000 of 30,000 customers,
#   10% of them held out at random. Its customers do not look like the average customer
#   (that is the point of targeting), yet nothing drifted.

# %%
batches = {}
healthy = make_churn(N_MONITORED, random_state=SEED + 2)
batches["healthy"] = as_table(healthy)

harmful = make_churn(N_MONITORED, random_state=SEED + 3)
batches["harmful"] = as_table(harmful)
called_rows = harmful.treatment.to_numpy() == 1
# flip the effect: called customers get what they would have done without the call, and
# held-out customers what they would have done with it
batches["harmful"]["retained"] = np.where(called_rows, harmful.y0, harmful.y1)

drifted = make_churn(N_MONITORED, random_state=SEED + 4)
batches["drifted"] = as_table(drifted)
spend = batches["drifted"]["monthly_spend"]
batches["drifted"]["monthly_spend"] = spend + 3 * spend.std()

population = make_churn(30_000, random_state=SEED + 5)
everyone = as_table(population)
ranks = load_model(workdir / "model").score(everyone)["rank"]
top = np.flatnonzero(ranks <= 3_000)
kept_back = np.random.default_rng(SEED).random(top.size) < 0.1
call_list_batch = everyone.iloc[top].copy()
call_list_batch["offer"] = (~kept_back).astype(int)
call_list_batch["retained"] = np.where(kept_back, population.y0[top], population.y1[top])
batches["call list"] = call_list_batch

monitored = {}
for name, table in batches.items():
    file = name.replace(" ", "_")
    table.to_csv(workdir / f"{file}.csv", index=False)
    actionable("monitor", "--model", "model", f"{file}.csv", "--out", f"monitor-{file}")
    monitored[name] = json.loads((workdir / f"monitor-{file}" / "monitor.json").read_text())
    print()

# %% [markdown]
# Each run also writes `monitor.html`, a one-page summary for the model's owner. The
# numbers of `monitor.json`, side by side:

# %%
summary = pd.DataFrame(
    {
        name: {
            "rows": document["n"],
            "realized uplift": document["realized_uplift"],
            "95% low": document["ci_low"],
            "95% high": document["ci_high"],
            "expected uplift": document["expected_uplift"],
            "largest feature PSI": max(document["drift"].values()),
            "alerts": len(document["alerts"]),
        }
        for name, document in monitored.items()
    }
).T
summary.insert(6, "feature", [max(d["drift"], key=d["drift"].get) for d in monitored.values()])
summary.astype({"rows": int, "alerts": int}).round(4)

# %%
fig, ax = plt.subplots(figsize=(8, 3.8))
names = list(monitored)
realized = summary["realized uplift"]
ax.errorbar(
    100 * realized,
    names,
    xerr=100 * np.vstack([realized - summary["95% low"], summary["95% high"] - realized]),
    fmt="o",
    capsize=5,
    label="realized uplift (95% CI)",
)
ax.scatter(
    100 * summary["expected uplift"],
    names,
    marker="x",
    s=80,
    color="tab:red",
    label="expected by the model",
    zorder=3,
)
ax.axvline(0, color="black", linewidth=0.8)
ax.set_xlabel("Uplift in retention, called minus held out (percentage points)")
ax.set_title("Monitoring three campaign batches")
ax.invert_yaxis()
ax.legend(loc="lower left")
plt.show()

# %% [markdown]
# ## What the alerts mean for the model's owner
#
# The card names an owner, and the alerts are addressed to them.
#
# * **Healthy**: the realized uplift is within the interval of what the model expected and
#   no input drifted. Nothing to do; keep the holdout for the next batch.
# * **Harmful**: the call now *loses* customers. This is the alert that costs money every
#   day it is ignored: stop the calls (the card's rollback: the previous list, or no calls),
#   then find out what changed in the *action* (script, offer, channel). The model itself
#   may be fine; no amount of retraining on old data fixes a changed treatment.
# * **Drifted**: an input no longer looks like training data, and the model's predictions
#   with it (the expected uplift moves although the customers did not change). First check
#   the data pipeline (a unit or currency change is a bug, not a new world); if the change
#   is real, retrain on a fresh randomized campaign, as the card's retraining plan says.
# * **Call list**: the model's own top customers look nothing like the average customer,
#   and compared with the whole training population every feature would seem to drift;
#   compared with the training customers the rule would have called, nothing has. The
#   monitor says which reference it used (`drift_reference` in `monitor.json`), and
#   measures the uplift the campaign realized on the people it actually targeted.
#
# In each case the randomized holdout is what makes the alert possible: without it there
# is no realized uplift to compare with, only predictions.

# %%
for name, document in monitored.items():
    print(f"{name}:")
    for alert in document["alerts"] or ["no alerts"]:
        print(f"  - {alert}")

# %% [markdown]
# ## Takeaway

# %%
good, bad, drift = monitored["healthy"], monitored["harmful"], monitored["drifted"]
drift_feature = max(drift["drift"], key=drift["drift"].get)
print(
    f"From one batch of {bad['n']:,} customers, the monitor measured a realized uplift of "
    f"{bad['realized_uplift']:+.3f} [{bad['ci_low']:+.3f}, {bad['ci_high']:+.3f}] where the "
    f"model expected {bad['expected_uplift']:+.3f}: {len(bad['alerts'])} alerts, the call "
    f"is harming.\nThe healthy batch realized {good['realized_uplift']:+.3f} "
    f"[{good['ci_low']:+.3f}, {good['ci_high']:+.3f}] against {good['expected_uplift']:+.3f} "
    f"expected ({len(good['alerts'])} alerts); in the drifted batch, {drift_feature!r} has "
    f"PSI {drift['drift'][drift_feature]:.2f} (alert above 0.25)."
)
shutil.rmtree(workdir)

# %% [markdown]
# ## References
#
# * Newcombe, R. G. (1998). Interval estimation for the difference between independent
#   proportions: comparison of eleven methods. *Statistics in Medicine* 17(8), 873-890.
# * Siddiqi, N. (2006). *Credit Risk Scorecards*, chapter 8 (population stability index).
# * Radcliffe, N. J. (2007). Using control groups to target on predicted lift: building
#   and assessing uplift models. *Direct Marketing Analytics Journal*, 14-21.
# * Devriendt, F., Berrevoets, J. and Verbeke, W. (2021). Why you should stop predicting
#   customer churn and start using uplift models. *Information Sciences* 548, 497-515.
