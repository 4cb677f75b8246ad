"""Uplift learners and the naive outcome model.

Every learner is a scikit-learn estimator with ``fit(X, y, treatment, **fit_params)``
and ``predict(X)`` returning the uplift P(y=1 | treated, x) - P(y=1 | control, x).
LightGBM models are the default; any scikit-learn classifier (or regressor, for
effect models) can be passed instead.

Continuous outcomes (revenue, spend: any ``y`` not all 0/1) need nothing else: the
default outcome models of the S-, T-, X- and DR-learners are then LightGBM regressors,
``predict`` returns the effect in the outcome's units, and ``outcome_type_`` says
``"continuous"``. Their objective follows a rule on ``y``: Tweedie (variance power 1.5)
when ``y`` is never negative and 0 on at least half of the rows, squared error
otherwise (the measurements behind it are in ``benchmarks/README.md``, "Continuous
outcome defaults"). :class:`OutcomeRegressor` is the naive model of such an outcome;
:class:`ClassTransformation` takes 0/1 outcomes only.

Default models, and what they cost at each size
-----------------------------------------------
Outcome and effect models are boosted trees whose number is chosen on held-out rows
(a fifth of the rows, at most 100,000), so their size follows the signal: a few dozen
small trees on a noisy campaign, more where the features tell. Their cost is bounded
at every size:

- where the rarer outcome has at most 10,000 rows (on at most 100,000 rows), the model
  is refitted on all its rows with the chosen number of trees: the held-out fifth then
  holds information the model lacks. An effect model follows the same rule on the 0/1
  outcome its target was built from; one built from a continuous outcome is refitted
  when it has at most 40,000 rows;
- from 10,000 training rows, trees after the 30th have 31 leaves (63 from 250,000
  training rows, 127 from 800,000) at a learning rate of 0.3 instead of 8 leaves at
  0.1 (effect models: 7 leaves, 0.3 instead of 0.15): the same held-out loss with
  fewer trees;
- above 1,000,000 rows, each model learns from 1,000,000 rows drawn at random (the
  ranking of ``make_churn`` stops improving well before) and predicts all rows, in
  chunks of 100,000;
- the rows are binned once per model, the held-out rows and the refit reuse the
  bins, and the learners take the rows of each arm or fold by index (a model copies
  only the rows it learns from, once, to bin them).

``n_jobs`` sets LightGBM's threads (``None``: one). The class transformation uses a
low-variance forest of coarse trees: 200 trees, each on half the rows, up to 60,000
rows; beyond, each tree learns from at most 50,000 rows and there are fewer of them
(120 from 100,000 rows), and above 1,000,000 rows the forest learns from 1,000,000
drawn at random.
"""

from actionable.models._contributions import Contributions, uplift_contributions
from actionable.models._doubly_robust import DRLearner
from actionable.models._meta import SLearner, TLearner, XLearner
from actionable.models._outcome import OutcomeClassifier, OutcomeRegressor
from actionable.models._registry import DEFAULT_LEARNER, LEARNERS, make_learner
from actionable.models._transformed import ClassTransformation

__all__ = [
    "DEFAULT_LEARNER",
    "LEARNERS",
    "make_learner",
    "SLearner",
    "TLearner",
    "XLearner",
    "DRLearner",
    "ClassTransformation",
    "OutcomeClassifier",
    "OutcomeRegressor",
    "Contributions",
    "uplift_contributions",
]
