"""Scoring a Dask DataFrame partition by partition into Parquet files, never a short output.

Each partition is scored by one task on a worker, which writes its own file
``part.<number>.parquet`` (through a temporary name renamed into place) into a
staging folder next to the output and reports how many rows it read and wrote. Once
every task has reported, the client checks that there is one file per partition and
that each holds as many rows as its partition, reading only the files' footers; only
then is the staging folder renamed to the output. A worker that dies mid-task has its
task run again by the scheduler (which rewrites that one file); a task that fails
for good makes the call raise and leaves no output at all.
"""

import os
import shutil
import tempfile
import uuid
from pathlib import Path

import numpy as np
import pandas as pd

from actionable._atomic import apply_umask, os_error
from actionable._validation import MSG_CAPACITY, check_integer
from actionable.distributed._counts import check_columns
from actionable.distributed._ranges import range_partition
from actionable.distributed._ranks import rank_run, ranks_by_part, ranks_of_part
from actionable.metrics._common import targeting_score
from actionable.production import SavedModel

PART_NAME = "part.{number:05d}.parquet"
_MSG_EXISTS = "out={out!r} already exists; choose a new folder (nothing was written)."
_MSG_FAILED = (
    "scoring did not complete ({error}); nothing was written to {out!r}. A worker that "
    "dies is replaced by the scheduler and its partition scored again; this failure "
    "was not recovered."
)
_MSG_SHORT = (
    "partition {number} has {expected:,} rows but its scores hold {found:,}: the output was "
    "not published ({out!r})."
)


def score_columns(model, part, *, id_column, features, keep, score_name):
    """The scores of one pandas partition: identifier, scores and the columns kept."""
    out = {} if id_column is None else {id_column: part[id_column].to_numpy()}
    if isinstance(model, SavedModel):
        uplift, p_treated = model.predict(model.features(part))
        rule = model.rule
        out[score_name] = uplift
        out["expected_profit"] = rule.expected_profit(uplift, p_treated)
        out["target"] = (rule.score(uplift, p_treated) > rule.threshold).astype(np.int64)
    else:
        columns = features if features is not None else default_features(model, part, id_column)
        out[score_name] = np.asarray(targeting_score(model, part[columns]), dtype=np.float64)
    for name in keep:
        out[name] = part[name].to_numpy()
    return pd.DataFrame(out, index=part.index)


def default_features(model, part, id_column):
    """The columns a model was fitted on, else every column but the identifier."""
    names = getattr(model, "feature_names_in_", None)
    if names is not None:
        return list(names)
    return [name for name in part.columns if name != id_column]


def _rule_score(model, scores, score_name):
    """The rule's ranking score of scored rows: the expected profit with costs, else the uplift."""
    name = "expected_profit" if model.rule.has_costs else score_name
    return np.asarray(scores[name], dtype=np.float64)


def _write_table(table, final):
    import pyarrow.parquet as pq

    temporary = final.with_name(f".{final.name}.{uuid.uuid4().hex}")
    pq.write_table(table, temporary)
    os.replace(temporary, final)  # a rerun of the task replaces the whole file


def _write_part(part, number, model, staging, options):
    """Score one partition and write its file.

    Returns the report (number, rows read, rows written) and, for a ``SavedModel``,
    the partition's :func:`rank_run` of the rule's scores (kept on the worker).
    """
    import pyarrow as pa

    scores = score_columns(model, part, **options)
    table = pa.Table.from_pandas(scores, preserve_index=False)
    _write_table(table, Path(staging) / PART_NAME.format(number=number))
    run = None
    if isinstance(model, SavedModel):
        run = rank_run(_rule_score(model, scores, options["score_name"]), number)
    return (number, len(part), table.num_rows), run


