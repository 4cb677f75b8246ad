"""The real download code against a loopback HTTP server.

The download mechanics are exercised on the official Hillstrom file, rebuilt from the copy
bundled in the package, so they run on every machine; the Starbucks tests need the data
mirror beside the repository and skip, naming the file, without it.

No test here reaches the internet: ``_network_guard`` (autouse, in conftest.py) makes any
connection to a non-loopback host fail the test with an AssertionError, and
``test_guard_blocks_internet`` proves the guard works.
"""

import errno
import hashlib
import http.server
import logging
import os
import socket
import threading
import time
import urllib.request

import pandas as pd
import pytest

from actionable.datasets import (
    DatasetDownloadError,
    RemoteFile,
    _download,
    _registry,
    fetch_file,
    fetch_starbucks,
)

# Checksums copied from the mirror's MANIFEST.md, not from the code under test.
STARBUCKS_SHA256 = "2ac9d5c601b134b9b69e742b97d016529c8082f6a611d5b243ab0c5b2ceaf83e"
STARBUCKS_BYTES = 3_663_371
HILLSTROM_SHA256 = "0e5893329d8b93cefecc571777672028290ab69865718020c78c7284f291aece"
HILLSTROM_BYTES = 3_964_977
HILLSTROM_FILE = "Kevin_Hillstrom_MineThatData_E-MailAnalytics_DataMiningChallenge_2008.03.20.csv"
HILLSTROM = f"hillstrom/{HILLSTROM_FILE}"
CRITEO_SAMPLE = "criteo-uplift-v2.1-sample1000.csv.gz"
CRITEO_SAMPLE_SHA256 = "1278d253065ba3ae1517a2dee7f3f4eb1c069ebbce4528b9b6b14d8b02ed87ef"
CRITEO_SAMPLE_BYTES = 22_233


@pytest.fixture(autouse=True)
def _no_backoff(monkeypatch):
    monkeypatch.setattr(_download, "_BACKOFF_SECONDS", (0.0, 0.0, 0.0))


