"""The production layer: from a table of a randomized campaign to a model that runs, as a library.

Fit a deployable model from a table and its column roles, a decision card and its costs
(:func:`fit_model`); save it as a directory checked by a sha256 manifest
(:meth:`SavedModel.save`, :func:`load_model`); score customers into a target list
(:meth:`SavedModel.score`), evaluate it on fresh labelled data
(:meth:`SavedModel.evaluate`) and monitor the uplift it realizes on a campaign batch,
in money and against drift (:meth:`SavedModel.monitor`). The ``*_file`` functions do
the same on files, as the command line does.

Examples
--------
>>> from actionable.datasets import make_churn
>>> from actionable.decision import DecisionCard
>>> from actionable.production import ColumnRoles, fit_model
>>> data = make_churn(3000, random_state=0)
>>> frame = data.X.assign(offer=data.treatment, retained=data.y)
>>> card = DecisionCard(value_per_success=200.0, cost_per_contact=10.0, capacity=100)
>>> model = fit_model(frame, ColumnRoles("offer", "1", "retained"), card=card, learner="t")
>>> calls = model.score(make_churn(1000, random_state=1).X)
>>> int(calls["target"].sum()), list(calls.columns)
(100, ['uplift', 'expected_profit', 'target', 'rank'])
"""

from actionable._atomic import dumps_json
from actionable.exceptions import ModelIntegrityError, ModelVersionWarning, NotRandomizedError
from actionable.paired import framing_of
from actionable.production._defaults import DEFAULT_INCENTIVE_PAID, PILOT_DESIGN_PARAMETERS
from actionable.production._design import PilotDesign, design_pilot
from actionable.production._directory import (
    load_model_directory,
    package_versions,
    save_model_directory,
)
from actionable.production._drift import DriftReference, population_stability_index
from actionable.production._evaluation import Evaluation
from actionable.production._files import (
    evaluate_file,
    fit_file,
    load_card,
    monitor_file,
    read_data,
    target_file,
)
from actionable.production._fit import fit_model
from actionable.production._io import (
    check_outputs_are_not_inputs,
    file_sha256,
    read_table,
    write_csv_atomically,
    write_text_atomically,
)
from actionable.production._model import SavedModel, load_model
from actionable.production._monitor import MonitorResult, monitor_batch
from actionable.production._pilot_summary import describe_pilot
from actionable.production._progress import Progress
from actionable.production._propensity import (
    PropensityWeights,
    balancing_weights,
    standardized_differences,
)
from actionable.production._randomization import (
    RandomizationCheck,
    randomization_check,
)
from actionable.production._roles import ColumnRoles
from actionable.production._rule import TargetingRule, choose_targeting_rule, rule_profit
from actionable.production._schema import FeatureSchema
from actionable.production._summary import (
    describe_average_effect,
    describe_fit,
    describe_monitoring,
    describe_rule_evaluation,
    describe_targets,
)
from actionable.production._uplift_interval import (
    difference_of_means_interval,
    difference_of_proportions_interval,
    holdout_size,
)

__all__ = [
    "DEFAULT_INCENTIVE_PAID",
    "ColumnRoles",
    "DriftReference",
    "Evaluation",
    "FeatureSchema",
    "ModelIntegrityError",
    "ModelVersionWarning",
    "MonitorResult",
    "NotRandomizedError",
    "PILOT_DESIGN_PARAMETERS",
    "PilotDesign",
    "Progress",
    "PropensityWeights",
    "RandomizationCheck",
    "SavedModel",
    "TargetingRule",
    "balancing_weights",
    "check_outputs_are_not_inputs",
    "choose_targeting_rule",
    "describe_average_effect",
    "describe_fit",
    "describe_monitoring",
    "describe_pilot",
    "describe_rule_evaluation",
    "describe_targets",
    "design_pilot",
    "difference_of_means_interval",
    "difference_of_proportions_interval",
    "dumps_json",
    "evaluate_file",
    "file_sha256",
    "fit_file",
    "fit_model",
    "framing_of",
    "holdout_size",
    "load_card",
    "load_model",
    "load_model_directory",
    "monitor_batch",
    "monitor_file",
    "package_versions",
    "population_stability_index",
    "randomization_check",
    "read_data",
    "read_table",
    "rule_profit",
    "save_model_directory",
    "standardized_differences",
    "target_file",
    "write_csv_atomically",
    "write_text_atomically",
]
