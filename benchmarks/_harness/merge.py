"""Re-run some models of a piece and merge them into the committed results.

``run.py --only hillstrom --models actionable`` refits actionable's learners on the very same
splits (same data, split seed and protocol) and replaces only their records, so a change to
actionable's defaults does not require rerunning the peers. Each result file keeps the list of
runs that produced it (``runs``: when, commit, uncommitted edits, which models); a run whose
every model has been re-run since no longer contributes a number and is dropped from that list.
"""

from _harness.models import LIBRARIES, MODELS, MODELS_BY_NAME
from _harness.quality import paired_comparisons
from _harness.speed import add_ratios

PROTOCOL_KEYS = ("n_samples", "n_features", "n_splits", "test_size", "split_seed", "n_train")


def select_models(text):
    """Models named by ``--models``: library names and/or model names, comma-separated."""
    if not text:
        return list(MODELS)
    chosen = set()
    for item in (part.strip() for part in text.split(",")):
        if item in LIBRARIES:
            chosen.update(spec.name for spec in MODELS if spec.library == item)
        elif item in MODELS_BY_NAME:
            chosen.add(item)
        else:
            raise ValueError(
                f"--models: unknown {item!r}; use a library ({', '.join(LIBRARIES)}) "
                "or a model name from benchmarks/_harness/models.py"
            )
    return [spec for spec in MODELS if spec.name in chosen]


def run_summary(record, models):
    env = record["environment"]
    return {
        "started_at": env["started_at"],
        "command": env["command"],
        "git_commit": env["git_commit"],
        "modified_sources": env.get("modified_sources"),
        "load_average_at_start": env["machine"].get("load_average_at_start"),
        "wall_seconds": record.get("wall_seconds"),
        "models": "all" if len(models) == len(MODELS) else [spec.name for spec in models],
    }


def live_runs(runs, model_names):
    """The runs that still contribute a record: drop each one whose models were all re-run later.

    ``model_names`` are the models present in the result file; a run listed as ``"all"`` ran
    each of them.
    """
    kept, rerun_later = [], set()
    for run in reversed(runs):
        ran = set(model_names) if run["models"] == "all" else set(run["models"])
        if not ran <= rerun_later:
            kept.append(run)
        rerun_later |= ran
    return kept[::-1]


def _ordered(records):
    order = {spec.name: index for index, spec in enumerate(MODELS)}
    return sorted(records, key=lambda record: order.get(record["model"], len(order)))


def _replace_models(old_models, new_models):
    merged = {record["model"]: record for record in old_models}
    merged.update({record["model"]: record for record in new_models})
    return _ordered(merged.values())


def _check_same_protocol(previous, task):
    for key in PROTOCOL_KEYS:
        if previous.get(key) != task.get(key):
            raise ValueError(
                f"cannot merge {task['task']}: {key} is {task.get(key)!r} now but "
                f"{previous.get(key)!r} in the saved results; rerun every model"
            )


def merge_quality(old, new):
    """``old`` with the tasks' model records of ``new`` replacing (or adding to) its own."""
    if old.get("status") != "ran":
        return new
    old_tasks = {task["task"]: task for task in old["tasks"]}
    tasks = []
    for task in new["tasks"]:
        previous = old_tasks.get(task["task"])
        if previous is None:
            tasks.append(task)
            continue
        _check_same_protocol(previous, task)
        merged = dict(previous)
        merged["models"] = _replace_models(previous["models"], task["models"])
        merged["paired"] = paired_comparisons(merged["models"], task["metrics"], task["test_size"])
        tasks.append(merged)
    result = dict(new)
    result["notes"] = old.get("notes", []) + new.get("notes", [])
    result["tasks"] = tasks
    names = {record["model"] for task in tasks for record in task["models"]}
    result["runs"] = live_runs(old.get("runs", []) + new["runs"], names)
    return result


def merge_speed(old, new):
    """``old`` with the per-size cells of ``new``'s models replacing its own."""
    if old.get("status") != "ran":
        return new
    by_name = {
        record["model"]: dict(record, sizes=dict(record["sizes"])) for record in old["models"]
    }
    for record in new["models"]:
        if record["model"] in by_name:
            by_name[record["model"]]["sizes"].update(record["sizes"])
        else:
            by_name[record["model"]] = record
    result = dict(new)
    result["notes"] = old.get("notes", []) + new.get("notes", [])
    result["models"] = _ordered(by_name.values())
    for row in (row for record in result["models"] for row in record["sizes"].values()):
        row.pop("ratio_to_actionable", None)
    add_ratios(result["models"])
    result["data"] = {**old.get("data", {}), **new.get("data", {})}
    result["budgets_seconds"] = {**old.get("budgets_seconds", {}), **new["budgets_seconds"]}
    names = {record["model"] for record in result["models"]}
    result["runs"] = live_runs(old.get("runs", []) + new["runs"], names)
    return result


def merge_decision(old, new):
    """``old`` decision results with ``new``'s model records replacing (or adding to) its own.

    Tasks only in ``old`` are kept; on a task of both, the protocol must match (same
    splits), each re-run model's record replaces the saved one, and the paired differences
    to ``auto`` and the issue's bars are recomputed. Every run stays listed: the decision
    track names its deployments (``"actionable fit --learner t"``), not the models that
    ``--models`` selects, so no run is known to be superseded.
    """
    from _harness.decision import criteria, paired_against_auto

    if old.get("status") != "ran":
        return new
    new_tasks = {task["task"]: task for task in new["tasks"]}
    tasks = []
    for previous in old["tasks"]:
        task = new_tasks.pop(previous["task"], None)
        if task is None:
            tasks.append(previous)
            continue
        _check_same_protocol(previous, task)
        merged = dict(previous)
        records = {record["model"]: record for record in previous["models"]}
        records.update({record["model"]: record for record in task["models"]})
        merged["models"] = list(records.values())
        merged["paired"] = paired_against_auto(merged["models"], task["test_size"])
        merged["criteria"] = criteria(merged["models"])
        tasks.append(merged)
    result = dict(new)
    result["notes"] = old.get("notes", []) + new.get("notes", [])
    result["tasks"] = tasks + list(new_tasks.values())
    result["runs"] = _runs_of(old) + _runs_of(new)
    return result


def _runs_of(record):
    """The runs of a result file; one written before it listed them counts as one run."""
    return record.get("runs") or [run_summary(record, MODELS)]
