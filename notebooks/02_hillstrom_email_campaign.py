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
# # 2. A real e-mail campaign: who should get which e-mail?
#
# In 2008 Kevin Hillstrom published the data of a real e-mail experiment as the
# *MineThatData E-Mail Analytics and Data Mining Challenge* (Hillstrom 2008). 64,000
# customers who had bought within the last twelve months were split **at random** into
# three groups: one got an e-mail featuring men's merchandise, one an e-mail featuring
# women's merchandise, and one no e-mail (the control). For two weeks afterwards the
# company recorded who visited the website, who bought, and how much they spent.
# The data ships with `actionable`, so this notebook runs offline.
#
# We ask the questions a marketing team would ask, and attach an interval to every
# answer, because on real data every number is an estimate:
#
# 1. Did each e-mail work, and how much?
# 2. Does a **response model** (who visits?) pick the right people, or does it take an
#    **uplift model** (who visits *because of* the e-mail?)
# 3. Which e-mail should each customer get, if any?

# %%
import os

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from sklearn.model_selection import train_test_split

from actionable.datasets import load_hillstrom
from actionable.economics import (
    CostModel,
    ProfitCurveDisplay,
    best_targeting,
    policy_profit,
    profit_difference,
)
from actionable.metrics import UpliftCurveDisplay, qini_auc_score_ci, uplift_at_k_ci
from actionable.models import OutcomeClassifier, TLearner
from actionable.production import difference_of_proportions_interval

# The test suite sets ACTIONABLE_NOTEBOOK_SMALL=1 to run this notebook on a small sample;
# the outputs you read were produced by the full run, on all 64,000 customers.
SMALL = os.environ.get("ACTIONABLE_NOTEBOOK_SMALL") == "1"
N_CUSTOMERS = 12_000 if SMALL else None  # None: all of them
N_BOOTSTRAPS = 200 if SMALL else 1_000
SEED = 0

plt.rcParams.update({"figure.dpi": 100, "axes.grid": True, "grid.alpha": 0.3})

# %% [markdown]
# `load_hillstrom(arms="all")` keeps the three groups: `treatment` holds the arm names
# `"mens"`, `"womens"` and `"none"`. The outcome is a website **visit** within two weeks
# (purchases are too rare, under 1%, to learn much from). The features are what the
# company knew before the e-mail: months since the last purchase (`recency`), spend over
# the past year (`history`), whether the customer bought men's (`mens`) or women's
# (`womens`) merchandise, zip-code type, whether they are new, and purchase channel.

# %%
data = load_hillstrom(arms="all", outcome="visit")
X, y, arm = data.X, data.y.to_numpy(), data.treatment.to_numpy()
if N_CUSTOMERS is not None:
    keep, _ = train_test_split(
        np.arange(data.n_samples), train_size=N_CUSTOMERS, stratify=arm, random_state=SEED
    )
    keep = np.sort(keep)
    X, y, arm = X.iloc[keep].reset_index(drop=True), y[keep], arm[keep]
EMAILS = ("mens", "womens")
print(f"{len(y):,} customers")
X.head()

# %% [markdown]
# ## 1. Did the e-mails work?
#
# Because the groups were formed at random, the difference between a group's visit rate
# and the control's visit rate is the e-mail's average effect, its **uplift**. The
# intervals are Newcombe's 95% interval for a difference of two proportions.

# %%
campaign = {}
control = arm == "none"
for email in EMAILS:
    sent = arm == email
    uplift = difference_of_proportions_interval(
        y[sent].sum(), sent.sum(), y[control].sum(), control.sum()
    )
    campaign[email] = {
        "customers": int(sent.sum()),
        "visit rate": y[sent].mean(),
        "uplift vs no e-mail": uplift.estimate,
        "95% low": uplift.low,
        "95% high": uplift.high,
    }
campaign["none"] = {"customers": int(control.sum()), "visit rate": y[control].mean()}
campaign = pd.DataFrame(campaign).T
percent = ["visit rate", "uplift vs no e-mail", "95% low", "95% high"]
(campaign[percent] * 100).round(2).add_suffix(" (%)").join(campaign["customers"].astype(int))

