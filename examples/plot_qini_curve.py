"""
Qini curves of a churn model and an uplift model
================================================

A churn model ranks customers by their risk of leaving; an uplift model ranks them by how
much a retention call changes that risk. On a simulated subscription business with a
randomized campaign, the Qini curve shows how many extra customers each ranking keeps as
more of the base is called.
"""

# %%
# A randomized retention campaign, with the truth known
# ------------------------------------------------------
import matplotlib.pyplot as plt

from actionable import OutcomeClassifier, TLearner, UpliftCurveDisplay, make_churn
from actionable.metrics import qini_auc_score

train = make_churn(20_000, random_state=0)
test = make_churn(10_000, random_state=1)

# %%
# Two rankings of the same customers
# ----------------------------------
# The churn model is trained on the customers nobody called, as a churn team would; the
# uplift model on both arms.
uplift = TLearner(random_state=0).fit(train.X, train.y, train.treatment)
churn = OutcomeClassifier(train_on="control", random_state=0).fit(
    train.X, train.y, train.treatment
)
scores = {
    "uplift model (T-learner)": uplift.predict(test.X),
    "churn model": churn.predict_risk(test.X),
}
for name, score in scores.items():
    print(f"{name}: Qini coefficient {qini_auc_score(test.y, score, test.treatment):.3f}")

# %%
# The curves
# ----------
fig, ax = plt.subplots(figsize=(6, 4.5))
for name, score in scores.items():
    UpliftCurveDisplay.from_predictions(test.y, score, test.treatment, name=name, ax=ax)
ax.set_title("Extra customers kept, by share of the base called")
plt.show()
