"""A random forest of uplift trees that split on the treatment effect (prototype, issue 23).

A benchmark-side prototype, not part of the package: ``benchmarks/uplift_forest_trial.py``
measures it against the default learners (``benchmarks/README.md``, "Learner variants for
small, noisy campaigns"); it did not earn a place among them. Features are binned once
(quantile or equal-width bins); every tree grows level by level on a subsample of the
rows, and the split search of all the nodes of a level is one ``np.bincount`` over (node,
feature, bin, arm) followed by cumulative sums over the bins.
"""

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.utils.validation import check_array, check_is_fitted

CRITERIA = ("kl", "euclidean", "ddp", "tstat")
BINNINGS = ("quantile", "uniform")
_EPS = 1e-6


def bin_cuts(X, max_bins, binning="quantile"):
    """Cut points of each column: midpoints of its values when few, else quantiles or equal widths.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
        Float features; NaN is ignored here (binning sends it to the last bin).
    max_bins : int
        At most this many bins per column.
    binning : {"quantile", "uniform"}, default="quantile"
        Bins of a column with more than ``max_bins`` values: equal counts of rows, or equal
        widths between its smallest and largest value (H2O's histograms, fixed once).

    Returns
    -------
    list of ndarray
        Increasing cut points of each column; a value goes to the number of cuts below it.

    Examples
    --------
    >>> [cuts.tolist() for cuts in bin_cuts(np.array([[0.0], [1.0], [1.0]]), 8)]
    [[0.5]]
    >>> bin_cuts(np.array([[0.0], [1.0], [2.0], [9.0]]), 3, binning="uniform")[0].tolist()
    [3.0, 6.0]
    """
    if binning not in BINNINGS:
        raise ValueError(f"binning must be one of {BINNINGS}; got {binning!r}.")
    cuts = []
    for column in np.asarray(X, dtype=np.float64).T:
        known = column[~np.isnan(column)]
        values = np.unique(known)
        if values.size <= max_bins:
            cuts.append((values[:-1] + values[1:]) / 2)
        elif binning == "uniform":
            cuts.append(np.linspace(values[0], values[-1], max_bins + 1)[1:-1])
        else:
            levels = np.linspace(0.0, 1.0, max_bins + 1)[1:-1]
            cuts.append(np.unique(np.quantile(known, levels)))
    return cuts


def apply_cuts(X, cuts):
    """The bin of every value (``int16``): how many cuts lie strictly below it; NaN last.

    Examples
    --------
    >>> apply_cuts(np.array([[0.0], [2.0], [np.nan]]), [np.array([0.5, 1.5])]).ravel().tolist()
    [0, 2, 2]
    """
    X = np.asarray(X, dtype=np.float64)
    binned = np.empty(X.shape, dtype=np.int16)
    for column, column_cuts in enumerate(cuts):
        binned[:, column] = np.searchsorted(column_cuts, X[:, column], side="left")
    return binned


def _divergence(rate_treated, rate_control, criterion):
    """Divergence of the treated and control outcome distributions of a binary outcome."""
    if criterion == "kl":
        p = np.clip(rate_treated, _EPS, 1 - _EPS)
        q = np.clip(rate_control, _EPS, 1 - _EPS)
        return p * np.log(p / q) + (1 - p) * np.log((1 - p) / (1 - q))
    return 2.0 * (rate_treated - rate_control) ** 2  # squared Euclidean over {0, 1}


def _impurity(share, criterion):
    """Entropy (KL) or Gini (Euclidean) of a two-way split with left share ``share``."""
    share = np.clip(share, _EPS, 1 - _EPS)
    if criterion == "kl":
        return -(share * np.log(share) + (1 - share) * np.log(1 - share))
    return 1.0 - share**2 - (1 - share) ** 2


def _split_penalty(n_left, n_right, criterion):
    """Rzepakowski & Jaroszewicz's normalization of a binary split (arms ``[control, treated]``).

    ``n_left`` and ``n_right`` hold the rows of each arm on each side (last axis: arm).
    """
    n_arm = n_left + n_right
    n_all = n_arm.sum(axis=-1)
    arm_share = n_arm[..., 1] / np.maximum(n_all, 1)
    left_treated = n_left[..., 1] / np.maximum(n_arm[..., 1], 1)
    left_control = n_left[..., 0] / np.maximum(n_arm[..., 0], 1)
    return (
        _impurity(arm_share, criterion) * _divergence(left_treated, left_control, criterion)
        + arm_share * _impurity(left_treated, criterion)
        + (1 - arm_share) * _impurity(left_control, criterion)
        + 0.5
    )


