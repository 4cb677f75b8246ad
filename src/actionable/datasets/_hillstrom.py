"""The Hillstrom MineThatData e-mail experiment, bundled with the package (works offline)."""

import functools
import hashlib
import io
from importlib import resources

import pandas as pd

from actionable.datasets._dataset import UpliftDataset
from actionable.datasets._registry import DATASETS, get_remote_file

__all__ = ["load_hillstrom"]

# data/hillstrom.csv.bz2 is `bzip2 -9` of the original file, byte for byte (CRLF line
# endings, quoted history_segment values, 'Surburban' spelling all kept).
_PACKAGED_FILE = "hillstrom.csv.bz2"
_PACKAGED_SHA256 = "6762179c289aa7b26cf699b2a2e79b54f471e3c8094cbe4e12b60c5ca3377ecb"
_ORIGINAL_SHA256 = "0e5893329d8b93cefecc571777672028290ab69865718020c78c7284f291aece"

_ARM_LABELS = {"mens": "Mens E-Mail", "womens": "Womens E-Mail", "none": "No E-Mail"}
_OUTCOMES = ("visit", "conversion", "spend")
_FEATURES = (
    "recency",
    "history_segment",
    "history",
    "mens",
    "womens",
    "zip_code",
    "newbie",
    "channel",
)
_CATEGORIES = {
    "history_segment": pd.CategoricalDtype(
        [
            "1) $0 - $100",
            "2) $100 - $200",
            "3) $200 - $350",
            "4) $350 - $500",
            "5) $500 - $750",
            "6) $750 - $1,000",
            "7) $1,000 +",
        ],
        ordered=True,
    ),
    "zip_code": pd.CategoricalDtype(["Rural", "Surburban", "Urban"]),
    "channel": pd.CategoricalDtype(["Multichannel", "Phone", "Web"]),
}
_DTYPES = {
    "recency": "int64",
    "history": "float64",
    "mens": "int64",
    "womens": "int64",
    "newbie": "int64",
    "segment": "str",
    "visit": "int64",
    "conversion": "int64",
    "spend": "float64",
}

# Illustrative economics, NOT part of the data: Hillstrom published no costs. Revenue per
# visit in the data is about $7.16 and per conversion about $116; we assume a 30% margin
# (about $2 per visit, $35 per conversion, $0.30 per dollar spent) and $0.10 per e-mail.
# Spend is a continuous outcome: valued per unit (a dollar), with no success to pay on.
_ILLUSTRATIVE_COSTS = {
    "visit": {"value_per_success": 2.0, "cost_per_contact": 0.10, "incentive_cost": 0.0},
    "conversion": {"value_per_success": 35.0, "cost_per_contact": 0.10, "incentive_cost": 0.0},
    "spend": {
        "value_per_unit": 0.30,
        "cost_per_contact": 0.10,
        "incentive_cost": 0.0,
        "incentive_paid": "on_contact",
    },
}

_DESCRIPTION = """\
Hillstrom MineThatData e-mail challenge (2008).

64,000 customers who last purchased within twelve months were randomized into three
arms for a two-week e-mail campaign: 'Mens E-Mail' (21,307), 'Womens E-Mail' (21,387)
and 'No E-Mail' (21,306, control). Outcomes in the two weeks after the e-mail: visit
(website visit, mean 0.1468), conversion (purchase, 0.0090) and spend (USD, 1.05).

Features: recency (months since last purchase), history_segment (binned past-year
spend, ordered categorical), history (past-year spend, USD), mens / womens (bought
men's / women's merchandise), zip_code (Rural, Surburban, Urban), newbie (new customer
in the past twelve months), channel (Phone, Web, Multichannel).

Quirks kept as published: CRLF line endings, quoted history_segment values containing
commas ("6) $750 - $1,000"), and the spelling 'Surburban'.

Source: {url}
(sha256 {original}); bundled as data/{packaged}, the bzip2 of the original bytes
(sha256 {packaged_sha}).
Citation: {citation}
Terms: {terms}.
Costs: illustrative only (Hillstrom published none): {costs}.
"""


@functools.cache
def _read_bundled():
    data = resources.files("actionable.datasets").joinpath("data", _PACKAGED_FILE).read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if digest != _PACKAGED_SHA256:
        raise OSError(
            f"the bundled Hillstrom file data/{_PACKAGED_FILE} is damaged: sha256 {digest}, "
            f"expected {_PACKAGED_SHA256}; reinstall actionable"
        )
    frame = pd.read_csv(io.BytesIO(data), compression="bz2", dtype=_DTYPES)
    for column, dtype in _CATEGORIES.items():
        values = frame[column]
        frame[column] = values.astype(dtype)
        unknown = set(values[frame[column].isna()].unique())
        if unknown:  # pragma: no cover - guarded by the checksum above
            raise OSError(f"unexpected {column} values in the bundled Hillstrom file: {unknown}")
    return frame


