"""The defaults every command shares: which learner, who pays the incentive.

``actionable demo`` and ``actionable fit`` read them from here, and their ``--help``
states them, so the demo's story and a model fitted on a user's data start from the
same choices.
"""

LEARNERS = {
    "s": ("SLearner", "S-learner"),
    "t": ("TLearner", "T-learner"),
    "x": ("XLearner", "X-learner"),
    "dr": ("DRLearner", "DR-learner"),
    "ct": ("ClassTransformation", "class transformation"),
}
"""Command-line code -> (class in ``actionable.models``, name in plain words)."""

DEFAULT_LEARNER = "dr"
"""The DR-learner: the best or within the noise of the best of actionable's learners on
every quality track of the benchmarks (Hillstrom, Starbucks, make_churn), and the most
profitable on Starbucks."""

DEFAULT_INCENTIVE_PAID = "on_success"
"""An incentive (a discount, a voucher) is paid by the customers who take it up: those
who end with the favourable outcome. make_churn's retention offer is priced this way."""


def make_learner(code, seed, n_jobs=None):
    """A fresh learner of ``actionable.models`` from its command-line code."""
    from actionable import models

    name, _ = LEARNERS[code]
    return getattr(models, name)(random_state=seed, n_jobs=n_jobs)
