#!/usr/bin/env python
"""Side-by-side benchmarks of actionable against scikit-uplift and causalml.

Usage::

    python benchmarks/run.py                      # everything (~45 min on 2 cores)
    python benchmarks/run.py --only hillstrom     # one piece: hillstrom, starbucks, churn, spend,
                                                  # quality (the four), speed, metrics, criteo
    python benchmarks/run.py --quick              # tiny data, into a temporary directory
    python benchmarks/run.py --tables-only        # regenerate README tables from the JSON

Results go to ``benchmarks/results/<piece>.json`` (``--results-dir`` to change) and the tables
between the generated-region markers of ``benchmarks/README.md`` (``--readme`` to change).
Thread pools are pinned to one thread through the environment before anything is imported.
"""

import os
import sys

BENCHMARKS = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, BENCHMARKS)

from _harness.environment import pin_threads  # noqa: I001 - must run before numpy is imported

pin_threads(1)

import argparse
import json
import math
import tempfile
import time

import numpy as np
from _harness import criteo, decision, merge, quality, report, speed, tasks
from _harness.environment import environment_record
from _harness.models import start_h2o, stop_h2o

PIECES = (
    "hillstrom",
    "starbucks",
    "churn",
    "spend",
    "decision",
    "speed",
    "speed-large",
    "metrics",
    "criteo",
)
ALIASES = {"quality": ("hillstrom", "starbucks", "churn", "spend"), "all": PIECES}
RESULT_FILES = {
    "hillstrom": "quality_hillstrom.json",
    "starbucks": "quality_starbucks.json",
    "churn": "quality_churn.json",
    "spend": "quality_spend.json",
    "decision": "decision.json",
    "speed": "speed_models.json",
    "speed-large": "speed_models_large.json",
    "metrics": "speed_metrics.json",
    "criteo": "criteo.json",
}
# Learners timed at 10^7 rows: actionable's, scikit-uplift's LightGBM learners, and
# causalml's X- and DR-learners (the only peers of those two families).
LARGE_MODELS = (
    "SLearner",
    "TLearner",
    "XLearner",
    "DRLearner",
    "ClassTransformation",
    "OutcomeClassifier",
    "sklift.SoloModel",
    "sklift.TwoModels",
    "sklift.ClassTransformation",
    "causalml.BaseXClassifier",
    "causalml.BaseDRClassifier",
)
FULL = {
    "hillstrom_n_max": None,
    "hillstrom_tasks": tasks.HILLSTROM_TASKS,
    "starbucks_n_max": None,
    "churn_n": 50_000,
    "spend_n_max": None,
    "spend_churn_n": 50_000,
    "decision_n_max": None,
    "decision_budget": 1800.0,
    "decision_tasks": ("starbucks", ("womens", "visit"), ("mens", "visit")),
    "decision_models": None,  # all
    "n_splits": 10,
    "test_size": 0.3,
    "split_seed": 0,
    "quality_budget": 120.0,
    "speed_sizes": (10**4, 10**5, 10**6),
    "speed_budgets": {10**4: 120.0, 10**5: 300.0, 10**6: 600.0, 10**7: 1800.0},
    "speed_models": None,  # all
    "large_size": 10**7,
    "large_models": LARGE_MODELS,
    "metric_sizes": (10**5, 10**6, 10**7),
    "metric_repeats": {10**5: 5, 10**6: 3, 10**7: 2},
    "metric_budget": 900.0,
    "criteo_budget": 7200.0,
}
QUICK = {
    "hillstrom_n_max": 2_000,
    "hillstrom_tasks": (("womens", "visit"), ("mens", "conversion")),
    "starbucks_n_max": 2_000,
    "churn_n": 2_000,
    "spend_n_max": 2_000,
    "spend_churn_n": 2_000,
    "decision_n_max": 3_000,
    "decision_budget": 300.0,
    "decision_tasks": (("womens", "visit"),),
    "decision_models": ("SLearner", "OutcomeClassifier", "sklift.TwoModels", "h2o.UpliftDRF"),
    "n_splits": 2,
    "test_size": 0.3,
    "split_seed": 0,
    "quality_budget": 60.0,
    "speed_sizes": (2_000,),
    "speed_budgets": {2_000: 60.0, 5_000: 60.0},
    "speed_models": (
        "SLearner",
        "TLearner",
        "sklift.SoloModel",
        "sklift.TwoModels",
        "causalml.BaseTClassifier",
    ),
    "large_size": 5_000,
    "large_models": ("TLearner", "sklift.TwoModels"),
    "metric_sizes": (10**5,),
    "metric_repeats": {10**5: 2},
    "metric_budget": 120.0,
    "criteo_budget": 120.0,
}


MERGEABLE = {
    "hillstrom": merge.merge_quality,
    "starbucks": merge.merge_quality,
    "churn": merge.merge_quality,
    "spend": merge.merge_quality,
    "speed": merge.merge_speed,
    "speed-large": merge.merge_speed,
    "decision": merge.merge_decision,
}


