"""Markdown tables generated from the JSON results, and the generated region of the README."""

import json
import math
from pathlib import Path

from _harness.decision import decision_section

BEGIN = "<!-- BEGIN GENERATED TABLES -->"
END = "<!-- END GENERATED TABLES -->"
QUALITY_FILES = (
    "quality_hillstrom.json",
    "quality_starbucks.json",
    "quality_churn.json",
    "quality_spend.json",
)
SPEED_FILE = "speed_models.json"
SPEED_LARGE_FILE = "speed_models_large.json"
METRIC_FILE = "speed_metrics.json"
CRITEO_FILE = "criteo.json"
DECISION_FILE = "decision.json"
METRIC_HEADERS = {
    "qini_auc": "qini_auc_score",
    "uplift_auc": "uplift_auc_score",
    "uplift_at_30_overall": "uplift@30% overall",
    "uplift_at_30_by_group": "uplift@30% by_group",
    "oracle_profit_share": "share of oracle profit",
}


def load_results(results_dir):
    """Every known result file present in ``results_dir``, by file name."""
    found = {}
    for name in (
        *QUALITY_FILES,
        DECISION_FILE,
        SPEED_FILE,
        SPEED_LARGE_FILE,
        METRIC_FILE,
        CRITEO_FILE,
    ):
        path = Path(results_dir) / name
        if path.is_file():
            found[name] = json.loads(path.read_text())
    return found


def _table(headers, rows, align=None):
    align = align or ["---"] * len(headers)
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join(align) + "|"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def _num(value, digits=4):
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "n/a"
    return f"{value:.{digits}f}"


def _mean_sd(summary, digits=4):
    if not summary or summary.get("mean") is None:
        return "n/a"
    sd = summary.get("sd")
    return f"{summary['mean']:.{digits}f} ± {_num(sd, digits)}"


def _seconds(value):
    if value is None:
        return "n/a"
    if value < 0.01:
        return f"{value * 1000:.2f} ms"
    if value < 10:
        return f"{value:.2f} s"
    return f"{value:.0f} s"


def _size_label(n):
    n = int(n)
    exponent = round(math.log10(n)) if n > 0 else 0
    return f"10^{exponent}" if 10**exponent == n else f"{n:,}"


def _escape(text):
    return str(text).replace("|", "\\|").replace("\n", " ")


def _run_line(run, machine):
    edits = run.get("modified_sources")
    models = run.get("models")
    return (
        f"{run.get('started_at', '?')}, commit `{run.get('git_commit')}`"
        + (f" with uncommitted edits to {', '.join(edits)}" if edits else "")
        + f", load average at start {run.get('load_average_at_start')}, "
        f"wall time {(run.get('wall_seconds') or 0) / 60:.1f} min"
        + (f", models: {', '.join(models)}" if isinstance(models, list) else "")
        + f"; `{run.get('command', '')}`"
    )


def _environment_lines(results):
    lines = []
    for name, record in results.items():
        env = record.get("environment", {})
        machine = env.get("machine", {})
        runs = record.get("runs") or [
            {
                "started_at": env.get("started_at"),
                "git_commit": env.get("git_commit"),
                "modified_sources": env.get("modified_sources"),
                "load_average_at_start": machine.get("load_average_at_start"),
                "wall_seconds": record.get("wall_seconds"),
                "command": env.get("command"),
            }
        ]
        lines.append(
            f"- `{name}` ({machine.get('usable_cores')} usable cores, {machine.get('cpu_model')}, "
            f"{machine.get('memory_gib')} GiB memory):"
        )
        lines += [f"  - {_run_line(run, machine)}" for run in runs]
    return lines


def _versions_table(results):
    versions, threads = {}, {}
    for record in results.values():
        env = record.get("environment", {})
        for library, version in env.get("versions", {}).items():
            versions.setdefault(library, set()).add(version or "not installed")
        for variable, value in env.get("threads", {}).items():
            threads.setdefault(variable, set()).add(str(value))
    rows = [
        (library, ", ".join(sorted(values)))
        for library, values in versions.items()
        if values != {"not installed"}
    ]
    thread_text = ", ".join(f"{k}={'/'.join(sorted(v))}" for k, v in threads.items())
    return _table(["library", "version"], rows), thread_text


