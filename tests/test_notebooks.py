"""The teaching notebooks: each runs top to bottom on small data, and each committed
``.ipynb`` holds the cells of its ``.py`` source with the outputs of a full run.

The notebooks are executed with ``notebooks/build.py`` (the script that also writes the
committed ``.ipynb`` files), in a fresh kernel of the interpreter running the tests, with
``ACTIONABLE_NOTEBOOK_SMALL=1``.
"""

import importlib.util
from pathlib import Path

import nbformat
import pytest

NOTEBOOK_DIR = Path(__file__).resolve().parents[1] / "notebooks"
EXPECTED = (
    "01_churn_vs_persuadability",
    "02_hillstrom_email_campaign",
    "03_costs_capacity_and_break_even",
    "04_from_notebook_to_production",
)
CELL_TIMEOUT = 300  # seconds; a small-data cell takes a few seconds


def _load_build_script():
    spec = importlib.util.spec_from_file_location(
        "actionable_notebook_build", NOTEBOOK_DIR / "build.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


build = _load_build_script()
SOURCES = build.notebook_sources(NOTEBOOK_DIR)


def _outputs(notebook, output_type):
    return [
        output
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.get("outputs", [])
        if output.output_type == output_type
    ]


def _stderr(notebook):
    return [output.text for output in _outputs(notebook, "stream") if output.name == "stderr"]


def test_the_four_notebooks_are_there():
    names = [path.stem for path in SOURCES]
    assert set(EXPECTED) <= set(names), names


@pytest.mark.parametrize("source", SOURCES, ids=lambda path: path.stem)
def test_notebook_reads_the_small_data_switch_first(source):
    code = [cell.source for cell in build.read_source(source).cells if cell.cell_type == "code"]
    assert build.SMALL_VARIABLE in code[0]


@pytest.mark.slow
@pytest.mark.parametrize("source", SOURCES, ids=lambda path: path.stem)
def test_notebook_runs_on_small_data(source, tmp_path):
    notebook = build.read_source(source)
    build.execute(notebook, small=True, working_dir=tmp_path, timeout=CELL_TIMEOUT)
    assert _outputs(notebook, "error") == []
    # warnings in the kernel do not reach pytest; readers would see them in stderr
    assert _stderr(notebook) == []
    assert len(_outputs(notebook, "display_data")) >= 1  # figures


@pytest.mark.parametrize("source", SOURCES, ids=lambda path: path.stem)
def test_committed_notebook_matches_its_source(source):
    committed_path = source.with_suffix(".ipynb")
    assert committed_path.is_file(), f"run: python notebooks/build.py {source.name[:2]}"
    committed = nbformat.read(committed_path, as_version=4)
    assert build.cell_sources(committed) == build.cell_sources(build.read_source(source)), (
        f"{committed_path.name} is out of date: run python notebooks/build.py {source.name[:2]}"
    )


@pytest.mark.parametrize("source", SOURCES, ids=lambda path: path.stem)
def test_committed_outputs_come_from_a_full_clean_run(source):
    committed = nbformat.read(source.with_suffix(".ipynb"), as_version=4)
    assert committed.metadata["actionable"] == {"small_data": False}
    code_cells = [cell for cell in committed.cells if cell.cell_type == "code"]
    assert [cell.execution_count for cell in code_cells] == list(range(1, len(code_cells) + 1))
    assert _outputs(committed, "error") == []
    assert _stderr(committed) == []
    images = [
        output for output in _outputs(committed, "display_data") if "image/png" in output.data
    ]
    assert images, "no figure in the committed outputs"


@pytest.mark.parametrize("source", SOURCES, ids=lambda path: path.stem)
def test_notebook_ends_with_a_printed_takeaway(source):
    committed = nbformat.read(source.with_suffix(".ipynb"), as_version=4)
    cells = committed.cells
    heading = [
        i
        for i, cell in enumerate(cells)
        if cell.cell_type == "markdown" and "## Takeaway" in cell.source
    ]
    assert heading, "no '## Takeaway' section"
    takeaway = next(cell for cell in cells[heading[-1] + 1 :] if cell.cell_type == "code")
    printed = "".join(output.text for output in takeaway.outputs if output.output_type == "stream")
    assert "print(" in takeaway.source
    assert any(character.isdigit() for character in printed), printed
