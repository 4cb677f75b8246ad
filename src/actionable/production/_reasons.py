"""Reasons in plain words for each customer of a target list.

A reason is one feature's contribution to the customer's predicted uplift
(``actionable.models.uplift_contributions``): ``"tenure_months = 3 (raises uplift by
+0.08)"``. Reasons are computed for the customers the rule would contact before any
capacity cut (the only ones a list shows reasons for), which keeps their cost to the
rows that need them.
"""

import numpy as np
import pandas as pd

from actionable._validation import check_integer

REASON_DIGITS = 2
"""Decimals of a contribution in a reason (three when it is below 0.01 in absolute value)."""


def _value_text(value):
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return "missing"
    if isinstance(value, (float, np.floating)):
        return f"{float(value):.4g}"
    if isinstance(value, (np.integer, np.bool_)):
        return str(value.item())
    return str(value)


def reason_text(feature, value, contribution):
    """One reason in plain words.

    Parameters
    ----------
    feature : str
        Feature name.
    value : object
        The customer's value of it.
    contribution : float
        Its contribution to the predicted uplift (probability scale).

    Returns
    -------
    str

    Examples
    --------
    >>> reason_text("tenure_months", 3, 0.0812)
    'tenure_months = 3 (raises uplift by +0.08)'
    >>> reason_text("plan", "basic", -0.004)
    'plan = basic (lowers uplift by -0.004)'
    """
    digits = REASON_DIGITS if abs(contribution) >= 0.01 else REASON_DIGITS + 1
    verb = "raises" if contribution > 0 else "lowers" if contribution < 0 else "leaves"
    return f"{feature} = {_value_text(value)} ({verb} uplift by {contribution:+.{digits}f})"


def reason_columns(explained, k):
    """``reason_1..k`` columns of text from :meth:`explain`'s output.

    Parameters
    ----------
    explained : pandas.DataFrame
        Output of a learner's ``explain``.
    k : int
        Reasons per row.

    Returns
    -------
    pandas.DataFrame
        ``reason_1`` ... ``reason_k`` (object dtype), with the index of ``explained``.
    """
    columns = {}
    for i in range(1, k + 1):
        if f"feature_{i}" not in explained:  # fewer features than reasons asked for
            columns[f"reason_{i}"] = [""] * len(explained)
            continue
        columns[f"reason_{i}"] = [
            reason_text(feature, value, contribution)
            for feature, value, contribution in zip(
                explained[f"feature_{i}"],
                explained[f"value_{i}"],
                explained[f"contribution_{i}"],
                strict=True,
            )
        ]
    return pd.DataFrame(columns, index=explained.index, dtype=object)


def check_reasons(reasons):
    """Return ``reasons`` as an int >= 0 (0: no reasons)."""
    message = "{name} must be a non-negative integer; got {value!r}."
    return check_integer(reasons, "reasons", minimum=0, message=message)


def candidate_reasons(model, features, uplift, p_treated, k):
    """Reasons of the rows the rule contacts before a capacity cut; empty text elsewhere.

    Parameters
    ----------
    model : SavedModel
        The model.
    features : pandas.DataFrame
        Conformed features of the rows.
    uplift, p_treated : ndarray
        Their predictions (:meth:`SavedModel.predict`).
    k : int
        Reasons per row.

    Returns
    -------
    pandas.DataFrame
        ``reason_1..k``, one row per row of ``features`` (positional index).
    """
    score = model.rule.score(uplift, p_treated)
    candidates = np.flatnonzero(np.asarray(score, dtype=np.float64) > model.rule.threshold)
    out = pd.DataFrame(
        {f"reason_{i}": np.full(len(features), "", dtype=object) for i in range(1, k + 1)}
    )
    if candidates.size:
        explained = model.uplift_model.explain(features.iloc[candidates], top=k)
        texts = reason_columns(explained, k)
        for column in out:
            out.loc[candidates, column] = texts[column].to_numpy()
    return out
