"""The HTML report renders in headless Chromium: a screenshot that is not blank."""

import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from actionable.datasets import make_churn
from actionable.paired import PairedExperiment, risk_uplift_sweep
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


needs_chromium = pytest.mark.skipif(
    CHROMIUM is None,
    reason="needs headless Chromium (apt-get install chromium, or scripts/install_chromium.sh)",
)


def _screenshot(page, tmp_path, name, height):
    screenshot = tmp_path / f"{name}.png"
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
        f"--user-data-dir={tmp_path / ('profile-' + name)}",
        f"--screenshot={screenshot}",
        f"--window-size=1280,{height}",
        page.resolve().as_uri(),
    ]
    completed = subprocess.run(command, capture_output=True, text=True, timeout=180, check=False)
    assert screenshot.exists(), f"no screenshot; chromium said: {completed.stderr[-2000:]}"
    return screenshot


@pytest.fixture(scope="module")
def result():
    return (
        PairedExperiment(n_bootstraps=20, random_state=0, progress=False, n_jobs=1)
        .fit(make_churn(4000, random_state=0))
        .result_
    )


@needs_chromium
def test_report_renders_in_headless_chromium(tmp_path, pyplot, result):
    out = PairedReport(result).write(tmp_path / "report")
    image = pyplot.imread(_screenshot(out / "index.html", tmp_path, "report", 2000))[..., :3]
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


def _near(image, hex_color, tolerance=0.06):
    color = np.array([int(hex_color[i : i + 2], 16) for i in (1, 3, 5)]) / 255
    return np.all(np.abs(image - color) < tolerance, axis=2)


@needs_chromium
def test_the_landscape_panel_renders(tmp_path, pyplot, result):
    """The map of businesses is drawn where the report puts it, after the verdict."""
    landscape = risk_uplift_sweep(risk_alignments=(-1.0, 0.0, 1.0), n_samples=3000)
    pages = {
        "with": PairedReport(result, landscape=landscape).write(tmp_path / "with"),
        "without": PairedReport(result).write(tmp_path / "without"),
    }
    images = {
        name: pyplot.imread(_screenshot(out / "index.html", tmp_path, name, 9000))[..., :3]
        for name, out in pages.items()
    }
    # the whole page fits the window: its grey map markers (#8c8c8c) are all extra pixels
    grey = {name: _near(image, "#8c8c8c").sum() for name, image in images.items()}
    assert grey["with"] - grey["without"] > 300, grey
    # both pages are identical down to where the panel is inserted, after the verdict and
    # the headline figures; the map's grey markers fill the band below that point
    differs = np.flatnonzero(np.abs(images["with"] - images["without"]).sum(axis=(1, 2)) > 0)
    start = differs.min()
    assert start > 400  # the header, verdict and headline figures come first, unchanged
    band = slice(start, start + 900)
    grey_band = {name: _near(image[band], "#8c8c8c").sum() for name, image in images.items()}
    assert grey_band["with"] > 300 + grey_band["without"], grey_band
    # and this business is marked with its orange star
    assert _near(images["with"], "#d95f02").sum() > _near(images["without"], "#d95f02").sum()


@needs_chromium
def test_the_targeted_group_panel_renders(tmp_path, pyplot, result):
    """The group description and its drivers figure are drawn, after the customer types."""
    import dataclasses

    pages = {
        "with": PairedReport(result).write(tmp_path / "group"),
        "without": PairedReport(
            dataclasses.replace(result, targeted_group=None, drivers=None)
        ).write(tmp_path / "no-group"),
    }
    images = {
        name: pyplot.imread(_screenshot(out / "index.html", tmp_path, name, 9000))[..., :3]
        for name, out in pages.items()
    }
    # the drivers figure's pale green bars (#a6d9c8: features the rules do not name)
    pale = {name: _near(image, "#a6d9c8", 0.03).sum() for name, image in images.items()}
    assert pale["with"] > pale["without"] + 1500, pale
    # the pages match down to the panel, which comes after the header and the figures
    differs = np.flatnonzero(np.abs(images["with"] - images["without"]).sum(axis=(1, 2)) > 0)
    assert differs.min() > 2000
    # the contacted groups' rows are marked with the uplift green bar, text is drawn there
    band = images["with"][differs.min() : differs.min() + 1200]
    assert _near(band, "#1b9e77", 0.05).sum() > 500
    assert ((band.mean(axis=2) < 0.3).sum(axis=1) > 5).sum() > 100