# %%
fig, ax = plt.subplots(figsize=(7, 3))
effects = campaign.loc[list(EMAILS)]
ax.barh(
    ["men's e-mail", "women's e-mail"],
    100 * effects["uplift vs no e-mail"],
    xerr=100
    * np.vstack(
        [
            effects["uplift vs no e-mail"] - effects["95% low"],
            effects["95% high"] - effects["uplift vs no e-mail"],
        ]
    ).astype(float),
    color=["tab:blue", "tab:purple"],
    capsize=4,
)
ax.set_xlabel("Extra visits per 100 customers e-mailed (percentage points, 95% CI)")
ax.set_title("Average effect of each e-mail on website visits within two weeks")
plt.show()

# %% [markdown]
# Both e-mails bring visits on average. But an average hides who the e-mail moves, and
# an e-mail is not free: with an illustrative **\$2 of margin per visit** and
# **\$0.10 per e-mail** (Hillstrom published no costs; these are `data.costs`, see the
# dataset card), an e-mail pays for itself only for customers whose visit probability it
# raises by more than 0.10 / 2 = 5 points.
#
# ## 2. Response model or uplift model?
#
# Half of the customers train the models, the other half evaluates them (split stratified
# on arm x visit).
#
# * A **response model** is what many teams build. It comes in two honest versions, and
#   we give both their chance: fitted on the customers who were *not* e-mailed, it learns
#   who visits anyway (the "if we do nothing" model, the analogue of a churn team's
#   model); fitted on the e-mailed customers, it learns who visits after an e-mail (the
#   response model of the last campaign's recipients). Each targets its likeliest
#   visitors.
# * The **uplift model** is a T-learner fitted on all three groups at once
#   (`control_label="none"`): one visit model per group, and for each e-mail the
#   difference between its model and the no-e-mail model. `predict` returns one uplift
#   column per e-mail, in the order of `treatment_labels_`.

# %%
rows = np.arange(len(y))
train, test = train_test_split(
    rows, test_size=0.5, stratify=np.char.add(arm.astype(str), y.astype(str)), random_state=SEED
)
NAIVE = {"not e-mailed": "control", "e-mailed": "treated"}  # name -> rows it learns from
response_models = {
    name: OutcomeClassifier(
        train_on=learns_from, control_label="none", framing="response", random_state=SEED
    ).fit(X.iloc[train], y[train], arm[train])
    for name, learns_from in NAIVE.items()
}
uplift_model = TLearner(control_label="none", random_state=SEED).fit(
    X.iloc[train], y[train], arm[train]
)

X_test, y_test, arm_test = X.iloc[test], y[test], arm[test]
response = {name: model.predict_risk(X_test) for name, model in response_models.items()}
uplift = pd.DataFrame(uplift_model.predict(X_test), columns=uplift_model.treatment_labels_)
print("uplift columns:", list(uplift.columns))
uplift.describe().T.round(3)

# %% [markdown]
# Each e-mail is evaluated on the held-out customers who got it and the held-out control
# customers, exactly like a two-group experiment. The **Qini coefficient** (Radcliffe
# 2007) measures how well a score ranks the customers the e-mail moves first (0 is no
# better than random); **uplift at 30%** is the visit rate difference, e-mailed minus not,
# among the 30% ranked first. Both intervals come from a bootstrap that resamples
# customers within each group.


# %%
def arm_rows(email):
    """Held-out rows of one e-mail and of the control, with 0/1 treatment flags."""
    rows = (arm_test == email) | (arm_test == "none")
    return rows, (arm_test[rows] == email).astype(int)


def scores_for(email, rows):
    """Each model's targeting score on ``rows``: the two response models, then uplift."""
    scores = {f"response ({name})": score[rows] for name, score in response.items()}
    scores["uplift"] = uplift[email].to_numpy()[rows]
    return scores


