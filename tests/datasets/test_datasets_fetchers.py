"""fetch_criteo / fetch_lenta / fetch_x5 / fetch_megafon and the catalog, over a loopback server.

Criteo uses the 1,000 genuine rows of ../shared/fixtures with the checksum from MANIFEST.md.
Lenta, X5 and MegaFon files are too large to mirror: small files with their documented
columns are written here, so these tests check our parsing, not the real files' schema.
"""

import functools
import gzip
import hashlib
import http.server
import threading

import numpy as np
import pandas as pd
import pytest

from actionable.datasets import (
    DatasetDownloadError,
    RemoteFile,
    _registry,
    fetch_criteo,
    fetch_dataset,
    fetch_lenta,
    fetch_megafon,
    fetch_x5,
    list_datasets,
)

CRITEO_SAMPLE = "criteo-uplift-v2.1-sample1000.csv.gz"
CRITEO_SAMPLE_SHA256 = "1278d253065ba3ae1517a2dee7f3f4eb1c069ebbce4528b9b6b14d8b02ed87ef"
FEATURES = [f"f{i}" for i in range(12)]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002
        pass


@pytest.fixture
def serve_directory():
    """Serve a directory over HTTP on 127.0.0.1; returns the base URL."""
    servers = []

    def serve(directory):
        handler = functools.partial(_QuietHandler, directory=str(directory))
        httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True).start()
        servers.append(httpd)
        return f"http://127.0.0.1:{httpd.server_address[1]}"

    yield serve
    for httpd in servers:
        httpd.shutdown()
        httpd.server_close()


def _register(monkeypatch, key, url, data=None, *, checksum=None, algorithm="md5"):
    dataset, filename = key.split("/")
    if checksum is None:
        checksum = hashlib.new(algorithm, data).hexdigest()
    remote = RemoteFile(dataset, filename, url, checksum, algorithm, None)
    monkeypatch.setitem(_registry.REMOTE_FILES, key, remote)
    return remote


@pytest.fixture
def criteo(monkeypatch, criteo_sample, serve_directory):
    base = serve_directory(criteo_sample.parent)
    for key in ("criteo/criteo.csv.gz", "criteo/criteo10.csv.gz"):
        _register(
            monkeypatch,
            key,
            f"{base}/{CRITEO_SAMPLE}",
            checksum=CRITEO_SAMPLE_SHA256,
            algorithm="sha256",
        )
    return pd.read_csv(criteo_sample)


def test_criteo_compact_dtypes_and_exposure_kept_out(criteo):
    data = fetch_criteo()
    assert data.n_samples == 1000
    assert list(data.X.columns) == FEATURES
    assert (data.X.dtypes == np.float32).all()
    assert data.y.dtype == np.int8
    assert data.treatment.dtype == np.int8
    assert "exposure" not in data.X.columns
    assert data.extra["exposure"].dtype == np.int8
    assert data.extra["exposure"].tolist() == criteo["exposure"].tolist()
    assert data.y.tolist() == criteo["visit"].tolist()
    assert data.extra["conversion"].tolist() == criteo["conversion"].tolist()
    assert data.treatment.tolist() == criteo["treatment"].tolist()
    np.testing.assert_array_equal(data.X.to_numpy(), criteo[FEATURES].to_numpy(np.float32))
    assert data.X.memory_usage(index=False).sum() == 1000 * 12 * 4
    assert "CC BY-NC-SA 4.0" in data.terms
    assert "post-treatment" in data.description


def test_criteo_options(criteo):
    data = fetch_criteo(outcome="conversion", nrows=100, columns=["f0", "f11"])
    assert data.n_samples == 100
    assert list(data.X.columns) == ["f0", "f11"]
    assert data.y.tolist() == criteo["conversion"].head(100).tolist()
    assert data.extra["visit"].tolist() == criteo["visit"].head(100).tolist()
    assert fetch_criteo(sample="10%").extra["sample"] == "10%"
    X, y, treatment = fetch_criteo(nrows=5, return_X_y_treatment=True)
    assert X.shape == (5, 12)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"columns": ["f0", "exposure"]}, "'exposure' is post-treatment"),
        ({"columns": ["visit"]}, "subset of the features f0..f11"),
        ({"columns": []}, "non-empty subset"),
        ({"sample": "5%"}, "sample must be None or '10%'"),
        ({"outcome": "exposure"}, "outcome must be 'visit' or 'conversion'"),
        ({"nrows": 0}, "nrows must be a positive integer"),
        ({"nrows": 2.5}, "nrows must be a positive integer"),
    ],
)
def test_criteo_bad_options(kwargs, message):
    with pytest.raises(ValueError, match=message):
        fetch_criteo(**kwargs)


