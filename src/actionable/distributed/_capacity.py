"""A contact capacity applied across partitions exactly as on one table.

On one table (:meth:`actionable.production.TargetingRule.select`), the rows above
the rule's threshold are contacted; when they are more than the capacity, the
``capacity`` highest scores are, ties broken by input order. Across partitions:

1. each partition, once scored, reports its distinct scores above the threshold and
   how many rows hold each, best first, cut where its own count reaches the capacity
   (no partition has more to say about the ``capacity`` best rows);
2. the client merges them into the score of the ``capacity``-th best row (the cut
   score), and the number of rows at the cut score each partition may still take,
   in partition order (input order);
3. each partition's file is rewritten: contacted are the rows above the cut score,
   and the first of its rows at the cut score up to its quota.

Memory: per partition, at most ``capacity`` distinct scores and their counts.
"""

from typing import NamedTuple

import numpy as np


class Cut(NamedTuple):
    """Where the capacity cuts: the rows above ``score``, and ``quotas[p]`` rows at it."""

    score: float
    quotas: list


def eligible_counts(score, threshold, capacity):
    """A partition's distinct scores above ``threshold`` (best first), their row counts, cut.

    Parameters
    ----------
    score : ndarray
        The rule's score of each row (NaN never eligible).
    threshold : float
    capacity : int

    Returns
    -------
    distinct, counts : ndarray
        The highest distinct scores until their rows reach ``capacity`` (all if fewer).

    Examples
    --------
    >>> eligible_counts(np.array([3.0, 1.0, 3.0, 2.0, -1.0]), 0.0, 2)
    (array([3.]), array([2]))
    """
    eligible = score[score > threshold]
    distinct, counts = np.unique(-eligible, return_counts=True)
    keep = int(np.searchsorted(np.cumsum(counts), capacity, side="left")) + 1
    return -distinct[:keep], counts[:keep]


def capacity_cut(tables, capacity):
    """The :class:`Cut` of partitions' :func:`eligible_counts`, or None if all fit.

    Parameters
    ----------
    tables : list of (distinct, counts)
        One per partition, in input order.
    capacity : int

    Returns
    -------
    Cut or None
        None when the rows above the threshold are at most ``capacity``.

    Examples
    --------
    >>> tables = [(np.array([3.0, 2.0]), np.array([1, 2])), (np.array([2.0]), np.array([2]))]
    >>> capacity_cut(tables, 2)
    Cut(score=2.0, quotas=[1, 0])
    """
    scores = np.concatenate([distinct for distinct, _ in tables])
    counts = np.concatenate([counts for _, counts in tables])
    if counts.sum() <= capacity:
        return None
    distinct, inverse = np.unique(-scores, return_inverse=True)
    totals = np.bincount(inverse.ravel(), weights=counts, minlength=distinct.size)
    position = int(np.searchsorted(np.cumsum(totals), capacity, side="left"))
    cut = float(-distinct[position])
    left = capacity - int(round(totals[:position].sum()))  # rows to take at the cut score
    quotas = []
    for distinct_part, counts_part in tables:
        at_cut = int(counts_part[distinct_part == cut].sum())
        quotas.append(min(left, at_cut))
        left -= quotas[-1]
    return Cut(cut, quotas)


def capped_target(score, cut_score, quota):
    """0/1 contacts of one partition: the rows above the cut score, and the first ``quota`` at it.

    Examples
    --------
    >>> capped_target(np.array([2.0, 3.0, 2.0, 2.0, 1.0]), 2.0, 1)
    array([1, 1, 0, 0, 0])
    """
    at_cut = score == cut_score
    taken = at_cut & (np.cumsum(at_cut) <= quota)
    return ((score > cut_score) | taken).astype(np.int64)
