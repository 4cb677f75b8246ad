"""The models compared: actionable's learners (defaults) and the peers, behind one adapter.

Every adapter has ``fit(X, y, treatment)`` and ``predict(X) -> ndarray (n_samples,)`` of uplift
(for ``OutcomeClassifier`` and ``OutcomeRegressor``: their targeting score). A model takes
binary outcomes or continuous ones (the spend track; actionable's S, T, X and DR learners take
both); on a continuous outcome the peers' regressor learners get ``LGBMRegressor(verbose=-1,
n_jobs=1)`` everywhere. Peers get the same LightGBM base:
``LGBMClassifier(verbose=-1, n_jobs=1)`` (scikit-uplift's documented default base, pinned to one
thread) and, where a learner needs a regressor, ``LGBMRegressor(verbose=-1, n_jobs=1)``.

causalml's X, R and DR learners are given the known propensity of the randomized experiment
(the treatment rate of the training rows) instead of fitting ``ElasticNetPropensityModel``.
"""

import importlib
import logging
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class ModelSpec:
    """One model of the benchmark."""

    name: str  # unique, shown in tables
    library: str  # "actionable", "scikit-uplift" or "causalml"
    family: str  # "S", "T", "X", "R", "DR", "CT", "outcome", "forest"
    construction: str  # how it is built, shown in the README
    builder: str  # name of the function below that returns an adapter
    lightgbm: bool = True  # LightGBM-based (eligible for the 10^7 speed run)
    outcome_type: str = "binary"  # the tasks it runs on: "binary" or "continuous"

    def build(self, framing="response"):
        """A fresh adapter; ``framing`` ("churn" or "response") matters to the outcome model."""
        return globals()[self.builder](framing=framing)


def _lgbm_classifier():
    from lightgbm import LGBMClassifier

    return LGBMClassifier(verbose=-1, n_jobs=1)


def _lgbm_regressor():
    from lightgbm import LGBMRegressor

    return LGBMRegressor(verbose=-1, n_jobs=1)


class _Plain:
    """An estimator that already speaks ``fit(X, y, treatment)`` / ``predict(X)``."""

    def __init__(self, estimator):
        self.estimator = estimator

    def fit(self, X, y, treatment):
        self.estimator.fit(X, y, treatment)
        return self

    def predict(self, X):
        return np.asarray(self.estimator.predict(X), dtype=np.float64).ravel()


class _CausalMLMeta:
    """causalml meta-learner: ``fit(X, treatment, y[, p])``, ``predict(X[, p]) -> (n, 1)``."""

    def __init__(self, estimator, *, propensity, seed_argument=False):
        self.estimator = estimator
        self.propensity = propensity
        self.seed_argument = seed_argument

    def fit(self, X, y, treatment):
        kwargs = {}
        if self.propensity:
            self.treatment_rate_ = float(np.mean(treatment))
            kwargs["p"] = np.full(X.shape[0], self.treatment_rate_)
        if self.seed_argument:
            kwargs["seed"] = 0
        self.estimator.fit(X, treatment=np.asarray(treatment, dtype=np.int64), y=y, **kwargs)
        return self

    def predict(self, X):
        kwargs = {}
        if self.propensity:
            kwargs["p"] = np.full(X.shape[0], self.treatment_rate_)
        return np.asarray(self.estimator.predict(X, **kwargs), dtype=np.float64)[:, 0]


class _CausalMLForest:
    """causalml's UpliftRandomForestClassifier, with string group labels."""

    def __init__(self, estimator):
        self.estimator = estimator

    def fit(self, X, y, treatment):
        groups = np.where(np.asarray(treatment) == 1, "treatment", "control")
        self.estimator.fit(X, treatment=groups, y=np.asarray(y, dtype=np.int64))
        return self

    def predict(self, X):
        return np.asarray(self.estimator.predict(X), dtype=np.float64)[:, 0]


# --- actionable (defaults, as shipped) ---------------------------------------------------------
def _actionable(name):
    module = importlib.import_module("actionable.models")
    return _Plain(getattr(module, name)())


def build_actionable_s(framing="response"):
    return _actionable("SLearner")


def build_actionable_t(framing="response"):
    return _actionable("TLearner")


def build_actionable_x(framing="response"):
    return _actionable("XLearner")


def build_actionable_dr(framing="response"):
    return _actionable("DRLearner")


def build_actionable_ct(framing="response"):
    return _actionable("ClassTransformation")


class _OutcomeScore(_Plain):
    """The naive model ranks by outcome risk: ``predict_risk`` (P(y=0) for churn, else P(y=1))."""

    def predict(self, X):
        return np.asarray(self.estimator.predict_risk(X), dtype=np.float64)


