"""One interval type and one bootstrap engine across the package (issue 21).

- one class named ``*Interval`` in ``src/actionable``;
- no module but ``_resampling.py`` draws bootstrap resamples;
- every public ``*_ci`` of the metrics and the economics returns an ``Interval``;
- every public ``n_bootstraps`` default is the engine's one constant.
"""

import ast
import importlib
import inspect
from pathlib import Path

import numpy as np
import pytest

import actionable
from actionable._resampling import DEFAULT_N_BOOTSTRAPS
from actionable.economics import (
    CostModel,
    best_targeting,
    policy_profit,
    profit_difference,
    profit_difference_from_truth,
)
from actionable.metrics import ConfidenceInterval, Interval

PACKAGE = Path(actionable.__file__).resolve().parent
SOURCES = sorted(PACKAGE.rglob("*.py"))
PUBLIC_MODULES = [
    "actionable.datasets",
    "actionable.metrics",
    "actionable.models",
    "actionable.economics",
    "actionable.paired",
    "actionable.decision",
    "actionable.production",
    "actionable.report",
]

# Calls of a random generator that may draw rows with replacement outside the engine,
# each with the reason it is not a bootstrap.
NOT_RESAMPLING = {
    "datasets/_synthetic.py": "simulates customers (categories, plans, assignment)",
    "paired/_experiment.py": "draws the seeds of the split, the models and the evaluation",
    "production/_pilot_simulation.py": "draws one seed per simulated pilot",
    "models/_base.py": "draws one seed per fitted model",
}
# Public functions whose ``n_bootstraps=None`` means "no interval unless asked".
NO_INTERVAL_BY_DEFAULT = {"ProfitCurveDisplay.from_predictions"}


def _relative(path):
    return path.relative_to(PACKAGE).as_posix()


def test_one_interval_class():
    classes = [
        (_relative(path), node.name)
        for path in SOURCES
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.ClassDef) and node.name.endswith("Interval")
    ]
    assert classes == [("_interval.py", "Interval")]
    assert ConfidenceInterval is Interval
    assert actionable.Interval is Interval
    assert importlib.import_module("actionable.paired").Interval is Interval


def _draws_resamples(call):
    """Whether a call draws rows with replacement (an index, a count or a choice per row)."""
    if not isinstance(call.func, ast.Attribute):
        return False
    keywords = {keyword.arg: keyword.value for keyword in call.keywords}
    name = call.func.attr
    if name == "multinomial":
        return True
    if name == "choice":
        replace = keywords.get("replace")
        return not (isinstance(replace, ast.Constant) and replace.value is False)
    if name in ("integers", "randint"):
        # one bound and no size is a seed; a size or a (low, high) range draws many
        return "size" in keywords or len(call.args) >= 2
    return False


def test_only_the_engine_draws_resamples():
    found = []
    for path in SOURCES:
        module = _relative(path)
        if module == "_resampling.py" or module in NOT_RESAMPLING:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and _draws_resamples(node):
                found.append(f"{module}:{node.lineno}: {ast.unparse(node)}")
    assert not found, "draw resamples through actionable._resampling:\n" + "\n".join(found)
    for module in NOT_RESAMPLING:
        assert (PACKAGE / module).is_file(), f"stale allow-list entry {module}"


def test_the_check_sees_a_resample():
    calls = [
        "rng.integers(0, n, size=(b, n))",
        "rng.multinomial(n, p, size=b)",
        "rng.choice(rows, rows.size)",
    ]
    seeds = ["rng.integers(2**31 - 1)", "rng.choice(rows, 10, replace=False)"]
    for code in calls:
        assert _draws_resamples(ast.parse(code).body[0].value), code
    for code in seeds:
        assert not _draws_resamples(ast.parse(code).body[0].value), code


@pytest.fixture(scope="module")
def experiment():
    rng = np.random.default_rng(0)
    n = 600
    treatment = rng.integers(0, 2, n)
    score = rng.normal(size=n)
    y = (rng.random(n) < 0.3 + 0.2 * treatment * (score > 0)).astype(int)
    return y, score, treatment


def _public_ci_functions():
    for module_name in ("actionable.metrics", "actionable.economics"):
        module = importlib.import_module(module_name)
        for name in module.__all__:
            if name.endswith("_ci"):
                yield pytest.param(getattr(module, name), id=f"{module_name}.{name}")


