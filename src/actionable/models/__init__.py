"""Uplift learners and the naive outcome model.

Every learner is a scikit-learn estimator with ``fit(X, y, treatment, **fit_params)``
and ``predict(X)`` returning the uplift P(y=1 | treated, x) - P(y=1 | control, x).
LightGBM models, regularized for noisy marketing data, are the default; any
scikit-learn classifier (or regressor, for effect models) can be passed instead.
"""

from actionable.models._meta import DRLearner, SLearner, TLearner, XLearner
from actionable.models._outcome import OutcomeClassifier
from actionable.models._transformed import ClassTransformation

__all__ = [
    "SLearner",
    "TLearner",
    "XLearner",
    "DRLearner",
    "ClassTransformation",
    "OutcomeClassifier",
]
