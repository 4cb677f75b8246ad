"""No module in src/actionable over 500 lines, no function over 80 lines of code (issue 21).

A function's lines of code run from its ``def`` line to its last line, its docstring
left out: the numpydoc docstrings of the public API are long on purpose.
"""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "actionable"
MAX_MODULE_LINES = 500
MAX_FUNCTION_LINES = 80

SOURCES = sorted(PACKAGE.rglob("*.py"))


def _name(path):
    return path.relative_to(PACKAGE).as_posix()


def _docstring_lines(node):
    if ast.get_docstring(node, clean=False) is None:
        return 0
    docstring = node.body[0]
    return docstring.end_lineno - docstring.lineno + 1


def function_sizes(path):
    """``{"Class.method": lines of code}`` of every function of a module, nested ones too."""
    sizes = {}

    def visit(node, prefix):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                name = f"{prefix}{child.name}"
                total = child.end_lineno - child.lineno + 1
                sizes[name] = total - _docstring_lines(child)
                visit(child, f"{name}.")
            elif isinstance(child, ast.ClassDef):
                visit(child, f"{prefix}{child.name}.")
            else:
                visit(child, prefix)

    visit(ast.parse(path.read_text(), filename=str(path)), "")
    return sizes


def _module_offender(path):
    lines = len(path.read_text().splitlines())
    return lines if lines > MAX_MODULE_LINES else None


def _function_offenders(path):
    return {
        name: lines for name, lines in function_sizes(path).items() if lines > MAX_FUNCTION_LINES
    }


@pytest.mark.parametrize("path", SOURCES, ids=_name)
def test_module_is_at_most_500_lines(path):
    lines = _module_offender(path)
    assert lines is None, (
        f"{_name(path)} has {lines} lines (at most {MAX_MODULE_LINES}): split it by concern"
    )


@pytest.mark.parametrize("path", SOURCES, ids=_name)
def test_functions_are_at_most_80_lines_of_code(path):
    offenders = _function_offenders(path)
    assert not offenders, (
        f"{_name(path)}: functions over {MAX_FUNCTION_LINES} lines of code (docstring "
        f"excluded): {offenders}; extract well-named steps"
    )


def test_the_size_counts_leave_the_docstring_out(tmp_path):
    path = tmp_path / "example.py"
    path.write_text(
        'def f():\n    """One.\n\n    Two.\n    """\n    return 1\n\n\n'
        "class A:\n    def g(self):\n        def inner():\n            pass\n\n"
        "        return inner\n"
    )
    assert function_sizes(path) == {"f": 2, "A.g": 5, "A.g.inner": 2}
