"""``fetch_*``: public randomized experiments, downloaded and verified, as ``UpliftDataset``.

All loaders keep a fresh ``RangeIndex`` on ``X``, ``y`` and ``treatment`` and put
identifiers (never features) in ``extra``.
"""

import pandas as pd

from actionable._validation import check_columns, check_integer
from actionable.datasets._download import fetch_file
from actionable.datasets._loading import compact_dtypes, describe, finish, treatment_of

__all__ = ["fetch_criteo", "fetch_lenta", "fetch_megafon", "fetch_starbucks", "fetch_x5"]


_STARBUCKS_FILES = {"train": "starbucks/training.csv", "test": "starbucks/Test.csv"}
_STARBUCKS_FEATURES = ["V1", "V2", "V3", "V4", "V5", "V6", "V7"]
_STARBUCKS_DTYPES = {
    "ID": "int64",
    "Promotion": "str",
    "purchase": "int64",
    "V1": "int64",
    "V2": "float64",
    "V3": "float64",
    "V4": "int64",
    "V5": "int64",
    "V6": "int64",
    "V7": "int64",
}


def fetch_starbucks(
    split="train", *, data_home=None, quiet=False, offline=None, return_X_y_treatment=False
):
    """Fetch the Starbucks promotion experiment (Udacity exercise).

    Customers were randomly sent a promotion (``Promotion`` Yes/No); the outcome is
    whether they bought the product (``purchase``). No official download URL exists:
    the files come from a public copy pinned to one commit and verified by SHA-256.

    Parameters
    ----------
    split : {"train", "test"}, default="train"
        ``training.csv`` (84,534 rows) or ``Test.csv`` (41,650 rows).
    data_home : str or path-like, default=None
        Cache directory; see :func:`get_data_home`.
    quiet : bool, default=False
        Hide the progress bar.
    offline : bool, default=None
        Never use the network; ``None`` reads ``ACTIONABLE_DATA_OFFLINE``.
    return_X_y_treatment : bool, default=False
        Return ``(X, y, treatment)`` instead of an :class:`UpliftDataset`.

    Returns
    -------
    UpliftDataset or tuple of (DataFrame, Series, Series)
        ``X`` = ``V1`` .. ``V7`` (anonymized); ``y`` = ``purchase``; ``treatment`` = 1
        for ``Promotion == "Yes"``, 0 for ``"No"``. The customer ``ID`` is not a
        feature: it is in ``extra["ID"]``, aligned with the rows. ``costs`` are the
        exercise's: $10 per purchase, $0.15 per promotion sent.

    Raises
    ------
    ValueError
        If ``split`` is unknown or the file does not have the expected columns.
    DatasetDownloadError
        If the file cannot be fetched or verified.

    See Also
    --------
    load_hillstrom : A bundled e-mail experiment (no download).
    fetch_file : The downloader behind every ``fetch_*``.

    Examples
    --------
    >>> from actionable.datasets import fetch_starbucks
    >>> data = fetch_starbucks(split="train")  # doctest: +SKIP
    >>> data.n_samples  # doctest: +SKIP
    84534
    """
    if split not in _STARBUCKS_FILES:
        raise ValueError(f"split must be 'train' or 'test'; got {split!r}")
    key = _STARBUCKS_FILES[split]
    path = fetch_file(key, data_home=data_home, quiet=quiet, offline=offline)
    frame = pd.read_csv(path, dtype=_STARBUCKS_DTYPES)
    check_columns(frame, list(_STARBUCKS_DTYPES), where=key)
    treatment = treatment_of(frame, "Promotion", "Yes", "No", key)
    summary = (
        "Randomized promotion: treatment = Promotion ('Yes' 1, 'No' 0); outcome = purchase "
        "(0/1). Features V1..V7 are anonymized; ID is kept in extra['ID']. The exercise's "
        "economics: each promotion costs $0.15, each purchase is worth $10; it scores a "
        "strategy on the customers it promotes by IRR = purchase rate(treated) - "
        "purchase rate(control) and NIR = 10 x purchases(treated) - 0.15 x n(treated) - "
        "10 x purchases(control)."
    )
    return finish(
        "starbucks",
        frame[_STARBUCKS_FEATURES],
        frame["purchase"],
        treatment,
        describe("starbucks", summary, [key]),
        return_X_y_treatment,
        costs={"value_per_success": 10.0, "cost_per_contact": 0.15, "incentive_cost": 0.0},
        outcome_name="purchase",
        treatment_name="Promotion",
        extra={
            "ID": frame["ID"].rename("ID"),
            "split": split,
            "costs_note": "The exercise's economics: $10 per purchase, $0.15 per promotion sent.",
        },
    )


