"""Scorers that let scikit-learn's model selection rank uplift models.

A scorer needs each test fold's ``treatment``. With scikit-learn's metadata
routing enabled, the scorer requests ``treatment`` and model selection tools pass
it fold by fold::

    import sklearn
    sklearn.set_config(enable_metadata_routing=True)
    cross_validate(estimator, X, y, params={"treatment": treatment},
                   scoring=make_uplift_scorer("qini_auc_score"))

The estimator's ``fit`` must request ``treatment`` as well: either its class sets
``__metadata_request__fit = {"treatment": True}`` or the user calls
``estimator.set_fit_request(treatment=True)``. Without routing, scikit-uplift's
approach still works: give the scorer a pandas Series of treatment indexed like
``y`` and it picks each fold's rows by index.
"""

from ._scores import qini_auc_score, uplift_at_k, uplift_auc_score, weighted_average_uplift

__all__ = ["make_uplift_scorer"]

_METRICS = {
    "qini_auc_score": qini_auc_score,
    "uplift_auc_score": uplift_auc_score,
    "uplift_at_k": uplift_at_k,
    "weighted_average_uplift": weighted_average_uplift,
}
_ROUTABLE = ("treatment", "sample_weight")

_MSG_UNKNOWN_METRIC = "metric_name must be one of {names}; got {value!r}."
_MSG_NO_TREATMENT = (
    "The uplift scorer received no treatment for this fold. Enable scikit-learn's metadata "
    "routing (sklearn.set_config(enable_metadata_routing=True)) and pass it as metadata, e.g. "
    "cross_validate(estimator, X, y, params={{'treatment': treatment}}, scoring=scorer), "
    "or build the scorer with make_uplift_scorer({metric!r}, treatment=treatment) where "
    "treatment is a pandas Series indexed like y."
)
_MSG_TREATMENT_NOT_SERIES = (
    "treatment given to make_uplift_scorer must be a pandas Series indexed like y (each fold's "
    "rows are found by index); got {type_name}. Prefer metadata routing: leave treatment=None "
    "and pass params={{'treatment': treatment}}."
)
_MSG_Y_WITHOUT_INDEX = (
    "y has no pandas index, so the treatment Series given to make_uplift_scorer cannot be "
    "aligned with it; pass y as a pandas Series, or use metadata routing."
)
_MSG_UNKNOWN_REQUEST = "The uplift scorer can request only {names}; got {value!r}."


def make_uplift_scorer(metric_name, treatment=None, **kwargs):
    """Make a scorer for scikit-learn model selection from an uplift metric.

    The scorer calls ``estimator.predict(X)`` on each test fold and scores the
    predicted uplift against that fold's outcomes and treatment, which it
    receives through scikit-learn's metadata routing (see the module notes).

    Parameters
    ----------
    metric_name : {'qini_auc_score', 'uplift_auc_score', 'uplift_at_k', \
'weighted_average_uplift'}
        The metric; higher is better for each.
    treatment : pandas.Series, default=None
        Only for use without metadata routing (scikit-uplift's approach): the
        treatment of every row, indexed like ``y``, for the scorer; the learner's
        ``fit`` still needs it too (``params={"treatment": t}`` in
        ``cross_validate``). Leave None to receive each fold's treatment through
        metadata routing.
    **kwargs
        Passed to the metric, e.g. ``negative_effect``, ``strategy``, ``k``, ``bins``.

    Returns
    -------
    callable
        ``scorer(estimator, X, y_true, *, treatment=None, sample_weight=None)``
        scores ``estimator.predict(X)``. It requests ``treatment`` from metadata
        routing; ``scorer.set_score_request(sample_weight=True)`` adds weights.

    See Also
    --------
    qini_auc_score : The default choice for ranking uplift models.
    uplift_at_k : Uplift among the top targeted fraction.

    Examples
    --------
    >>> import numpy as np
    >>> import sklearn
    >>> from sklearn.base import BaseEstimator
    >>> from sklearn.model_selection import cross_validate
    >>> from actionable.metrics import make_uplift_scorer
    >>> class FirstColumn(BaseEstimator):
    ...     __metadata_request__fit = {"treatment": True}
    ...     def fit(self, X, y, treatment):
    ...         return self
    ...     def predict(self, X):
    ...         return np.asarray(X)[:, 0]
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(1000, 2))
    >>> t = rng.integers(0, 2, 1000)
    >>> y = (rng.random(1000) < 0.2 + 0.6 * t * (X[:, 0] > 0)).astype(int)
    >>> with sklearn.config_context(enable_metadata_routing=True):
    ...     result = cross_validate(FirstColumn(), X, y, params={"treatment": t},
    ...                             scoring=make_uplift_scorer("qini_auc_score"))
    >>> bool((result["test_score"] > 0.2).all())
    True
    """
    if metric_name not in _METRICS:
        raise ValueError(_MSG_UNKNOWN_METRIC.format(names=sorted(_METRICS), value=metric_name))
    if treatment is not None and not hasattr(treatment, "loc"):
        raise TypeError(_MSG_TREATMENT_NOT_SERIES.format(type_name=type(treatment).__name__))
    return _UpliftScorer(metric_name, kwargs, treatment)


class _UpliftScorer:
    """Callable ``scorer(estimator, X, y_true, **metadata)`` with a metadata request."""

    def __init__(self, metric_name, kwargs, treatment):
        self.metric_name = metric_name
        self.kwargs = kwargs
        self.treatment = treatment
        self._requests = {"treatment": True}

    def __call__(self, estimator, X, y_true, *, treatment=None, sample_weight=None):
        if treatment is None:
            treatment = self._fold_treatment(y_true)
        uplift = estimator.predict(X)
        metric = _METRICS[self.metric_name]
        return metric(y_true, uplift, treatment, sample_weight=sample_weight, **self.kwargs)

    def _fold_treatment(self, y_true):
        if self.treatment is None:
            raise ValueError(_MSG_NO_TREATMENT.format(metric=self.metric_name))
        index = getattr(y_true, "index", None)
        if index is None:
            raise ValueError(_MSG_Y_WITHOUT_INDEX)
        return self.treatment.loc[index]

    def set_score_request(self, **requests):
        """Choose which metadata the scorer requests from scikit-learn's routing.

        Parameters
        ----------
        **requests : bool, str or None
            ``treatment=...`` and/or ``sample_weight=...``, with values as in
            scikit-learn (True, False, None or an alias).

        Returns
        -------
        self
        """
        for name, alias in requests.items():
            if name not in _ROUTABLE:
                raise ValueError(_MSG_UNKNOWN_REQUEST.format(names=_ROUTABLE, value=name))
            self._requests[name] = alias
        return self

    def get_metadata_routing(self):
        """Return the scorer's metadata request (used by scikit-learn's routing).

        Returns
        -------
        sklearn.utils.metadata_routing.MetadataRequest
        """
        from sklearn.utils.metadata_routing import MetadataRequest

        request = MetadataRequest(owner=self)
        for name, alias in self._requests.items():
            request.score.add_request(param=name, alias=alias)
        return request

    def __repr__(self):
        arguments = "".join(f", {key}={value!r}" for key, value in self.kwargs.items())
        return f"make_uplift_scorer({self.metric_name!r}{arguments})"
