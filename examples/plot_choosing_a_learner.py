"""
Choosing a learner: Qini coefficient and fit time
=================================================

actionable has five uplift learners, each a scikit-learn estimator with the
same ``fit(X, y, treatment)`` and ``predict(X)``. This example fits all of
them with their default models on one split of a simulated retention
campaign, and compares how well they rank the test customers (the Qini
coefficient, with a 95% bootstrap interval) and how long they take to fit.
The churn model a churn team would deploy is shown for reference.
"""

# %%
# One split of a randomized campaign
# ----------------------------------
import time

import matplotlib.pyplot as plt
import numpy as np

from actionable import make_churn
from actionable.metrics import qini_auc_score_ci
from actionable.models import (
    LEARNERS,
    OutcomeClassifier,
    make_learner,
)

train = make_churn(20_000, random_state=0)
test = make_churn(10_000, random_state=1)

# %%
# Fit each learner and score it on the test customers
# ---------------------------------------------------
# ``LEARNERS`` maps each short code (the ``--learner`` option of the command
# line) to a class; ``make_learner`` builds one with its default LightGBM
# models, on one thread.


def fit_and_score(model, predict):
    """Qini coefficient on the test customers, and fit time (s)."""
    start = time.perf_counter()
    model.fit(train.X, train.y, train.treatment)
    seconds = time.perf_counter() - start
    qini = qini_auc_score_ci(
        test.y,
        predict(model, test.X),
        test.treatment,
        n_bootstraps=200,
        random_state=0,
    )
    return qini, seconds


results = {}
for code, (_, words) in LEARNERS.items():
    learner = make_learner(code, seed=0)
    name = f"{words} ({code})"
    results[name] = fit_and_score(learner, type(learner).predict)

churn_model = OutcomeClassifier(train_on="control", random_state=0)
risk = OutcomeClassifier.predict_risk
results["churn model (reference)"] = fit_and_score(churn_model, risk)

for name, (qini, seconds) in results.items():
    interval = f"[{qini.low:.3f}, {qini.high:.3f}]"
    timing = f"fit {seconds:.1f} s"
    print(f"{name:26} Qini {qini.estimate:.3f} {interval} {timing}")

# %%
# Side by side
# ------------
names = list(results)
estimate = np.array([qini.estimate for qini, _ in results.values()])
low = np.array([qini.low for qini, _ in results.values()])
high = np.array([qini.high for qini, _ in results.values()])
fit_seconds = [seconds for _, seconds in results.values()]

fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.8), sharey=True)
error = [estimate - low, high - estimate]
left.barh(names, estimate, xerr=error, capsize=3)
left.set_xlabel("Qini coefficient (95% interval)")
right.barh(names, fit_seconds, color="tab:grey")
right.set_xlabel("Fit time on 20,000 rows (s)")
left.invert_yaxis()
fig.tight_layout()
plt.show()

# %%
# Reading the result
# ------------------
# Each interval is a bootstrap of one learner's score on these test
# customers. Where two learners differ by less than the width of their
# intervals, this split cannot tell them apart, and another split may order
# them the other way.
learners = [name for name in results if "-learner" in name]
meta = [results[name][0].estimate for name in learners]
spread = max(meta) - min(meta)
print(f"best minus worst S-, T-, X- and DR-learner: {spread:.3f}")
print(f"median width of an interval: {np.median(high - low):.3f}")

# %%
# The ranking of learners varies across splits and across data. On
# ``make_churn`` the four meta-learners usually finish close together; the
# class transformation's default, a forest of coarse trees, suits small and
# noisy campaigns better than this one, where the features determine the
# effect sharply. The repository's ``benchmarks/README.md`` compares the
# learners over ten splits of three datasets, where the order changes from
# one dataset to the next. Compare learners over several splits, or let
# ``actionable fit --learner auto`` choose by cross-validated Qini, before
# reading anything into a small difference.
#
# Fit time grows with the number of models a learner fits: one for the
# S-learner and the class transformation, two for the T-learner, four for
# the X-learner and seven for the DR-learner (an outcome model per arm on
# each of three folds, then an effect model).
