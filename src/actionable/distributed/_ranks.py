"""The ``rank`` of every row across partitions, as ``actionable target`` ranks one table.

On one table (:meth:`actionable.production.SavedModel.score`), ``rank`` numbers the
rows 1 to n by decreasing rule score (expected profit with costs, else uplift; a
missing score last), ties in input order. Across partitions, with the
range-partitioned sort of ``actionable.distributed._ranges``:

1. each scored partition keeps, on its worker, its rows sorted by score with their
   partition number and row position (:func:`rank_run`: 20 bytes a row);
2. the runs are sorted into score ranges; range ``j``'s rows, in order, take the ranks
   after the rows of the ranges before it (a few numbers per range on the client);
3. each range sends every partition the ranks of its rows (:func:`ranks_by_part`),
   and each partition's file is rewritten with its ``rank`` column
   (:func:`ranks_of_part`); the capacity then keeps the contacts ranked within it.

Since the contacts are the rows above the rule's threshold, they hold ranks 1 to m:
``target`` under a capacity is the contacts of rank at most the capacity, exactly as
on one table.
"""

from typing import NamedTuple

import numpy as np


class RankRun(NamedTuple):
    """A partition's rows by decreasing score, ties in row order, with where they came from."""

    score: np.ndarray
    """float64, decreasing; a missing score as -inf."""
    part: np.ndarray
    """int32 partition number of each row."""
    row: np.ndarray
    """int64 position of each row in its partition."""


def rank_run(score, number):
    """The :class:`RankRun` of partition ``number``'s rule scores.

    Examples
    --------
    >>> run = rank_run(np.array([0.5, np.nan, 2.0, 0.5]), 3)
    >>> run.score.tolist(), run.part.tolist(), run.row.tolist()
    ([2.0, 0.5, 0.5, -inf], [3, 3, 3, 3], [2, 0, 3, 1])
    """
    score = np.nan_to_num(np.asarray(score, dtype=np.float64), nan=-np.inf) + 0.0
    order = np.argsort(-score, kind="stable")
    return RankRun(score[order], np.full(score.size, number, dtype=np.int32), order)


def ranks_by_part(run, first_rank, n_parts):
    """One range's rows ranked from ``first_rank``, split by partition: ``(rows, ranks)`` each.

    Examples
    --------
    >>> run = RankRun(np.array([3.0, 2.0, 1.0]), np.array([1, 0, 1], dtype=np.int32),
    ...               np.array([4, 0, 2]))
    >>> [(rows.tolist(), ranks.tolist()) for rows, ranks in ranks_by_part(run, 10, 2)]
    [([0], [11]), ([4, 2], [10, 12])]
    """
    ranks = first_rank + np.arange(run.score.size, dtype=np.int64)
    order = np.argsort(run.part, kind="stable")
    edges = np.concatenate([[0], np.cumsum(np.bincount(run.part, minlength=n_parts))])
    rows, ranks = run.row[order], ranks[order]
    return tuple(
        (rows[start:stop], ranks[start:stop])
        for start, stop in zip(edges[:-1], edges[1:], strict=True)
    )


def ranks_of_part(pieces, n_rows):
    """A partition's ``rank`` column from the ranges' :func:`ranks_by_part` pieces.

    Raises
    ------
    ValueError
        If the pieces do not rank every row of the partition exactly once.
    """
    rank = np.zeros(n_rows, dtype=np.int64)
    placed = 0
    for rows, ranks in pieces:
        rank[rows] = ranks
        placed += rows.size
    if placed != n_rows or not np.all(rank > 0):
        raise ValueError(f"ranks of {placed:,} rows for a partition of {n_rows:,}.")
    return rank
