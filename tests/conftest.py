"""Shared test fixtures: data files, a seeded generator, a pyplot fixture.

Data not shipped with the package (Starbucks, the Criteo sample) comes from a mirror beside
the repository (``../shared``, or the folder named by ``ACTIONABLE_SHARED``); a test that
needs such a file skips, naming the file, when it is absent. The Hillstrom file ships with
the package, so the tests of the download code run everywhere on it.
"""

import bz2
import os
from importlib.resources import files
from pathlib import Path

import numpy as np
import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("ACTIONABLE_SHARED", REPO_ROOT.parent / "shared"))
SHARED_DATASETS = SHARED / "datasets"
SHARED_FIXTURES = SHARED / "fixtures"
HILLSTROM = (
    "hillstrom/Kevin_Hillstrom_MineThatData_E-MailAnalytics_DataMiningChallenge_2008.03.20.csv"
)


def _need_data_file(path):
    """Return ``path``, or skip the test naming it when it is absent."""
    if not Path(path).is_file():
        pytest.skip(f"needs the data file {path} (not shipped with the package; absent here)")
    return Path(path)


@pytest.fixture(autouse=True)
def _isolated_data_home(tmp_path_factory, monkeypatch):
    """Never touch the user's cache, and never use a mirror unless a test sets one."""
    monkeypatch.setenv("ACTIONABLE_DATA_HOME", str(tmp_path_factory.mktemp("data_home")))
    monkeypatch.delenv("ACTIONABLE_DATA_MIRROR", raising=False)


@pytest.fixture
def starbucks_mirror():
    """The mirror folder (``<dataset>/<file>``) holding the Starbucks training file."""
    _need_data_file(SHARED_DATASETS / "starbucks" / "training.csv")
    return SHARED_DATASETS


@pytest.fixture
def criteo_sample():
    """Path of the 1,000-row Criteo sample."""
    return _need_data_file(SHARED_FIXTURES / "criteo-uplift-v2.1-sample1000.csv.gz")


@pytest.fixture(scope="session")
def hillstrom_mirror(tmp_path_factory):
    """A mirror folder holding the official Hillstrom CSV, rebuilt from the bundled copy."""
    root = tmp_path_factory.mktemp("hillstrom_mirror")
    (root / "hillstrom").mkdir()
    bundled = files("actionable.datasets") / "data" / "hillstrom.csv.bz2"
    (root / HILLSTROM).write_bytes(bz2.decompress(bundled.read_bytes()))
    return root


@pytest.fixture
def rng():
    """A seeded random generator."""
    return np.random.default_rng(0)


@pytest.fixture
def pyplot():
    """matplotlib.pyplot on the Agg backend, closing every figure afterwards."""
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    yield plt
    plt.close("all")


# --- ACTIONABLE_STRICT_SKIPS=1 (set by .ci/run): a skip is allowed only for a missing data file.
_DATA_SKIP = "needs the data file "
_unexpected_skips = []


def pytest_runtest_logreport(report):
    if os.environ.get("ACTIONABLE_STRICT_SKIPS") == "1" and report.skipped:
        reason = report.longrepr[-1] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        if _DATA_SKIP not in reason and not hasattr(report, "wasxfail"):
            _unexpected_skips.append(f"{report.nodeid}: {reason}")


def pytest_sessionfinish(session, exitstatus):
    if _unexpected_skips:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.write_line(
                "ACTIONABLE_STRICT_SKIPS: skipped for a reason other than a missing data file:",
                red=True,
            )
            for line in _unexpected_skips:
                reporter.write_line(f"  {line}", red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