def quality_section(record):
    out = []
    for task in record["tasks"]:
        continuous = task.get("outcome_type") == "continuous"
        out.append(
            f"#### {task['task']}\n\n{task['description']}: {task['n_samples']:,} rows "
            f"({task['n_features']} features), treatment rate {task['treatment_rate']:.3f}, "
            f"{'mean outcome' if continuous else 'outcome rate'} "
            f"{task['outcome_rate_treated']:.4f} treated / "
            f"{task['outcome_rate_control']:.4f} control. {task['n_splits']} stratified splits "
            f"{1 - task['test_size']:.0%}/{task['test_size']:.0%} (train {task['n_train']:,}, "
            f"test {task['n_test']:,}); mean ± sd over splits."
            + ("".join(f" Note: {note}." for note in task.get("notes", [])))
        )
        metrics = task["metrics"]
        ok = [m for m in task["models"] if m["status"] == "ok"]
        best = {
            metric: max(
                (
                    m["summary"][metric]["mean"]
                    for m in ok
                    if m["summary"][metric]["mean"] is not None
                ),
                default=None,
            )
            for metric in metrics
        }
        rows = []
        for model in task["models"]:
            if model["status"] != "ok":
                rows.append(
                    [f"`{model['model']}`", model["library"]]
                    + ["—"] * len(metrics)
                    + ["—", _escape(model["error"])]
                )
                continue
            cells = []
            for metric in metrics:
                text = _mean_sd(model["summary"][metric])
                if best[metric] is not None and model["summary"][metric]["mean"] == best[metric]:
                    text = f"**{text}**"
                cells.append(text)
            fit = model["summary"]["fit_seconds"]["mean"]
            status = (
                "ok"
                if not model.get("metric_errors")
                else "metric errors: "
                + _escape("; ".join(f"{k}: {v}" for k, v in model["metric_errors"].items()))
            )
            rows.append([f"`{model['model']}`", model["library"], *cells, _seconds(fit), status])
        headers = [
            "model",
            "library",
            *(METRIC_HEADERS[m] for m in metrics),
            "fit (mean)",
            "status",
        ]
        out.append(_table(headers, rows))
        paired = [p for p in task["paired"] if p["metric"] in ("qini_auc", "oracle_profit_share")]
        if paired:
            prows = [
                [
                    METRIC_HEADERS[p["metric"]],
                    f"`{p['model']}`",
                    f"`{p['best_peer']}`",
                    _num(p["mean"]),
                    _num(p["sd"]),
                    f"[{_num(p['ci_low'])}, {_num(p['ci_high'])}]",
                    f"{p['wins']}/{p['n_splits']}",
                ]
                for p in paired
            ]
            out.append(
                "Paired differences, actionable minus the best peer on the same splits "
                "(95% corrected resampled t interval, Nadeau & Bengio 2003):\n\n"
                + _table(
                    [
                        "metric",
                        "actionable",
                        "best peer",
                        "mean diff",
                        "sd",
                        "95% interval",
                        "wins",
                    ],
                    prows,
                )
            )
    return "\n\n".join(out)


def headline_table(results):
    """qini_auc_score mean of every model on every task, one row per model."""
    tasks, by_model, libraries = [], {}, {}
    for name in QUALITY_FILES:
        for task in results.get(name, {}).get("tasks", []):
            tasks.append(task["task"])
            for model in task["models"]:
                libraries[model["model"]] = model["library"]
                cell = "—" if model["status"] != "ok" else _mean_sd(model["summary"]["qini_auc"])
                by_model.setdefault(model["model"], {})[task["task"]] = cell
    if not tasks:
        return ""
    rows = [
        [f"`{model}`", libraries[model], *(cells.get(t, "—") for t in tasks)]
        for model, cells in by_model.items()
    ]
    return _table(["model", "library", *tasks], rows)


