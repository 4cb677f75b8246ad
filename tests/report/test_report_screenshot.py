"""The HTML report renders in headless Chromium: a screenshot that is not blank."""

import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from actionable.datasets import make_churn
from actionable.paired import PairedExperiment
from actionable.report import PairedReport


def _chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    if Path("/usr/bin/chromium").exists():
        return "/usr/bin/chromium"
    return None


CHROMIUM = _chromium()


@pytest.mark.skipif(
    CHROMIUM is None,
    reason="needs headless Chromium (apt-get install chromium, or scripts/install_chromium.sh)",
)
def test_report_renders_in_headless_chromium(tmp_path, pyplot):
    result = (
        PairedExperiment(n_bootstraps=20, random_state=0, progress=False, n_jobs=1)
        .fit(make_churn(4000, random_state=0))
        .result_
    )
    out = PairedReport(result).write(tmp_path / "report")
    screenshot = tmp_path / "screenshot.png"
    command = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp_path / 'profile'}",
        f"--screenshot={screenshot}",
        "--window-size=1280,2000",
        (out / "index.html").resolve().as_uri(),
    ]
    completed = subprocess.run(command, capture_output=True, text=True, timeout=180, check=False)
    assert screenshot.exists(), f"no screenshot; chromium said: {completed.stderr[-2000:]}"

    image = pyplot.imread(screenshot)[..., :3]  # floats in [0, 1]
    assert image.shape[:2] == (2000, 1280)
    luminance = image.mean(axis=2)
    non_white = np.mean(luminance < 0.95)
    assert 0.05 < non_white < 0.9, f"share of non-white pixels {non_white:.3f}"
    assert luminance.std() > 0.08
    # the uplift model's green (#1b9e77) is drawn: the embedded figures were decoded
    green = np.array([0x1B, 0x9E, 0x77]) / 255
    near_green = np.all(np.abs(image - green) < 0.08, axis=2)
    assert near_green.sum() > 500
    # text is rendered: many dark pixels (dark ink), spread over the page height
    dark_rows = np.flatnonzero((luminance < 0.3).sum(axis=1) > 5)
    assert dark_rows.size > 200
    assert dark_rows.max() - dark_rows.min() > 1000