evaluation = []
for email in EMAILS:
    rows, flags = arm_rows(email)
    for model, score in scores_for(email, rows).items():
        qini = qini_auc_score_ci(
            y_test[rows], score, flags, n_bootstraps=N_BOOTSTRAPS, random_state=SEED
        )
        at_30 = uplift_at_k_ci(
            y_test[rows], score, flags, k=0.3, n_bootstraps=N_BOOTSTRAPS, random_state=SEED
        )
        evaluation.append(
            {
                "e-mail": email,
                "model": model,
                "Qini": qini.estimate,
                "Qini 95% CI": f"[{qini.low:+.3f}, {qini.high:+.3f}]",
                "uplift at 30%": at_30.estimate,
                "uplift at 30% 95% CI": f"[{at_30.low:+.3f}, {at_30.high:+.3f}]",
            }
        )
evaluation = pd.DataFrame(evaluation).set_index(["e-mail", "model"])
evaluation.round(3)

# %%
fig, axes = plt.subplots(1, 2, figsize=(12, 4.5))
for ax, email in zip(axes, EMAILS, strict=True):
    rows, flags = arm_rows(email)
    for i, (model, score) in enumerate(scores_for(email, rows).items()):
        UpliftCurveDisplay.from_predictions(
            y_test[rows], score, flags, name=f"{model} model", ax=ax, plot_random=i == 0
        )
    ax.set_title(f"{'Men' if email == 'mens' else 'Women'}'s e-mail vs no e-mail")
    ax.set_xlabel(f"Customers targeted, by decreasing score (count of {rows.sum():,})")
    ax.set_ylabel("Extra visits (count)")
    ax.legend(loc="lower right")
fig.suptitle("Qini curves on held-out customers")
plt.tight_layout()
plt.show()

# %% [markdown]
# In money: the profit of e-mailing the top *k* customers of each score, estimated from the
# randomized outcomes of the held-out customers, with a pointwise 95% bootstrap band. The
# dot marks each score's best *k*; the dashed line is e-mailing at random.

# %%
cost_model = CostModel(**data.costs)
print(cost_model)
profits = []
fig, axes = plt.subplots(1, 2, figsize=(12, 4.5))
for ax, email in zip(axes, EMAILS, strict=True):
    rows, flags = arm_rows(email)
    for i, (model, score) in enumerate(scores_for(email, rows).items()):
        ProfitCurveDisplay.from_predictions(
            y_test[rows],
            score,
            flags,
            cost_model=cost_model,
            name=f"{model} model",
            n_bootstraps=N_BOOTSTRAPS,
            random_state=SEED,
            ax=ax,
            x_axis="fraction",
            plot_random=i == 0,
        )
        best = best_targeting(
            y_test[rows],
            score,
            flags,
            cost_model=cost_model,
            n_bootstraps=N_BOOTSTRAPS,
            random_state=SEED,
        )
        profits.append(
            {
                "e-mail": email,
                "model": model,
                "best share e-mailed": best.fraction,
                "profit ($)": best.profit,
                "95% low ($)": best.profit_interval.low,
                "95% high ($)": best.profit_interval.high,
                "n_targeted": best.n_targeted,
            }
        )
    ax.set_title(
        f"{'Men' if email == 'mens' else 'Women'}'s e-mail ({rows.sum():,} held-out customers)"
    )
    ax.set_xlabel("Share of held-out customers e-mailed, by decreasing score (fraction)")
fig.suptitle("Profit of e-mailing the top of each ranking")
plt.tight_layout()
plt.show()
profits = pd.DataFrame(profits).set_index(["e-mail", "model"])
profits.round(2)

# %% [markdown]
# Read the intervals before the point estimates. The profit of the best *k* is chosen on
# the same rows that measure it, so it is optimistic for every score alike; what matters
# is how the scores compare. The uplift model is compared with the *stronger* response
# model for each e-mail, and the difference of their best profits gets a **paired**
# interval (`profit_difference`: the same bootstrap resamples for both, so what the two
# lists share cancels out).

