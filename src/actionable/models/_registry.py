"""The learners by short name, and the one every default of actionable uses."""

LEARNERS = {
    "s": ("SLearner", "S-learner"),
    "t": ("TLearner", "T-learner"),
    "x": ("XLearner", "X-learner"),
    "dr": ("DRLearner", "DR-learner"),
    "ct": ("ClassTransformation", "class transformation"),
}
"""Short code -> (class in ``actionable.models``, name in plain words)."""

DEFAULT_LEARNER = "t"
"""The T-learner: within the split-to-split spread of the best of actionable's learners on
every quality track of the benchmarks (Hillstrom, Starbucks, make_churn; benchmarks/README.md),
bounded by construction, and the cheapest to use: two models per prediction, where the
DR-learner averages six when a targeting rule needs P(y=1 | treated)."""


def make_learner(code, seed, n_jobs=None):
    """A fresh learner of ``actionable.models`` from its short code (``"dr"``, ``"t"``, ...).

    Parameters
    ----------
    code : str
        A key of ``LEARNERS``.
    seed : int or None
        The learner's ``random_state``.
    n_jobs : int, default=None
        Threads of its LightGBM models.

    Returns
    -------
    estimator
        An unfitted learner.

    Examples
    --------
    >>> make_learner("dr", 0)
    DRLearner(random_state=0)
    """
    if code not in LEARNERS:
        raise ValueError(f"learner must be one of {sorted(LEARNERS)}; got {code!r}.")
    from actionable import models

    name, _ = LEARNERS[code]
    return getattr(models, name)(random_state=seed, n_jobs=n_jobs)