class _Handler(http.server.BaseHTTPRequestHandler):
    """Serves ``server.routes[path]`` (a file path); ``server.modes[path]`` alters it."""

    def log_message(self, format, *args):  # noqa: A002 - silence the access log
        pass

    def do_GET(self):
        server = self.server
        server.requests.append(self.path)
        mode = server.modes.get(self.path, "ok")
        if isinstance(mode, list):  # a sequence of behaviours, one per request
            mode = mode.pop(0) if mode else "ok"
        route = server.routes.get(self.path)
        if route is None or mode == 404:
            self.send_error(404)
            return
        if isinstance(mode, int):
            self.send_error(mode)
            return
        body = route.read_bytes()
        if mode == "corrupt":
            middle = len(body) // 2
            body = body[:middle] + bytes([body[middle] ^ 0xFF]) + body[middle + 1 :]
        self.send_response(200)
        if mode != "no-length-truncate":
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if mode in ("truncate", "no-length-truncate"):
            body = body[: len(body) // 2]
        self.wfile.write(body)


class LoopbackServer:
    def __init__(self):
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.httpd.daemon_threads = True
        self.httpd.routes = {}
        self.httpd.modes = {}
        self.httpd.requests = []
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def serve(self, path, file, mode="ok"):
        self.httpd.routes[path] = file
        self.httpd.modes[path] = mode
        return f"{self.base}{path}"

    @property
    def requests(self):
        return self.httpd.requests

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server():
    loopback = LoopbackServer()
    yield loopback
    loopback.close()


@pytest.fixture
def official_file(hillstrom_mirror):
    """The official Hillstrom CSV (rebuilt from the copy bundled in the package)."""
    return hillstrom_mirror / HILLSTROM


def _register(monkeypatch, remote):
    monkeypatch.setitem(_registry.REMOTE_FILES, remote.key, remote)
    return remote


def _served_hillstrom(monkeypatch, server, official_file, mode="ok", **changes):
    url = server.serve("/official/training.csv", official_file, mode)
    fields = {
        "dataset": "hillstrom",
        "filename": HILLSTROM_FILE,
        "url": url,
        "checksum": HILLSTROM_SHA256,
        "algorithm": "sha256",
        "size": HILLSTROM_BYTES,
    }
    fields.update(changes)
    return _register(monkeypatch, RemoteFile(**fields))


def _cache_dir(dataset):
    return _download.get_data_home() / dataset


def _leftovers(dataset):
    directory = _cache_dir(dataset)
    return sorted(p.name for p in directory.iterdir()) if directory.exists() else []


def _sha256(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_guard_blocks_internet():
    with pytest.raises(AssertionError, match="internet"):
        urllib.request.urlopen("http://example.com/", timeout=1)
    with pytest.raises(AssertionError, match="internet"):
        socket.create_connection(("93.184.216.34", 80), timeout=1)


def test_success_streams_verifies_and_renames(monkeypatch, server, official_file):
    remote = _served_hillstrom(monkeypatch, server, official_file)
    path = fetch_file(HILLSTROM)
    assert path == _download.get_data_home() / "hillstrom" / HILLSTROM_FILE
    assert _sha256(path) == HILLSTROM_SHA256
    assert server.requests == ["/official/training.csv"]
    assert not [name for name in _leftovers("hillstrom") if name.endswith(".part")]
    assert remote.url.startswith("http://127.0.0.1:")


def test_small_chunks_and_md5(monkeypatch, server, official_file):
    monkeypatch.setattr(_download, "_CHUNK_SIZE", 4096)
    md5 = hashlib.md5(official_file.read_bytes()).hexdigest()
    _served_hillstrom(monkeypatch, server, official_file, checksum=md5, algorithm="md5")
    assert _sha256(fetch_file(HILLSTROM)) == HILLSTROM_SHA256


def test_cache_hit_makes_no_request(monkeypatch, server, official_file):
    _served_hillstrom(monkeypatch, server, official_file)
    first = fetch_file(HILLSTROM)
    assert len(server.requests) == 1
    server.close()  # nothing is listening any more: a request would fail
    second = fetch_file(HILLSTROM)
    assert second == first
    assert len(server.requests) == 1


def test_file_placed_in_cache_by_hand_is_hashed_then_trusted(monkeypatch, server, official_file):
    _served_hillstrom(monkeypatch, server, official_file)
    target = _cache_dir("hillstrom") / HILLSTROM_FILE
    target.parent.mkdir(parents=True)
    target.write_bytes(official_file.read_bytes())
    assert fetch_file(HILLSTROM) == target
    assert server.requests == []
    assert (target.parent / f".{HILLSTROM_FILE}.verified").is_file()


def test_404_is_one_error_without_retry(monkeypatch, server, official_file):
    remote = _served_hillstrom(monkeypatch, server, official_file, mode=404)
    with pytest.raises(DatasetDownloadError) as info:
        fetch_file(HILLSTROM)
    message = str(info.value)
    assert HILLSTROM in message
    assert remote.url in message
    assert "not found" in message
    assert "404" in message
    assert HILLSTROM_SHA256 in message
    assert isinstance(info.value, OSError)
    assert len(server.requests) == 1
    assert _leftovers("hillstrom") == []


def test_other_client_error_is_not_retried(monkeypatch, server, official_file):
    _served_hillstrom(monkeypatch, server, official_file, mode=403)
    with pytest.raises(DatasetDownloadError, match="HTTP 403"):
        fetch_file(HILLSTROM)
    assert len(server.requests) == 1
    assert _leftovers("hillstrom") == []


@pytest.mark.parametrize("mode", ["truncate", "no-length-truncate"])
def test_truncated_body_is_retried_then_fails_cleanly(monkeypatch, server, official_file, mode):
    remote = _served_hillstrom(monkeypatch, server, official_file, mode=mode)
    with pytest.raises(DatasetDownloadError) as info:
        fetch_file(HILLSTROM)
    message = str(info.value)
    assert "truncated" in message
    assert f"received {HILLSTROM_BYTES // 2} of {HILLSTROM_BYTES} bytes" in message
    assert remote.url in message
    half = hashlib.sha256(official_file.read_bytes()[: HILLSTROM_BYTES // 2]).hexdigest()
    assert f"expected sha256 {HILLSTROM_SHA256}, got {half}" in message
    assert len(server.requests) == 1 + len(_download._BACKOFF_SECONDS)
    assert _leftovers("hillstrom") == []


def test_transient_server_errors_are_retried(monkeypatch, server, official_file):
    _served_hillstrom(monkeypatch, server, official_file, mode=[503, "truncate", "ok"])
    path = fetch_file(HILLSTROM)
    assert _sha256(path) == HILLSTROM_SHA256
    assert len(server.requests) == 3
    assert [n for n in _leftovers("hillstrom") if n.endswith(".part")] == []


def test_checksum_mismatch_names_both_checksums(monkeypatch, server, official_file):
    wrong = "0" * 64
    remote = _served_hillstrom(monkeypatch, server, official_file, checksum=wrong)
    with pytest.raises(DatasetDownloadError) as info:
        fetch_file(HILLSTROM)
    message = str(info.value)
    assert "checksum mismatch" in message
    assert f"expected sha256 {wrong}, got {HILLSTROM_SHA256}" in message
    assert remote.url in message
    assert info.value.actual == HILLSTROM_SHA256
    assert len(server.requests) == 1  # a complete body with the wrong bytes is not retried
    assert _leftovers("hillstrom") == []


def test_corrupted_body_is_rejected(monkeypatch, server, official_file):
    _served_hillstrom(monkeypatch, server, official_file, mode="corrupt")
    with pytest.raises(DatasetDownloadError, match="checksum mismatch"):
        fetch_file(HILLSTROM)
    assert _leftovers("hillstrom") == []


def test_interrupted_download_leaves_no_part_file(monkeypatch, server, official_file):
    _served_hillstrom(monkeypatch, server, official_file)
    monkeypatch.setattr(_download, "_CHUNK_SIZE", 64 * 1024)
    seen = []
    real_progress = _download._progress

    class Interrupting:
        def __init__(self, bar):
            self.bar = bar

        def __enter__(self):
            self.bar.__enter__()
            return self

        def __exit__(self, *exc):
            return self.bar.__exit__(*exc)

        def update(self, n):
            seen.append(_leftovers("hillstrom"))
            if len(seen) == 3:
                raise KeyboardInterrupt

    monkeypatch.setattr(_download, "_progress", lambda *args: Interrupting(real_progress(*args)))
    with pytest.raises(KeyboardInterrupt):
        fetch_file(HILLSTROM)
    assert any(name.endswith(".part") for name in seen[-1])  # it was streaming to a .part
    assert _leftovers("hillstrom") == []
    assert len(server.requests) == 1  # an interrupt is not retried


def test_local_write_error_is_one_download_error(monkeypatch, server, official_file):
    _served_hillstrom(monkeypatch, server, official_file)
    real_fdopen = os.fdopen

    class FullDisk:
        def __init__(self, handle):
            self.handle = handle

        def __enter__(self):
            self.handle.__enter__()
            return self

        def __exit__(self, *exc):
            return self.handle.__exit__(*exc)

        def write(self, data):
            raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(_download.os, "fdopen", lambda *a, **k: FullDisk(real_fdopen(*a, **k)))
    with pytest.raises(DatasetDownloadError, match="No space left on device"):
        fetch_file(HILLSTROM)
    assert _leftovers("hillstrom") == []
    assert len(server.requests) == 1


@pytest.mark.parametrize("damage", ["same size", "shorter", "deleted stamp and changed"])
def test_corrupted_cache_is_fetched_again(monkeypatch, server, official_file, caplog, damage):
    _served_hillstrom(monkeypatch, server, official_file)
    path = fetch_file(HILLSTROM)
    time.sleep(0.05)  # the damage happens later than the download (mtime granularity)
    data = bytearray(path.read_bytes())
    if damage == "shorter":
        del data[-100:]
    else:
        data[1000] ^= 0xFF
    if damage.startswith("deleted"):
        (path.parent / f".{HILLSTROM_FILE}.verified").unlink()
    path.write_bytes(bytes(data))
    with caplog.at_level(logging.WARNING, logger="actionable.datasets"):
        again = fetch_file(HILLSTROM)
    assert again == path
    assert _sha256(path) == HILLSTROM_SHA256
    assert len(server.requests) == 2
    assert "failed verification" in caplog.text


def test_directory_mirror(monkeypatch, hillstrom_mirror):
    # the registry keeps the official (internet) URL: the guard proves it is not used
    monkeypatch.setenv("ACTIONABLE_DATA_MIRROR", str(hillstrom_mirror))
    path = fetch_file(HILLSTROM)
    assert _sha256(path) == HILLSTROM_SHA256
    assert path.parent == _cache_dir("hillstrom")


def test_directory_mirror_of_a_file_not_shipped(monkeypatch, starbucks_mirror):
    monkeypatch.setenv("ACTIONABLE_DATA_MIRROR", str(starbucks_mirror))
    path = fetch_file("starbucks/training.csv")
    assert _sha256(path) == STARBUCKS_SHA256
    assert path.parent == _cache_dir("starbucks")


def test_file_url_mirror(monkeypatch, hillstrom_mirror):
    monkeypatch.setenv("ACTIONABLE_DATA_MIRROR", hillstrom_mirror.as_uri())
    assert _sha256(fetch_file(HILLSTROM)) == HILLSTROM_SHA256


def test_url_mirror(monkeypatch, server, official_file):
    server.serve(f"/mirror/{HILLSTROM}", official_file)
    monkeypatch.setenv("ACTIONABLE_DATA_MIRROR", f"{server.base}/mirror/")
    path = fetch_file(HILLSTROM)  # official URL is on the internet
    assert _sha256(path) == HILLSTROM_SHA256
    assert server.requests == [f"/mirror/{HILLSTROM}"]


def test_url_mirror_without_the_file_falls_back_to_official_url(
    monkeypatch, server, official_file
):
    _served_hillstrom(monkeypatch, server, official_file)
    monkeypatch.setenv("ACTIONABLE_DATA_MIRROR", f"{server.base}/mirror")
    assert _sha256(fetch_file(HILLSTROM)) == HILLSTROM_SHA256
    assert server.requests == [f"/mirror/{HILLSTROM}", "/official/training.csv"]


def test_corrupt_mirror_file_is_an_error_not_a_fallback(monkeypatch, server, official_file):
    _served_hillstrom(monkeypatch, server, official_file)
    server.serve(f"/mirror/{HILLSTROM}", official_file, "corrupt")
    monkeypatch.setenv("ACTIONABLE_DATA_MIRROR", f"{server.base}/mirror")
    with pytest.raises(DatasetDownloadError, match=f"/mirror/{HILLSTROM}"):
        fetch_file(HILLSTROM)
    assert server.requests == [f"/mirror/{HILLSTROM}"]


def test_bad_mirror_setting(monkeypatch, tmp_path):
    monkeypatch.setenv("ACTIONABLE_DATA_MIRROR", str(tmp_path / "absent"))
    with pytest.raises(ValueError, match="ACTIONABLE_DATA_MIRROR=.*absent.*neither"):
        fetch_file("starbucks/training.csv")


def test_offline_without_cache_explains_the_mirror(monkeypatch, server, official_file):
    _served_hillstrom(monkeypatch, server, official_file)
    with pytest.raises(DatasetDownloadError) as info:
        fetch_file(HILLSTROM, offline=True)
    message = str(info.value)
    assert "offline" in message
    assert "ACTIONABLE_DATA_MIRROR" in message
    assert str(_cache_dir("hillstrom") / HILLSTROM_FILE) in message
    assert server.requests == []


def test_offline_environment_variable_and_http_mirror(monkeypatch, server, official_file):
    server.serve(f"/mirror/{HILLSTROM}", official_file)
    monkeypatch.setenv("ACTIONABLE_DATA_MIRROR", f"{server.base}/mirror")
    monkeypatch.setenv("ACTIONABLE_DATA_OFFLINE", "1")
    with pytest.raises(DatasetDownloadError, match="offline"):
        fetch_file(HILLSTROM)
    assert server.requests == []


def test_offline_uses_cache_and_directory_mirror(monkeypatch, hillstrom_mirror):
    monkeypatch.setenv("ACTIONABLE_DATA_MIRROR", str(hillstrom_mirror))
    path = fetch_file(HILLSTROM, offline=True)
    assert _sha256(path) == HILLSTROM_SHA256
    monkeypatch.delenv("ACTIONABLE_DATA_MIRROR")
    assert fetch_file(HILLSTROM, offline=True) == path
    monkeypatch.setenv("ACTIONABLE_DATA_MIRROR", str(hillstrom_mirror))
    with pytest.raises(DatasetDownloadError, match="offline, so the official URL was not tried"):
        fetch_file("starbucks/Test.csv", offline=True)


def test_no_network_is_immediate_and_explains_the_mirror(monkeypatch, official_file):
    calls = []

    def no_dns(address, *args, **kwargs):
        calls.append(address)
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "create_connection", no_dns)
    with pytest.raises(DatasetDownloadError) as info:
        fetch_file(HILLSTROM)
    message = str(info.value)
    assert "no network" in message
    assert "ACTIONABLE_DATA_MIRROR" in message
    assert "www.minethatdata.com" in message
    assert len(calls) == 1  # not retried
    assert _leftovers("hillstrom") == []


def test_unknown_file():
    with pytest.raises(ValueError, match="unknown dataset file 'starbucks/nope.csv'"):
        fetch_file("starbucks/nope.csv")


def test_data_home_argument_and_environment(monkeypatch, tmp_path, hillstrom_mirror):
    monkeypatch.setenv("ACTIONABLE_DATA_MIRROR", str(hillstrom_mirror))
    path = fetch_file(HILLSTROM, data_home=tmp_path / "elsewhere")
    assert path == (tmp_path / "elsewhere" / HILLSTROM).resolve()
    monkeypatch.delenv("ACTIONABLE_DATA_HOME")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert _download.get_data_home() == (tmp_path / ".cache" / "actionable").resolve()


def test_fetch_starbucks_from_shared_mirror(monkeypatch, starbucks_mirror):
    monkeypatch.setenv("ACTIONABLE_DATA_MIRROR", str(starbucks_mirror))
    data = fetch_starbucks(split="train")
    assert data.n_samples == 84_534
    assert list(data.X.columns) == ["V1", "V2", "V3", "V4", "V5", "V6", "V7"]
    assert set(data.treatment.unique()) == {0, 1}
    raw = pd.read_csv(starbucks_mirror / "starbucks" / "training.csv")
    assert int(data.treatment.sum()) == int((raw["Promotion"] == "Yes").sum())
    assert data.y.tolist() == raw["purchase"].tolist()
    assert data.extra["ID"].tolist() == raw["ID"].tolist()
    assert "ID" not in data.X.columns
    assert data.costs["value_per_success"] == 10.0
    assert data.costs["cost_per_contact"] == 0.15
    assert STARBUCKS_SHA256 in data.description


def test_fetch_starbucks_from_url_mirror(monkeypatch, server, starbucks_mirror):
    server.serve("/m/starbucks/training.csv", starbucks_mirror / "starbucks" / "training.csv")
    monkeypatch.setenv("ACTIONABLE_DATA_MIRROR", f"{server.base}/m")
    X, y, treatment = fetch_starbucks(return_X_y_treatment=True)
    assert len(X) == len(y) == len(treatment) == 84_534


def test_fetch_starbucks_bad_split():
    with pytest.raises(ValueError, match="split must be 'train' or 'test'; got 'valid'"):
        fetch_starbucks(split="valid")