_CRITEO_FILES = {None: "criteo/criteo.csv.gz", "10%": "criteo/criteo10.csv.gz"}
CRITEO_FEATURES = tuple(f"f{i}" for i in range(12))
_CRITEO_FLAGS = ("treatment", "conversion", "visit", "exposure")


def _check_criteo_columns(columns):
    if columns is None:
        return list(CRITEO_FEATURES)
    if isinstance(columns, str):
        columns = [columns]
    columns = list(columns)
    if "exposure" in columns:
        raise ValueError(
            "columns: 'exposure' is post-treatment (whether the ad was actually shown, an "
            "outcome of the treatment) and must never be a feature; it is in extra['exposure']"
        )
    unknown = [column for column in columns if column not in CRITEO_FEATURES]
    if unknown or not columns:
        raise ValueError(
            f"columns must be a non-empty subset of the features f0..f11; got {columns!r}"
        )
    return columns


def fetch_criteo(
    sample=None,
    *,
    outcome="visit",
    nrows=None,
    columns=None,
    data_home=None,
    quiet=False,
    offline=None,
    return_X_y_treatment=False,
):
    """Fetch the Criteo Uplift Prediction dataset v2.1 (non-commercial licence).

    13,979,592 users from incrementality tests: a random 85% could be shown ads
    (``treatment``); outcomes are a site ``visit`` and a ``conversion``. Loaded with
    compact dtypes (float32 features, int8 flags): about 52 bytes per row, so the full
    file needs under 1 GB once loaded.

    Parameters
    ----------
    sample : {None, "10%"}, default=None
        The full file, or the 10% sample published by scikit-uplift.
    outcome : {"visit", "conversion"}, default="visit"
        ``y``; the other outcome is kept in ``extra``.
    nrows : int, default=None
        Read only the first ``nrows`` rows (the file is not shuffled by us: the first
        rows are not a random sample).
    columns : list of str, default=None
        Features to load, a subset of ``f0`` .. ``f11`` (default all twelve).
    data_home : str or path-like, default=None
        Cache directory; see :func:`get_data_home`.
    quiet : bool, default=False
        Hide the progress bar.
    offline : bool, default=None
        Never use the network; ``None`` reads ``ACTIONABLE_DATA_OFFLINE``.
    return_X_y_treatment : bool, default=False
        Return ``(X, y, treatment)`` instead of an :class:`UpliftDataset`.

    Returns
    -------
    UpliftDataset or tuple of (DataFrame, Series, Series)
        ``X`` = the chosen features (float32); ``y`` and ``treatment`` int8.
        ``extra["exposure"]`` (int8) says whether an ad was actually shown: it is
        **post-treatment** and must never be used as a feature.

    Raises
    ------
    ValueError
        For an unknown ``sample``/``outcome``, a bad ``nrows``, or ``columns`` outside
        ``f0`` .. ``f11`` (``"exposure"`` in particular).
    DatasetDownloadError
        If the file cannot be fetched or verified.

    See Also
    --------
    fetch_starbucks : A small promotion experiment.
    fetch_file : The downloader behind every ``fetch_*``.

    References
    ----------
    .. [1] E. Diemert, A. Betlei, C. Renaudin and M.-R. Amini (2018), "A Large Scale
       Benchmark for Uplift Modeling", AdKDD & TargetAd workshop, KDD.

    Examples
    --------
    >>> from actionable.datasets import fetch_criteo
    >>> data = fetch_criteo(sample="10%", nrows=1000)  # doctest: +SKIP
    >>> data.X.dtypes.unique().tolist()  # doctest: +SKIP
    [dtype('float32')]
    """
    if sample not in _CRITEO_FILES:
        raise ValueError(f"sample must be None or '10%'; got {sample!r}")
    if outcome not in ("visit", "conversion"):
        raise ValueError(f"outcome must be 'visit' or 'conversion'; got {outcome!r}")
    check_integer(
        nrows,
        "nrows",
        minimum=1,
        allow_none=True,
        message="nrows must be a positive integer or None; got {value!r}",
    )
    features = _check_criteo_columns(columns)
    key = _CRITEO_FILES[sample]
    path = fetch_file(key, data_home=data_home, quiet=quiet, offline=offline)
    dtypes = dict.fromkeys(features, "float32")
    dtypes.update(dict.fromkeys(_CRITEO_FLAGS, "int8"))
    try:
        frame = pd.read_csv(path, usecols=list(dtypes), dtype=dtypes, nrows=nrows)
    except ValueError as exc:
        raise ValueError(f"{key} does not have the Criteo v2.1 columns: {exc}") from exc
    other = "conversion" if outcome == "visit" else "visit"
    summary = (
        "Randomized: treatment = 1 if the advertiser could target the user (85%), 0 if "
        "the user was held out. Outcomes: visit (mean 0.04699), conversion (0.00292). "
        "exposure = whether an ad was actually shown: post-treatment, never a feature, "
        "kept in extra['exposure']. Features f0..f11 are anonymized and dense. The files "
        "are the copies published with MD5 by scikit-uplift; the official one is "
        "http://go.criteo.net/criteo-research-uplift-v2.1.csv.gz. Non-commercial licence."
    )
    return finish(
        "criteo",
        frame[features],
        frame[outcome],
        frame["treatment"],
        describe("criteo", summary, [key]),
        return_X_y_treatment,
        outcome_name=outcome,
        treatment_name="treatment",
        extra={
            "exposure": frame["exposure"].reset_index(drop=True),
            other: frame[other].reset_index(drop=True),
            "sample": sample,
        },
    )


