"""Samples ranked for cuts at a number of units: uplift at k and the percentile bins.

``uplift_at_k`` and ``uplift_by_percentile`` cut the ranking at a number of
samples, which can split tied scores; like scikit-uplift, they rank samples by
decreasing score and, among equal scores, by decreasing row position. Weights enter
as a matrix, so one pass serves an estimate (one row) and a bootstrap (many rows).
"""

import numbers

import numpy as np

from .._validation import check_fraction_or_count
from ._kernel import is_binary

_MSG_K_EXCEEDS_GROUP = (
    "k={k!r} asks for more samples than the {group} group has ({size}) with strategy='by_group'."
)


class RankedSamples:
    """Samples sorted by decreasing score (ties: decreasing row), for cuts at k units.

    Weights enter as an array of shape (n_replicates, n_samples) in the ranked
    order, so one pass serves an estimate (one row) and a bootstrap (many rows).
    """

    def __init__(self, y_true, uplift, treatment, sample_weight):
        self.order = np.argsort(uplift, kind="stable")[::-1]
        self.y = y_true[self.order]
        self.treatment = treatment[self.order]
        self.control = 1.0 - self.treatment
        self.n_samples = y_true.size
        # integer copies: with integer weights, numpy's integer cumulative sums are much faster
        self._integer_arrays = {
            "treatment": self.treatment.astype(np.int64),
            "control": self.control.astype(np.int64),
            "y": self.y.astype(np.int64) if is_binary(self.y) else self.y,
        }
        self.weighted = sample_weight is not None
        if sample_weight is None:
            self.weight = np.ones(self.n_samples)
            self.frequency = True
        else:
            self.weight = sample_weight[self.order]
            self.frequency = bool(np.all(self.weight == np.floor(self.weight)))

    def check_k(self, k, strategy):
        """Validate ``k`` against the number of samples (and of each group for 'by_group')."""
        check_fraction_or_count(k, self.n_samples, "k")
        if strategy == "by_group" and isinstance(k, numbers.Integral):
            for group, flags in (("control", self.control), ("treated", self.treatment)):
                size = float(np.dot(self.weight, flags))
                if k > size:
                    raise ValueError(
                        _MSG_K_EXCEEDS_GROUP.format(k=k, group=group, size=f"{size:g}")
                    )
        return k

    def target_size(self, weights, k):
        """Number of weight units to target, per replicate (shape (n_replicates,))."""
        total = np.sum(weights, axis=-1)
        if isinstance(k, numbers.Integral):
            return np.full(total.shape, float(k))
        size = total * k
        if self.frequency:
            size = np.floor(size)
        return size

    def means_at_k(self, weights, strategy, k):
        """Treated and control mean outcomes at k for each row of ``weights`` (NaN if absent)."""
        if weights.dtype.kind in "iu":
            treatment, control, y = (
                self._integer_arrays[name] for name in ("treatment", "control", "y")
            )
        else:
            treatment, control, y = self.treatment, self.control, self.y
        weighted_treated = weights * treatment
        weighted_control = weights * control
        with np.errstate(divide="ignore", invalid="ignore"):
            if strategy == "overall":
                size = self.target_size(weights, k)
                cumulative = np.cumsum(weights, axis=-1)

                def top(values, unit):
                    return _prefix_sum(size, cumulative, np.cumsum(values, axis=-1), unit)

                treated_mean = top(weighted_treated * y, treatment * y) / top(
                    weighted_treated, treatment
                )
                control_mean = top(weighted_control * y, control * y) / top(
                    weighted_control, control
                )
            else:
                treated_mean = self._group_top_mean(weighted_treated, k, y)
                control_mean = self._group_top_mean(weighted_control, k, y)
        return treated_mean, control_mean

    def _group_top_mean(self, weighted_group, k, y):
        size = self.target_size(weighted_group, k)
        cumulative = np.cumsum(weighted_group, axis=-1)
        taken = np.minimum(size, cumulative[..., -1])
        top_sum = _prefix_sum(size, cumulative, np.cumsum(weighted_group * y, axis=-1), y)
        return top_sum / taken

    def binned(self, weights, strategy, bins):
        """Per-bin sums for the percentile table: dict of arrays of shape (bins,)."""
        sums = {}
        for group, flags in (("treatment", self.treatment), ("control", self.control)):
            weighted = weights * flags
            if strategy == "overall":
                cumulative = np.cumsum(weights)
                unit_weight = flags
            else:
                cumulative = np.cumsum(weighted)
                unit_weight = np.ones_like(flags)
            edges = self._bin_edges(cumulative[-1], bins)

            def in_bins(values, unit, cumulative=cumulative, edges=edges):
                at_edges = _prefix_sum(edges, cumulative, np.cumsum(values), unit)
                return np.diff(at_edges)

            sums[f"n_{group}"] = in_bins(weighted, unit_weight)
            sums[f"y_{group}"] = in_bins(weighted * self.y, unit_weight * self.y)
            sums[f"y2_{group}"] = in_bins(weighted * self.y**2, unit_weight * self.y**2)
        return sums

    def _bin_edges(self, total, bins):
        """Cut points in weight units: numpy.array_split's sizes for whole totals."""
        if self.frequency:
            total = int(round(total))
            size, extra = divmod(total, bins)
            sizes = np.full(bins, size, dtype=np.int64)
            sizes[:extra] += 1
            return np.concatenate([[0.0], np.cumsum(sizes).astype(np.float64)])
        return np.linspace(0.0, total, bins + 1)


def _prefix_sum(position, cumulative_weight, cumulative_value, unit_value):
    """Sum of a quantity over the first ``position`` units of weight of a ranking.

    Rows wholly inside the first ``position`` units count fully; the row that
    straddles the cut counts in proportion (``unit_value`` is the row's quantity
    per unit of weight). Works on one ranking (1-D) or a batch (2-D, one
    position per row).
    """
    cumulative_weight = np.asarray(cumulative_weight)
    n = cumulative_weight.shape[-1]
    position = np.asarray(position, dtype=np.float64)
    if cumulative_weight.ndim == 1:
        inside = np.searchsorted(cumulative_weight, position, side="right")
    else:
        inside = np.sum(cumulative_weight <= position[..., np.newaxis], axis=-1)
    last_inside = np.maximum(inside - 1, 0)
    straddling = np.minimum(inside, n - 1)

    def take(values, where):
        values = np.broadcast_to(values, cumulative_weight.shape)
        if values.ndim == 1:
            return values[where]
        return np.take_along_axis(values, where[..., np.newaxis], axis=-1)[..., 0]

    weight_before = np.where(inside > 0, take(cumulative_weight, last_inside), 0.0)
    value_before = np.where(inside > 0, take(cumulative_value, last_inside), 0.0)
    partial = np.where(inside < n, (position - weight_before) * take(unit_value, straddling), 0.0)
    return value_before + partial
