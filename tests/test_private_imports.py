"""Private names stay in their module: no ``from ._x import _name`` across modules of src.

A helper one module needs from another is a package-internal function: it gets a name
without a leading underscore in its (private) module. No module imports an
underscore name from another (issue 21).
"""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "actionable"


def _private_imports():
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.ImportFrom):
                continue
            if node.level == 0 and not (node.module or "").startswith("actionable"):
                continue
            for alias in node.names:
                if alias.name.startswith("_") and not alias.name.startswith("__"):
                    yield f"{path.relative_to(PACKAGE).as_posix()}:{node.lineno}: {alias.name}"


def test_private_names_do_not_cross_modules():
    found = list(_private_imports())
    assert found == [], "import a non-underscore name instead (see the module docstring)"