def build_actionable_outcome(framing="response"):
    from actionable.models import OutcomeClassifier

    return _OutcomeScore(OutcomeClassifier(train_on="control", framing=framing, random_state=0))


def build_actionable_outcome_regressor(framing="response"):
    from actionable.models import OutcomeRegressor

    return _OutcomeScore(OutcomeRegressor(train_on="control", framing=framing, random_state=0))


# --- scikit-uplift -----------------------------------------------------------------------------
def build_sklift_solo(framing="response"):
    from sklift.models import SoloModel

    return _Plain(SoloModel(estimator=_lgbm_classifier(), method="dummy"))


def build_sklift_two(framing="response"):
    from sklift.models import TwoModels

    return _Plain(
        TwoModels(
            estimator_trmnt=_lgbm_classifier(), estimator_ctrl=_lgbm_classifier(), method="vanilla"
        )
    )


def build_sklift_ct(framing="response"):
    from sklift.models import ClassTransformation

    return _Plain(ClassTransformation(estimator=_lgbm_classifier()))


# --- causalml ----------------------------------------------------------------------------------
def _quiet_causalml():
    logging.getLogger("causalml").setLevel(logging.WARNING)


def build_causalml_s(framing="response"):
    _quiet_causalml()
    from causalml.inference.meta import BaseSClassifier

    return _CausalMLMeta(BaseSClassifier(learner=_lgbm_classifier()), propensity=False)


def build_causalml_t(framing="response"):
    _quiet_causalml()
    from causalml.inference.meta import BaseTClassifier

    return _CausalMLMeta(BaseTClassifier(learner=_lgbm_classifier()), propensity=False)


def build_causalml_x(framing="response"):
    _quiet_causalml()
    from causalml.inference.meta import BaseXClassifier

    estimator = BaseXClassifier(
        outcome_learner=_lgbm_classifier(), effect_learner=_lgbm_regressor()
    )
    return _CausalMLMeta(estimator, propensity=True)


def build_causalml_r(framing="response"):
    _quiet_causalml()
    from causalml.inference.meta import BaseRClassifier

    estimator = BaseRClassifier(
        outcome_learner=_lgbm_classifier(), effect_learner=_lgbm_regressor(), random_state=0
    )
    return _CausalMLMeta(estimator, propensity=True)


def build_causalml_dr(framing="response"):
    _quiet_causalml()
    from causalml.inference.meta import BaseDRClassifier

    estimator = BaseDRClassifier(
        control_outcome_learner=_lgbm_classifier(),
        treatment_outcome_learner=_lgbm_classifier(),
        treatment_effect_learner=_lgbm_regressor(),
    )
    return _CausalMLMeta(estimator, propensity=True, seed_argument=True)


def build_causalml_forest(framing="response"):
    _quiet_causalml()
    from causalml.inference.tree import UpliftRandomForestClassifier

    return _CausalMLForest(
        UpliftRandomForestClassifier(control_name="control", n_jobs=1, random_state=0)
    )


# --- H2O ---------------------------------------------------------------------------------------
H2O_PORT = None  # the port of this run's own server (start_h2o), inherited by the children


def start_h2o(models):
    """Start this run's own local H2O server (a Java process) when an H2O model will run.

    The server listens on a free port (never one another run's server uses: connecting to
    it and shutting it down would break that run); each fit runs in a forked child that
    connects to it, so the server outlives the children; the caller shuts it down
    (``stop_h2o``). H2O's CPU time is the server's, not the child's: the per-fit CPU budget
    does not bound it, its wall-clock backstop does. Returns None when no H2O model runs.
    """
    global H2O_PORT
    if not any(spec.library == "h2o" for spec in models) or availability("h2o") is not None:
        return None
    import h2o
    from h2o.backend import H2OLocalServer

    with _quiet_stdout():  # H2O prints a version nag on every connection
        # "54321+": a new server on the first free pair of ports from 54321 up
        server = H2OLocalServer.start(nthreads=1, max_mem_size=6 << 30, port="54321+")
        h2o.connect(server=server, verbose=False)
    H2O_PORT = server.port
    h2o.no_progress()
    return server


def _quiet_stdout():
    import contextlib
    import io

    return contextlib.redirect_stdout(io.StringIO())


def stop_h2o(server):
    if server is not None:
        import h2o

        h2o.connection().close()  # before the server goes: closing later would fail at exit
        server.shutdown()


