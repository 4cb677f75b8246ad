"""Where each public dataset lives, how to verify it, and under which terms it may be used.

``REMOTE_FILES`` maps ``"<dataset>/<file name>"`` to a :class:`RemoteFile`; ``DATASETS``
maps a dataset name to a :class:`DatasetInfo`. Checksums are SHA-256 where the bytes
served by the URL are known, and the MD5 published with the copy otherwise.

Private hook for tests: replace an entry with
``monkeypatch.setitem(actionable.datasets._registry.REMOTE_FILES, key, RemoteFile(...))``;
every lookup goes through :func:`get_remote_file`, so the replacement is seen by the
downloader and by the ``fetch_*`` loaders.
"""

from dataclasses import dataclass

__all__ = ["RemoteFile", "DatasetInfo", "REMOTE_FILES", "DATASETS", "get_remote_file"]


@dataclass(frozen=True)
class RemoteFile:
    """One downloadable file and how to verify it.

    The file is cached, and looked up in a mirror, as ``<dataset>/<filename>``.

    Parameters
    ----------
    dataset : str
        Dataset name; also the cache and mirror sub-directory.
    filename : str
        File name as served by ``url``; the cache and mirror keep it.
    url : str
        Official (or pinned public) download address.
    checksum : str
        Hexadecimal digest of the file's bytes.
    algorithm : {"sha256", "md5"}
        Hash algorithm of ``checksum``.
    size : int or None, default=None
        Size in bytes, when known.

    See Also
    --------
    fetch_file : Fetch and verify a ``RemoteFile``.

    Examples
    --------
    >>> from actionable.datasets import RemoteFile
    >>> f = RemoteFile("toy", "toy.csv", "https://example.org/toy.csv", "ab" * 32, "sha256")
    >>> f.key
    'toy/toy.csv'
    """

    dataset: str
    filename: str
    url: str
    checksum: str
    algorithm: str
    size: int | None = None

    @property
    def key(self):
        """``"<dataset>/<filename>"``, the relative path in the cache and in a mirror."""
        return f"{self.dataset}/{self.filename}"


@dataclass(frozen=True)
class DatasetInfo:
    """What ``actionable datasets list`` shows about one dataset."""

    name: str
    title: str
    loader: str
    files: tuple  # default files of ``fetch_dataset(name)``, as ``REMOTE_FILES`` keys
    approximate_size: str
    terms: str
    citation: str


_HILLSTROM_FILE = "Kevin_Hillstrom_MineThatData_E-MailAnalytics_DataMiningChallenge_2008.03.20.csv"
_STARBUCKS_COMMIT = "c0c5cd4c1bc15f2ed06638eb60edf42304ef2133"
_STARBUCKS_BASE = (
    f"https://raw.githubusercontent.com/RMezera001/starbucks_promotion_ab_test/{_STARBUCKS_COMMIT}"
)
_SKLIFT_BUCKET = "https://sklift.s3.eu-west-2.amazonaws.com"
_CRITEO_BUCKET = "https://criteo-bucket.s3.eu-central-1.amazonaws.com"

_FILES = (
    RemoteFile(
        "hillstrom",
        _HILLSTROM_FILE,
        f"http://www.minethatdata.com/{_HILLSTROM_FILE}",
        "0e5893329d8b93cefecc571777672028290ab69865718020c78c7284f291aece",
        "sha256",
        3_964_977,
    ),
    RemoteFile(
        "starbucks",
        "training.csv",
        f"{_STARBUCKS_BASE}/training.csv",
        "2ac9d5c601b134b9b69e742b97d016529c8082f6a611d5b243ab0c5b2ceaf83e",
        "sha256",
        3_663_371,
    ),
    RemoteFile(
        "starbucks",
        "Test.csv",
        f"{_STARBUCKS_BASE}/Test.csv",
        "88233c6b0b6b9fd3df8a2f1f10032dd3eebb0c3bc02753d9001375a1cca38439",
        "sha256",
        1_804_917,
    ),
    RemoteFile(
        "criteo",
        "criteo.csv.gz",
        f"{_CRITEO_BUCKET}/criteo.csv.gz",
        "d2236769ef69e9be52556110102911ec",
        "md5",
    ),
    RemoteFile(
        "criteo",
        "criteo10.csv.gz",
        f"{_CRITEO_BUCKET}/criteo10.csv.gz",
        "fe159bcee2cea57548e48eb2d7d5d00c",
        "md5",
    ),
    RemoteFile(
        "lenta",
        "lenta_dataset.csv.gz",
        f"{_SKLIFT_BUCKET}/lenta_dataset.csv.gz",
        "6ab28ff0989ed8b8647f530e2e86452f",
        "md5",
    ),
    RemoteFile(
        "x5",
        "uplift_train.csv.gz",
        f"{_SKLIFT_BUCKET}/uplift_train.csv.gz",
        "2720bbb659daa9e0989b2777b6a42d19",
        "md5",
    ),
    RemoteFile(
        "x5",
        "clients.csv.gz",
        f"{_SKLIFT_BUCKET}/clients.csv.gz",
        "b9cdeb2806b732771de03e819b3354c5",
        "md5",
    ),
    RemoteFile(
        "x5",
        "purchases.csv.gz",
        f"{_SKLIFT_BUCKET}/purchases.csv.gz",
        "48d2de13428e24e8b61d66fef02957a8",
        "md5",
    ),
    RemoteFile(
        "megafon",
        "megafon_dataset.csv.gz",
        f"{_SKLIFT_BUCKET}/megafon_dataset.csv.gz",
        "ee8d45a343d4d2cf90bb756c93959ecd",
        "md5",
    ),
)

