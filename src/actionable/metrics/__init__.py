"""Uplift metrics: curves, scores, intervals, scorers and displays.

Signatures and results follow scikit-uplift 0.5.1 (``(y_true, uplift, treatment,
...)``), with a keyword-only ``sample_weight`` everywhere, continuous outcomes
in the curves and areas, bootstrap confidence intervals (``*_ci``, each an
:class:`Interval`), a scorer for scikit-learn model selection and
:class:`UpliftCurveDisplay`. Every curve comes
from one sort-and-cumulative-sum kernel, in which tied scores form one threshold.
"""

from actionable._interval import Interval

from ._bootstrap import qini_auc_score_ci, uplift_at_k_ci, uplift_auc_score_ci
from ._common import UndefinedUpliftMetricWarning
from ._curves import perfect_qini_curve, perfect_uplift_curve, qini_curve, uplift_curve
from ._plot import UpliftCurveDisplay
from ._scorer import make_uplift_scorer
from ._scores import (
    qini_auc_score,
    uplift_at_k,
    uplift_auc_score,
    uplift_by_percentile,
    weighted_average_uplift,
)

ConfidenceInterval = Interval
"""Former name of :class:`Interval`, kept as an alias (not in ``__all__``: one class, one
documented name); every ``*_ci`` returns an ``Interval``."""

__all__ = [
    "Interval",
    "UndefinedUpliftMetricWarning",
    "UpliftCurveDisplay",
    "make_uplift_scorer",
    "perfect_qini_curve",
    "perfect_uplift_curve",
    "qini_auc_score",
    "qini_auc_score_ci",
    "qini_curve",
    "uplift_at_k",
    "uplift_at_k_ci",
    "uplift_auc_score",
    "uplift_auc_score_ci",
    "uplift_by_percentile",
    "uplift_curve",
    "weighted_average_uplift",
]