def merged_speed(results):
    """The speed record with the large-size cells (a separate run) merged in."""
    small, large = results.get(SPEED_FILE), results.get(SPEED_LARGE_FILE)
    if small is None or large is None or large.get("status", "ran") != "ran":
        return small or large
    if small.get("status", "ran") != "ran":
        return large
    merged = json.loads(json.dumps(small))
    by_name = {model["model"]: model for model in merged["models"]}
    for model in large["models"]:
        if model["model"] in by_name:
            by_name[model["model"]]["sizes"].update(model["sizes"])
        else:
            merged["models"].append(model)
    merged["data"].update(large.get("data", {}))
    merged["budgets_seconds"] = {**merged["budgets_seconds"], **large["budgets_seconds"]}
    return merged


def speed_section(record):
    sizes = sorted({int(n) for m in record["models"] for n in m["sizes"]})
    rows, memory_rows, cpu_rows = [], [], []
    for model in record["models"]:
        cells, memory, cpu = [], [], []
        for n in sizes:
            row = model["sizes"].get(str(n))
            if row is None:
                cells.append("—")
                memory.append("—")
                cpu.append("—")
            elif row.get("status") != "ok":
                cells.append(_escape(row.get("status")))
                memory.append("—")
                cpu.append("—")
            else:
                cpu.append(f"{_seconds(row['cpu_seconds'])} / {_seconds(row['seconds'])}")
                ratio = row.get("ratio_to_actionable", {}).get("seconds")
                suffix = (
                    f" (×{ratio:.2f})"
                    if ratio is not None and model["library"] != ("actionable")
                    else ""
                )
                cells.append(_seconds(row["seconds"]) + suffix)
                memory.append(f"{row['peak_increment_mib']:.0f} / {row['peak_rss_mib']:.0f}")
        rows.append([f"`{model['model']}`", model["library"], *cells])
        memory_rows.append([f"`{model['model']}`", model["library"], *memory])
        cpu_rows.append([f"`{model['model']}`", model["library"], *cpu])
    headers = ["model", "library", *(f"n={_size_label(n)}" for n in sizes)]
    data = record.get("data", {})
    generation = ", ".join(
        f"{_size_label(n)}: {info['n_features']} features" for n, info in data.items()
    )
    budgets = ", ".join(
        f"{_size_label(n)}: {b:g} CPU s" for n, b in record["budgets_seconds"].items()
    )
    return (
        "fit + predict (on the same rows) of `make_churn(n, random_state=0)`, one fresh process "
        f"per cell ({generation}). In parentheses: time relative to actionable's learner of the "
        "same family (S, T, X, DR, class transformation). Wall-clock seconds; budget per cell "
        f"(CPU seconds of the timed fit + predict): {budgets}; a model whose CPU time at the "
        "previous size extrapolates (linearly) beyond the budget is skipped and says so.\n\n"
        + _table(headers, rows)
        + "\n\nPeak memory in MiB, `increment / total`: the increment is the process's peak "
        "resident set during fit + predict (`VmHWM`, reset just before `fit` through "
        "`/proc/self/clear_refs`) minus its resident set just before `fit` (imports and data "
        "already loaded, after a warm-up fit on 1,000 rows); the total is the peak itself.\n\n"
        + _table(headers, memory_rows)
        + "\n\nCPU time / wall time of the same fit + predict (CPU: user + system of the "
        "process and of any child processes it waited for). With one thread, CPU below wall "
        "means the process waited: for the shared CPU, or for child processes still running.\n\n"
        + _table(headers, cpu_rows)
    )


