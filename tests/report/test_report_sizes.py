"""The report layer stays readable: modules under 500 lines, functions at most 80 lines of code."""

import ast
from pathlib import Path

import pytest

REPORT = Path(__file__).resolve().parents[2] / "src" / "actionable" / "report"
SOURCES = sorted(REPORT.glob("*.py"))


def _code_lines(function):
    """Lines of a function's body, its docstring left out."""
    body = function.body
    first = body[0]
    docstring = isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant)
    if docstring and isinstance(first.value.value, str):
        if len(body) == 1:
            return 0
        first = body[1]
    return function.end_lineno - first.lineno + 1


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.name)
def test_sizes(path):
    text = path.read_text()
    assert len(text.splitlines()) < 500, path
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            assert _code_lines(node) <= 80, f"{path.name}: {node.name} has {_code_lines(node)}"


def test_the_templates_ship_with_the_package():
    names = {p.name for p in (REPORT / "templates").iterdir()}
    assert {"report.css", "page.html.j2", "report.html.j2", "sections.html.j2"} <= names
    pyproject = (REPORT.parents[2] / "pyproject.toml").read_text()
    assert '"actionable.report" = ["templates/*"]' in pyproject
    assert '"jinja2>=3.1"' in pyproject