CI_FUNCTIONS = list(_public_ci_functions())


def test_the_ci_functions_are_found():
    names = {param.id.rsplit(".", 1)[1] for param in CI_FUNCTIONS}
    assert {"qini_auc_score_ci", "profit_curve_ci", "max_profit_uplift_ci"} <= names


@pytest.mark.parametrize("function", CI_FUNCTIONS)
def test_every_ci_function_returns_an_interval(function, experiment):
    y, score, treatment = experiment
    kwargs = {"n_bootstraps": 50, "random_state": 0, "confidence_level": 0.9}
    if "cost_model" in inspect.signature(function).parameters:
        kwargs["cost_model"] = CostModel(10.0, 1.0)
    result = function(y, score, treatment, **kwargs)
    if function.__name__.endswith("_curve_ci"):  # a curve: its points, and one band over them
        points, result = result
        assert np.shape(result.estimate) == np.shape(points)
    assert isinstance(result, Interval)
    assert result.method == "bootstrap"
    assert result.confidence_level == 0.9
    assert np.all(np.asarray(result.low) <= np.asarray(result.high))


def test_the_other_intervals_of_the_economics_are_intervals(experiment):
    y, score, treatment = experiment
    costs = CostModel(10.0, 1.0, capacity=100)
    common = {"n_bootstraps": 50, "random_state": 0}
    targeting = best_targeting(y, score, treatment, cost_model=costs, **common)
    assert isinstance(targeting.profit_interval, Interval)
    assert isinstance(targeting.profit_at_capacity_interval, Interval)
    sizes = {"n_targeted": 100, "other_n_targeted": 200, "cost_model": costs}
    difference = profit_difference(y, score, -score, treatment, **sizes, **common)
    assert isinstance(difference, Interval)
    assert difference.method == "paired bootstrap"
    exact = profit_difference_from_truth(y, y, score, -score, **sizes, **common)
    assert isinstance(exact, Interval)
    profits = policy_profit(
        y, treatment, {"all": np.ones(y.size), "top": score > 0}, cost_model=costs, **common
    )
    assert isinstance(profits.difference("all", "top"), Interval)
    assert isinstance(profits.interval("top"), Interval)


def _functions_with_n_bootstraps():
    for module_name in PUBLIC_MODULES:
        module = importlib.import_module(module_name)
        for name in module.__all__:
            value = getattr(module, name)
            candidates = [(name, value)]
            if inspect.isclass(value):
                candidates = [(name, value.__init__)] + [
                    (f"{name}.{attribute}", member)
                    for attribute, member in vars(value).items()
                    if not attribute.startswith("_")
                    and isinstance(member, (classmethod, staticmethod, type(lambda: 0)))
                ]
            for qualified, function in candidates:
                function = getattr(function, "__func__", function)
                if not callable(function):
                    continue
                try:
                    parameters = inspect.signature(function).parameters
                except (TypeError, ValueError):
                    continue
                parameter = parameters.get("n_bootstraps")
                if parameter is not None and parameter.default is not inspect.Parameter.empty:
                    yield f"{module_name}.{qualified}", parameter.default


N_BOOTSTRAPS_DEFAULTS = list(_functions_with_n_bootstraps())


def test_the_defaults_are_found():
    names = {name.rsplit(".", 1)[-1] for name, _ in N_BOOTSTRAPS_DEFAULTS}
    assert {"qini_auc_score_ci", "best_targeting", "policy_profit", "evaluate_paired"} <= names
    assert len(N_BOOTSTRAPS_DEFAULTS) >= 15
    found = {name.split(".", 2)[-1] for name, _ in N_BOOTSTRAPS_DEFAULTS}
    assert found >= NO_INTERVAL_BY_DEFAULT


@pytest.mark.parametrize(("name", "default"), N_BOOTSTRAPS_DEFAULTS, ids=lambda v: str(v))
def test_one_default_number_of_resamples(name, default):
    if name.split(".", 2)[-1] in NO_INTERVAL_BY_DEFAULT:
        assert default is None
        return
    assert default == DEFAULT_N_BOOTSTRAPS, name