def metric_section(record):
    sizes = sorted({int(n) for lib in record["libraries"] for n in lib["sizes"]})
    rows = []
    for library in record["libraries"]:
        cells = []
        for n in sizes:
            row = library["sizes"].get(str(n), {})
            if row.get("status") != "ok":
                cells.append(_escape(row.get("status", "—")))
                continue
            ratio = row.get("ratio_to_actionable")
            suffix = (
                f" (×{ratio:.1f})"
                if ratio is not None and library["library"] != ("actionable")
                else ""
            )
            cells.append(
                f"{_seconds(row['seconds'])}{suffix}, +{row['peak_increment_mib']:.0f} MiB"
            )
        rows.append([library["library"], *cells])
    functions = "\n".join(f"- {lib['library']}: `{lib['function']}`" for lib in record["libraries"])
    parity = [
        f"{_size_label(n)}: {row['abs_difference_to_actionable']:.1e}"
        for lib in record["libraries"]
        if lib["library"] == "scikit-uplift"
        for n, row in lib["sizes"].items()
        if "abs_difference_to_actionable" in row
    ]
    text = (
        f"Data: {record['data']}. Timing: {record['timing']}. Each cell: seconds (ratio to "
        "actionable), and the peak resident set during the calls minus the resident set before "
        "them (data already in memory).\n\n"
        + _table(["library", *(f"n={_size_label(n)}" for n in sizes)], rows)
        + "\n\nFunctions timed:\n\n"
        + functions
    )
    if parity:
        text += "\n\n|actionable − scikit-uplift| qini_auc_score on the same data: " + ", ".join(
            parity
        )
    return text


def failures_section(results):
    lines = []
    for name in QUALITY_FILES:
        for task in results.get(name, {}).get("tasks", []):
            for model in task["models"]:
                if model["status"] != "ok":
                    lines.append(f"- {task['task']}, `{model['model']}`: {model['error']}")
                for metric, message in model.get("metric_errors", {}).items():
                    lines.append(f"- {task['task']}, `{model['model']}`, {metric}: {message}")
    for model in (merged_speed(results) or {}).get("models", []):
        for n, row in model["sizes"].items():
            if row.get("status") != "ok":
                lines.append(f"- speed n={int(n):,}, `{model['model']}`: {row.get('error')}")
    for library in results.get(METRIC_FILE, {}).get("libraries", []):
        for n, row in library["sizes"].items():
            if row.get("status") != "ok":
                lines.append(
                    f"- metric speed n={int(n):,}, {library['library']}: {row.get('error')}"
                )
    return "\n".join(lines) or "None."


def criteo_section(record):
    if record.get("status") != "ran":
        return f"Not run: {record.get('reason')}"
    out = [f"{record['n_samples']:,} rows; {record['protocol']}."]
    for outcome in record["outcomes"]:
        published = outcome.get("published")
        rows = [
            [
                f"`{m['model']}`",
                _num(m.get("qini_auc")),
                _num(m.get("uplift_auc")),
                m["status"] if m["status"] == "ok" else _escape(m.get("error")),
            ]
            for m in outcome["models"]
        ]
        note = (
            f" Published: {published['model']} qini_auc_score {published['qini_auc_score']}."
            if published
            else ""
        )
        out.append(
            f"**{outcome['outcome']}**.{note}\n\n"
            + _table(["model", "qini_auc_score", "uplift_auc_score", "status"], rows)
        )
    return "\n\n".join(out)


