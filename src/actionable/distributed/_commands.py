"""``actionable target`` and ``evaluate`` on a folder or glob of Parquet files, on Dask.

A saved model (``actionable fit``) scores the files partition by partition; ``target``
writes the scores as Parquet files, ``evaluate`` measures both of the model's rankings
(the uplift model's and the naive outcome model's) on labelled rows with the exact
distributed curves, runs the randomization check of the in-memory ``evaluate``, and
writes ``summary.json``.
"""

import numpy as np
import pandas as pd

from actionable._atomic import dumps_json, write_files_atomically
from actionable._validation import MSG_NO_CONTROL, MSG_NO_TREATED, matches_label
from actionable.distributed._assignment import (
    check_at_scale,
    merge_balance,
    partition_balance,
    sample_positions,
)
from actionable.distributed._cluster import (
    current_client,
    dask_client,
    parquet_files,
    read_parquet,
)
from actionable.distributed._ranges import RangedCounts
from actionable.distributed._runs import score_run
from actionable.distributed._scoring import score_to_parquet
from actionable.exceptions import NotRandomizedError
from actionable.metrics._common import targeting_score
from actionable.production import load_model
from actionable.production._progress import Progress

SCHEDULER_HELP = (
    "Dask scheduler address, for DATA a folder or glob of Parquet files (target and evaluate "
    "only; default: a local cluster of one worker per core; needs the dask extra). On Dask, "
    "--n-jobs and --reasons are not applied, --propensity and --assume-recorded-selection "
    "are refused, and evaluate writes summary.json only"
)
"""Help of the command line's ``--scheduler`` option."""
TOP_FRACTION = 0.3
"""Fraction of the rows at which ``uplift_at_30`` is measured, as in ``summary.json``."""
RANKINGS = ("uplift", "risk")
"""The two rankings ``evaluate`` measures: the uplift model's, the outcome model's risk."""


def target_parquet(model, data, out, *, capacity=None):
    """Score a folder or glob of Parquet files with a saved model into Parquet files.

    Parameters
    ----------
    model : SavedModel
        A model written by ``actionable fit`` (:func:`actionable.production.load_model`).
    data : str or path-like
        A folder of ``*.parquet`` files, a glob pattern or one file.
    out : str or path-like
        Folder to create: one ``part.<number>.parquet`` per partition, with the
        identifier column (if the model has one), ``uplift``, ``expected_profit`` and
        ``target`` (1 to contact: above the rule's threshold and, past the capacity,
        among the ``capacity`` best-scored rows of all the files, ties broken by file
        order then row order, as ``actionable target`` on one table).
    capacity : int, default=None
        At most this many contacts in all; ``None`` keeps the model's capacity.

    Returns
    -------
    pandas.DataFrame
        One row per partition: its ``file`` and ``rows``.
    """
    id_column = model.roles.id_column
    frame = read_parquet(data)
    capacity = model.rule.capacity if capacity is None else capacity
    return score_to_parquet(model, frame, out, id_column=id_column, capacity=capacity)


def labelled_scores(part, model, features=None):
    """Both rankings, the 0/1 treatment and the outcome of one labelled partition."""
    features = model.features(part) if features is None else features
    uplift, _ = model.predict(features)
    roles = model.roles
    return pd.DataFrame(
        {
            "uplift": uplift,
            "risk": np.asarray(targeting_score(model.outcome_model, features), dtype=np.float64),
            "treatment": matches_label(part[roles.treatment], roles.treated).astype(np.float64),
            "outcome": roles.outcomes(part),
        },
        index=part.index,
    )


def evaluate_file(path, number, model, sampled):
    """One labelled file's share of ``evaluate``.

    The task reads its file itself, so that a worker holds no file but the one it
    scores. Returns a dict: the sorted :class:`~actionable.distributed._runs.ScoreRun`
    of each ranking (``"uplift"``, ``"risk"``), which stay on the worker, and the
    ``"check"`` for the client: the file's :func:`partition_balance` and its rows at
    positions ``sampled`` for the randomization check (features and 0/1 treatment).
    """
    part = pd.read_parquet(path)
    features = model.features(part)
    scores = labelled_scores(part, model, features)
    outcome, treatment = scores["outcome"].to_numpy(), scores["treatment"].to_numpy()
    share = {name: score_run(scores[name].to_numpy(), treatment, outcome) for name in RANKINGS}
    treated = treatment == 1
    check = (partition_balance(features, treated), (features.iloc[sampled], treated[sampled]))
    return {**share, "check": check}