# %%
comparison = []
for email in EMAILS:
    rows, flags = arm_rows(email)
    scores = scores_for(email, rows)
    table = profits.loc[email]
    rival = table.drop(index="uplift")["profit ($)"].idxmax()
    paired = profit_difference(
        y_test[rows],
        scores["uplift"],
        scores[rival],
        flags,
        n_targeted=table.loc["uplift", "n_targeted"],
        other_n_targeted=table.loc[rival, "n_targeted"],
        cost_model=cost_model,
        n_bootstraps=N_BOOTSTRAPS,
        random_state=SEED,
    )
    comparison.append(
        {
            "e-mail": email,
            "stronger response model": rival,
            "uplift minus it ($)": paired.estimate,
            "95% low ($)": paired.low,
            "95% high ($)": paired.high,
            "within the uncertainty": bool(paired.low <= 0 <= paired.high),
        }
    )
comparison = pd.DataFrame(comparison).set_index("e-mail")
comparison.round(2)
#
# ## 3. Which e-mail to whom?
#
# A first answer needs no model: the randomized groups can be compared within any segment
# defined by pre-campaign features. Take what customers bought in the past year.

# %%
history = np.select(
    [(X["mens"] == 1) & (X["womens"] == 0), (X["mens"] == 0) & (X["womens"] == 1)],
    ["men's only", "women's only"],
    "both",
)
segments = []
for segment in ("men's only", "women's only", "both"):
    in_segment = history == segment
    none = in_segment & (arm == "none")
    for email in EMAILS:
        sent = in_segment & (arm == email)
        effect = difference_of_proportions_interval(
            y[sent].sum(), sent.sum(), y[none].sum(), none.sum()
        )
        segments.append(
            {
                "bought in the past year": segment,
                "e-mail": email,
                "customers": int(sent.sum()),
                "uplift": effect.estimate,
                "95% low": effect.low,
                "95% high": effect.high,
            }
        )
segments = pd.DataFrame(segments)

fig, ax = plt.subplots(figsize=(8, 3.8))
positions = np.arange(3)
for offset, (email, color) in zip(
    (-0.2, 0.2), (("mens", "tab:blue"), ("womens", "tab:purple")), strict=True
):
    part = segments[segments["e-mail"] == email]
    ax.bar(
        positions + offset,
        100 * part["uplift"],
        width=0.4,
        color=color,
        label=f"{'men' if email == 'mens' else 'women'}'s e-mail",
        yerr=100 * np.vstack([part["uplift"] - part["95% low"], part["95% high"] - part["uplift"]]),
        capsize=4,
    )
ax.set_xticks(positions, ["men's only", "women's only", "both"])
ax.set_xlabel("What the customer bought in the past year")
ax.set_ylabel("Extra visits per 100 e-mailed (points)")
ax.set_title("Effect of each e-mail by purchase history (95% CI)")
ax.legend()
plt.show()
segments.set_index(["bought in the past year", "e-mail"]).round(3)

# %% [markdown]
# The women's e-mail moves customers who bought women's merchandise and almost nobody
# else; the men's e-mail moves every segment. A segment rule is easy to read, but segments
# are coarse. The multi-arm uplift model predicts, for every customer, the extra visit
# probability of *each* e-mail. With \$2 per visit and \$0.10 per e-mail, the expected
# profit of sending e-mail *e* to a customer is `2 * uplift_e - 0.10`, and of sending
# nothing, 0. The model's choice is the e-mail with the highest expected profit, or
# nothing when no e-mail is expected to pay. Does it recover the segment pattern?


# %%
def choose_email(uplift, cost_per_email, value_per_visit=cost_model.value_per_success):
    """Best action per customer: the e-mail with the highest expected profit, or 'none'."""
    expected = value_per_visit * uplift.to_numpy() - cost_per_email
    best = np.argmax(expected, axis=1)
    return np.where(expected.max(axis=1) > 0, uplift.columns.to_numpy()[best], "none")


choice = choose_email(uplift, cost_model.cost_per_contact)
recommended = pd.crosstab(
    pd.Series(history[test], name="bought in the past year"),
    pd.Series(choice, name="model's choice"),
    normalize="index",
)
print(pd.Series(choice).value_counts(normalize=True).rename("share of customers").round(3))
(100 * recommended).round(1)