def _clean(value):
    """JSON-safe: numpy scalars to Python, non-finite floats to None."""
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    if isinstance(value, np.ndarray):
        return _clean(value.tolist())
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        value = float(value)
        return value if math.isfinite(value) else None
    return value


def _keeps_saved_results(results_dir, piece, record):
    """A dataset unavailable here must not replace results measured where it was."""
    path = os.path.join(results_dir, RESULT_FILES.get(piece, ""))
    if record.get("track") not in ("quality", "decision") or record.get("status") == "ran":
        return False
    if not os.path.isfile(path):
        return False
    with open(path) as handle:
        saved = json.load(handle)
    if saved.get("status") != "ran":
        return False
    print(f"{piece}: not run here; the saved results in {path} are kept")
    return True


def _write(results_dir, piece, record):
    path = os.path.join(results_dir, RESULT_FILES[piece])
    text = json.dumps(_clean(record), indent=1, allow_nan=False) + "\n"
    partial = path + ".partial"
    with open(partial, "w") as handle:
        handle.write(text)
    os.replace(partial, path)  # a crash never leaves a half-written result file
    print(f"wrote {path}")


def _quality(piece, config, argv, quick, models):
    loaders = {
        "hillstrom": lambda: tasks.hillstrom_tasks(
            n_max=config["hillstrom_n_max"], which=config["hillstrom_tasks"]
        ),
        "starbucks": lambda: tasks.starbucks_tasks(n_max=config["starbucks_n_max"]),
        "churn": lambda: tasks.churn_tasks(config["churn_n"]),
        "spend": lambda: tasks.spend_tasks(
            n_max=config["spend_n_max"], churn_n=config["spend_churn_n"]
        ),
    }
    record = {"track": "quality", "dataset": piece, "quick": quick}
    record["environment"] = environment_record(argv)
    record["metric_definitions"] = quality.METRIC_LABELS
    try:
        task_list = loaders[piece]()
    except Exception as error:  # noqa: BLE001 - an unavailable dataset is reported
        record["tasks"] = []
        record["status"] = f"dataset unavailable: {type(error).__name__}: {error}"
        print(f"{piece}: {record['status']}")
        return record
    record["status"] = "ran"
    record["tasks"] = []
    for task in task_list:
        print(f"{task.name}: {task.n_samples:,} rows")
        record["tasks"].append(
            quality.run_task(
                task,
                n_splits=config["n_splits"],
                test_size=config["test_size"],
                split_seed=config["split_seed"],
                budget_seconds=config["quality_budget"],
                models=models,
            )
        )
    return record


def _decision(config, argv, quick, models):
    record = {"track": "decision", "quick": quick, "environment": environment_record(argv)}
    record["economics"] = decision.ECONOMICS
    if config["decision_models"] is not None:
        models = [spec for spec in models if spec.name in config["decision_models"]]
    wanted = config["decision_tasks"]
    try:
        task_list = (
            tasks.starbucks_tasks(n_max=config["decision_n_max"]) if "starbucks" in wanted else []
        )
        task_list += tasks.hillstrom_tasks(
            n_max=config["decision_n_max"], which=[task for task in wanted if task != "starbucks"]
        )
    except Exception as error:  # noqa: BLE001 - an unavailable dataset is reported
        record["tasks"] = []
        record["status"] = f"dataset unavailable: {type(error).__name__}: {error}"
        print(f"decision: {record['status']}")
        return record
    record["status"] = "ran"
    record["tasks"] = []
    for task in task_list:
        print(f"{task.name}: {task.n_samples:,} rows", flush=True)
        record["tasks"].append(
            decision.run_decision_task(
                task,
                n_splits=config["n_splits"],
                test_size=config["test_size"],
                split_seed=config["split_seed"],
                budget_seconds=config["decision_budget"],
                models=models,
            )
        )
    return record


def _speed_eligible(spec, config, large):
    if spec.outcome_type != "binary":  # make_churn's retained outcome
        return False
    if spec.library == "h2o":  # its time and memory are a Java server's, not the child's
        return False
    name = spec.name
    if large:
        return name in config["large_models"]
    return config["speed_models"] is None or name in config["speed_models"]


def _speed(config, argv, quick, results_dir, large, models):
    record = {"track": "speed", "quick": quick, "environment": environment_record(argv)}
    try:
        from actionable.datasets import make_churn  # noqa: F401
    except ImportError as error:
        record["status"] = f"dataset unavailable: {type(error).__name__}: {error}"
        record["models"] = []
        print(f"speed: {record['status']}")
        return record
    record["status"] = "ran"
    previous = None
    if large:
        path = os.path.join(results_dir, RESULT_FILES["speed"])
        if os.path.isfile(path):
            with open(path) as handle:
                previous = speed.previous_from(json.load(handle))
    record.update(
        speed.run_fit_speed(
            () if large else config["speed_sizes"],
            budgets=config["speed_budgets"],
            large_size=config["large_size"] if large else None,
            large_models=config["large_models"],
            previous=previous,
            models=[spec for spec in models if _speed_eligible(spec, config, large)],
        )
    )
    return record