def test_criteo_with_wrong_columns_is_a_clear_error(monkeypatch, tmp_path, serve_directory):
    data = gzip.compress(b"a,b\n1,2\n")
    (tmp_path / "criteo.csv.gz").write_bytes(data)
    base = serve_directory(tmp_path)
    _register(monkeypatch, "criteo/criteo.csv.gz", f"{base}/criteo.csv.gz", data)
    with pytest.raises(ValueError, match="does not have the Criteo v2.1 columns"):
        fetch_criteo()


def _gzip_csv(frame):
    return gzip.compress(frame.to_csv(index=False).encode())


def _serve_files(monkeypatch, tmp_path, serve_directory, files):
    """files: {registry key: bytes}; served from tmp_path and registered with their md5."""
    base = serve_directory(tmp_path)
    for key, data in files.items():
        name = key.replace("/", "__")
        (tmp_path / name).write_bytes(data)
        _register(monkeypatch, key, f"{base}/{name}", data)


def _lenta_frame(rng, n=300):
    return pd.DataFrame(
        {
            "CardHolder": np.arange(1000, 1000 + n),
            "age": rng.integers(18, 80, n).astype(float),
            "cheque_count_12m_g20": rng.integers(0, 9, n),
            "gender": rng.choice(["F", "M", "unknown"], n),
            "group": rng.choice(["test", "control"], n, p=[0.75, 0.25]),
            "k_var_disc_share_6m_g27": rng.random(n),
            "main_format": rng.integers(0, 2, n),
            "response_att": rng.integers(0, 2, n),
            "response_sms": rng.random(n),
        }
    )


def test_lenta(monkeypatch, tmp_path, serve_directory, rng):
    frame = _lenta_frame(rng)
    _serve_files(
        monkeypatch, tmp_path, serve_directory, {"lenta/lenta_dataset.csv.gz": _gzip_csv(frame)}
    )
    data = fetch_lenta()
    assert data.n_samples == 300
    assert not {"group", "response_att", "CardHolder"} & set(data.X.columns)
    assert "response_sms" in data.X.columns  # history of earlier campaigns, pre-treatment
    assert data.treatment.tolist() == (frame["group"] == "test").astype(int).tolist()
    assert data.y.tolist() == frame["response_att"].tolist()
    assert data.extra["CardHolder"].tolist() == frame["CardHolder"].tolist()
    assert isinstance(data.X["gender"].dtype, pd.CategoricalDtype)
    numeric = data.X.drop(columns="gender")
    assert (numeric.dtypes == np.float32).all()
    np.testing.assert_allclose(numeric["age"], frame["age"])


def test_lenta_bad_group_value(monkeypatch, tmp_path, serve_directory, rng):
    frame = _lenta_frame(rng, 20)
    frame.loc[3, "group"] = "holdout"
    _serve_files(
        monkeypatch, tmp_path, serve_directory, {"lenta/lenta_dataset.csv.gz": _gzip_csv(frame)}
    )
    with pytest.raises(ValueError, match="column 'group' must contain only 'test' and 'control'"):
        fetch_lenta()


def test_megafon(monkeypatch, tmp_path, serve_directory, rng):
    n = 200
    frame = pd.DataFrame({"id": np.arange(n)})
    for i in range(1, 6):
        frame[f"X_{i}"] = rng.normal(size=n)
    frame["treatment_group"] = rng.choice(["treatment", "control"], n)
    frame["conversion"] = rng.integers(0, 2, n)
    _serve_files(
        monkeypatch,
        tmp_path,
        serve_directory,
        {"megafon/megafon_dataset.csv.gz": _gzip_csv(frame)},
    )
    data = fetch_megafon()
    assert list(data.X.columns) == [f"X_{i}" for i in range(1, 6)]
    assert (data.X.dtypes == np.float32).all()
    assert data.treatment.tolist() == (frame["treatment_group"] == "treatment").astype(int).tolist()
    assert data.y.tolist() == frame["conversion"].tolist()
    assert data.extra["id"].tolist() == list(range(n))