# %% [markdown]
# Does the policy beat the simple rules, "send everyone the men's e-mail" or "send
# everyone the women's e-mail"? A policy was never run, but the randomized experiment
# still measures it: the held-out customers who *happened* to get the e-mail the policy
# recommends for them are a random sample of the customers the policy would send it to
# (and likewise for "no e-mail"). So the profit of a policy, per customer and relative to
# e-mailing nobody, is estimated by
#
# $$\widehat{\text{profit}}(\pi) = \sum_{a \in \{\text{mens}, \text{womens}, \text{none}\}}
# \frac{1}{n_a} \sum_{i:\ a_i = a} \Big(\mathbb{1}[\pi(x_i) = a]\, r_i
# - \mathbb{1}[a = \text{none}]\, v\, y_i\Big),$$
#
# where $n_a$ is the number of held-out customers in group $a$, $r_i = v\,y_i - c\,
# \mathbb{1}[a_i \neq \text{none}]$ is the money customer *i* made, $v$ = \$2 per visit and
# $c$ the cost of an e-mail. `actionable.economics.policy_profit` computes it; its
# interval resamples customers within each group (the same resamples for every policy,
# so differences between policies get intervals too: `.difference(a, b)`).


# %%
def profits_at(cost_per_email):
    """policy_profit of the three policies when an e-mail costs ``cost_per_email``."""
    return policy_profit(
        y_test,
        arm_test,
        policies_at(cost_per_email),
        cost_model=cost_model.replace(cost_per_contact=cost_per_email),
        control_label="none",
        n_bootstraps=N_BOOTSTRAPS,
        random_state=SEED,
    )


ALL_MENS, ALL_WOMENS, MODEL = "men's e-mail to all", "women's e-mail to all", "model's choice"
COLORS = {ALL_MENS: "tab:blue", ALL_WOMENS: "tab:purple", MODEL: "tab:green"}


def policies_at(cost_per_email):
    n = len(test)
    return {
        ALL_MENS: np.full(n, "mens"),
        ALL_WOMENS: np.full(n, "womens"),
        MODEL: choose_email(uplift, cost_per_email),
    }


profits = profits_at(cost_model.cost_per_contact)
policy_table = profits.to_frame(per=1000).rename(
    columns={"profit": "profit per 1,000 ($)", "low": "95% low", "high": "95% high"}
)
estimate, low, high = (policy_table[c] for c in ("profit per 1,000 ($)", "95% low", "95% high"))
best_rule = policy_table.loc[[ALL_MENS, ALL_WOMENS], "profit per 1,000 ($)"].idxmax()
difference = profits.difference(MODEL, best_rule)  # per customer, paired interval
policy_table.round(1)

# %%
fig, ax = plt.subplots(figsize=(8, 3.2))
ax.barh(
    policy_table.index,
    policy_table["profit per 1,000 ($)"],
    xerr=[policy_table["profit per 1,000 ($)"] - low, high - policy_table["profit per 1,000 ($)"]],
    color=[COLORS[name] for name in policy_table.index],
    capsize=4,
)
ax.axvline(0, color="black", linewidth=0.8)
ax.set_xlabel("Profit per 1,000 customers vs no e-mail ($, 95% CI)")
ax.set_title(f"Three e-mail policies at ${cost_model.cost_per_contact:.2f} per e-mail")
plt.show()

# %% [markdown]
# The answer depends on what an e-mail really costs. Sending is cheap, but every e-mail
# also spends some of the customer's attention (unsubscribes, fatigue), which a team may
# price higher than \$0.10. The more an e-mail costs, the more it matters to know whom
# it moves: the model's choice stops e-mailing the customers it does not move, while
# "everyone gets it" keeps paying for them.

# %%
costs_per_email = [0.05, 0.10, 0.15, 0.20, 0.25]
sweep = []
for cost in costs_per_email:
    table = profits_at(cost).to_frame(per=1000)
    for name, row in table.iterrows():
        sweep.append(
            {
                "cost per e-mail ($)": cost,
                "policy": name,
                "profit per 1,000 ($)": row["profit"],
                "95% low": row["low"],
                "95% high": row["high"],
            }
        )