def fetch_lenta(*, data_home=None, quiet=False, offline=None, return_X_y_treatment=False):
    """Fetch the Lenta BigTarget hackathon dataset (SMS campaign, 687,029 customers).

    Customers of the Lenta retail chain were randomly sent an SMS (``group``);
    the outcome is a store visit. About 153 MB to download.

    Parameters
    ----------
    data_home : str or path-like, default=None
        Cache directory; see :func:`get_data_home`.
    quiet : bool, default=False
        Hide the progress bar.
    offline : bool, default=None
        Never use the network; ``None`` reads ``ACTIONABLE_DATA_OFFLINE``.
    return_X_y_treatment : bool, default=False
        Return ``(X, y, treatment)`` instead of an :class:`UpliftDataset`.

    Returns
    -------
    UpliftDataset or tuple of (DataFrame, Series, Series)
        ``treatment`` = 1 for ``group == "test"``, 0 for ``"control"``; ``y`` =
        ``response_att`` (store visit). ``X``: every other column, numeric ones as
        float32 and text ones (``gender``) as categoricals; a ``CardHolder``
        identifier column, if present, goes to ``extra["CardHolder"]``.

    Raises
    ------
    DatasetDownloadError
        If the file cannot be fetched or verified.

    See Also
    --------
    fetch_x5 : Another retail SMS campaign.
    fetch_file : The downloader behind every ``fetch_*``.

    Examples
    --------
    >>> from actionable.datasets import fetch_lenta
    >>> data = fetch_lenta()  # doctest: +SKIP
    """
    key = "lenta/lenta_dataset.csv.gz"
    path = fetch_file(key, data_home=data_home, quiet=quiet, offline=offline)
    keep = {"group", "response_att", "CardHolder"}
    frame = pd.read_csv(path, dtype=compact_dtypes(path, keep=keep) | {"group": "str"})
    check_columns(frame, ["group", "response_att"], where=key)
    treatment = treatment_of(frame, "group", "test", "control", key)
    extra = {}
    if "CardHolder" in frame.columns:
        extra["CardHolder"] = frame["CardHolder"].reset_index(drop=True)
    summary = (
        "Randomized SMS campaign: treatment = group ('test' 1, 'control' 0); outcome = "
        "response_att (visited a store). response_sms and response_viber are shares of "
        "responses to earlier campaigns (pre-treatment), kept as features."
    )
    return finish(
        "lenta",
        frame.drop(columns=sorted(keep & set(frame.columns))),
        frame["response_att"].astype("int64"),
        treatment,
        describe("lenta", summary, [key]),
        return_X_y_treatment,
        outcome_name="response_att",
        treatment_name="group",
        extra=extra,
    )