def _x5_files(rng, n_train=50, n_clients=80):
    clients = pd.DataFrame(
        {
            "client_id": [f"{i:010x}" for i in range(n_clients)],
            "first_issue_date": pd.date_range("2017-01-01 10:00:00", periods=n_clients, freq="D")
            .strftime("%Y-%m-%d %H:%M:%S")
            .tolist(),
            "first_redeem_date": ["2018-01-02 12:00:00"] * (n_clients - 1) + [""],
            "age": rng.integers(18, 90, n_clients),
            "gender": rng.choice(["F", "M", "U"], n_clients),
        }
    )
    train = pd.DataFrame(
        {
            "client_id": clients["client_id"].sample(n_train, random_state=0).tolist(),
            "treatment_flg": rng.integers(0, 2, n_train),
            "target": rng.integers(0, 2, n_train),
        }
    )
    purchases = pd.DataFrame(
        {"client_id": train["client_id"].head(5), "purchase_sum": rng.random(5).round(2)}
    )
    return train, clients, purchases


def test_x5(monkeypatch, tmp_path, serve_directory, rng):
    train, clients, purchases = _x5_files(rng)
    _serve_files(
        monkeypatch,
        tmp_path,
        serve_directory,
        {
            "x5/uplift_train.csv.gz": _gzip_csv(train),
            "x5/clients.csv.gz": _gzip_csv(clients),
            "x5/purchases.csv.gz": _gzip_csv(purchases),
        },
    )
    data = fetch_x5()
    assert data.n_samples == len(train)
    assert data.extra["client_id"].tolist() == train["client_id"].tolist()
    assert "purchases" not in data.extra
    expected_age = clients.set_index("client_id").loc[train["client_id"], "age"].tolist()
    assert data.X["age"].tolist() == expected_age
    assert data.X["first_issue_date"].dtype.kind == "M"
    assert isinstance(data.X["gender"].dtype, pd.CategoricalDtype)
    assert data.treatment.tolist() == train["treatment_flg"].tolist()
    assert data.y.tolist() == train["target"].tolist()
    assert not (data.X.columns == "client_id").any()
    with_purchases = fetch_x5(purchases=True)
    assert len(with_purchases.extra["purchases"]) == 5


def test_x5_client_without_profile(monkeypatch, tmp_path, serve_directory, rng):
    train, clients, _ = _x5_files(rng)
    clients = clients[~clients["client_id"].isin(train["client_id"].head(2))]
    _serve_files(
        monkeypatch,
        tmp_path,
        serve_directory,
        {"x5/uplift_train.csv.gz": _gzip_csv(train), "x5/clients.csv.gz": _gzip_csv(clients)},
    )
    with pytest.raises(ValueError, match="2 clients of x5/uplift_train.csv.gz have no row"):
        fetch_x5()


def test_list_datasets_reflects_the_cache(monkeypatch, starbucks_mirror):
    table = list_datasets()
    assert table["name"].tolist() == ["hillstrom", "starbucks", "criteo", "lenta", "x5", "megafon"]
    assert set(table.columns) >= {"name", "files", "size", "size_bytes", "cached", "terms"}
    assert (table["cached"] == "no").all()
    starbucks = table.set_index("name").loc["starbucks"]
    assert starbucks["size_bytes"] == 3_663_371 + 1_804_917  # MANIFEST sizes
    assert pd.isna(table.set_index("name").loc["criteo", "size_bytes"])
    assert "non-commercial" in table.set_index("name").loc["criteo", "terms"]

    monkeypatch.setenv("ACTIONABLE_DATA_MIRROR", str(starbucks_mirror))
    fetched = fetch_dataset("hillstrom")
    fetch_dataset("starbucks/training.csv")
    table = list_datasets().set_index("name")
    assert table.loc["hillstrom", "cached"] == "yes"
    assert table.loc["starbucks", "cached"] == "partial"

    (remote, path) = fetched[0]
    path.write_bytes(path.read_bytes()[:-10])
    assert list_datasets().set_index("name").loc["hillstrom", "cached"] == "changed"


def test_fetch_dataset_unknown_name():
    with pytest.raises(ValueError, match="unknown dataset 'nope'; known datasets: hillstrom"):
        fetch_dataset("nope")


def test_fetch_dataset_missing_from_directory_mirror_offline(monkeypatch, starbucks_mirror):
    monkeypatch.setenv("ACTIONABLE_DATA_MIRROR", str(starbucks_mirror))
    with pytest.raises(DatasetDownloadError, match="starbucks/Test.csv"):
        fetch_dataset("starbucks", offline=True)