def render(results):
    """The whole generated region (without the markers)."""
    if not results:
        return "No results yet: run `python benchmarks/run.py`."
    parts = [
        "## Side-by-side benchmarks (generated)",
        "Generated by `benchmarks/run.py` from `benchmarks/results/*.json`; do not edit by hand. "
        "Reproduce with `make bench` (installs causalml 0.18.0 with `--no-deps`, then the `bench` "
        'extra, `pip install -e ".[bench]"`, which brings scikit-uplift and causalml\'s '
        "dependencies with xgboost-cpu, then runs `python benchmarks/run.py`), or piece "
        "by piece with `python benchmarks/run.py --only hillstrom|starbucks|churn|spend|speed|"
        "metrics|criteo`. `--quick` runs everything on tiny data into a temporary directory.",
        "**Protocol.** Every model is fitted on the same training rows and scored on the same "
        "held-out rows; every model receives the same float64 feature matrix (categorical "
        "columns as integer codes). Metrics are actionable's (`qini_auc_score`, "
        "`uplift_auc_score`, `uplift_at_k`), identical to scikit-uplift's definitions. Each fit "
        "runs in a forked child with a budget of CPU seconds (`RLIMIT_CPU`, so a shared CPU does "
        "not count against it); a model that fails or runs out of budget is "
        "listed with its error, not dropped. Peers use `LGBMClassifier(verbose=-1, n_jobs=1)` "
        "(and `LGBMRegressor` where a regressor is needed); actionable's learners run with their "
        "defaults. causalml's X, R and DR learners get the known propensity of the experiment "
        "(the training treatment rate) instead of fitting a propensity model. `OutcomeClassifier` "
        "is the naive outcome model a churn team deploys (trained on the customers nobody "
        "contacted), shown for reference. The spend track's outcomes are "
        "continuous (spend in USD, revenue kept): actionable's learners pick their regressors "
        "themselves, the peers' regressor learners (causalml's `Base*Regressor`, scikit-uplift's "
        "`SoloModel` and `TwoModels` with `LGBMRegressor`, marked `[reg]`) get "
        "`LGBMRegressor(verbose=-1, n_jobs=1)`, `OutcomeRegressor` is the naive model, and the "
        "splits are stratified on treatment x (outcome > 0).",
        "**Machine and runs.**",
        "\n".join(_environment_lines(results)),
    ]
    versions, threads = _versions_table(results)
    parts += [f"Threads: {threads}.", versions]
    headline = headline_table(results)
    if headline:
        parts += ["### Headline: qini_auc_score (mean ± sd over splits)", headline]
    sections = [
        (f"Quality: {results[name]['dataset']}", results[name], quality_section)
        for name in QUALITY_FILES
        if name in results
    ]
    sections += [
        ("Decision: the profit of the deployed rule", results.get(DECISION_FILE), decision_section),
        ("Speed and memory: fit + predict", merged_speed(results), speed_section),
        ("Speed: qini_auc_score", results.get(METRIC_FILE), metric_section),
    ]
    for title, record, section in sections:
        if record is None:
            continue
        ran = record.get("status", "ran") == "ran"
        parts += [f"### {title}", section(record) if ran else f"Not run: {record['status']}"]
        parts += [f"Note: {note}" for note in record.get("notes", [])]
    if CRITEO_FILE in results:
        parts += ["### Criteo", criteo_section(results[CRITEO_FILE])]
    else:
        parts += [
            "### Criteo",
            "Not run: the full Criteo Uplift v2.1 file (13,979,592 rows) is not in the cache or "
            "mirror of the machine that produced these results. `python benchmarks/run.py --only "
            "criteo` prints how to fetch it (`actionable datasets fetch criteo`, or "
            "`ACTIONABLE_DATA_MIRROR`), and with the file runs the public protocol (stratified "
            "80/20 split, `visit` and `conversion`) to compare with the published two-model "
            "LightGBM qini_auc_score of 0.0848 on `visit` (scikit-uplift's Criteo notebook).",
        ]
    parts += ["### Failures, skips and metric errors", failures_section(results)]
    return "\n\n".join(parts)


def write_readme(readme_path, results):
    """Replace the generated region of ``readme_path`` (append it, or create the file)."""
    path = Path(readme_path)
    region = f"{BEGIN}\n{render(results)}\n{END}\n"
    if path.is_file():
        text = path.read_text()
        if BEGIN in text and END in text:
            head, rest = text.split(BEGIN, 1)
            tail = rest.split(END, 1)[1].lstrip("\n")
            text = head + region + (("\n" + tail) if tail else "")
        else:
            text = text.rstrip("\n") + "\n\n" + region
    else:
        text = "# Benchmarks\n\n" + region
    path.write_text(text)
    return path
