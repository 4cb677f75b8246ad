"""The alerts of a monitored campaign batch, one sentence each (:func:`monitor_batch`)."""


def uplift_alerts(realized, low, high, expected, *, margin, level):
    """Alerts on the realized uplift: below zero, or significantly below the expected.

    ``margin`` is the half-width of the test of realized against expected (the batch's
    interval and the expectation's own error, added in quadrature); ``level`` the
    confidence level in words (``"95%"``).
    """
    alerts = []
    if high < 0:
        alerts.append(
            f"treatment harms: realized uplift {realized:+.4f} ({level} interval "
            f"{low:+.4f} to {high:+.4f}) is below zero."
        )
    if realized + margin < expected:
        alerts.append(
            f"realized uplift {realized:+.4f} ({level} interval {low:+.4f} to {high:+.4f}) "
            f"is significantly below the expected {expected:+.4f}."
        )
    return alerts


def holdout_alerts(holdout, counts, level):
    """An alert when the batch has too few control rows to measure the uplift it should detect.

    ``holdout`` is the batch's holdout document (rows needed, detectable uplift, power);
    ``counts`` the ``(treated, control)`` rows of the batch.
    """
    (n_treated, n_control) = counts
    needed, per_group = holdout["control_rows_needed"], holdout["per_group_if_equal"]
    if needed is not None and n_control >= needed:
        return []
    need = (
        f"about {needed:,} are needed with these {n_treated:,} treated rows"
        if needed is not None
        else f"about {per_group:,} treated and {per_group:,} control rows are needed"
    )
    return [
        f"too few control rows ({n_control:,}) to measure an uplift of "
        f"{holdout['detectable_uplift']:.4f} ({holdout['power']:.0%} power, {level} "
        f"confidence): {need}."
    ]


def drift_alerts(drift, score_psi, psi_threshold):
    """One alert per feature, and for the predicted uplift, whose PSI exceeds ``psi_threshold``."""
    alerts = [
        f"drift: feature {name!r} has PSI {value:.3f} > {psi_threshold:g}."
        for name, value in drift.items()
        if value > psi_threshold
    ]
    if score_psi is not None and score_psi > psi_threshold:
        alerts.append(f"drift: the predicted uplift has PSI {score_psi:.3f} > {psi_threshold:g}.")
    return alerts