def _randomization(checks, model, data):
    """The randomization check of ``evaluate`` from every file's share; refuses non-random data."""
    n_treated, n_control = np.sum([balance["_arms"] for balance, _ in checks], axis=0)
    if n_treated <= 0:
        raise ValueError(MSG_NO_TREATED)
    if n_control <= 0:
        raise ValueError(MSG_NO_CONTROL)
    sample_X = pd.concat([sample[0] for _, sample in checks])
    sample_treatment = np.concatenate([sample[1] for _, sample in checks]).astype(np.int64)
    check = check_at_scale(
        sample_X, sample_treatment, merge_balance([balance for balance, _ in checks]),
        n_rows=float(n_treated + n_control), n_treated=float(n_treated), seed=_check_seed(model),
    )  # fmt: skip
    if not check.is_random:
        raise NotRandomizedError(check.refusal(str(data)))
    return check


def _count_scored(checks, progress):
    """Report the files scored as their tasks end (on a distributed cluster)."""
    if current_client() is None:  # Dask's local scheduler: computed already
        return
    from distributed import as_completed, futures_of

    futures = futures_of(checks)
    with progress.counting("scoring", total=len(futures), unit="files") as count:
        for _ in as_completed(futures):
            count(1)


def _check_seed(model):
    """The seed of the randomization check, as the in-memory ``evaluate`` takes it."""
    return model.documents["training"]["cross_validation"]["seed"]


def _measures(counts, cost_model, capacity):
    """The ``summary.json`` figures of one ranking."""
    measures = {
        "qini_auc": counts.qini_auc_score(),
        "uplift_auc": counts.uplift_auc_score(),
        "uplift_at_30": counts.uplift_at_k("overall", TOP_FRACTION),
        "n_distinct_scores": counts.n_distinct,
    }
    if cost_model is not None:
        best = counts.best_profit(cost_model, capacity)
        measures["profit_best"] = best["profit"]
        measures["best_fraction"] = best["n_targeted"] / counts.n_rows
        measures["profit_at_capacity"] = best["at_capacity"]
    return measures


def evaluate_parquet(model, data, out=None, *, progress=False):
    """Measure a saved model on labelled Parquet files with exact distributed curves.

    Both of the model's rankings, the uplift model's and the naive outcome model's
    risk, are scored file by file, once, and range-partitioned by score on the workers
    (:func:`ranged_counts`: the client holds a few numbers per range, whatever the
    rows); the Qini and uplift areas, the uplift among the top 30% and, with costs,
    the best profit are exact, for a 0/1 or a continuous outcome. The same pass runs the
    randomization check of the in-memory ``evaluate``: the standardized differences
    of the features between the arms from per-partition sums, and the classifier of
    the treatment on the rows the in-memory check samples (the same rows, AUC and
    verdict); data whose assignment is not random is refused.

    Parameters
    ----------
    model : SavedModel
        A model written by ``actionable fit``.
    data : str or path-like
        Labelled rows of a randomized campaign: a folder of ``*.parquet`` files, a
        glob pattern or one file, with the model's treatment and outcome columns.
    out : str or path-like, default=None
        Folder to write ``summary.json`` into (atomically); ``None`` writes nothing.
    progress : bool, default=False
        Report on stderr the files scored and each step after.

    Returns
    -------
    dict
        ``{"data", "n", "n_treated", "n_control", "models": {"uplift": M, "outcome":
        M}, "randomization": R}`` where each ``M`` holds ``qini_auc``, ``uplift_auc``,
        ``uplift_at_30``, ``n_distinct_scores`` and, with costs, ``profit_best``,
        ``best_fraction`` and ``profit_at_capacity``, and ``R`` is the randomization
        check (``RandomizationCheck.to_dict``).

    Raises
    ------
    NotRandomizedError
        If the features predict the treatment (not a randomized experiment).
    """
    import dask
    import pyarrow.parquet as pq

    frame = read_parquet(data)
    roles = model.roles
    roles.check_columns(pd.DataFrame(columns=frame.columns), labels=True)
    labels = frame[roles.treatment].drop_duplicates(split_out=1).compute()
    if len(labels) > 2:
        shown = ", ".join(map(repr, sorted(labels.astype(str))[:5]))
        raise ValueError(
            f"treatment column {roles.treatment!r} has {len(labels)} values ({shown}); "
            "two are needed."
        )
    files = parquet_files(data)
    sizes = [pq.ParquetFile(name).metadata.num_rows for name in files]
    if len(sizes) != frame.npartitions:  # one partition per file (read_parquet)
        raise ValueError(f"{data!r}: {frame.npartitions} partitions for {len(sizes)} files.")
    sampled = sample_positions(sizes, _check_seed(model))
    shared_model = dask.delayed(model, pure=True)
    shares = [
        dask.delayed(evaluate_file, pure=True)(path, number, shared_model, sampled[number])
        for number, path in enumerate(files)
    ]
    # Scored once: each file's runs stay on its worker, the checks come to the client.
    uplift_runs, risk_runs, checks = dask.persist(
        *([share[name] for share in shares] for name in (*RANKINGS, "check"))
    )
    del shares
    progress = Progress(enabled=bool(progress))
    _count_scored(checks, progress)
    check = _randomization(dask.compute(*checks), model, data)  # before the ranges are built
    progress.step(f"randomization check: {check.verdict}")
    uplift = RangedCounts(uplift_runs)
    del uplift_runs  # their rows are in the ranges now
    progress.step(f"uplift model's ranking: {uplift.n_ranges} score ranges")
    risk = RangedCounts(risk_runs)
    del risk_runs
    progress.step(f"outcome model's ranking: {risk.n_ranges} score ranges")
    cost_model, capacity = model.cost_model, model.rule.capacity
    summary = {
        "data": str(data),
        "n": uplift.n_rows,
        "n_treated": int(uplift.n_treated),
        "n_control": int(uplift.n_rows - uplift.n_treated),
        "models": {
            "uplift": {"learner": model.learner_name, **_measures(uplift, cost_model, capacity)},
            "outcome": {"learner": "outcome", **_measures(risk, cost_model, capacity)},
        },
        "randomization": check.to_dict(),
    }
    if out is not None:
        document = dumps_json(summary).encode()
        write_files_atomically(out, {"summary.json": document}, last="summary.json")
    return summary


