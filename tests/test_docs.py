"""The documentation's sources: every public name in the API reference, and the link checker.

The site itself is built by ``make docs`` (warnings are errors, the gallery runs, internal
links are checked), which ``.ci/run`` calls after the test suite.
"""

import importlib
import re
import subprocess
import sys
from pathlib import Path

import pytest

import actionable

DOCS = Path(__file__).resolve().parents[1] / "docs"
SUBPACKAGES = ["datasets", "metrics", "models", "economics", "paired", "decision", "production",
               "distributed", "report"]


def _autosummary_entries(page):
    """Names listed under ``.. autosummary::`` directives of an API page."""
    names, inside = [], False
    for line in page.read_text().splitlines():
        if line.startswith(".. autosummary::"):
            inside = True
        elif inside and line and not line.startswith(" "):
            inside = False
        elif inside and re.fullmatch(r"   [A-Za-z_][A-Za-z0-9_]*", line):
            names.append(line.strip())
    return names


@pytest.mark.parametrize("name", SUBPACKAGES)
def test_every_public_name_of_a_subpackage_is_in_its_api_page(name):
    module = importlib.import_module(f"actionable.{name}")
    entries = _autosummary_entries(DOCS / "api" / f"{name}.rst")
    assert len(entries) == len(set(entries)), f"docs/api/{name}.rst lists a name twice"
    assert set(entries) == set(module.__all__), (
        f"docs/api/{name}.rst: missing {sorted(set(module.__all__) - set(entries))}, "
        f"not public {sorted(set(entries) - set(module.__all__))}"
    )


def test_every_subpackage_page_is_in_the_api_index():
    index = (DOCS / "api" / "index.rst").read_text()
    for name in SUBPACKAGES:
        assert re.search(rf"^   {name}$", index, flags=re.MULTILINE), name
    packages = {path.name for path in (DOCS.parent / "src" / "actionable").iterdir()
                if (path / "__init__.py").exists() and not path.name.startswith("_")}
    assert packages == set(SUBPACKAGES), "a subpackage was added or removed: update docs/api"


def test_every_top_level_name_is_documented_where_it_is_defined():
    documented = {
        name: importlib.import_module(f"actionable.{sub}")
        for sub in SUBPACKAGES
        for name in _autosummary_entries(DOCS / "api" / f"{sub}.rst")
    }
    for name in actionable.__all__:
        if name == "__version__":
            continue
        assert name in documented, f"actionable.{name} is in no API page"
        assert getattr(documented[name], name) is getattr(actionable, name), name


def test_link_checker_reports_missing_files_and_anchors(tmp_path):
    (tmp_path / "index.html").write_text('<h1 id="top">t</h1><a href="page.html#here">ok</a>')
    (tmp_path / "page.html").write_text(
        '<p id="here"></p><a href="index.html#top">ok</a><a href="https://example.org/x">ext</a>'
        '<a href="gone.html">bad</a><a href="index.html#nowhere">bad</a><img src="i.png">'
    )
    run = subprocess.run([sys.executable, str(DOCS / "check_links.py"), str(tmp_path)],
                         capture_output=True, text=True, check=False)
    assert run.returncode == 1
    broken = sorted(line for line in run.stdout.splitlines() if line.startswith("page.html"))
    assert broken == [
        "page.html: gone.html: missing file",
        "page.html: i.png: missing file",
        "page.html: index.html#nowhere: missing anchor",
    ]
    (tmp_path / "gone.html").write_text("")
    (tmp_path / "i.png").write_bytes(b"")
    (tmp_path / "page.html").write_text('<p id="here"></p><a href="index.html#top">ok</a>')
    run = subprocess.run([sys.executable, str(DOCS / "check_links.py"), str(tmp_path)],
                         capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stdout