def _metrics(config, argv, quick):
    record = {"track": "metric speed", "quick": quick, "environment": environment_record(argv)}
    record["status"] = "ran"
    record.update(
        speed.run_metric_speed(
            config["metric_sizes"],
            repeats=config["metric_repeats"],
            budget=config["metric_budget"],
        )
    )
    return record


def _criteo(config, argv, quick, criteo_file):
    record = {"track": "criteo", "quick": quick, "environment": environment_record(argv)}
    path, reason = (criteo_file, None) if criteo_file else criteo.locate_criteo()
    if path is None:
        print(criteo.HOW_TO_FETCH)
        print(f"(lookup: {reason})")
        return None
    record["status"] = "ran"
    record.update(criteo.run_criteo(path, budget_seconds=config["criteo_budget"]))
    return record


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="tiny data, a smoke test")
    parser.add_argument(
        "--only",
        default="all",
        help="comma-separated pieces: " + ", ".join((*PIECES, *ALIASES)),
    )
    parser.add_argument("--results-dir", default=None, help="where the JSON results go")
    parser.add_argument(
        "--splits", type=int, default=None, help="splits per task (default: 10, --quick 2)"
    )
    parser.add_argument(
        "--tasks",
        default=None,
        help="decision track only: comma-separated tasks among starbucks, womens, mens",
    )
    parser.add_argument(
        "--models",
        default=None,
        help="only these models (library names and/or model names, comma-separated); their "
        "records replace those in the saved results of the same pieces, on the same splits",
    )
    parser.add_argument("--readme", default=None, help="README whose generated region is updated")
    parser.add_argument("--no-readme", action="store_true", help="do not touch any README")
    parser.add_argument(
        "--tables-only", action="store_true", help="only regenerate the README from the JSON"
    )
    parser.add_argument(
        "--criteo-file",
        default=None,
        help="run the Criteo track on this CSV (e.g. the 1,000-row fixture, to test the code)",
    )
    args = parser.parse_args(argv)
    pieces = []
    for name in args.only.split(","):
        name = name.strip()
        if name in ALIASES:
            pieces.extend(ALIASES[name])
        elif name in PIECES:
            pieces.append(name)
        else:
            parser.error(f"--only: unknown piece {name!r}; choose from {PIECES + tuple(ALIASES)}")
    args.pieces = list(dict.fromkeys(pieces))
    default_results = os.path.join(BENCHMARKS, "results")
    if args.results_dir is None:
        if args.quick:
            args.results_dir = tempfile.mkdtemp(prefix="actionable-bench-quick-")
        else:
            args.results_dir = default_results
    if args.readme is None:
        # Only the committed results regenerate the committed README.
        committed = os.path.abspath(args.results_dir) == os.path.abspath(default_results)
        args.readme = os.path.join(BENCHMARKS if committed else args.results_dir, "README.md")
    return args


def main(argv=None):
    argv = sys.argv[1:] if argv is None else list(argv)
    args = parse_args(argv)
    os.makedirs(args.results_dir, exist_ok=True)
    config = dict(QUICK if args.quick else FULL)
    if args.splits is not None:
        config["n_splits"] = args.splits
    if args.tasks:
        chosen = [name.strip() for name in args.tasks.split(",")]
        config["decision_tasks"] = tuple(
            name if name == "starbucks" else (name, "visit") for name in chosen
        )
    models = merge.select_models(args.models)
    tasks.use_shared_mirror()
    modelled = set(args.pieces) & {"hillstrom", "starbucks", "churn", "decision"}
    h2o_server = start_h2o(models) if modelled and not args.tables_only else None
    try:
        _run_pieces(args, config, argv, models)
    finally:
        stop_h2o(h2o_server)
    if not args.no_readme:
        path = report.write_readme(args.readme, report.load_results(args.results_dir))
        print(f"updated the generated tables of {path}")
    print(f"results in {args.results_dir}")
    return 0


def _run_pieces(args, config, argv, models):
    if not args.tables_only:
        for piece in args.pieces:
            print(f"== {piece} ==", flush=True)
            start = time.perf_counter()
            if piece in ("hillstrom", "starbucks", "churn", "spend"):
                record = _quality(piece, config, argv, args.quick, models)
            elif piece == "decision":
                record = _decision(config, argv, args.quick, models)
            elif piece in ("speed", "speed-large"):
                large = piece == "speed-large"
                record = _speed(config, argv, args.quick, args.results_dir, large, models)
            elif piece == "metrics":
                record = _metrics(config, argv, args.quick)
            else:
                record = _criteo(config, argv, args.quick, args.criteo_file)
            if record is None:
                continue
            if _keeps_saved_results(args.results_dir, piece, record):
                continue
            record["wall_seconds"] = time.perf_counter() - start
            if piece in MERGEABLE:
                record["runs"] = [merge.run_summary(record, models)]
                path = os.path.join(args.results_dir, RESULT_FILES[piece])
                if args.models and os.path.isfile(path):
                    with open(path) as handle:
                        record = MERGEABLE[piece](json.load(handle), record)
                    print(f"merged the re-run models into {path}")
            _write(args.results_dir, piece, record)


if __name__ == "__main__":
    sys.exit(main())