class _H2OUpliftForest:
    """H2O's ``H2OUpliftRandomForestEstimator`` on the server started by ``start_h2o``."""

    PARAMETERS = {"ntrees": 100, "max_depth": 5, "uplift_metric": "KL", "seed": 0}

    def _frame(self, X, y=None, treatment=None):
        import h2o
        import pandas as pd

        table = pd.DataFrame(X, columns=[f"x{index}" for index in range(X.shape[1])])
        if treatment is not None:
            table["treatment"] = np.where(np.asarray(treatment) == 1, "treatment", "control")
            table["y"] = np.asarray(y, dtype=np.int64).astype(str)
        frame = h2o.H2OFrame(table)
        if treatment is not None:
            frame["treatment"] = frame["treatment"].asfactor()
            frame["y"] = frame["y"].asfactor()
        return frame

    def fit(self, X, y, treatment):
        import h2o
        from h2o.estimators import H2OUpliftRandomForestEstimator

        with _quiet_stdout():
            h2o.connect(ip="localhost", port=H2O_PORT, verbose=False)  # the running server
        h2o.no_progress()
        frame = self._frame(X, y, treatment)
        self.model = H2OUpliftRandomForestEstimator(treatment_column="treatment", **self.PARAMETERS)
        self.model.train(
            x=[name for name in frame.columns if name not in ("treatment", "y")],
            y="y",
            training_frame=frame,
        )
        h2o.remove(frame)
        return self

    def predict(self, X):
        import h2o

        frame = self._frame(X)
        predicted = self.model.predict(frame)
        uplift = np.asarray(predicted["uplift_predict"].as_data_frame()["uplift_predict"])
        h2o.remove([frame, predicted])
        return uplift.astype(np.float64)


def build_h2o_uplift_forest(framing="response"):
    return _H2OUpliftForest()


# --- continuous outcomes (the spend track) ------------------------------------------------------
def build_sklift_solo_regressor(framing="response"):
    from sklift.models import SoloModel

    return _Plain(SoloModel(estimator=_lgbm_regressor(), method="dummy"))


def build_sklift_two_regressor(framing="response"):
    from sklift.models import TwoModels

    return _Plain(
        TwoModels(
            estimator_trmnt=_lgbm_regressor(), estimator_ctrl=_lgbm_regressor(), method="vanilla"
        )
    )


def _causalml_regressor(class_name, *, propensity, **kwargs):
    _quiet_causalml()
    module = importlib.import_module("causalml.inference.meta")
    estimator = getattr(module, class_name)(learner=_lgbm_regressor(), **kwargs)
    return _CausalMLMeta(estimator, propensity=propensity)


def build_causalml_s_regressor(framing="response"):
    return _causalml_regressor("BaseSRegressor", propensity=False)


def build_causalml_t_regressor(framing="response"):
    return _causalml_regressor("BaseTRegressor", propensity=False)


def build_causalml_x_regressor(framing="response"):
    return _causalml_regressor("BaseXRegressor", propensity=True)


def build_causalml_r_regressor(framing="response"):
    return _causalml_regressor("BaseRRegressor", propensity=True, random_state=0)


def build_causalml_dr_regressor(framing="response"):
    return _causalml_regressor("BaseDRRegressor", propensity=True)


_CLF = "LGBMClassifier(verbose=-1, n_jobs=1)"
_REG = "LGBMRegressor(verbose=-1, n_jobs=1)"