class _Tree:
    """One uplift tree in heap layout: node ``i`` has children ``2i + 1`` (left), ``2i + 2``."""

    def __init__(self, max_depth):
        size = 2 ** (max_depth + 1) - 1
        self.feature = np.full(size, -1, dtype=np.int64)
        self.cut = np.zeros(size, dtype=np.int64)
        self.uplift = np.zeros(size)

    def leaves(self, binned, max_depth):
        """The leaf of every row of ``binned``."""
        node = np.zeros(binned.shape[0], dtype=np.int64)
        rows = np.arange(binned.shape[0])
        for _ in range(max_depth):
            feature = self.feature[node]
            inner = feature >= 0
            if not inner.any():
                break
            right = binned[rows, np.maximum(feature, 0)] > self.cut[node]
            node = np.where(inner, 2 * node + 1 + right, node)
        return node


class UpliftForest(BaseEstimator):
    """Random forest of uplift trees for a binary outcome and a binary treatment.

    Each tree is grown on a random subsample of the rows; a split maximizes the gain in
    divergence between the treated and control outcome distributions (Rzepakowski &
    Jaroszewicz, 2012) or the difference between the children's effects (``"ddp"``), over
    a random subset of the features of each node, with at least ``min_samples_leaf`` rows
    of each arm on both sides. Node rates are shrunk towards the parent's by
    ``shrinkage`` pseudo-rows; a row's uplift is the mean over trees of its leaf's treated
    rate minus control rate.

    Parameters
    ----------
    n_estimators : int, default=100
        Trees.
    max_depth : int, default=5
        Depth of every tree.
    criterion : {"kl", "euclidean", "ddp", "tstat"}, default="kl"
        Split criterion: divergence gain (KL or squared Euclidean), absolute difference of
        the children's effects (``"ddp"``), or its square over its variance (``"tstat"``,
        the interaction test of Su et al., 2009).
    min_samples_leaf : int or "auto", default=50
        Least rows of each arm in a child; ``"auto"``: the rows expected to hold
        five outcomes of the rarer class (``5 / rate``).
    max_features : float, default=1.0
        Share of the features drawn for each node (at least one).
    subsample : float, default=0.632
        Share of the rows each tree is grown on, drawn without replacement.
    max_bins : int, default=64
        Most bins of a feature.
    binning : {"quantile", "uniform"}, default="quantile"
        Bins of a feature with more than ``max_bins`` values: equal counts or equal widths.
    shrinkage : float or "auto", default=10.0
        Pseudo-rows of the parent's rate added to each arm of a node; ``"auto"``: the rows
        expected to hold two outcomes of the rarer class (``2 / rate``).
    normalize : bool, default=True
        Divide the divergence gain by the split penalty of Rzepakowski & Jaroszewicz.
    honest : bool, default=False
        Grow each tree on half of its subsample and estimate its node rates on the other.
    random_state : int or None, default=None
        Seed of the subsamples and of the feature draws.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(2000, 3))
    >>> treatment = rng.integers(0, 2, 2000)
    >>> y = (rng.random(2000) < 0.2 + 0.2 * treatment * (X[:, 0] > 0)).astype(int)
    >>> forest = UpliftForest(n_estimators=20, max_depth=3, random_state=0)
    >>> uplift = forest.fit(X, y, treatment).predict(X)
    >>> bool(uplift[X[:, 0] > 0].mean() > uplift[X[:, 0] < 0].mean())
    True
    """

    def __init__(
        self,
        n_estimators=100,
        max_depth=5,
        criterion="kl",
        min_samples_leaf=50,
        max_features=1.0,
        subsample=0.632,
        max_bins=64,
        binning="quantile",
        shrinkage=10.0,
        normalize=True,
        honest=False,
        random_state=None,
    ):
        self.n_estimators = n_estimators
        self.max_depth = max_depth
        self.criterion = criterion
        self.min_samples_leaf = min_samples_leaf
        self.max_features = max_features
        self.subsample = subsample
        self.max_bins = max_bins
        self.binning = binning
        self.shrinkage = shrinkage
        self.normalize = normalize
        self.honest = honest
        self.random_state = random_state

    def fit(self, X, y, treatment):
        """Grow the trees.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Numeric features (categories as codes); NaN allowed.
        y : array-like of shape (n_samples,)
            Binary outcome, 1 = favourable.
        treatment : array-like of shape (n_samples,)
            1 = treated, 0 = control.

        Returns
        -------
        self : UpliftForest
        """
        if self.criterion not in CRITERIA:
            raise ValueError(f"criterion must be one of {CRITERIA}; got {self.criterion!r}.")
        X = check_array(X, dtype=np.float64, ensure_all_finite="allow-nan")
        y = np.asarray(y, dtype=np.float64).ravel()
        arm = np.asarray(treatment).ravel().astype(np.int64)
        if y.size != X.shape[0] or arm.size != X.shape[0]:
            raise ValueError(
                f"X has {X.shape[0]} rows but y has {y.size} and treatment {arm.size}."
            )
        if not np.isin(y, (0.0, 1.0)).all() or not np.isin(arm, (0, 1)).all():
            raise ValueError("y and treatment must be 0/1.")
        rate = min(y.mean(), 1 - y.mean())
        self.min_leaf_ = (
            np.ceil(5 / max(rate, _EPS))
            if self.min_samples_leaf == "auto"
            else self.min_samples_leaf
        )
        self.prior_rows_ = 2 / max(rate, _EPS) if self.shrinkage == "auto" else self.shrinkage
        self.cuts_ = bin_cuts(X, self.max_bins, self.binning)
        self.n_features_in_ = X.shape[1]
        binned = apply_cuts(X, self.cuts_)
        self.n_bins_ = int(binned.max()) + 1
        rng = np.random.default_rng(self.random_state)
        n_draw = max(2, int(round(self.subsample * y.size)))
        self.trees_ = []
        for _ in range(self.n_estimators):
            rows = rng.choice(y.size, size=n_draw, replace=False)
            grow, estimate = (
                (rows[: n_draw // 2], rows[n_draw // 2 :]) if self.honest else (rows,) * 2
            )
            tree = self._grow(binned, y, arm, grow, rng)
            self._estimate(tree, binned, y, arm, estimate)
            self.trees_.append(tree)
        return self

    def predict(self, X):
        """Predicted uplift: treated minus control rate, averaged over the trees.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        ndarray of shape (n_samples,)
        """
        check_is_fitted(self, "trees_")
        X = check_array(X, dtype=np.float64, ensure_all_finite="allow-nan")
        if X.shape[1] != self.n_features_in_:
            raise ValueError(f"X has {X.shape[1]} features; fit saw {self.n_features_in_}.")
        binned = apply_cuts(X, self.cuts_)
        total = np.zeros(X.shape[0])
        for tree in self.trees_:
            total += tree.uplift[tree.leaves(binned, self.max_depth)]
        return total / len(self.trees_)

    def _stats(self, keys, n_keys, y, arm):
        """Rows and outcome sums of each key and arm, shape ``(n_keys, 2)``."""
        cell = 2 * keys + arm
        rows = np.bincount(cell, minlength=2 * n_keys).reshape(n_keys, 2)
        sums = np.bincount(cell, weights=y, minlength=2 * n_keys).reshape(n_keys, 2)
        return rows.astype(np.float64), sums

    def _rates(self, rows, sums, prior):
        return (sums + self.prior_rows_ * prior) / (rows + self.prior_rows_)

    def _grow(self, binned, y, arm, rows, rng):
        """The splits of one tree, chosen on ``rows``."""
        tree = _Tree(self.max_depth)
        n_features, n_bins = binned.shape[1], self.n_bins_
        if n_bins < 2:  # every feature constant: the root is the only leaf
            return tree
        n_try = max(1, int(round(self.max_features * n_features)))
        node_rows, node_sums = self._stats(np.zeros(rows.size, np.int64), 1, y[rows], arm[rows])
        rates = node_sums / np.maximum(node_rows, 1)  # rates of this level's nodes, (L, 2)
        local = np.zeros(rows.size, dtype=np.int64)  # node of each row within its level
        for depth in range(self.max_depth):
            n_nodes = 2**depth
            codes = binned[rows].astype(np.int64)
            keys = (local[:, None] * n_features + np.arange(n_features)) * n_bins + codes
            count, total = self._stats(
                keys.ravel(),
                n_nodes * n_features * n_bins,
                np.repeat(y[rows], n_features),
                np.repeat(arm[rows], n_features),
            )
            count = count.reshape(n_nodes, n_features, n_bins, 2)
            total = total.reshape(n_nodes, n_features, n_bins, 2)
            n_left, s_left = count.cumsum(axis=2)[:, :, :-1], total.cumsum(axis=2)[:, :, :-1]
            n_node, s_node = (
                count[:, :1].sum(axis=2, keepdims=True),
                total[:, :1].sum(axis=2, keepdims=True),
            )
            n_right, s_right = n_node - n_left, s_node - s_left
            prior = rates[:, None, None, :]
            left, right = self._rates(n_left, s_left, prior), self._rates(n_right, s_right, prior)
            gain = self._gain(n_left, n_right, left, right, rates)
            allowed = np.minimum(n_left.min(axis=-1), n_right.min(axis=-1)) >= self.min_leaf_
            drawn = rng.random((n_nodes, n_features)).argsort(axis=1) < n_try
            gain = np.where(allowed & drawn[:, :, None], gain, -np.inf)
            best = gain.reshape(n_nodes, -1).argmax(axis=1)
            splits = gain.reshape(n_nodes, -1)[np.arange(n_nodes), best] > 0
            feature, cut = np.divmod(best, n_bins - 1)
            heap = n_nodes - 1 + np.arange(n_nodes)
            tree.feature[heap[splits]], tree.cut[heap[splits]] = feature[splits], cut[splits]
            nodes = np.arange(n_nodes)
            child_rates = np.empty((2 * n_nodes, 2))
            child_rates[0::2] = left[nodes, feature, cut]
            child_rates[1::2] = right[nodes, feature, cut]
            keep = splits[local]
            rows, local = rows[keep], local[keep]
            if rows.size == 0:
                break
            goes_right = binned[rows, feature[local]] > cut[local]
            local = 2 * local + goes_right
            rates = child_rates
        return tree

    def _gain(self, n_left, n_right, left, right, parent):
        """Split gain of every (node, feature, cut)."""
        difference = (left[..., 1] - left[..., 0]) - (right[..., 1] - right[..., 0])
        if self.criterion == "ddp":
            return np.abs(difference)
        if self.criterion == "tstat":
            variance = sum(
                (rates * (1 - rates) / (rows + self.prior_rows_)).sum(axis=-1)
                for rows, rates in ((n_left, left), (n_right, right))
            )
            return difference**2 / np.maximum(variance, _EPS**2)
        n_l, n_r = n_left.sum(axis=-1), n_right.sum(axis=-1)
        share = n_l / np.maximum(n_l + n_r, 1)
        before = _divergence(parent[:, None, None, 1], parent[:, None, None, 0], self.criterion)
        after = share * _divergence(left[..., 1], left[..., 0], self.criterion) + (
            1 - share
        ) * _divergence(right[..., 1], right[..., 0], self.criterion)
        gain = after - before
        if self.normalize:
            gain = gain / _split_penalty(n_left, n_right, self.criterion)
        return gain

    def _estimate(self, tree, binned, y, arm, rows):
        """Node uplifts of ``tree`` from ``rows``, each node's rates shrunk to its parent's."""
        size = tree.feature.size
        node = np.zeros(rows.size, dtype=np.int64)
        rows_of, sums_of = np.zeros((size, 2)), np.zeros((size, 2))
        for depth in range(self.max_depth + 1):
            n_rows, n_sums = self._stats(node, size, y[rows], arm[rows])
            level = slice(2**depth - 1, 2 ** (depth + 1) - 1)
            rows_of[level], sums_of[level] = n_rows[level], n_sums[level]
            feature = tree.feature[node]
            inner = feature >= 0
            rows, node = rows[inner], node[inner]
            if rows.size == 0:
                break
            node = 2 * node + 1 + (binned[rows, feature[inner]] > tree.cut[node])
        rates = np.zeros((size, 2))
        rates[0] = sums_of[0] / np.maximum(rows_of[0], 1)
        for index in range(1, size):
            rates[index] = self._rates(rows_of[index], sums_of[index], rates[(index - 1) // 2])
        tree.uplift = rates[:, 1] - rates[:, 0]