REMOTE_FILES = {f.key: f for f in _FILES}

_NO_LICENCE = "no licence text published"

DATASETS = {
    info.name: info
    for info in (
        DatasetInfo(
            name="hillstrom",
            title="Hillstrom MineThatData e-mail challenge (2008), 64,000 customers, 3 arms",
            loader="load_hillstrom (bundled in the package)",
            files=(f"hillstrom/{_HILLSTROM_FILE}",),
            approximate_size="4.0 MB",
            terms=(
                f"{_NO_LICENCE}; released publicly by Kevin Hillstrom for the 2008 MineThatData "
                "E-Mail Analytics and Data Mining Challenge; cite the blog post"
            ),
            citation=(
                "Kevin Hillstrom (2008), 'The MineThatData E-Mail Analytics And Data Mining "
                "Challenge', MineThatData blog, March 2008."
            ),
        ),
        DatasetInfo(
            name="starbucks",
            title="Starbucks promotion experiment (Udacity exercise), 84,534 + 41,650 customers",
            loader="fetch_starbucks",
            files=("starbucks/training.csv", "starbucks/Test.csv"),
            approximate_size="5.5 MB",
            terms=(
                f"{_NO_LICENCE}; educational material credited to Udacity/Starbucks; "
                "no official URL, copies pinned at "
                f"RMezera001/starbucks_promotion_ab_test@{_STARBUCKS_COMMIT[:7]}"
            ),
            citation=(
                "Udacity Data Scientist Nanodegree, 'Starbucks portfolio exercise' (promotion)."
            ),
        ),
        DatasetInfo(
            name="criteo",
            title="Criteo Uplift Prediction v2.1 (AdKDD 2018), 13,979,592 users",
            loader="fetch_criteo",
            files=("criteo/criteo.csv.gz",),
            approximate_size="~297 MB gzip, 3.2 GB as CSV (scikit-uplift docs)",
            terms="CC BY-NC-SA 4.0: non-commercial use only, attribution, share alike",
            citation=(
                "Eustache Diemert, Artem Betlei, Christophe Renaudin and Massih-Reza Amini (2018), "
                "'A Large Scale Benchmark for Uplift Modeling', AdKDD & TargetAd workshop, "
                "KDD 2018."
            ),
        ),
        DatasetInfo(
            name="lenta",
            title="Lenta BigTarget hackathon (2020), 687,029 customers, SMS campaign",
            loader="fetch_lenta",
            files=("lenta/lenta_dataset.csv.gz",),
            approximate_size="~153 MB gzip, 567 MB as CSV (scikit-uplift docs)",
            terms=f"{_NO_LICENCE}; hackathon data by Lenta, copy published by scikit-uplift",
            citation="Lenta and Microsoft, BigTarget hackathon (2020).",
        ),
        DatasetInfo(
            name="x5",
            title="X5 RetailHero uplift contest (2019), 200,039 labelled clients",
            loader="fetch_x5",
            files=("x5/uplift_train.csv.gz", "x5/clients.csv.gz"),
            approximate_size="~647 MB gzip for all 3 files, mostly purchases (scikit-uplift docs)",
            terms=f"{_NO_LICENCE}; contest data by X5 Retail Group, copy by scikit-uplift",
            citation="X5 Retail Group, RetailHero uplift modelling contest, ods.ai (2019).",
        ),
        DatasetInfo(
            name="megafon",
            title="MegaFon uplift competition (2021, synthetic), 600,000 rows",
            loader="fetch_megafon",
            files=("megafon/megafon_dataset.csv.gz",),
            approximate_size="~554 MB (scikit-uplift docs)",
            terms=f"{_NO_LICENCE}; synthetic competition data by MegaFon, copy by scikit-uplift",
            citation="MegaFon, Uplift competition, ods.ai Data Fest (2021).",
        ),
    )
}


def get_remote_file(key):
    """Return the registry entry ``"<dataset>/<file name>"``.

    Parameters
    ----------
    key : str
        For example ``"starbucks/training.csv"``.

    Returns
    -------
    RemoteFile

    Raises
    ------
    ValueError
        If ``key`` is not a registered file; the message lists the known keys.
    """
    try:
        return REMOTE_FILES[key]
    except KeyError:
        known = ", ".join(sorted(REMOTE_FILES))
        raise ValueError(f"unknown dataset file {key!r}; known files: {known}") from None