MODELS = (
    ModelSpec("SLearner", "actionable", "S", "SLearner()", "build_actionable_s"),
    ModelSpec("TLearner", "actionable", "T", "TLearner()", "build_actionable_t"),
    ModelSpec("XLearner", "actionable", "X", "XLearner()", "build_actionable_x"),
    ModelSpec("DRLearner", "actionable", "DR", "DRLearner()", "build_actionable_dr"),
    ModelSpec(
        "ClassTransformation", "actionable", "CT", "ClassTransformation()", "build_actionable_ct"
    ),
    ModelSpec(
        "OutcomeClassifier",
        "actionable",
        "outcome",
        "OutcomeClassifier(train_on='control', framing='churn' on make_churn, 'response' "
        "elsewhere, random_state=0), ranked by predict_risk: the naive outcome model a churn "
        "or response team builds (on the customers nobody contacted), not an uplift model",
        "build_actionable_outcome",
    ),
    ModelSpec(
        "sklift.SoloModel",
        "scikit-uplift",
        "S",
        f"SoloModel({_CLF}, method='dummy')",
        "build_sklift_solo",
    ),
    ModelSpec(
        "sklift.TwoModels",
        "scikit-uplift",
        "T",
        f"TwoModels({_CLF}, {_CLF}, method='vanilla')",
        "build_sklift_two",
    ),
    ModelSpec(
        "sklift.ClassTransformation",
        "scikit-uplift",
        "CT",
        f"ClassTransformation({_CLF})",
        "build_sklift_ct",
    ),
    ModelSpec(
        "causalml.BaseSClassifier", "causalml", "S", f"BaseSClassifier({_CLF})", "build_causalml_s"
    ),
    ModelSpec(
        "causalml.BaseTClassifier", "causalml", "T", f"BaseTClassifier({_CLF})", "build_causalml_t"
    ),
    ModelSpec(
        "causalml.BaseXClassifier",
        "causalml",
        "X",
        f"BaseXClassifier({_CLF}, {_REG}), p = training treatment rate",
        "build_causalml_x",
    ),
    ModelSpec(
        "causalml.BaseRClassifier",
        "causalml",
        "R",
        f"BaseRClassifier({_CLF}, {_REG}, random_state=0), p = training treatment rate",
        "build_causalml_r",
    ),
    ModelSpec(
        "causalml.BaseDRClassifier",
        "causalml",
        "DR",
        f"BaseDRClassifier(control/treatment outcome {_CLF}, effect {_REG}), "
        "p = training treatment rate, seed=0",
        "build_causalml_dr",
    ),
    ModelSpec(
        "h2o.UpliftDRF",
        "h2o",
        "forest",
        "H2OUpliftRandomForestEstimator(ntrees=100, max_depth=5, uplift_metric='KL', seed=0) "
        "on a local 1-thread H2O server",
        "build_h2o_uplift_forest",
        lightgbm=False,
    ),
    ModelSpec(
        "causalml.UpliftRandomForestClassifier",
        "causalml",
        "forest",
        "UpliftRandomForestClassifier(n_jobs=1, random_state=0) (defaults: 10 trees, depth 10, KL)",
        "build_causalml_forest",
        lightgbm=False,
    ),
)
_P = "p = training treatment rate"
CONTINUOUS_MODELS = (
    ModelSpec(
        "OutcomeRegressor",
        "actionable",
        "outcome",
        "OutcomeRegressor(train_on='control', framing='churn' (revenue kept at risk) on "
        "make_churn, 'response' elsewhere, random_state=0), ranked by predict_risk: the naive "
        "outcome model, not an uplift model",
        "build_actionable_outcome_regressor",
        outcome_type="continuous",
    ),
    ModelSpec(
        "sklift.SoloModel[reg]",
        "scikit-uplift",
        "S",
        f"SoloModel({_REG}, method='dummy')",
        "build_sklift_solo_regressor",
        outcome_type="continuous",
    ),
    ModelSpec(
        "sklift.TwoModels[reg]",
        "scikit-uplift",
        "T",
        f"TwoModels({_REG}, {_REG}, method='vanilla')",
        "build_sklift_two_regressor",
        outcome_type="continuous",
    ),
    *(
        ModelSpec(
            f"causalml.Base{family}Regressor",
            "causalml",
            family,
            f"Base{family}Regressor(learner={_REG}{arguments}){extra}",
            f"build_causalml_{family.lower()}_regressor",
            outcome_type="continuous",
        )
        for family, arguments, extra in (
            ("S", "", ""),
            ("T", "", ""),
            ("X", "", f", {_P}"),
            ("R", ", random_state=0", f", {_P}"),
            ("DR", "", f", {_P}"),
        )
    ),
)
"""Models of the spend track only; actionable's S, T, X and DR learners (``MODELS``, defaults)
run on both kinds of outcome: they pick a regressor for a continuous one."""
BOTH_OUTCOMES = ("SLearner", "TLearner", "XLearner", "DRLearner")


def runs_on(spec, outcome_type):
    """Whether ``spec`` takes a task whose outcome is ``outcome_type``."""
    return spec.outcome_type == outcome_type or spec.name in BOTH_OUTCOMES


MODELS = MODELS + CONTINUOUS_MODELS
MODELS_BY_NAME = {spec.name: spec for spec in MODELS}
PEER_LIBRARIES = ("scikit-uplift", "causalml", "h2o")
LIBRARIES = ("actionable", *PEER_LIBRARIES)
_IMPORT_OF = {
    "actionable": "actionable.models",
    "scikit-uplift": "sklift.models",
    "causalml": "causalml.inference.meta",
    "h2o": "h2o.estimators",
}


def availability(library):
    """``None`` when the library's models can be imported, else the reason they cannot."""
    try:
        importlib.import_module(_IMPORT_OF[library])
    except ModuleNotFoundError as error:
        missing = error.name or str(error)
        if missing.split(".")[0] in {"sklift", "causalml", "h2o"}:
            return "not installed"
        return f"import failed: ModuleNotFoundError: {error}"
    except Exception as error:  # noqa: BLE001 - a peer's import failure is a result, not a crash
        return f"import failed: {type(error).__name__}: {error}"
    return None
