"""The production path on files: read, fit or score, write; one call per step of a campaign.

The command line (``actionable fit``, ``target``, ``evaluate``, ``monitor``) calls these
functions; a Python user can too. Every file is read with :func:`read_table` and
every output is written atomically; an output that is also an input is refused.
"""

import dataclasses
import time
from pathlib import Path

import numpy as np

from actionable._resampling import DEFAULT_N_BOOTSTRAPS
from actionable.decision import DecisionCard
from actionable.models import DEFAULT_LEARNER
from actionable.production._defaults import DEFAULT_INCENTIVE_PAID
from actionable.production._fit import fit_model
from actionable.production._io import (
    check_outputs_are_not_inputs,
    file_sha256,
    read_table,
    write_csv_atomically,
)
from actionable.production._model import CARD_FILE, SavedModel, load_model
from actionable.production._progress import LARGE_FILE_BYTES, LARGE_ROWS, Progress
from actionable.production._reasons import check_reasons
from actionable.production._scoring import score_in_batches


def _progress(progress):
    return progress if isinstance(progress, Progress) else Progress(enabled=bool(progress))


def _model(model):
    return model if isinstance(model, SavedModel) else load_model(model)


def read_data(path, progress=None, *, name="DATA"):
    """:func:`read_table`, reporting the reading of a large file: how big, how long."""
    progress = _progress(progress)
    started = time.perf_counter()
    path = Path(path)
    size = path.stat().st_size if path.is_file() else 0
    large = size >= LARGE_FILE_BYTES
    if large:
        progress.step(f"reading {path.name} ({size / 1e6:,.0f} MB)")
    frame = read_table(path, name=name)
    if large or len(frame) >= LARGE_ROWS:
        progress.step(
            f"read {len(frame):,} rows x {frame.shape[1]} columns from {path.name} "
            f"({time.perf_counter() - started:.1f} s)"
        )
    return frame


def load_card(card=None, *, data=None, **overrides):
    """The decision card a model is fitted with: a file, else ``decision.toml`` beside the data.

    Parameters
    ----------
    card : str or path-like, default=None
        A card file; it must exist.
    data : str or path-like, default=None
        The training data: without ``card``, a ``decision.toml`` in its folder is used
        when there is one.
    **overrides
        Card fields to replace (``None`` values are ignored), e.g. costs given on the
        command line. A value given here replaces the card's other value: a
        ``value_per_unit`` (a continuous outcome) the card's ``value_per_success``, and
        the other way round. When an incentive is set without saying who pays it, it is
        paid on success (``DEFAULT_INCENTIVE_PAID``), or on contact for a continuous
        outcome (``value_per_unit``), which has no successes.

    Returns
    -------
    card : DecisionCard
    path : pathlib.Path or None
        The file it was read from.
    """
    if card is not None:
        path = Path(card)
        if not path.is_file():
            raise ValueError(f"decision card {str(path)!r} not found.")
    else:
        path = None if data is None else Path(data).parent / CARD_FILE
        path = path if path is not None and path.is_file() else None
    values = (overrides.get("value_per_unit"), overrides.get("value_per_success"))
    if None not in values:
        raise ValueError(
            "give `value_per_unit` (a continuous outcome) or `value_per_success` (a binary "
            "one), not both."
        )
    loaded = DecisionCard.from_toml(path) if path is not None else DecisionCard()
    per_unit = overrides.get("value_per_unit") is not None or (
        overrides.get("value_per_success") is None and loaded.value_per_unit is not None
    )
    if per_unit and (overrides.get("incentive_paid") or loaded.incentive_paid) == "on_success":
        raise ValueError(
            "an incentive paid on success (`incentive_paid` 'on_success') needs a binary "
            "outcome, and `value_per_unit` values a continuous one, which has no successes; "
            "use 'on_contact'."
        )
    for given, replaced in (("value_per_unit", "value_per_success"),
                            ("value_per_success", "value_per_unit")):  # fmt: skip
        if overrides.get(given) is not None and getattr(loaded, replaced) is not None:
            loaded = dataclasses.replace(loaded, **{replaced: None})
    loaded = loaded.updated(**overrides)
    if loaded.incentive_cost and loaded.incentive_paid is None:
        paid = "on_contact" if loaded.value_per_unit is not None else DEFAULT_INCENTIVE_PAID
        loaded = loaded.updated(incentive_paid=paid)
    return loaded, path