def _rank_part(path, pieces, n_rows, capacity):
    """Add the ``rank`` column to a scored file; with ``capacity``, keep the contacts within it."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pq.read_table(path)
    rank = ranks_of_part(pieces, n_rows)
    if capacity is not None:
        target = table.column("target").to_numpy() * (rank <= capacity)
        table = table.set_column(table.schema.get_field_index("target"), "target",
                                 pa.array(target.astype(np.int64)))  # fmt: skip
    _write_table(table.append_column("rank", pa.array(rank)), Path(path))
    return n_rows


def _size(run):
    return run.score.size


def _add_ranks(runs, reports, staging, capacity):
    """Rank every row over all the partitions and rewrite each file with its ``rank``."""
    import dask

    ranges = range_partition(runs)
    sizes = dask.compute(*[dask.delayed(_size)(run) for run in ranges])
    first = 1 + np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int64)
    n_parts = len(reports)
    pieces = [
        dask.delayed(ranks_by_part, nout=n_parts)(run, int(start), n_parts)
        for run, start in zip(ranges, first, strict=True)
    ]
    tasks = [
        dask.delayed(_rank_part, pure=False)(
            str(Path(staging) / PART_NAME.format(number=number)),
            [piece[number] for piece in pieces], rows, capacity,
        )
        for number, _, rows in reports
    ]  # fmt: skip
    dask.compute(*tasks)


def score_to_parquet(
    model,
    frame,
    out,
    *,
    id_column=None,
    features=None,
    keep=(),
    score_name="uplift",
    capacity=None,
):
    """Score every row of a Dask DataFrame with a fitted model and write Parquet files.

    Each partition is scored on a worker and written as ``out/part.<number>.parquet``,
    one output row per input row in the input's order. The files appear only when
    all are complete and hold as many rows as their partitions: a failed task, or a
    short file, raises and leaves nothing at ``out``.

    Parameters
    ----------
    model : fitted estimator or SavedModel
        Any fitted actionable model (its ranking score: the uplift, or an outcome
        model's risk) or a model saved by ``actionable fit`` (then the columns are
        ``uplift``, ``expected_profit``, ``target``, 1 when the expected profit, or
        the uplift without costs, is above the rule's threshold, and ``rank``, 1 to
        n over all the partitions by decreasing expected profit (or uplift), ties in
        input order, as ``actionable target`` ranks one table).
    frame : dask.dataframe.DataFrame
        The rows to score, with the model's features.
    out : str or path-like
        Folder to create (it must not exist), on storage every worker can write to.
    id_column : str, default=None
        Column copied to the output beside each score.
    features : list of str, default=None
        Columns given to an estimator (default: those it was fitted on, else every
        column but ``id_column``). Ignored for a ``SavedModel``, which knows its own.
    keep : sequence of str, default=()
        Further columns copied to the output (e.g. the outcome and the treatment, to
        evaluate the scores later).
    score_name : str, default="uplift"
        Name of the score column.
    capacity : int, default=None
        For a ``SavedModel``: at most this many contacts (``target`` = 1) over all
        the partitions, the best-scored first, ties broken by input order (partition
        order, then row order), exactly as ``SavedModel.score`` on the whole table.

    Returns
    -------
    pandas.DataFrame
        One row per partition: its ``file``, and the ``rows`` read and written.

    Raises
    ------
    ValueError
        If ``out`` exists or a column is missing.
    OSError
        If a partition could not be scored or written; nothing is left at ``out``.

    Notes
    -----
    For a ``SavedModel``, the files are scored once; each scoring task keeps its
    rows' scores sorted on its worker (20 bytes a row), they are sorted into score
    ranges across the workers to number the rows, and each file is rewritten with its
    ``rank`` column (and, past the capacity, its ``target``) in a second, light pass.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> import dask.dataframe as dd
    >>> from actionable.datasets import make_churn
    >>> from actionable.models import TLearner
    >>> data = make_churn(2000, random_state=0)
    >>> model = TLearner(random_state=0).fit(data.X, data.y, data.treatment)
    >>> rows = dd.from_pandas(data.X.assign(customer=range(2000)), npartitions=4)
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "scores"
    >>> parts = score_to_parquet(model, rows, out, id_column="customer")
    >>> int(parts["rows"].sum()), len(list(out.glob("*.parquet")))
    (2000, 4)
    """
    import dask

    out = Path(out)
    if out.exists():
        raise ValueError(_MSG_EXISTS.format(out=str(out)))
    if capacity is not None and not isinstance(model, SavedModel):
        raise ValueError("capacity applies to a model saved by `actionable fit` (SavedModel).")
    if capacity is not None:
        check_integer(capacity, "capacity", minimum=1, message=MSG_CAPACITY)
    check_columns(frame, id_column=id_column)
    for name in keep:
        check_columns(frame, kept=name)
    options = {"id_column": id_column, "features": features, "keep": tuple(keep)}
    options["score_name"] = score_name
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.partial-", dir=out.parent))
    except OSError as exc:
        raise os_error(out, exc) from exc
    try:
        shared_model = dask.delayed(model, pure=True)
        tasks = [
            dask.delayed(_write_part, pure=False, nout=2)(
                part, number, shared_model, str(staging), options
            )
            for number, part in enumerate(frame.to_delayed())
        ]
        try:
            reports, runs = dask.persist([task[0] for task in tasks], [task[1] for task in tasks])
            reports = sorted(dask.compute(*reports), key=lambda report: report[0])
            if isinstance(model, SavedModel):
                _add_ranks(runs, reports, staging, capacity)
            del runs
        except (ValueError, OSError):
            raise
        except Exception as exc:  # a worker lost for good, a cancelled task, ...
            raise OSError(_MSG_FAILED.format(error=_one_line(exc), out=str(out))) from exc
        parts = _checked_parts(reports, staging, len(tasks), out)
        apply_umask(staging, directory=True)
        for path in staging.iterdir():
            apply_umask(path)
        os.rename(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    parts["file"] = [str(out / name) for name in parts["file"]]
    return parts


def _one_line(exc):
    return " ".join(f"{type(exc).__name__}: {exc}".split())


def _checked_parts(reports, staging, n_partitions, out):
    """One row per partition, after checking every file holds as many rows as its partition."""
    import pyarrow.parquet as pq

    parts = pd.DataFrame(reports, columns=["partition", "rows", "rows_written"])
    parts = parts.sort_values("partition", ignore_index=True)
    if list(parts["partition"]) != list(range(n_partitions)):
        raise OSError(f"scores of some partitions are missing; nothing was written to {out!r}.")
    files = sorted(path.name for path in staging.glob("part.*.parquet"))
    expected = [PART_NAME.format(number=number) for number in range(n_partitions)]
    if files != expected:
        raise OSError(
            f"the scored files do not match the partitions; nothing was written to {out!r}."
        )
    for number, rows in zip(parts["partition"], parts["rows"], strict=True):
        found = pq.ParquetFile(staging / expected[number]).metadata.num_rows
        if found != rows:
            raise OSError(
                _MSG_SHORT.format(number=number, expected=rows, found=found, out=str(out))
            )
    parts["file"] = expected
    return parts[["partition", "file", "rows"]]
