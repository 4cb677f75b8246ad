"""Drift: has the population a model scores moved away from the one it learned from?

The population stability index (PSI) compares a batch's distribution of each feature
with a reference. The reference must be the right one. A campaign batch is often the
model's own target list (its top scores, with a random holdout kept back): such a
list always looks shifted from the whole training population, by construction. So
the training distributions are kept jointly with the targeting score, in fine score
bins, and a targeted batch is compared with the training customers the same rule
would have targeted (those scoring at least as high as the batch's lowest score).

References
----------
.. [1] Siddiqi, N. (2006). Credit Risk Scorecards, ch. 8 (population stability index;
   0.1 and 0.25 as the usual "watch" and "act" thresholds).
"""

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

PSI_ALERT = 0.25
"""PSI above which a feature (or the score) has shifted: an alert."""
SCORE_BINS = 50
"""Quantile bins of the targeting score in which the training distributions are kept."""
UPLIFT_NAME = "predicted uplift"
"""How the model's own prediction is named among the drifted features."""


def population_stability_index(expected, actual, *, epsilon=1e-4):
    """PSI between two distributions over the same bins.

    ``PSI = sum((a - e) * ln(a / e))`` over bins, with proportions floored at
    ``epsilon`` so that an empty bin does not make it infinite.

    Parameters
    ----------
    expected : array-like of shape (n_bins,)
        Reference proportions (or counts), e.g. in the training data.
    actual : array-like of shape (n_bins,)
        Proportions (or counts) in the new data.
    epsilon : float, default=1e-4
        Floor of every proportion.

    Returns
    -------
    float
        0 for identical distributions; above 0.25 is usually read as a major shift.

    Examples
    --------
    >>> population_stability_index([0.5, 0.5], [0.5, 0.5])
    0.0
    >>> round(population_stability_index([0.5, 0.5], [0.9, 0.1]), 4)
    0.8789
    """
    expected = np.asarray(expected, dtype=np.float64)
    actual = np.asarray(actual, dtype=np.float64)
    if expected.shape != actual.shape or expected.ndim != 1:
        raise ValueError(
            f"expected and actual must be 1-D with the same bins; got shapes "
            f"{expected.shape} and {actual.shape}."
        )
    expected = np.maximum(expected / max(expected.sum(), 1e-300), epsilon)
    actual = np.maximum(actual / max(actual.sum(), 1e-300), epsilon)
    return float(np.sum((actual - expected) * np.log(actual / expected)))


def _numeric_bins(values, edges):
    """Bin index per value: ``(-inf, e0], (e0, e1], ..., (e_last, inf)``, then missing."""
    index = np.searchsorted(edges, values, side="left")
    index[np.isnan(values)] = len(edges) + 1
    return index


def _quantile_edges(values, n_bins):
    finite = values[~np.isnan(values)]
    if not finite.size:
        return np.array([], dtype=np.float64)
    return np.unique(np.quantile(finite, np.linspace(0, 1, n_bins + 1)[1:-1]))


def _bins_of(spec, values):
    """Bin of every value under a feature's bin specification."""
    if spec["kind"] == "numeric":
        values = pd.Series(values).to_numpy(dtype=np.float64, na_value=np.nan)
        return _numeric_bins(values, np.asarray(spec["edges"], dtype=np.float64))
    series = pd.Series(values)
    text = series.astype("string").where(series.notna())
    categories = list(spec["categories"])
    index = pd.Index(categories).get_indexer(text.fillna("\x00missing"))
    index = np.where(index < 0, len(categories), index)  # unseen
    index[text.isna().to_numpy()] = len(categories) + 1
    return index


def _n_bins(spec):
    return len(spec["edges"]) + 2 if spec["kind"] == "numeric" else len(spec["categories"]) + 2


