"""Quality track: every model on identical stratified splits; metrics on the held-out rows."""

import time

import numpy as np

from _harness.isolation import fit_predict_isolated
from _harness.models import MODELS, PEER_LIBRARIES, availability, runs_on
from _harness.stats import paired_difference, summarize
from _harness.tasks import stratified_splits

METRICS = ("qini_auc", "uplift_auc", "uplift_at_30_overall", "uplift_at_30_by_group")
TRUTH_METRICS = ("oracle_profit_share",)
METRIC_LABELS = {
    "qini_auc": "qini_auc_score",
    "uplift_auc": "uplift_auc_score",
    "uplift_at_30_overall": "uplift_at_k(k=0.3, strategy='overall')",
    "uplift_at_30_by_group": "uplift_at_k(k=0.3, strategy='by_group')",
    "oracle_profit_share": "best profit of the model's ranking / best profit of the ranking by "
    "true_effect (exact, from potential outcomes; make_churn's default costs)",
}


def _cost_model(costs):
    from actionable.economics import CostModel

    keys = (
        "value_per_success",
        "value_per_unit",
        "cost_per_contact",
        "incentive_cost",
        "incentive_paid",
    )
    return CostModel(**{key: costs[key] for key in keys if key in costs})


def _best_profit(y0, y1, score, cost_model):
    from actionable.economics import profit_curve_from_truth

    _, profit = profit_curve_from_truth(y0, y1, score, cost_model=cost_model)
    return float(np.max(profit))


def score_predictions(y, score, treatment, truth=None, oracle_best=None, cost_model=None):
    """Quality metrics of one model on one split's held-out rows (``None`` where one fails)."""
    from actionable.metrics import qini_auc_score, uplift_at_k, uplift_auc_score

    calls = {
        "qini_auc": lambda: qini_auc_score(y, score, treatment),
        "uplift_auc": lambda: uplift_auc_score(y, score, treatment),
        "uplift_at_30_overall": lambda: uplift_at_k(y, score, treatment, strategy="overall", k=0.3),
        "uplift_at_30_by_group": lambda: uplift_at_k(
            y, score, treatment, strategy="by_group", k=0.3
        ),
    }
    if truth is not None:
        calls["oracle_profit_share"] = lambda: (
            _best_profit(truth["y0"], truth["y1"], score, cost_model) / oracle_best
        )
    values, errors = {}, {}
    for name, call in calls.items():
        try:
            values[name] = float(call())
        except Exception as error:  # noqa: BLE001 - recorded per metric
            values[name] = None
            errors[name] = f"{type(error).__name__}: {error}"[:300]
    return values, errors


