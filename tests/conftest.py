"""Shared test fixtures: paths to ../shared, a seeded generator, a pyplot fixture."""

import os
from pathlib import Path

import numpy as np
import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("ACTIONABLE_SHARED", REPO_ROOT.parent / "shared"))
SHARED_DATASETS = SHARED / "datasets"
SHARED_FIXTURES = SHARED / "fixtures"


@pytest.fixture(autouse=True)
def _isolated_data_home(tmp_path_factory, monkeypatch):
    """Never touch the user's cache, and never use a mirror unless a test sets one."""
    monkeypatch.setenv("ACTIONABLE_DATA_HOME", str(tmp_path_factory.mktemp("data_home")))
    monkeypatch.delenv("ACTIONABLE_DATA_MIRROR", raising=False)


@pytest.fixture
def shared_datasets():
    """Path to ../shared/datasets; skips with a reason when it is absent."""
    if not SHARED_DATASETS.is_dir():
        pytest.skip(f"needs the shared dataset mirror at {SHARED_DATASETS} (absent)")
    return SHARED_DATASETS


@pytest.fixture
def shared_fixtures():
    """Path to ../shared/fixtures; skips with a reason when it is absent."""
    if not SHARED_FIXTURES.is_dir():
        pytest.skip(f"needs the shared fixtures at {SHARED_FIXTURES} (absent)")
    return SHARED_FIXTURES


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