@dataclass
class DriftReference:
    """Training distributions of each feature, kept jointly with the targeting score.

    Numeric features are cut at the training deciles (duplicates merged, so a binary
    column gets two bins), plus a bin for missing values; categorical features use
    their training categories, a bin for values never seen in training and one for
    missing values. Every feature's counts are kept per quantile bin of the
    targeting score (``SCORE_BINS``), so the distribution among the customers a rule
    targets can be recovered (:meth:`proportions` with ``cut``).

    Parameters
    ----------
    score_edges : list of float
        Quantile edges of the training targeting score.
    score_range : list of float
        Its minimum and maximum.
    features : dict
        Feature name -> bin specification (``kind``, ``edges`` or ``categories``) and
        ``counts``, a list per score bin of counts per feature bin.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> rng = np.random.default_rng(0)
    >>> train = pd.DataFrame({"x": rng.normal(size=5000), "c": rng.choice(["a", "b"], 5000)})
    >>> reference = DriftReference.from_frame(train, score=train["x"].to_numpy())
    >>> new = pd.DataFrame({"x": rng.normal(3, 1, 2000), "c": rng.choice(["a", "b"], 2000)})
    >>> drift = reference.psi(new)
    >>> bool(drift["x"] > 0.25), bool(drift["c"] < 0.1)
    (True, True)
    >>> top = train[train["x"] > 1]  # a list targeted by the score: shifted from everyone...
    >>> bool(reference.psi(top)["x"] > 0.25)
    True
    >>> cut = float(top["x"].min())  # ...but not from the customers the rule would target
    >>> bool(reference.psi(top, cut=cut)["x"] < 0.1)
    True
    """

    score_edges: list = field(default_factory=list)
    score_range: list = field(default_factory=lambda: [0.0, 0.0])
    features: dict = field(default_factory=dict)

    @classmethod
    def from_frame(cls, features, score, *, uplift=None, n_bins=10, score_bins=SCORE_BINS):
        """Record the reference distributions of training data.

        Parameters
        ----------
        features : pandas.DataFrame
            Training features.
        score : array-like of shape (n_samples,)
            The targeting score of each training row (expected profit, or uplift).
        uplift : array-like of shape (n_samples,), default=None
            The predicted uplift, kept as one more feature (``UPLIFT_NAME``).
        n_bins : int, default=10
            Quantile bins per numeric feature.
        score_bins : int, default=50
            Quantile bins of the score.

        Returns
        -------
        DriftReference
        """
        score = np.asarray(score, dtype=np.float64)
        score_edges = _quantile_edges(score, score_bins)
        score_bin = _numeric_bins(score, score_edges)
        n_score = len(score_edges) + 2
        columns = {str(name): features[name] for name in features.columns}
        if uplift is not None:
            columns[UPLIFT_NAME] = pd.Series(np.asarray(uplift, dtype=np.float64))
        reference = {}
        for name, series in columns.items():
            numeric = pd.api.types.is_bool_dtype(series) or pd.api.types.is_numeric_dtype(series)
            if numeric:
                values = series.to_numpy(dtype=np.float64, na_value=np.nan)
                spec = {"kind": "numeric", "edges": _quantile_edges(values, n_bins).tolist()}
            else:
                text = series.astype("string").where(series.notna())
                spec = {"kind": "categorical", "categories": sorted(text.dropna().unique())}
                values = series
            joint = np.zeros((n_score, _n_bins(spec)))
            np.add.at(joint, (score_bin, _bins_of(spec, values)), 1.0)
            reference[name] = {**spec, "counts": joint.tolist()}
        finite = score[np.isfinite(score)]
        score_range = [float(finite.min()), float(finite.max())] if finite.size else [0.0, 0.0]
        return cls(score_edges=score_edges.tolist(), score_range=score_range, features=reference)

    def _score_weights(self, cut):
        """Weight of each score bin in the reference: 1 above ``cut``, a share across it."""
        n_score = len(self.score_edges) + 2
        if cut is None:
            return np.ones(n_score)
        low, high = self.score_range
        bounds = np.array([min(low, self.score_edges[0] if self.score_edges else low)])
        bounds = np.concatenate([bounds, self.score_edges, [high]])
        weights = np.zeros(n_score)
        for index in range(n_score - 1):  # the last bin holds missing scores
            start, end = bounds[index], bounds[min(index + 1, len(bounds) - 1)]
            if start >= cut:
                weights[index] = 1.0
            elif end > cut:
                weights[index] = (end - cut) / (end - start) if end > start else 1.0
        return weights

    def proportions(self, name, cut=None):
        """Reference counts of a feature's bins, among training rows scoring at least ``cut``.

        Parameters
        ----------
        name : str
            A feature (or ``UPLIFT_NAME``).
        cut : float, default=None
            Lowest targeting score of the rows to compare with; ``None``: every row.

        Returns
        -------
        ndarray
            Counts per bin (weighted where the cut falls inside a score bin).
        """
        counts = np.asarray(self.features[name]["counts"], dtype=np.float64)
        return self._score_weights(cut) @ counts

    def share_above(self, threshold):
        """Share of the training rows whose score is above ``threshold`` (from the bins)."""
        if not self.features:
            return float("nan")
        counts = np.asarray(next(iter(self.features.values()))["counts"]).sum(axis=1)
        return float(self._score_weights(threshold) @ counts / max(counts.sum(), 1.0))

    def _psi(self, name, values, cut):
        spec = self.features[name]
        observed = np.bincount(_bins_of(spec, values), minlength=_n_bins(spec))
        return population_stability_index(self.proportions(name, cut), observed)

    def psi(self, features, *, cut=None):
        """PSI of each reference feature present in ``features``.

        Parameters
        ----------
        features : pandas.DataFrame
            New data; features absent from it are skipped.
        cut : float, default=None
            Compare with the training rows scoring at least ``cut`` (a targeted
            batch); ``None``: with every training row.

        Returns
        -------
        dict of str to float
            PSI per feature.
        """
        return {
            name: self._psi(name, features[name], cut)
            for name in features.columns
            if name in self.features and name != UPLIFT_NAME
        }

    def uplift_psi(self, uplift, *, cut=None):
        """PSI of the predicted uplift (``None`` when the reference has none).

        Parameters
        ----------
        uplift : array-like of shape (n_samples,)
            The model's predicted uplift for a batch.
        cut : float, default=None
            As in :meth:`psi`.

        Returns
        -------
        float or None
        """
        if UPLIFT_NAME not in self.features:
            return None
        return self._psi(UPLIFT_NAME, np.asarray(uplift, dtype=np.float64), cut)

    def to_dict(self):
        """Return the reference as a JSON-serializable dict.

        Returns
        -------
        dict
        """
        return {
            "score_edges": list(self.score_edges),
            "score_range": list(self.score_range),
            "features": self.features,
        }

    @classmethod
    def from_dict(cls, data):
        """Build a reference from :meth:`to_dict` output.

        Parameters
        ----------
        data : dict
            Output of :meth:`to_dict`.

        Returns
        -------
        DriftReference
        """
        features = {}
        for name, spec in dict(data.get("features", {})).items():
            if "counts" not in spec:  # saved before the score bins: one bin holds everything
                spec = {**spec, "counts": [spec["proportions"], [0.0] * len(spec["proportions"])]}
                spec.pop("proportions")
            features[name] = spec
        return cls(
            score_edges=list(data.get("score_edges", [])),
            score_range=list(data.get("score_range", [0.0, 0.0])),
            features=features,
        )