def fit_file(
    data,
    out,
    roles,
    *,
    card=None,
    learner=DEFAULT_LEARNER,
    framing=None,
    random_state=0,
    progress=False,
    propensity=None,
    assume_recorded_selection=False,
):
    """Fit a deployable model on a data file and save its model directory.

    Parameters
    ----------
    data : str or path-like
        CSV, gzip-compressed CSV or Parquet file of a randomized experiment.
    out : str or path-like
        Model directory to write.
    roles : ColumnRoles
        The column roles.
    card : DecisionCard or (DecisionCard, path), default=None
        The decision card, as :func:`load_card` returns it.
    learner, framing, random_state, propensity, assume_recorded_selection
        As in :func:`fit_model`.
    progress : bool or Progress, default=False
        Report the reading, the cross-fitting and the refit.

    Returns
    -------
    SavedModel
        Saved in ``out``.
    """
    progress = _progress(progress)
    check_outputs_are_not_inputs({"the model directory": out}, {"DATA": data})
    card, card_path = card if isinstance(card, tuple) else (card, None)
    frame = read_data(data, progress)
    model = fit_model(
        frame,
        roles,
        card=card,
        learner=learner,
        framing=framing,
        random_state=random_state,
        progress=progress,
        source=Path(data).name,
        propensity=propensity,
        assume_recorded_selection=assume_recorded_selection,
        card_path=None if card_path is None else str(card_path),
    )
    model.documents["training"]["data"]["sha256"] = file_sha256(data)
    model.documents["training"]["data"]["bytes"] = Path(data).stat().st_size
    model.save(out)
    return model


def target_file(model, data, out, *, capacity=None, progress=False, n_jobs=None, reasons=0):
    """Score a file and write the target list, sorted by priority.

    The file is read and scored batch after batch (only the columns the model needs;
    memory holds a batch and the list), or whole when pyarrow cannot read it in
    batches exactly as pandas reads it whole (then its errors name the problem).

    Parameters
    ----------
    model : SavedModel or str or path-like
        A model, or its directory.
    data : str or path-like
        Customers to score (CSV, gzip-compressed CSV or Parquet).
    out : str or path-like
        CSV file to write: one row per input row, the highest priority first
        (``rank`` 1), with the identifier (if the model has one), ``uplift``,
        ``expected_profit`` and ``target`` (1 = contact).
    capacity : int, default=None
        Overrides the model's capacity.
    progress : bool or Progress, default=False
        Report the reading, the scoring and the writing.
    n_jobs : int, default=None
        Threads scoring at once; ``None`` means 1, -1 all cores.
    reasons : int, default=0
        ``reason_1..reasons`` columns: why each customer to contact is on the list.

    Returns
    -------
    pandas.DataFrame
        The list as written.
    """
    progress = _progress(progress)
    check_outputs_are_not_inputs({"the target list": out}, {"DATA": data})
    model = _model(model)
    reasons = check_reasons(reasons)
    scores = score_in_batches(
        model, data, capacity=capacity, progress=progress, n_jobs=n_jobs, reasons=reasons
    )
    if scores is None:  # not readable in batches: read whole, whose errors name the problem
        scores = model.score(
            read_data(data, progress), capacity=capacity, progress=progress, n_jobs=n_jobs,
            reasons=reasons,
        )  # fmt: skip
    ordered = _in_rank_order(scores)
    del scores  # memory: the list once, not twice, while it is written
    write_csv_atomically(ordered, out)
    if len(ordered) >= LARGE_ROWS:
        progress.step(f"wrote {len(ordered):,} rows to {out}")
    return ordered


def _in_rank_order(scores):
    """The list sorted by ``rank``: ranks 1..n place each row, no sort needed."""
    rank = scores["rank"].to_numpy()
    order = np.full(len(rank), -1, dtype=np.int64)
    placed = (rank >= 1) & (rank <= len(rank))
    order[rank[placed] - 1] = np.flatnonzero(placed)
    if not placed.all() or (order < 0).any():  # not a permutation of 1..n: sort
        return scores.sort_values("rank", kind="stable")
    return scores.take(order)


def evaluate_file(
    model, data, *, progress=False, n_bootstraps=DEFAULT_N_BOOTSTRAPS, propensity=None,
    assume_recorded_selection=False,
):  # fmt: skip
    """Measure a saved model on a labelled file of a randomized experiment it did not see.

    Parameters
    ----------
    model : SavedModel or str or path-like
        A model, or its directory.
    data : str or path-like
        Labelled rows (treatment and outcome columns).
    progress : bool or Progress, default=False
        Report the reading and the evaluation.
    n_bootstraps : int, default=1000
        Bootstrap resamples per interval.
    propensity, assume_recorded_selection
        As in :meth:`SavedModel.evaluate`.

    Returns
    -------
    Evaluation
    """
    progress = _progress(progress)
    model = _model(model)
    frame = read_data(data, progress)
    return model.evaluate(
        frame, name=Path(data).name, n_bootstraps=n_bootstraps, progress=progress,
        propensity=propensity, assume_recorded_selection=assume_recorded_selection,
    )  # fmt: skip


def monitor_file(model, data, *, batch="auto", progress=False):
    """Monitor a saved model on a labelled campaign batch file.

    Parameters
    ----------
    model : SavedModel or str or path-like
        A model, or its directory.
    data : str or path-like
        The batch: treated customers and a randomized holdout, with outcomes.
    batch : {"auto", "targeted", "population"}, default="auto"
        What the batch is (see ``monitor_batch``).
    progress : bool or Progress, default=False
        Report the reading and the scoring.

    Returns
    -------
    MonitorResult
    """
    progress = _progress(progress)
    model = _model(model)
    return model.monitor(read_data(data, progress), batch=batch, progress=progress)
