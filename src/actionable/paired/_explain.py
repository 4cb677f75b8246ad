"""Who the uplift model contacts and why: the targeted group and the global drivers."""

import numpy as np

from actionable.paired._group import describe_targeted_group
from actionable.paired._statistics import top_rows


def targeted_group(X, uplift, n_contacted, ctx):
    """The uplift model's contacted rows (its top ``n_contacted``) in plain words.

    The same rows as its customer types: the top ``n_contacted`` by predicted uplift,
    ties broken with the evaluation's seed.
    """
    contacted = np.zeros(ctx.n)
    contacted[top_rows(uplift.score, n_contacted, ctx.seed)] = 1.0
    if ctx.has_truth:
        outcomes = {"y0": ctx.y0, "y1": ctx.y1}
    else:
        outcomes = {"y": ctx.y, "treatment": ctx.treatment, "sample_weight": ctx.weight}
    return describe_targeted_group(
        X,
        contacted,
        uplift=uplift.score,
        cost_model=ctx.cost_model,
        confidence_level=ctx.confidence_level,
        n_bootstraps=ctx.n_bootstraps,
        random_state=ctx.seed,
        **outcomes,
    )


DRIVER_ROWS = 20_000
"""The global drivers are averaged over at most this many test rows (a random sample):
TreeSHAP costs 10 to 50 times a prediction, and a mean over 20,000 rows is precise."""


def global_drivers(uplift_model, X, seed=0):
    """``(drivers, note)``: mean absolute contribution of each feature to the predicted uplift.

    ``drivers`` is ``None`` (and the note says why) for models whose contributions
    ``actionable.models.uplift_contributions`` cannot compute.
    """
    from actionable.models import uplift_contributions
    from actionable.models._rows import take_rows

    rows = np.arange(X.shape[0])
    if rows.size > DRIVER_ROWS:
        rows = np.sort(np.random.default_rng(seed).choice(rows, DRIVER_ROWS, replace=False))
    try:
        contributions = uplift_contributions(uplift_model, take_rows(X, rows))
    except ValueError as error:
        why = str(error)
    else:
        why = None
    if why is not None:
        return None, (
            "Global drivers: not shown, the uplift model's per-feature contributions "
            f"cannot be computed ({why.rstrip('.')})."
        )
    drivers = contributions.global_drivers().rename("mean_abs_contribution")
    return drivers, (
        "Global drivers: the mean absolute contribution of each feature to the predicted "
        f"uplift over {_rows_words(rows.size, X.shape[0])} ({contributions.method}); "
        "a large value means the feature moves the predicted uplift of many customers, "
        "in either direction."
    )


def _rows_words(used, total):
    if used == total:
        return f"the {total:,} test rows"
    return f"{used:,} of the {total:,} test rows (a random sample)"