def fetch_x5(
    *, purchases=False, data_home=None, quiet=False, offline=None, return_X_y_treatment=False
):
    """Fetch the X5 RetailHero uplift contest data (200,039 labelled clients).

    Clients of X5 Retail Group were randomly sent an SMS; the outcome is a purchase.
    The profile table is joined to the labelled clients; the transaction history
    is optional because it is large.

    Parameters
    ----------
    purchases : bool, default=False
        Also fetch ``purchases.csv.gz`` (45,786,568 transactions, most of the ~647 MB)
        and return it, unjoined, in ``extra["purchases"]``.
    data_home : str or path-like, default=None
        Cache directory; see :func:`get_data_home`.
    quiet : bool, default=False
        Hide the progress bars.
    offline : bool, default=None
        Never use the network; ``None`` reads ``ACTIONABLE_DATA_OFFLINE``.
    return_X_y_treatment : bool, default=False
        Return ``(X, y, treatment)`` instead of an :class:`UpliftDataset`.

    Returns
    -------
    UpliftDataset or tuple of (DataFrame, Series, Series)
        One row per client of ``uplift_train.csv.gz``: ``treatment`` =
        ``treatment_flg`` (SMS sent), ``y`` = ``target`` (purchased afterwards). ``X``
        holds the client profile from ``clients.csv.gz`` (``first_issue_date``,
        ``first_redeem_date`` as datetimes: derive numbers from them before fitting;
        ``age``; ``gender`` as a categorical). ``extra["client_id"]`` keeps the key.

    Raises
    ------
    ValueError
        If a file lacks the expected columns or a client has no profile.
    DatasetDownloadError
        If a file cannot be fetched or verified.

    See Also
    --------
    fetch_lenta : Another retail SMS campaign.
    fetch_file : The downloader behind every ``fetch_*``.

    Examples
    --------
    >>> from actionable.datasets import fetch_x5
    >>> data = fetch_x5()  # doctest: +SKIP
    """
    train_key, clients_key, purchases_key = (
        "x5/uplift_train.csv.gz",
        "x5/clients.csv.gz",
        "x5/purchases.csv.gz",
    )
    train_path = fetch_file(train_key, data_home=data_home, quiet=quiet, offline=offline)
    clients_path = fetch_file(clients_key, data_home=data_home, quiet=quiet, offline=offline)
    train = pd.read_csv(train_path, dtype={"client_id": "str"})
    check_columns(train, ["client_id", "treatment_flg", "target"], where=train_key)
    clients = pd.read_csv(clients_path, dtype={"client_id": "str", "gender": "category"})
    check_columns(clients, ["client_id"], where=clients_key)
    for column in ("first_issue_date", "first_redeem_date"):
        if column in clients.columns:
            clients[column] = pd.to_datetime(clients[column], errors="raise")
    joined = train[["client_id"]].merge(
        clients, on="client_id", how="left", validate="many_to_one", indicator=True
    )
    orphans = int((joined.pop("_merge") != "both").sum())
    if orphans:
        raise ValueError(f"{orphans} clients of {train_key} have no row in {clients_key}")
    treatment = treatment_of(train, "treatment_flg", 1, 0, train_key)
    extra = {"client_id": train["client_id"].reset_index(drop=True)}
    keys = [train_key, clients_key]
    if purchases:
        extra["purchases"] = pd.read_csv(
            fetch_file(purchases_key, data_home=data_home, quiet=quiet, offline=offline)
        )
        keys.append(purchases_key)
    summary = (
        "Randomized SMS communication: treatment = treatment_flg (1 sent, 0 not); outcome "
        "= target (purchase afterwards). X = client profile; purchases (history before "
        "the communication) are available with purchases=True."
    )
    return finish(
        "x5",
        joined.drop(columns="client_id"),
        train["target"].astype("int64"),
        treatment,
        describe("x5", summary, keys),
        return_X_y_treatment,
        outcome_name="target",
        treatment_name="treatment_flg",
        extra=extra,
    )


