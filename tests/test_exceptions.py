"""Every exception and warning class of the package lives in ``actionable.exceptions``."""

import ast
import importlib
import inspect
import pkgutil
import re
from pathlib import Path

import pytest

import actionable
from actionable import exceptions

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "actionable"
DOCS = Path(__file__).resolve().parents[1] / "docs"

# The subpackage that raises each class also exports it, as the same object.
REEXPORTED = {
    "UndefinedUpliftMetricWarning": "actionable.metrics",
    "DatasetDownloadError": "actionable.datasets",
    "NotRandomizedError": "actionable.production",
    "ModelIntegrityError": "actionable.production",
    "ModelVersionWarning": "actionable.production",
    "UntrustedResultWarning": "actionable.paired",
}


def _is_exception_class(node):
    names = [node.name] + [ast.unparse(base) for base in node.bases]
    return any(re.search(r"(Error|Warning|Exception)$", name) for name in names)


def test_every_public_exception_class_is_defined_in_the_exceptions_module():
    """Private classes (a leading underscore) are a module's own control flow, never raised out."""
    elsewhere = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name == "exceptions.py" and path.parent == PACKAGE:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.ClassDef)
                and _is_exception_class(node)
                and not node.name.startswith("_")
            ):
                elsewhere.append(f"{path.relative_to(PACKAGE)}: {node.name}")
    assert elsewhere == []


def test_no_module_defines_a_public_exception_at_run_time():
    for info in pkgutil.walk_packages(actionable.__path__, "actionable."):
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            if (
                inspect.isclass(value)
                and issubclass(value, BaseException)
                and value.__module__.startswith("actionable")
                and not name.startswith("_")
            ):
                assert value.__module__ == "actionable.exceptions", (info.name, name)


@pytest.mark.parametrize("name", sorted(REEXPORTED))
def test_the_old_import_location_is_the_same_object(name):
    module = importlib.import_module(REEXPORTED[name])
    assert getattr(module, name) is getattr(exceptions, name)
    assert name in module.__all__


def test_the_module_lists_every_class_and_its_api_page_too():
    internal = {"BatchReadingUnavailable"}  # raised and caught inside actionable.production
    defined = {
        name
        for name, value in vars(exceptions).items()
        if inspect.isclass(value) and issubclass(value, BaseException) and name not in internal
    }
    assert set(exceptions.__all__) == defined == set(REEXPORTED)
    page = (DOCS / "api" / "exceptions.rst").read_text()
    listed = set(re.findall(r"^   ([A-Z][A-Za-z]+)$", page, flags=re.MULTILINE))
    assert listed == defined
    assert re.search(r"^   exceptions$", (DOCS / "api" / "index.rst").read_text(), re.MULTILINE)
