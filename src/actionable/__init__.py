"""actionable: is this prediction actionable?

Uplift models, Qini curves and an intervention-cost simulator that show, in money,
whether targeting by outcome risk or by treatable risk pays.

The most-used names are available from the top level; they are imported lazily so
that ``import actionable`` stays light (no LightGBM or matplotlib until needed).

Examples
--------
>>> import actionable
>>> actionable.__version__
'0.1.0'
"""

import importlib

__version__ = "0.1.0"

# public name -> module that defines it
_LAZY = {
    "UpliftDataset": "actionable.datasets",
    "load_hillstrom": "actionable.datasets",
    "make_churn": "actionable.datasets",
    "qini_auc_score": "actionable.metrics",
    "uplift_auc_score": "actionable.metrics",
    "uplift_at_k": "actionable.metrics",
    "qini_curve": "actionable.metrics",
    "uplift_curve": "actionable.metrics",
    "UpliftCurveDisplay": "actionable.metrics",
    "qini_auc_score_ci": "actionable.metrics",
    "uplift_auc_score_ci": "actionable.metrics",
    "uplift_at_k_ci": "actionable.metrics",
    "Interval": "actionable.metrics",
    "make_uplift_scorer": "actionable.metrics",
    "uplift_by_percentile": "actionable.metrics",
    "SLearner": "actionable.models",
    "TLearner": "actionable.models",
    "XLearner": "actionable.models",
    "DRLearner": "actionable.models",
    "ClassTransformation": "actionable.models",
    "OutcomeClassifier": "actionable.models",
    "CostModel": "actionable.economics",
    "ProfitCurveDisplay": "actionable.economics",
    "best_targeting": "actionable.economics",
    "profit_curve": "actionable.economics",
    "policy_profit": "actionable.economics",
    "max_profit_churn": "actionable.economics",
    "expected_max_profit_churn": "actionable.economics",
    "max_profit_uplift": "actionable.economics",
    "LiftupCurveDisplay": "actionable.economics",
    "fetch_starbucks": "actionable.datasets",
    "fetch_criteo": "actionable.datasets",
    "PairedExperiment": "actionable.paired",
    "evaluate_paired": "actionable.paired",
    "PairedReport": "actionable.report",
    "DecisionCard": "actionable.decision",
    "TargetingRule": "actionable.production",
    "ColumnRoles": "actionable.production",
    "fit_model": "actionable.production",
    "load_model": "actionable.production",
    "SavedModel": "actionable.production",
    "monitor_batch": "actionable.production",
    "MonitorReport": "actionable.report",
}

# former names, still importable but not listed: name -> module that defines it
_ALIASES = {"ConfidenceInterval": "actionable.metrics"}

__all__ = ["__version__", *_LAZY]


def __getattr__(name):
    module_name = _LAZY.get(name, _ALIASES.get(name))
    if module_name is None:
        raise AttributeError(f"module 'actionable' has no attribute {name!r}")
    value = getattr(importlib.import_module(module_name), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(_LAZY))