def fetch_megafon(*, data_home=None, quiet=False, offline=None, return_X_y_treatment=False):
    """Fetch the MegaFon uplift competition dataset (synthetic, 600,000 rows).

    Synthetic data generated by MegaFon to resemble a real telecom campaign: good
    for benchmarks, not for claims about real customers.

    Parameters
    ----------
    data_home : str or path-like, default=None
        Cache directory; see :func:`get_data_home`.
    quiet : bool, default=False
        Hide the progress bar.
    offline : bool, default=None
        Never use the network; ``None`` reads ``ACTIONABLE_DATA_OFFLINE``.
    return_X_y_treatment : bool, default=False
        Return ``(X, y, treatment)`` instead of an :class:`UpliftDataset`.

    Returns
    -------
    UpliftDataset or tuple of (DataFrame, Series, Series)
        ``treatment`` = 1 for ``treatment_group == "treatment"``, 0 for
        ``"control"``; ``y`` = ``conversion``; ``X`` = ``X_1`` .. ``X_50`` as float32.
        An ``id`` column, if present, goes to ``extra["id"]``.

    Raises
    ------
    DatasetDownloadError
        If the file cannot be fetched or verified.

    See Also
    --------
    fetch_criteo : A large real advertising experiment.
    fetch_file : The downloader behind every ``fetch_*``.

    Examples
    --------
    >>> from actionable.datasets import fetch_megafon
    >>> data = fetch_megafon()  # doctest: +SKIP
    """
    key = "megafon/megafon_dataset.csv.gz"
    path = fetch_file(key, data_home=data_home, quiet=quiet, offline=offline)
    keep = {"id", "treatment_group", "conversion"}
    frame = pd.read_csv(path, dtype=compact_dtypes(path, keep=keep) | {"treatment_group": "str"})
    check_columns(frame, ["treatment_group", "conversion"], where=key)
    treatment = treatment_of(frame, "treatment_group", "treatment", "control", key)
    extra = {"id": frame["id"].reset_index(drop=True)} if "id" in frame.columns else {}
    summary = (
        "Synthetic data shaped on a telecom campaign: treatment = treatment_group "
        "('treatment' 1, 'control' 0); outcome = conversion (0/1); X_1..X_50 anonymized."
    )
    return finish(
        "megafon",
        frame.drop(columns=sorted(keep & set(frame.columns))),
        frame["conversion"].astype("int64"),
        treatment,
        describe("megafon", summary, [key]),
        return_X_y_treatment,
        outcome_name="conversion",
        treatment_name="treatment_group",
        extra=extra,
    )