def _check_arms(arms):
    if isinstance(arms, str):
        if arms != "all":
            raise ValueError(
                f"arms must be 'all' or a pair (treated, control) of 'mens', 'womens', 'none'; "
                f"got {arms!r}"
            )
        return None
    arms = tuple(arms)
    if len(arms) != 2 or len(set(arms)) != 2 or not set(arms) <= set(_ARM_LABELS):
        raise ValueError(
            "arms must be 'all' or a pair (treated, control) of two different arms among "
            f"'mens', 'womens', 'none'; got {arms!r}"
        )
    return arms


def load_hillstrom(*, arms=("womens", "none"), outcome="visit", return_X_y_treatment=False):
    """Load the Hillstrom MineThatData e-mail experiment (bundled, no network needed).

    64,000 customers randomized into three arms: ``"mens"`` (Mens E-Mail),
    ``"womens"`` (Womens E-Mail) and ``"none"`` (No E-Mail, the control). The data
    ships inside the package, so this works offline and without a mirror.

    Parameters
    ----------
    arms : pair of {"mens", "womens", "none"} or "all", default=("womens", "none")
        ``(treated, control)``: keep the rows of these two arms, with
        ``treatment`` 1 for the first and 0 for the second. ``"all"`` keeps the
        three arms; ``treatment`` then holds the arm names and ``control_label``
        is ``"none"``.
    outcome : {"visit", "conversion", "spend"}, default="visit"
        ``y``: website visit (0/1), purchase (0/1) or spend in USD, all within
        two weeks of the e-mail.
    return_X_y_treatment : bool, default=False
        Return ``(X, y, treatment)`` instead of an :class:`UpliftDataset`.

    Returns
    -------
    UpliftDataset or tuple of (DataFrame, Series, Series)
        ``X`` holds the eight pre-treatment features (``history_segment``,
        ``zip_code`` and ``channel`` as pandas categoricals); rows keep the file's
        order with a fresh ``RangeIndex``. ``costs`` are illustrative (Hillstrom
        published none): a margin per visit or conversion (``value_per_success``),
        or per spent dollar for ``outcome="spend"`` (``value_per_unit=0.3``, a
        continuous outcome), and $0.10 per e-mail; see ``description``.

    See Also
    --------
    fetch_starbucks : Another public randomized promotion experiment.

    References
    ----------
    .. [1] K. Hillstrom (2008), "The MineThatData E-Mail Analytics And Data Mining
       Challenge", MineThatData blog.

    Examples
    --------
    >>> from actionable.datasets import load_hillstrom
    >>> data = load_hillstrom()
    >>> data.n_samples, int(data.treatment.sum())
    (42693, 21387)
    >>> list(data.X.columns)  # doctest: +NORMALIZE_WHITESPACE
    ['recency', 'history_segment', 'history', 'mens', 'womens', 'zip_code', 'newbie',
     'channel']
    >>> load_hillstrom(arms="all", outcome="spend").treatment.value_counts()["none"]
    np.int64(21306)
    """
    pair = _check_arms(arms)
    if outcome not in _OUTCOMES:
        raise ValueError(f"outcome must be one of {_OUTCOMES}; got {outcome!r}")
    frame = _read_bundled()
    segment = frame["segment"]
    if pair is None:
        rows = frame
        labels = {label: arm for arm, label in _ARM_LABELS.items()}
        treatment = rows["segment"].map(labels).astype("str")
        control_label = "none"
    else:
        treated, control = pair
        rows = frame[segment.isin([_ARM_LABELS[treated], _ARM_LABELS[control]])]
        treatment = (rows["segment"] == _ARM_LABELS[treated]).astype("int64")
        control_label = 0
    rows = rows.reset_index(drop=True)
    X = rows.loc[:, list(_FEATURES)].copy()
    y = rows[outcome].copy()
    treatment = treatment.reset_index(drop=True).rename("treatment")
    if return_X_y_treatment:
        return X, y, treatment
    info = DATASETS["hillstrom"]
    costs = dict(_ILLUSTRATIVE_COSTS[outcome])
    description = _DESCRIPTION.format(
        url=get_remote_file(info.files[0]).url,
        original=_ORIGINAL_SHA256,
        packaged=_PACKAGED_FILE,
        packaged_sha=_PACKAGED_SHA256,
        citation=info.citation,
        terms=info.terms,
        costs=", ".join(f"{k}={v}" for k, v in costs.items()),
    )
    return UpliftDataset(
        X=X,
        y=y,
        treatment=treatment,
        name="hillstrom",
        description=description,
        costs=costs,
        terms=info.terms,
        control_label=control_label,
        outcome_name=outcome,
        treatment_name="segment",
        extra={
            "arms": "all" if pair is None else pair,
            "arm_labels": dict(_ARM_LABELS),
            "costs_note": (
                "Illustrative costs: Hillstrom published none (a 30% margin on the revenue "
                "per visit, conversion or dollar in the data, and $0.10 per e-mail)."
            ),
        },
    )
