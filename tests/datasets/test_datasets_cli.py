"""``actionable datasets list`` and ``actionable datasets fetch NAME`` through cli.main."""

import functools
import http.server
import threading

import pytest

from actionable.cli import main

HILLSTROM_SHA256 = "0e5893329d8b93cefecc571777672028290ab69865718020c78c7284f291aece"
HILLSTROM = (
    "hillstrom/Kevin_Hillstrom_MineThatData_E-MailAnalytics_DataMiningChallenge_2008.03.20.csv"
)


class _CountingHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002
        pass

    def do_GET(self):
        self.server.requests.append(self.path)
        super().do_GET()


@pytest.fixture
def http_mirror(hillstrom_mirror):
    """A mirror holding the official Hillstrom file, served over HTTP on 127.0.0.1."""
    handler = functools.partial(_CountingHandler, directory=str(hillstrom_mirror))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.requests = []
    threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True).start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def test_list(capsys):
    assert main(["datasets", "list"]) == 0
    out = capsys.readouterr().out
    for name in ("hillstrom", "starbucks", "criteo", "lenta", "x5", "megafon"):
        assert name in out
    assert "CC BY-NC-SA 4.0" in out
    assert "cached" in out
    assert "ACTIONABLE_DATA_HOME" in out


def test_fetch_from_directory_mirror(monkeypatch, hillstrom_mirror, capsys):
    monkeypatch.setenv("ACTIONABLE_DATA_MIRROR", str(hillstrom_mirror))
    assert main(["datasets", "fetch", "hillstrom", "--quiet"]) == 0
    out = capsys.readouterr().out
    assert f"sha256 {HILLSTROM_SHA256} verified" in out
    assert "3,964,977 bytes" in out
    assert main(["datasets", "list"]) == 0
    listing = capsys.readouterr().out
    hillstrom_line = next(line for line in listing.splitlines() if line.startswith("hillstrom"))
    assert " yes " in hillstrom_line


def test_fetch_from_url_mirror(monkeypatch, http_mirror, capsys):
    monkeypatch.setenv("ACTIONABLE_DATA_MIRROR", f"http://127.0.0.1:{http_mirror.server_port}")
    assert main(["datasets", "fetch", HILLSTROM]) == 0
    assert f"sha256 {HILLSTROM_SHA256} verified" in capsys.readouterr().out
    assert http_mirror.requests == [f"/{HILLSTROM}"]
    assert main(["datasets", "fetch", HILLSTROM]) == 0  # cached: no request
    assert http_mirror.requests == [f"/{HILLSTROM}"]


def test_fetch_unknown_name(capsys):
    assert main(["datasets", "fetch", "nope"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("actionable datasets: error: unknown dataset 'nope'")
    assert len(err.strip().splitlines()) == 1


def test_fetch_offline_failure_is_one_line(monkeypatch, capsys):
    monkeypatch.setenv("ACTIONABLE_DATA_OFFLINE", "1")
    assert main(["datasets", "fetch", "starbucks"]) == 1
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1
    assert "starbucks/training.csv" in err
    assert "ACTIONABLE_DATA_MIRROR" in err
