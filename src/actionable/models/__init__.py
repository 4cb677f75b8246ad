"""Uplift learners and the naive outcome model.

Every learner is a scikit-learn estimator with ``fit(X, y, treatment, **fit_params)``
and ``predict(X)`` returning the uplift P(y=1 | treated, x) - P(y=1 | control, x).
LightGBM models are the default: outcome and effect models are early-stopped on
held-out rows, so their size follows the signal, and the class transformation uses a
low-variance forest of coarse trees. Any scikit-learn classifier (or regressor, for
effect models) can be passed instead.
"""

from actionable.models._meta import DRLearner, SLearner, TLearner, XLearner
from actionable.models._outcome import OutcomeClassifier
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
]