def describe_evaluation(summary):
    """The evaluation as a small table, one line per ranking."""
    lines = [f"{summary['data']}: {summary['n']:,} rows ({summary['n_treated']:,} treated)"]
    for name, measures in summary["models"].items():
        line = (
            f"  {name:<8} Qini {measures['qini_auc']:+.4f}  uplift AUC "
            f"{measures['uplift_auc']:+.4f}  uplift@30% {measures['uplift_at_30']:+.4f}"
        )
        if "profit_best" in measures:
            line += (
                f"  best profit {measures['profit_best']:,.0f} "
                f"(top {measures['best_fraction']:.1%})"
            )
        lines.append(line)
    if "randomization" in summary:
        lines.append(f"  randomization check: {summary['randomization']['verdict']}")
    return "\n".join(lines)


DASK_OPTIONS = ("capacity", "propensity", "assume_recorded_selection", "quiet")
"""Options of ``target`` / ``evaluate`` that the command line hands to :func:`run_command`."""


def run_command(
    command,
    model_dir,
    data,
    out,
    *,
    scheduler=None,
    capacity=None,
    propensity=None,
    assume_recorded_selection=False,
    quiet=False,
):
    """Run ``actionable target`` or ``evaluate`` on Parquet files on Dask; return what to print.

    Parameters
    ----------
    command : {"target", "evaluate"}
    model_dir : str or path-like
        Model directory written by ``actionable fit``.
    data : str or path-like
        A folder of ``*.parquet`` files, a glob pattern or one file.
    out : str or path-like
        ``target``: folder of Parquet files to create; ``evaluate``: folder for
        ``summary.json``.
    scheduler : str, default=None
        Address of a Dask scheduler; ``None`` starts a local cluster of one worker
        process per core (:func:`dask_client`).
    capacity : int, default=None
        ``target``: at most this many contacts (``None``: the model's capacity).
    propensity, assume_recorded_selection
        ``evaluate``'s weighting of a targeted campaign: not available on Dask, refused
        with a ``ValueError`` when given (evaluate such a campaign on one file).
    quiet : bool, default=False
        ``evaluate``: no progress on stderr.

    Returns
    -------
    str
    """
    unsupported = [
        flag
        for flag, given in (
            ("--propensity", propensity is not None),
            ("--assume-recorded-selection", bool(assume_recorded_selection)),
        )
        if given
    ]
    if unsupported:
        raise ValueError(
            f"{' and '.join(unsupported)}: not available on Dask (a folder or glob of Parquet "
            "files, or --scheduler); evaluate a targeted campaign on one CSV or Parquet file."
        )
    if command not in ("target", "evaluate"):
        raise ValueError(
            f"{command} does not run on Dask: give it one CSV or Parquet file, without --scheduler "
            "(target and evaluate accept a folder or glob of Parquet files)."
        )
    model = load_model(model_dir)
    parquet_files(data)  # a missing or wrong file is named before any cluster starts
    with dask_client(scheduler):
        if command == "evaluate":
            summary = evaluate_parquet(model, data, out, progress=not quiet)
            return f"{describe_evaluation(summary)}\nwrote {out}/summary.json"
        parts = target_parquet(model, data, out, capacity=capacity)
    return f"{out}: {int(parts['rows'].sum()):,} rows scored in {len(parts)} Parquet files"