sweep = pd.DataFrame(sweep)

fig, ax = plt.subplots(figsize=(8, 4.5))
for name, group in sweep.groupby("policy", sort=False):
    color = COLORS[name]
    ax.plot(
        group["cost per e-mail ($)"],
        group["profit per 1,000 ($)"],
        marker="o",
        color=color,
        label=name,
    )
    ax.fill_between(
        group["cost per e-mail ($)"], group["95% low"], group["95% high"], color=color, alpha=0.15
    )
ax.axhline(0, color="black", linewidth=0.8, label="no e-mail")
ax.set_xlabel("Cost of one e-mail, sending plus attention ($)")
ax.set_ylabel("Profit per 1,000 customers vs no e-mail ($)")
ax.set_title("Policy profit as e-mails get dearer (bands: 95% bootstrap CI)")
ax.legend()
plt.show()
sweep.pivot(index="cost per e-mail ($)", columns="policy", values="profit per 1,000 ($)").round(1)

# %% [markdown]
# ## Takeaway

# %%
womens = evaluation.loc["womens"]
rival = comparison.loc["womens", "stronger response model"]
gap_low, gap_high = 1000 * difference.low, 1000 * difference.high
verdict = "beats" if gap_low > 0 else "loses to" if gap_high < 0 else "cannot be told apart from"
dear = sweep[sweep["cost per e-mail ($)"] == costs_per_email[-1]].set_index("policy")
dear = dear["profit per 1,000 ($)"]
print(
    f"Women's e-mail: the uplift model's Qini is {womens.loc['uplift', 'Qini']:+.3f} "
    f"{womens.loc['uplift', 'Qini 95% CI']}, the stronger response model's ({rival}) "
    f"{womens.loc[rival, 'Qini']:+.3f} {womens.loc[rival, 'Qini 95% CI']}; at their best sizes "
    f"uplift earns ${comparison.loc['womens', 'uplift minus it ($)']:+,.2f} more on the "
    f"held-out customers (95% CI {comparison.loc['womens', '95% low ($)']:+,.2f} to "
    f"{comparison.loc['womens', '95% high ($)']:+,.2f}).\n"
    f"At ${cost_model.cost_per_contact:.2f} per e-mail, the model's choice of e-mail earns "
    f"${estimate[MODEL]:,.1f} per 1,000 customers and '{best_rule}' ${estimate[best_rule]:,.1f}:"
    f"\nthe model's choice {verdict} the best simple rule (difference "
    f"${estimate[MODEL] - estimate[best_rule]:+,.1f}, 95% CI {gap_low:+,.1f} to {gap_high:+,.1f})."
    f"\nAt ${costs_per_email[-1]:.2f} per e-mail: model's choice ${dear[MODEL]:,.1f}, "
    f"'{ALL_MENS}' ${dear[ALL_MENS]:,.1f} per 1,000 customers."
)

# %% [markdown]
# ## References
#
# * Hillstrom, K. (2008). The MineThatData E-Mail Analytics and Data Mining Challenge.
#   MineThatData blog (the data: `actionable.datasets.load_hillstrom`).
# * Radcliffe, N. J. (2007). Using control groups to target on predicted lift: building
#   and assessing uplift models. *Direct Marketing Analytics Journal*, 14-21.
# * Künzel, S. R., Sekhon, J. S., Bickel, P. J. and Yu, B. (2019). Metalearners for
#   estimating heterogeneous treatment effects using machine learning. *PNAS* 116(10).
# * Newcombe, R. G. (1998). Interval estimation for the difference between independent
#   proportions: comparison of eleven methods. *Statistics in Medicine* 17(8), 873-890.
# * Devriendt, F., Moldovan, D. and Verbeke, W. (2018). A literature survey and
#   experimental evaluation of the state-of-the-art in uplift modeling. *Big Data* 6(1).