def run_task(task, *, n_splits, test_size, split_seed, budget_seconds, models=MODELS, log=print):
    """All models that take the task's kind of outcome, on one task; the JSON-ready record."""
    models = [spec for spec in models if runs_on(spec, task.outcome_type)]
    splits = stratified_splits(task, n_splits, test_size, split_seed)
    metric_names = METRICS + (TRUTH_METRICS if task.truth is not None else ())
    cost_model = _cost_model(task.truth["costs"]) if task.truth is not None else None
    oracle = []
    if task.truth is not None:
        for _, test in splits:
            truth_test = {k: task.truth[k][test] for k in ("y0", "y1")}
            oracle.append(
                _best_profit(
                    truth_test["y0"], truth_test["y1"], task.truth["true_effect"][test], cost_model
                )
            )
    unavailable = {}
    records = []
    for spec in models:
        if spec.library not in unavailable:
            unavailable[spec.library] = availability(spec.library)
        record = {
            "model": spec.name,
            "library": spec.library,
            "family": spec.family,
            "construction": spec.construction,
            "status": "ok",
            "error": None,
            "per_split": {
                name: []
                for name in (*metric_names, "fit_seconds", "predict_seconds", "cpu_seconds")
            },
            "metric_errors": {},
            "warnings": [],
        }
        records.append(record)
        if unavailable[spec.library] is not None:
            record["status"] = (
                "not installed" if unavailable[spec.library] == "not installed" else ("error")
            )
            record["error"] = unavailable[spec.library]
            log(f"  {spec.name:<40} {record['error']}")
            continue
        started = time.perf_counter()
        for index, (train, test) in enumerate(splits):
            result = fit_predict_isolated(
                spec,
                task.X[train],
                task.y[train],
                task.treatment[train],
                task.X[test],
                timeout=budget_seconds,
                framing=task.framing,
            )
            if result["status"] != "ok":
                record["status"] = "skipped" if result["status"] == "timeout" else "error"
                where = f"split {index}"
                if result["status"] == "timeout":
                    record["error"] = f"skipped: {result['error']} on {where}"
                else:
                    record["error"] = f"{result['error']} (on {where})"
                    record["traceback"] = result.get("traceback")
                break
            truth = None
            if task.truth is not None:
                truth = {k: task.truth[k][test] for k in ("y0", "y1")}
            values, errors = score_predictions(
                task.y[test],
                result["score"],
                task.treatment[test],
                truth=truth,
                oracle_best=oracle[index] if oracle else None,
                cost_model=cost_model,
            )
            for name in metric_names:
                record["per_split"][name].append(values[name])
            for name, message in errors.items():
                record["metric_errors"].setdefault(name, message)
            record["per_split"]["fit_seconds"].append(result["fit_seconds"])
            record["per_split"]["predict_seconds"].append(result["predict_seconds"])
            record["per_split"]["cpu_seconds"].append(result["cpu_seconds"])
            for message in result["warnings"]:
                if message not in record["warnings"] and len(record["warnings"]) < 5:
                    record["warnings"].append(message)
        if record["status"] == "ok":
            record["summary"] = {
                name: summarize(record["per_split"][name])
                for name in (*metric_names, "fit_seconds", "predict_seconds", "cpu_seconds")
            }
            qini = record["summary"]["qini_auc"]
            cpu = sum(record["per_split"]["cpu_seconds"])
            log(
                f"  {spec.name:<40} qini {_fmt(qini['mean'])} ± {_fmt(qini['sd'])}"
                f"  ({time.perf_counter() - started:.1f} s wall, {cpu:.1f} CPU s)"
            )
        else:
            log(f"  {spec.name:<40} {record['error']}")
    return {
        **task.summary(),
        "n_splits": n_splits,
        "test_size": test_size,
        "split_seed": split_seed,
        "n_test": len(splits[0][1]),
        "n_train": len(splits[0][0]),
        "budget_seconds_per_fit": budget_seconds,
        "oracle_best_profit": oracle or None,
        "metrics": list(metric_names),
        "models": records,
        "paired": paired_comparisons(records, metric_names, test_size),
    }


def _fmt(value):
    return "n/a" if value is None else f"{value:.4f}"


def _complete(record):
    return record["status"] == "ok"


def paired_comparisons(records, metric_names, test_size):
    """Each actionable model minus the best peer (highest mean) on the same splits, per metric."""
    comparisons = []
    ours = [r for r in records if r["library"] == "actionable" and _complete(r)]
    peers = [r for r in records if r["library"] in PEER_LIBRARIES and _complete(r)]
    for metric in metric_names:
        ranked = [p for p in peers if p["summary"][metric]["mean"] is not None]
        if not ranked:
            continue
        best = max(ranked, key=lambda r: r["summary"][metric]["mean"])
        for record in ours:
            difference = paired_difference(
                record["per_split"][metric], best["per_split"][metric], test_fraction=test_size
            )
            if difference is None:
                continue
            comparisons.append(
                {
                    "metric": metric,
                    "model": record["model"],
                    "best_peer": best["model"],
                    **difference,
                }
            )
    return comparisons
